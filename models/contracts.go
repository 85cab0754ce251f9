package models

// This file holds the small functions that one feature offers another
// (exports read registrations and winners through them). Each feature keeps
// its own implementation in its own file; what is here is the fallback used
// until that feature lands.

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// AgendaEntry is one session on a person's agenda, with their standing.
type AgendaEntry struct {
	Session Session
	// Status: "plenary" (no registration needed), "confirmed", or "waitlisted".
	Status string
	// Position in the waitlist (1-based) when waitlisted.
	Position int
}

// Honoree is an announced award winner, safe to show publicly.
type Honoree struct {
	PersonName string
	Department string
	AwardName  string
	Trait      string
	Quote      string // the quotable part of the story, only when the nominator allowed it
	Announced  time.Time
}

// AwardSummary is what the public may know of an award category before the
// announcement: its name, trait and when winners are announced. Never winners.
type AwardSummary struct {
	Name        string
	Trait       string
	Description string
	AnnounceAt  time.Time
}

// Honorees returns the winners of a summit whose announcement moment is at
// or before now; before it, nothing. Fallback until awards land: none.
func Honorees(ctx context.Context, db *gorm.DB, summitID uint, now time.Time) ([]Honoree, error) {
	return nil, nil
}

// AwardSummaries lists a summit's award categories as the public may see
// them. Fallback until awards land: none.
func AwardSummaries(ctx context.Context, db *gorm.DB, summitID uint) ([]AwardSummary, error) {
	return nil, nil
}
