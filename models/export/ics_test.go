package export_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"gorm.io/gorm"

	"summit/models"
	"summit/models/export"
	"summit/models/export/exporttest"
	"summit/models/modelstest"
)

// checkICSText checks the RFC 5545 framing: CRLF only, lines folded at 75
// octets.
func checkICSText(t *testing.T, raw string) {
	t.Helper()
	if !strings.HasPrefix(raw, "BEGIN:VCALENDAR\r\n") || !strings.HasSuffix(raw, "END:VCALENDAR\r\n") {
		t.Errorf("calendar framing: %q … %q", raw[:min(40, len(raw))], raw[max(0, len(raw)-40):])
	}
	if strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\n") || strings.Contains(strings.ReplaceAll(raw, "\r\n", ""), "\r") {
		t.Error("a line ends with a bare LF or CR")
	}
	folded := false
	for _, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line of %d octets: %q", len(line), line)
		}
		folded = folded || strings.HasPrefix(line, " ")
	}
	if !folded {
		t.Error("no folded line, though the long abstract needs folding")
	}
}

// The whole-summit calendar is valid iCalendar: it parses back, every
// session has its UUID as UID, times are right on both sides of the
// daylight-saving change, and commas, semicolons and new lines are escaped.
func TestSummitICS(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := exporttest.Build(t, db, 2027, false)
		list, err := models.ListSessions(ctx, db, f.Summit, models.AgendaFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := export.WriteSummitICS(&buf, f.Summit, list, "https://summit.example"); err != nil {
			t.Fatal(err)
		}
		raw := buf.String()
		checkICSText(t, raw)
		unfolded := strings.ReplaceAll(raw, "\r\n ", "")
		for _, w := range []string{`SUMMARY:Service\, strategy\; and "commas"\, too`, `Commas\, semicolons\; and\nnew lines`, "X-WR-TIMEZONE:Europe/Amsterdam",
			"BEGIN:VTIMEZONE\r\nTZID:Europe/Amsterdam\r\n", "DTSTART;TZID=Europe/Amsterdam:20270328T093000\r\n", "DTSTART;TZID=Europe/Amsterdam:20270327T090000\r\n"} {
			if !strings.Contains(unfolded, w) {
				t.Errorf("calendar lacks %q", w)
			}
		}
		cal, err := ics.ParseCalendar(strings.NewReader(raw))
		if err != nil {
			t.Fatalf("parse: %v", err)
		}
		events := map[string]*ics.VEvent{}
		for _, e := range cal.Events() {
			events[e.Id()] = e
		}
		if len(events) != len(list) {
			t.Fatalf("%d events for %d sessions", len(events), len(list))
		}
		ams, _ := time.LoadLocation("Europe/Amsterdam")
		for title, want := range map[string]time.Time{
			exporttest.TitleKeynote: time.Date(2027, 3, 27, 9, 0, 0, 0, ams),  // CET, UTC+1
			exporttest.TitleEmoji:   time.Date(2027, 3, 28, 9, 30, 0, 0, ams), // CEST, UTC+2
		} {
			s := f.Sessions[title]
			e := events[s.UUID]
			if e == nil {
				t.Fatalf("no event with UID %s (%s)", s.UUID, title)
			}
			got, err := e.GetStartAt()
			if err != nil || !got.Equal(want) {
				t.Errorf("%s starts %v (%v), want %v", title, got, err, want.UTC())
			}
			if got := e.GetProperty(ics.ComponentPropertySummary).Value; got != title {
				t.Errorf("summary %q, want %q", got, title)
			}
		}
		if got, _ := events[f.Sessions[exporttest.TitleEmoji].UUID].GetStartAt(); got.UTC().Hour() != 7 {
			t.Errorf("after the clocks change 09:30 Amsterdam is 07:30 UTC, got %v", got.UTC())
		}
		// Resolved through the VTIMEZONE in the file itself (not Go's zone
		// data), 09:30 on the day after the clocks go forward is 07:30Z and
		// 09:00 the day before is 08:00Z.
		for local, want := range map[string]string{"20270328T093000": "2027-03-28T07:30:00Z", "20270327T090000": "2027-03-27T08:00:00Z"} {
			if !strings.Contains(unfolded, "DTSTART;TZID=Europe/Amsterdam:"+local) {
				t.Errorf("no event starts at %s local", local)
			}
			if got := resolveLocal(t, unfolded, "Europe/Amsterdam", local); got.Format(time.RFC3339) != want {
				t.Errorf("%s Amsterdam through the VTIMEZONE is %s, want %s", local, got.Format(time.RFC3339), want)
			}
		}
		if regexp.MustCompile(`(?m)^DT(START|END):\d{8}T\d{6}Z`).MatchString(unfolded) {
			t.Error("an event time is in UTC though the zone has a VTIMEZONE")
		}
		// The same session gets the same UID in the next export.
		var again bytes.Buffer
		_ = export.WriteSummitICS(&again, f.Summit, list, "https://summit.example")
		if again.String() != raw {
			t.Error("two exports of an unchanged summit differ")
		}
	})
}

