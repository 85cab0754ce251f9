package models

// Writing a planned copy of a summit (see clone.go for the plan).

import (
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// write stores the plan's new edition and its parts (in tx).
func (p *ClonePlan) write(tx *gorm.DB) error {
	if err := tx.Create(&p.To).Error; err != nil {
		return err
	}
	id := p.To.ID
	// Tracks: copied, or the three pillar tracks; old track → new track.
	trackMap := map[uint]uint{}
	if p.Parts[PartTracks] {
		for _, t := range p.Tracks {
			old := t.ID
			t.ID, t.SummitID, t.CreatedAt, t.UpdatedAt = 0, id, time.Time{}, time.Time{}
			if err := tx.Create(&t).Error; err != nil {
				return err
			}
			trackMap[old] = t.ID
		}
	} else {
		if err := createPillarTracks(tx, id); err != nil {
			return err
		}
		var fresh, old []Track
		if err := tx.Where("summit_id = ?", id).Find(&fresh).Error; err != nil {
			return err
		}
		if err := tx.Where("summit_id = ?", p.From.ID).Find(&old).Error; err != nil {
			return err
		}
		for _, o := range old {
			for _, n := range fresh {
				if n.Pillar == o.Pillar {
					trackMap[o.ID] = n.ID
					break
				}
			}
		}
	}
	roomMap := map[uint]uint{}
	for _, r := range p.Rooms {
		old := r.ID
		r.ID, r.SummitID, r.CreatedAt, r.UpdatedAt = 0, id, time.Time{}, time.Time{}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		roomMap[old] = r.ID
	}
	speakerMap := map[uint]uint{}
	for _, sp := range p.Speakers {
		old := sp.ID
		sp.ID, sp.SummitID, sp.KeptFromID, sp.CreatedAt, sp.UpdatedAt = 0, id, &old, time.Time{}, time.Time{}
		if err := tx.Create(&sp).Error; err != nil {
			return err
		}
		speakerMap[old] = sp.ID
	}
	for i := range p.Sessions {
		ps := &p.Sessions[i]
		x := ps.Session
		x.SummitID, x.UUID, x.SeatsTaken = id, uuid.NewString(), 0
		if x.RoomID != nil {
			if n, ok := roomMap[*x.RoomID]; ok {
				x.RoomID = &n
			} else {
				x.RoomID = nil
			}
		}
		if x.TrackID != nil {
			if n, ok := trackMap[*x.TrackID]; ok {
				x.TrackID = &n
			} else {
				x.TrackID = nil
			}
		}
		x.Room, x.Track = nil, nil
		if err := tx.Omit("Room", "Track").Create(&x).Error; err != nil {
			return err
		}
		ps.ID = x.ID
		for pos, sid := range ps.Speakers {
			if err := tx.Exec("INSERT INTO session_speakers (session_id, speaker_id, position) VALUES (?, ?, ?)", x.ID, speakerMap[sid], pos).Error; err != nil {
				return err
			}
		}
	}
	for i := range p.Categories {
		c := p.Categories[i].AwardCategory
		c.ID, c.SummitID = 0, id
		c.utc()
		if err := tx.Create(&c).Error; err != nil {
			return err
		}
		p.Categories[i].ID = c.ID
		for _, j := range p.Categories[i].Judges {
			if err := tx.Create(&AwardJudge{CategoryID: c.ID, PersonID: j.ID}).Error; err != nil {
				return err
			}
		}
	}
	if p.Window != nil {
		if err := tx.Exec("UPDATE summits SET registration_opens_at = ?, registration_closes_at = ? WHERE id = ?", p.Window.OpensAt.UTC(), p.Window.ClosesAt.UTC(), id).Error; err != nil {
			return err
		}
	}
	if err := p.writeSettings(tx, id); err != nil {
		return err
	}
	// Open commitments of the old edition go on in the new one.
	n, err := CarryOpenCommitments(tx, p.From.ID, id)
	if err != nil {
		return err
	}
	p.Commitments = n
	return tx.First(&p.To, id).Error
}

// CloneSummary counts what a plan creates, for a message.
func (p *ClonePlan) CloneSummary() string {
	var parts []string
	add := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, checklistPlural(n, one, many))
		}
	}
	add(len(p.Rooms), "room", "rooms")
	add(len(p.Tracks), "track", "tracks")
	add(len(p.Speakers), "speaker", "speakers")
	add(len(p.Sessions), "session", "sessions")
	add(len(p.Categories), "award category", "award categories")
	judges := 0
	for _, c := range p.Categories {
		judges += len(c.Judges)
	}
	add(judges, "judge", "judges")
	if p.Window != nil {
		parts = append(parts, "the registration window")
	}
	parts = append(parts, p.settingsSummary()...)
	add(p.Commitments, "open commitment carried over", "open commitments carried over")
	if len(parts) == 0 {
		return "nothing but the summit itself"
	}
	return strings.Join(parts, ", ")
}
