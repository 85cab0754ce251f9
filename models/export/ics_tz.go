package export

import (
	"fmt"
	"sort"
	"time"

	ics "github.com/arran4/golang-ical"
)

// icalLocal is an iCalendar local date-time (no Z): read in the zone named by
// the property's TZID.
const icalLocal = "20060102T150405"

// setTime writes DTSTART or DTEND as a local time of loc with TZID when the
// calendar carries a VTIMEZONE for loc, else in UTC (with Z).
func setTime(ev *ics.VEvent, prop ics.ComponentProperty, t time.Time, loc *time.Location, zones map[string]bool) {
	if loc != nil && zones[loc.String()] {
		ev.SetProperty(prop, t.In(loc).Format(icalLocal), ics.WithTZID(loc.String()))
		return
	}
	ev.SetProperty(prop, t.UTC().Format("20060102T150405Z"))
}

// addTimezones adds a VTIMEZONE for every summit zone the items use and
// returns the zones it added. Each VTIMEZONE lists the zone's actual
// transitions (from Go's time zone data) from the start of the year of the
// first session to the end of the year after the last one, so no RRULE is
// needed. UTC, and zones Go cannot name, get no VTIMEZONE: their events are
// written in UTC.
func addTimezones(cal *ics.Calendar, items []CalendarItem) map[string]bool {
	type span struct {
		loc      *time.Location
		from, to time.Time
	}
	spans := map[string]*span{}
	var names []string
	for i := range items {
		loc := items[i].Summit.Location()
		name := loc.String()
		if name == "" || name == "UTC" || name == "Local" {
			continue
		}
		a, b := items[i].Session.StartsAt, items[i].Session.EndsAt
		sp := spans[name]
		if sp == nil {
			sp = &span{loc: loc, from: a, to: b}
			spans[name] = sp
			names = append(names, name)
		}
		if a.Before(sp.from) {
			sp.from = a
		}
		if b.After(sp.to) {
			sp.to = b
		}
	}
	sort.Strings(names)
	zones := map[string]bool{}
	for _, name := range names {
		sp := spans[name]
		from := time.Date(sp.from.In(sp.loc).Year(), 1, 1, 0, 0, 0, 0, sp.loc)
		to := time.Date(sp.to.In(sp.loc).Year()+2, 1, 1, 0, 0, 0, 0, sp.loc)
		cal.AddVTimezone(VTimezone(sp.loc, from, to))
		zones[name] = true
	}
	return zones
}

// VTimezone describes loc between from and to as an RFC 5545 VTIMEZONE: one
// STANDARD or DAYLIGHT observance for the period in force at from, then one
// per transition before to, each with the local onset time (in the offset
// before the change), TZOFFSETFROM, TZOFFSETTO and TZNAME.
func VTimezone(loc *time.Location, from, to time.Time) *ics.VTimezone {
	tz := ics.NewTimezone(loc.String())
	t := from
	// The offset before the first period: the zone just before it began.
	start, end := t.ZoneBounds()
	prevOff := offsetOf(t)
	onset := t
	if !start.IsZero() {
		prevOff = offsetOf(start.Add(-time.Second))
		onset = start
	}
	for i := 0; i < 1000; i++ { // bounded: a zone changes a few times a year
		name, off := t.Zone()
		addObservance(tz, t.IsDST(), name, onset, prevOff, off)
		if end.IsZero() || !end.Before(to) {
			break
		}
		prevOff, t = off, end
		onset = end
		_, end = t.ZoneBounds()
	}
	return tz
}

func offsetOf(t time.Time) int {
	_, off := t.Zone()
	return off
}

func addObservance(tz *ics.VTimezone, dst bool, name string, onset time.Time, fromOff, toOff int) {
	cb := ics.ComponentBase{}
	// DTSTART is the onset as a local time in the offset in force before it.
	cb.SetProperty(ics.ComponentPropertyDtStart, onset.In(time.FixedZone("", fromOff)).Format(icalLocal))
	cb.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(fromOff))
	cb.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(toOff))
	if name != "" {
		cb.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	}
	if dst {
		tz.Components = append(tz.Components, &ics.Daylight{ComponentBase: cb})
	} else {
		tz.Components = append(tz.Components, &ics.Standard{ComponentBase: cb})
	}
}

// utcOffset writes seconds east of UTC as iCalendar's ±hhmm (±hhmmss when
// the offset has seconds).
func utcOffset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	h, m, s := sec/3600, sec/60%60, sec%60
	if s != 0 {
		return fmt.Sprintf("%s%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%s%02d%02d", sign, h, m)
}