// resolveLocal turns a local time of zone tzid into an instant using only the
// VTIMEZONE in an unfolded calendar: the observance in force is the one with
// the latest onset (its DTSTART read in its TZOFFSETFROM) at or before the
// time, and the time is read in that observance's TZOFFSETTO.
func resolveLocal(t *testing.T, cal, tzid, local string) time.Time {
	t.Helper()
	start := strings.Index(cal, "BEGIN:VTIMEZONE\r\nTZID:"+tzid+"\r\n")
	if start < 0 {
		t.Fatalf("no VTIMEZONE for %s", tzid)
	}
	block := cal[start:]
	block = block[:strings.Index(block, "END:VTIMEZONE")]
	offset := func(v string) time.Duration {
		d, err := time.ParseDuration(v[1:3] + "h" + v[3:5] + "m")
		if err != nil {
			t.Fatalf("offset %q: %v", v, err)
		}
		if v[0] == '-' {
			d = -d
		}
		return d
	}
	type obs struct {
		onset time.Time
		to    time.Duration
	}
	var list []obs
	for _, part := range strings.Split(block, "BEGIN:")[1:] {
		if !strings.HasPrefix(part, "STANDARD") && !strings.HasPrefix(part, "DAYLIGHT") {
			continue
		}
		props := map[string]string{}
		for _, line := range strings.Split(part, "\r\n") {
			if k, v, ok := strings.Cut(line, ":"); ok {
				props[k] = v
			}
		}
		at, err := time.Parse("20060102T150405", props["DTSTART"])
		if err != nil {
			t.Fatalf("observance DTSTART %q: %v", props["DTSTART"], err)
		}
		list = append(list, obs{onset: at.Add(-offset(props["TZOFFSETFROM"])), to: offset(props["TZOFFSETTO"])})
	}
	wall, err := time.Parse("20060102T150405", local)
	if err != nil {
		t.Fatal(err)
	}
	var best *obs
	for i := range list {
		o := &list[i]
		if !wall.Add(-o.to).Before(o.onset) && (best == nil || o.onset.After(best.onset)) {
			best = o
		}
	}
	if best == nil {
		t.Fatalf("no observance of %s covers %s", tzid, local)
	}
	return wall.Add(-best.to).UTC()
}

