package models

// This file holds the small functions that one feature offers another
// (exports read registrations and winners through them). Each feature keeps
// its own implementation in its own file; what is here is the fallback used
// until that feature lands.

import "time"

// AgendaEntry is one session on a person's agenda, with their standing.
type AgendaEntry struct {
	Session Session
	// Status: "plenary" (no registration needed), "confirmed", "waitlisted",
	// or "speaker" (AgendaSpeaker: the person speaks in it).
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

// Honorees and AwardSummaries are implemented in awards.go.
