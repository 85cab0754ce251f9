package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Program is everything the printed program shows, read in one go
// (LoadProgram); package export writes it as a PDF.
type Program struct {
	Summit   *Summit
	Loc      *time.Location
	Tracks   []Track
	Sessions []Session
	Speakers []Speaker
	Awards   []AwardSummary
	Honorees []Honoree // empty before the announcement
	// Promised is "What we promised last year": the previous edition's
	// commitments with their last status (nil when there are none).
	Promised *Promises
	Now      time.Time
}

// LoadProgram reads a summit's program as it stands at now. Winners come only
// through Honorees, which returns none before the announcement.
func LoadProgram(ctx context.Context, db *gorm.DB, s *Summit, now time.Time) (*Program, error) {
	p := &Program{Summit: s, Loc: s.Location(), Now: now}
	var err error
	if p.Sessions, err = ListSessions(ctx, db, s, AgendaFilter{}); err != nil {
		return nil, err
	}
	if p.Tracks, err = ListTracks(ctx, db, s.ID); err != nil {
		return nil, fmt.Errorf("models: program tracks: %w", err)
	}
	if p.Speakers, err = ListSpeakers(ctx, db, s.ID); err != nil {
		return nil, fmt.Errorf("models: program speakers: %w", err)
	}
	if p.Awards, err = AwardSummaries(ctx, db, s.ID); err != nil {
		return nil, err
	}
	if p.Honorees, err = Honorees(ctx, db, s.ID, now); err != nil {
		return nil, err
	}
	if p.Promised, err = PromisedLastYear(ctx, db, s); err != nil {
		return nil, err
	}
	return p, nil
}
