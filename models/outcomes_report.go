package models

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"
)

// SummitReport is everything the summit report for leadership shows: every
// measure up to and including this edition, the feedback results (only above
// the threshold), and how far recognition reached. It names no one but
// speakers of the best-rated sessions.
type SummitReport struct {
	Summit   *Summit
	Previous *Summit // nil for the first edition
	Figures  *EditionFigures
	Feedback *FeedbackResults
	Coverage *Coverage
	Now      time.Time
}

// Index is where this edition sits in Figures.Editions (its last one).
func (r *SummitReport) Index() int { return len(r.Figures.Editions) - 1 }

// LoadSummitReport gathers the report of one edition as it stands at now.
func LoadSummitReport(ctx context.Context, db *gorm.DB, s *Summit, now time.Time) (*SummitReport, error) {
	r := &SummitReport{Summit: s, Now: now}
	prev, err := PreviousEdition(ctx, db, s)
	switch {
	case err == nil:
		r.Previous = prev
	case !errors.Is(err, ErrNotFound):
		return nil, err
	}
	// The editions held by this one's start, then this one (even before it
	// is held, or while a draft).
	all, err := ListEditions(ctx, db, s.Start())
	if err != nil {
		return nil, err
	}
	var upTo []Summit
	for _, e := range all {
		if e.ID != s.ID && (e.StartDate < s.StartDate || (e.StartDate == s.StartDate && e.ID < s.ID)) {
			upTo = append(upTo, e)
		}
	}
	upTo = append(upTo, *s)
	if r.Figures, err = YearOverYear(ctx, db, upTo, false); err != nil {
		return nil, err
	}
	if r.Feedback, err = GetFeedbackResults(ctx, db, s); err != nil {
		return nil, err
	}
	if r.Coverage, err = AwardCoverage(ctx, db, s.ID); err != nil {
		return nil, err
	}
	return r, nil
}
