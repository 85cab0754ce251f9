package models

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// This file holds the time vocabulary every feature shares: parsing a day
// and time typed in a summit's time zone, the state of a window (registration,
// nominations, feedback) and how an instant is written for people.

// The ways a typed day and time can be wrong. LocalTime's errors wrap one of
// them (test with errors.Is); their text is written for people, so callers
// may show it after a label ("Start " + err.Error()).
var (
	ErrBadDay      = errors.New("day must be a date like 2027-03-11")
	ErrBadTime     = errors.New("time must be written like 09:30")
	ErrSkippedTime = errors.New("time does not exist on that day")
)

// localTimeError keeps a message for people while wrapping its kind.
type localTimeError struct {
	kind error
	msg  string
}

func (e localTimeError) Error() string { return e.msg }
func (e localTimeError) Unwrap() error { return e.kind }

// LocalTime turns a day and an HH:MM time in loc into an instant, refusing
// times that do not exist on that day (the hour skipped when clocks go
// forward). A time that happens twice (the hour repeated when clocks go
// back) is its first happening: Go's time.Date leaves the choice open.
// Its errors wrap ErrBadDay, ErrBadTime or ErrSkippedTime.
func LocalTime(loc *time.Location, day, hhmm string) (time.Time, error) {
	d, err := time.Parse(DateLayout, strings.TrimSpace(day))
	if err != nil {
		return time.Time{}, ErrBadDay
	}
	hm := strings.TrimSpace(hhmm)
	t, err := time.Parse("15:04", hm)
	if err != nil {
		return time.Time{}, ErrBadTime
	}
	at := time.Date(d.Year(), d.Month(), d.Day(), t.Hour(), t.Minute(), 0, 0, loc)
	if at.Hour() != t.Hour() || at.Minute() != t.Minute() {
		return time.Time{}, localTimeError{ErrSkippedTime, fmt.Sprintf("%s does not exist on %s in %s (the clocks change that night)", hm, d.Format(DateLayout), loc)}
	}
	return firstHappening(at), nil
}

// firstHappening is the earlier instant with at's wall-clock time, when
// the clocks went back shortly before at (so that time happened twice).
func firstHappening(at time.Time) time.Time {
	_, now := at.Zone()
	_, before := at.Add(-3 * time.Hour).Zone()
	if before <= now {
		return at
	}
	if e := at.Add(-time.Duration(before-now) * time.Second); e.Hour() == at.Hour() && e.Minute() == at.Minute() && e.Day() == at.Day() {
		return e
	}
	return at
}

// momentField names the two form fields of a day-and-time pair and how the
// messages about it read.
type momentField struct {
	Day, Time   string // form field names, e.g. "opens_day", "opens_time"
	Label       string // what the moment is called, e.g. "Nominations open"
	ExampleDay  string // shown in messages; "2027-02-01" when empty
	ExampleTime string // shown in messages; "09:00" when empty
}

// parse reads the pair in loc and returns it in UTC, or nil with the problem
// recorded in f next to the field that is wrong. Both fields empty is nil
// without a problem unless required.
func (m momentField) parse(f FieldErrors, loc *time.Location, day, hhmm string, required bool) *time.Time {
	exDay, exTime := m.ExampleDay, m.ExampleTime
	if exDay == "" {
		exDay = "2027-02-01"
	}
	if exTime == "" {
		exTime = "09:00"
	}
	switch {
	case strings.TrimSpace(day) == "" && strings.TrimSpace(hhmm) == "" && !required:
		return nil
	case strings.TrimSpace(day) == "":
		f.Add(m.Day, m.Label+" day is required, a date like "+exDay+".")
		return nil
	case strings.TrimSpace(hhmm) == "":
		f.Add(m.Time, m.Label+" time is required, written like "+exTime+".")
		return nil
	}
	t, err := LocalTime(loc, day, hhmm)
	if errors.Is(err, ErrBadDay) {
		f.Add(m.Day, m.Label+" day must be a date like "+exDay+".")
		return nil
	}
	if err != nil {
		f.Add(m.Time, m.Label+" "+err.Error()+".")
		return nil
	}
	u := t.UTC()
	return &u
}

// WindowState says where a moment falls in a window that opens and closes
// (registration, nominations): unset, not open yet, open or closed.
type WindowState string

// Window states.
const (
	WindowUnset   WindowState = "unset"
	WindowNotOpen WindowState = "not_open"
	WindowOpen    WindowState = "open"
	WindowClosed  WindowState = "closed"
)

// fmtInstant writes an instant for people, in the summit's time zone and
// naming it: "Mon 2 Jan 2027 at 09:30 (Europe/Berlin)".
func fmtInstant(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 2006 at 15:04") + " (" + loc.String() + ")"
}
