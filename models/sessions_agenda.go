package models

// Reading the agenda: one session, a summit's sessions in order with their
// speakers, filtered by track and day.

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// GetSession loads one session of a summit with its room, track and speakers.
func GetSession(ctx context.Context, db *gorm.DB, summitID, id uint) (*Session, error) {
	var s Session
	if err := withCtx(ctx, db).Preload("Room").Preload("Track").Where("summit_id = ?", summitID).First(&s, id).Error; err != nil {
		return nil, notFound(err)
	}
	list := []Session{s}
	if err := attachSpeakers(ctx, db, list); err != nil {
		return nil, err
	}
	return &list[0], nil
}

// AgendaFilter narrows the agenda.
type AgendaFilter struct {
	TrackID uint   // 0: every track
	Day     string // "": every day (YYYY-MM-DD in the summit's zone)
	// Unscheduled also lists the sessions not on the timetable (organisers'
	// pages); the public agenda, exports and registrations never do.
	Unscheduled bool
}

// ListSessions returns a summit's sessions in time order (then room order),
// with rooms, tracks and speakers loaded.
func ListSessions(ctx context.Context, db *gorm.DB, summit *Summit, f AgendaFilter) ([]Session, error) {
	q := withCtx(ctx, db).Preload("Room").Preload("Track").Where("sessions.summit_id = ?", summit.ID)
	if !f.Unscheduled {
		q = q.Where("sessions.unscheduled = ?", false)
	}
	if f.TrackID != 0 {
		q = q.Where("track_id = ?", f.TrackID)
	}
	if f.Day != "" {
		d, err := time.ParseInLocation(DateLayout, f.Day, summit.Location())
		if err == nil {
			q = q.Where("starts_at >= ? AND starts_at < ?", d.UTC(), d.AddDate(0, 0, 1).UTC())
		}
	}
	var out []Session
	if err := q.Order("starts_at, ends_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list sessions: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].StartsAt.Equal(out[j].StartsAt) {
			return out[i].StartsAt.Before(out[j].StartsAt)
		}
		return roomPos(&out[i]) < roomPos(&out[j])
	})
	if err := attachSpeakers(ctx, db, out); err != nil {
		return nil, err
	}
	return out, nil
}

func roomPos(s *Session) int {
	if s.Room == nil {
		return 1 << 30
	}
	return s.Room.Position
}

func attachSpeakers(ctx context.Context, db *gorm.DB, list []Session) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]uint, len(list))
	idx := map[uint]int{}
	for i := range list {
		ids[i] = list[i].ID
		idx[list[i].ID] = i
	}
	type row struct {
		SessionID uint
		Speaker
	}
	var rows []row
	err := withCtx(ctx, db).Table("session_speakers ss").
		Select("ss.session_id, speakers.*, COALESCE(people.department, '') AS department").
		Joins("JOIN speakers ON speakers.id = ss.speaker_id").
		Joins("LEFT JOIN people ON people.id = speakers.person_id").
		Where("ss.session_id IN ?", ids).Order("ss.session_id, ss.position").Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("models: load speakers: %w", err)
	}
	for _, r := range rows {
		i := idx[r.SessionID]
		list[i].Speakers = append(list[i].Speakers, r.Speaker)
	}
	return nil
}
