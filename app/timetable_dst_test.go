package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
)

// dstWorld is a draft summit in Europe/Berlin over the night the clocks go
// back (Sunday 31 October 2027: 03:00 CEST → 02:00 CET, at 01:00 UTC), with
// two rooms, "Night watch" 01:30–02:30 CEST and "Early briefing" 04:00–05:00
// CET, both in the night hall.
type dstWorld struct {
	summit       *models.Summit
	hall, studio *models.Room
	night, early *models.Session
}

const dstDay = "2027-10-31"

func newDSTWorld(t *testing.T, db *gorm.DB) *dstWorld {
	t.Helper()
	sys := models.ActorOf(nil, "")
	s, err := models.CreateSummit(ctx, db, sys, models.SummitInput{Title: "Night Summit 2027", StartDate: "2027-10-30", EndDate: dstDay, TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	w := &dstWorld{summit: s}
	if w.hall, err = models.CreateRoom(ctx, db, sys, s.ID, models.RoomInput{Name: "Night Hall", Capacity: "50"}); err != nil {
		t.Fatal(err)
	}
	if w.studio, err = models.CreateRoom(ctx, db, sys, s.ID, models.RoomInput{Name: "Dawn Studio", Capacity: "20"}); err != nil {
		t.Fatal(err)
	}
	add := func(title, start, end string) *models.Session {
		res, err := models.SaveSession(ctx, db, sys, s.ID, 0, models.SessionInput{Title: title, Kind: models.KindSocial, RoomID: itoa(w.hall.ID),
			Day: dstDay, StartTime: start, EndTime: end}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return res.Session
	}
	w.night, w.early = add("Night watch", "01:30", "02:30"), add("Early briefing", "04:00", "05:00")
	return w
}

func (w *dstWorld) movePath(id uint) string {
	return fmt.Sprintf("/organise/summits/%d/sessions/%d/move", w.summit.ID, id)
}

// stored is a session's times as "15:04 MST–15:04 MST" in Berlin, and its room.
func (w *dstWorld) stored(t *testing.T, db *gorm.DB, id uint) (room, when string) {
	t.Helper()
	s, err := models.GetSession(ctx, db, w.summit.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Room != nil {
		room = s.Room.Name
	}
	loc := w.summit.Location()
	return room, s.StartsAt.In(loc).Format("15:04 MST") + "–" + s.EndsAt.In(loc).Format("15:04 MST")
}

// TestTimetableEditorOnTheNightTheClocksGoBack: the editor's grid runs in
// real time and says so (the hour from 02:00 is labelled twice, CEST then
// CET), each tile carries its start in real minutes from the grid's first
// instant, and a move posted as instants lands in the second 02:30.
func TestTimetableEditorOnTheNightTheClocksGoBack(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDSTWorld(t, ta.DB)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		page := org.get(fmt.Sprintf("/organise/summits/%d/timetable?day=%s", w.summit.ID, dstDay)).Body
		// The grid starts at 01:30 CEST (23:30 UTC); the briefing at 04:00 CET
		// (03:00 UTC) is 210 real minutes later, not 150.
		for _, want := range []string{`data-shift="1"`, `data-tz="Europe/Berlin"`, fmt.Sprintf(`data-from="%d"`, time.Date(2027, 10, 30, 23, 30, 0, 0, time.UTC).UnixMilli()),
			`data-at="210" data-len="60"`, `data-at="0" data-len="60"`, ">02:00 CEST<", ">02:00 CET<", ">02:30 CEST<", ">02:30 CET<", "04:00 CET–05:00 CET"} {
			if !strings.Contains(page, want) {
				t.Errorf("the editor lacks %s", want)
			}
		}
		if t.Failed() {
			t.Fatal(page)
		}
		code, a := moveJSON(t, org, w.movePath(w.night.ID), url.Values{"version": {"1"}, "room_id": {itoa(w.studio.ID)},
			"starts_at": {"2027-10-31T01:30:00.000Z"}, "ends_at": {"2027-10-31T02:30:00.000Z"}})
		if msg, _ := a["message"].(string); code != http.StatusOK || msg != "Saved: “Night watch” is in Dawn Studio, Sun 31 Oct 02:30 CET–03:30 CET." {
			t.Fatalf("move into the second 02:30: %d %v", code, a)
		}
		if room, when := w.stored(t, ta.DB, w.night.ID); room != "Dawn Studio" || when != "02:30 CET–03:30 CET" {
			t.Fatalf("stored: %s %s", room, when)
		}
		// A day without a change keeps its plain labels.
		if other := org.get(fmt.Sprintf("/organise/summits/%d/timetable?day=2027-10-30", w.summit.ID)).Body; strings.Contains(other, "data-shift") || strings.Contains(other, " CET<") {
			t.Error("Saturday's grid names a zone")
		}
		code, a = moveJSON(t, org, w.movePath(w.early.ID), url.Values{"version": {"1"}, "room_id": {itoa(w.hall.ID)}, "starts_at": {"soon"}, "ends_at": {"later"}})
		if msg, _ := a["error"].(string); code != http.StatusUnprocessableEntity || !strings.Contains(msg, "could not be read") {
			t.Fatalf("unreadable times: %d %v", code, a)
		}
	})
}
