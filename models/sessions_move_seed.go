package models

import (
	"context"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// seedDemoUnscheduled gives the demo summit two sessions that are not on the
// timetable yet, so the timetable editor's side list has something to
// schedule (its length comes from the times kept with it).
func seedDemoUnscheduled(ctx context.Context, tx *gorm.DB, summit *Summit, tracks map[Pillar]*Track) error {
	day := summit.Days()[len(summit.Days())-1]
	for _, s := range []struct {
		title                string
		kind                 SessionKind
		pillar               Pillar
		start, end, abstract string
	}{
		{"Lightning saves: five minutes, one good recovery each", KindPanel, PillarCelebrate, "15:00", "15:30",
			"Colleagues from five departments each tell how they turned a bad moment around for someone, in five minutes."},
		{"Boundaries in practice: a role-play clinic", KindTraining, PillarTrain, "15:00", "16:00",
			"Practise saying no kindly and holding a boundary with a customer or a colleague, in small groups."},
	} {
		in := SessionInput{Title: s.title, Kind: s.kind, Abstract: s.abstract, Day: day, StartTime: s.start, EndTime: s.end, Unscheduled: true}
		if t := tracks[s.pillar]; t != nil {
			in.TrackID = strconv.FormatUint(uint64(t.ID), 10)
		}
		if _, err := SaveSession(ctx, tx, ActorOf(nil, ""), summit.ID, 0, in, Now()); err != nil {
			return fmt.Errorf("unscheduled session %q: %w", s.title, err)
		}
	}
	return nil
}
