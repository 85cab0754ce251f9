package export_test

import (
	"bytes"
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
		for _, w := range []string{`SUMMARY:Service\, strategy\; and "commas"\, too`, `Commas\, semicolons\; and\nnew lines`, "X-WR-TIMEZONE:Europe/Amsterdam"} {
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
		// The same session gets the same UID in the next export.
		var again bytes.Buffer
		_ = export.WriteSummitICS(&again, f.Summit, list, "https://summit.example")
		if again.String() != raw {
			t.Error("two exports of an unchanged summit differ")
		}
	})
}
