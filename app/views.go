package app

import (
	"time"

	"summit/models"
)

// SummitView is what the view of every summit page starts with: the summit
// and its time zone, in which the page shows times. Views embed it, so
// templates and hooks read .Summit and .Loc alike on every page, and the
// zone is looked up in one place.
type SummitView struct {
	Summit *models.Summit
	Loc    *time.Location
}

// summitView is the SummitView of s.
func summitView(s *models.Summit) SummitView { return SummitView{Summit: s, Loc: s.Location()} }