// A summit in UTC needs no VTIMEZONE: its events are written with Z.
func TestICSInUTCHasNoTimezone(t *testing.T) {
	s := &models.Summit{ID: 1, Title: "UTC summit", TimeZone: "UTC", StartDate: "2027-06-01", EndDate: "2027-06-01"}
	at := time.Date(2027, 6, 1, 9, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	if err := export.WriteSummitICS(&buf, s, []models.Session{{ID: 1, UUID: "u-1", Title: "Morning", StartsAt: at, EndsAt: at.Add(time.Hour)}}, ""); err != nil {
		t.Fatal(err)
	}
	raw := buf.String()
	if strings.Contains(raw, "VTIMEZONE") || !strings.Contains(raw, "DTSTART:20270601T090000Z\r\n") || !strings.Contains(raw, "DTEND:20270601T100000Z\r\n") {
		t.Errorf("UTC calendar:\n%s", raw)
	}
}

// The VTIMEZONE lists the real transitions: Amsterdam goes to CEST on the
// last Sunday of March at 02:00 local and back at 03:00 in October.
func TestVTimezoneTransitions(t *testing.T) {
	ams, _ := time.LoadLocation("Europe/Amsterdam")
	cal := ics.NewCalendar()
	cal.AddVTimezone(export.VTimezone(ams, time.Date(2027, 1, 1, 0, 0, 0, 0, ams), time.Date(2028, 1, 1, 0, 0, 0, 0, ams)))
	raw := strings.ReplaceAll(cal.Serialize(ics.WithNewLineWindows), "\r\n", "\n")
	for _, w := range []string{
		"BEGIN:STANDARD\nDTSTART:20261025T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nEND:STANDARD",
		"BEGIN:DAYLIGHT\nDTSTART:20270328T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nTZNAME:CEST\nEND:DAYLIGHT",
		"BEGIN:STANDARD\nDTSTART:20271031T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nTZNAME:CET\nEND:STANDARD",
	} {
		if !strings.Contains(raw, w) {
			t.Errorf("VTIMEZONE lacks\n%s\ngot\n%s", w, raw)
		}
	}
	// A zone without daylight saving has one observance.
	kol, _ := time.LoadLocation("Asia/Kolkata")
	one := export.VTimezone(kol, time.Date(2027, 1, 1, 0, 0, 0, 0, kol), time.Date(2029, 1, 1, 0, 0, 0, 0, kol))
	if n := len(one.Components); n != 1 {
		t.Errorf("Kolkata: %d observances, want 1", n)
	}
}

// Southern hemisphere: Sydney leaves daylight saving on the first Sunday of
// April, so 10:00 the day before is 23:00Z and 10:00 that day is 00:00Z —
// read through the emitted VTIMEZONE.
func TestICSSydneyThroughVTimezone(t *testing.T) {
	s := &models.Summit{ID: 1, Title: "Sydney summit", TimeZone: "Australia/Sydney", StartDate: "2027-04-03", EndDate: "2027-04-04"}
	loc := s.Location()
	mk := func(id uint, day int) models.Session {
		at := time.Date(2027, 4, day, 10, 0, 0, 0, loc)
		return models.Session{ID: id, UUID: fmt.Sprintf("u-%d", id), Title: "Morning", StartsAt: at.UTC(), EndsAt: at.Add(time.Hour).UTC()}
	}
	var buf bytes.Buffer
	if err := export.WriteSummitICS(&buf, s, []models.Session{mk(1, 3), mk(2, 4)}, ""); err != nil {
		t.Fatal(err)
	}
	raw := strings.ReplaceAll(buf.String(), "\r\n ", "")
	for local, want := range map[string]string{"20270403T100000": "2027-04-02T23:00:00Z", "20270404T100000": "2027-04-04T00:00:00Z"} {
		if !strings.Contains(raw, "DTSTART;TZID=Australia/Sydney:"+local+"\r\n") {
			t.Errorf("no event at %s Sydney time", local)
		}
		if got := resolveLocal(t, raw, "Australia/Sydney", local); got.Format(time.RFC3339) != want {
			t.Errorf("%s Sydney is %s through the VTIMEZONE, want %s", local, got.Format(time.RFC3339), want)
		}
	}
	if _, err := ics.ParseCalendar(strings.NewReader(buf.String())); err != nil {
		t.Fatal(err)
	}
}
