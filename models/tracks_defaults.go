package models

import (
	"fmt"

	"gorm.io/gorm"
)

// PillarTracks are the tracks every new summit starts with: one per pillar,
// each in its own colour (amber, blue, green), all readable with white
// labels. Organisers rename, recolour or delete them like any track.
var PillarTracks = []TrackInput{
	{Name: "Celebrate", Pillar: PillarCelebrate, Color: "#b45309", Description: "Recognition: the people whose service stood out, and their stories."},
	{Name: "Train", Pillar: PillarTrain, Color: "#1d4ed8", Description: "Skills for serving well: patience, de-escalation with boundaries, product knowledge."},
	{Name: "Strategize", Pillar: PillarStrategize, Color: "#047857", Description: "Where service goes next: the promises we make for the coming year."},
}

// createPillarTracks gives a new summit its three pillar tracks.
func createPillarTracks(tx *gorm.DB, summitID uint) error {
	for _, in := range PillarTracks {
		t, f := in.validate()
		if err := f.Err(); err != nil {
			return fmt.Errorf("models: default track %s: %w", in.Name, err)
		}
		t.SummitID = summitID
		if err := tx.Create(&t).Error; err != nil {
			return fmt.Errorf("models: default track %s: %w", in.Name, err)
		}
	}
	return nil
}
