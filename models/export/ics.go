package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"summit/models"
)

// CalendarItem is one session in a calendar feed, with the person's standing
// for personal feeds ("" for the public feed, else "plenary", "confirmed" or
// "waitlisted").
type CalendarItem struct {
	Summit   *models.Summit
	Session  models.Session
	Status   models.RegStatus
	Position int
}

// newCalendar starts an RFC 5545 calendar. Event times are written as local
// times of the summit's zone (DTSTART;TZID=Europe/Amsterdam:…) with a
// VTIMEZONE that spells out that zone's offsets (see addTimezones), so apps
// show the summit's own clock; X-WR-TIMEZONE names the zone for apps that
// want a default.
func newCalendar(name, tz string) *ics.Calendar {
	cal := ics.NewCalendarFor("Summit")
	cal.SetProductId("-//Summit//Service Summit exports//EN")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName(name)
	cal.SetXWRCalName(name)
	if tz != "" {
		cal.SetXWRTimezone(tz)
	}
	cal.SetRefreshInterval("PT1H", ics.WithValue("DURATION"))
	cal.SetXPublishedTTL("PT1H")
	return cal
}

func addEvent(cal *ics.Calendar, it *CalendarItem, base string, zones map[string]bool) {
	s, x := it.Summit, &it.Session
	ev := cal.AddEvent(x.UUID)
	stamp := x.UpdatedAt.UTC()
	if stamp.IsZero() {
		stamp = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	ev.SetDtStampTime(stamp)
	ev.SetLastModifiedAt(stamp)
	setTime(ev, ics.ComponentPropertyDtStart, x.StartsAt, s.Location(), zones)
	setTime(ev, ics.ComponentPropertyDtEnd, x.EndsAt, s.Location(), zones)
	summary := models.OneLine(x.Title)
	status := ics.ObjectStatusConfirmed
	note := ""
	switch it.Status {
	case models.RegConfirmed:
		note = "Your seat is confirmed."
	case models.AgendaSpeaker:
		summary = "You speak: " + summary
		note = "You speak in this session."
	case models.RegWaitlisted:
		summary = fmt.Sprintf("Waitlist (%s): %s", models.Ordinal(it.Position)+" in line", summary)
		status = ics.ObjectStatusTentative
		note = "You are " + models.Ordinal(it.Position) + " in line on the waitlist."
	}
	ev.SetSummary(summary)
	ev.SetStatus(status)
	ev.SetDescription(eventDescription(s, x, note))
	if where := eventLocation(s, x); where != "" {
		ev.SetLocation(where)
	}
	if x.Track != nil {
		ev.AddCategory(models.OneLine(x.Track.Name))
	}
	if base != "" {
		ev.SetURL(fmt.Sprintf("%s/summits/%d/sessions/%d", strings.TrimRight(base, "/"), s.ID, x.ID))
	}
}

// eventDescription is the text of a session's calendar entry: the abstract,
// the speakers, a note about the person's seat (may be empty) and the
// summit's title, in paragraphs. Line ends are LF only (a browser's CRLF
// would leave a bare CR in the DESCRIPTION); one-line values stay on one line.
func eventDescription(s *models.Summit, x *models.Session, note string) string {
	var desc []string
	if a := strings.TrimSpace(models.NormalizeLineEnds(x.Abstract)); a != "" {
		desc = append(desc, a)
	}
	if names := models.OneLine(speakerNames(x)); names != "" {
		desc = append(desc, "With "+names)
	}
	if note != "" {
		desc = append(desc, note)
	}
	desc = append(desc, models.OneLine(s.Title))
	return strings.Join(desc, "\n\n")
}

// eventLocation is where a session happens: its room and the venue.
func eventLocation(s *models.Summit, x *models.Session) string {
	var where []string
	if x.Room != nil {
		where = append(where, models.OneLine(x.Room.Name))
	}
	if v := models.OneLine(s.Venue); v != "" {
		where = append(where, v)
	}
	return strings.Join(where, ", ")
}

// EventText is what a calendar shows for one session: its title, its
// description and its place. The session page's "Add to Google Calendar"
// and "Outlook" links carry the same text as its .ics file.
func EventText(s *models.Summit, x *models.Session) (title, description, location string) {
	return models.OneLine(x.Title), eventDescription(s, x, ""), eventLocation(s, x)
}

func writeCalendar(w io.Writer, cal *ics.Calendar) error {
	if err := cal.SerializeTo(w, ics.WithNewLineWindows); err != nil {
		return fmt.Errorf("export: write calendar: %w", err)
	}
	return nil
}

// WriteSummitICS writes a whole published summit as an iCalendar file.
func WriteSummitICS(w io.Writer, s *models.Summit, sessions []models.Session, base string) error {
	cal := newCalendar(models.OneLine(s.Title), s.TimeZone)
	cal.SetDescription(models.OneLine(s.Theme))
	items := make([]CalendarItem, len(sessions))
	for i := range sessions {
		items[i] = CalendarItem{Summit: s, Session: sessions[i]}
	}
	zones := addTimezones(cal, items)
	for i := range items {
		addEvent(cal, &items[i], base, zones)
	}
	return writeCalendar(w, cal)
}

// WritePersonalICS writes a person's agenda (seats, waitlist places and
// plenary sessions, possibly of several summits) as an iCalendar feed.
func WritePersonalICS(w io.Writer, name string, items []CalendarItem, base string) error {
	tz := ""
	if len(items) > 0 {
		tz = items[0].Summit.TimeZone
	}
	cal := newCalendar("Service Summit — "+models.OneLine(name), tz)
	zones := addTimezones(cal, items)
	for i := range items {
		addEvent(cal, &items[i], base, zones)
	}
	return writeCalendar(w, cal)
}

// WriteSessionICS writes one session as an iCalendar file for "Add to
// calendar": the event with its zone, and no calendar name or refresh
// interval, so apps add the event instead of offering a new subscription.
func WriteSessionICS(w io.Writer, s *models.Summit, x *models.Session, base string) error {
	cal := ics.NewCalendarFor("Summit")
	cal.SetProductId("-//Summit//Service Summit exports//EN")
	cal.SetCalscale("GREGORIAN")
	cal.SetMethod(ics.MethodPublish)
	items := []CalendarItem{{Summit: s, Session: *x}}
	zones := addTimezones(cal, items)
	addEvent(cal, &items[0], base, zones)
	return writeCalendar(w, cal)
}
