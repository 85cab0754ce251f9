package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// TestTimetableSessionFormAddsOneNotScheduled: an organiser adds a session
// "not on the timetable yet" with the session form, giving only its length;
// a bad or missing length is refused next to the field with the input kept;
// the session lands in the editor's side list, takes no registration, and
// its form shows the choice ticked and no day or times.
func TestTimetableSessionFormAddsOneNotScheduled(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newTTWorld(t, ta.DB)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		newForm := fmt.Sprintf("/organise/summits/%d/sessions/new", w.summit.ID)
		if res := org.get(newForm); !strings.Contains(res.Body, `id="f-unscheduled"`) || !strings.Contains(res.Body, `id="f-length"`) {
			t.Fatalf("the form has no choice or length: %s", text(res.Body))
		}
		form := url.Values{"title": {"Listening lab"}, "kind": {"training"}, "unscheduled": {"1"}, "length": {"an hour"},
			"capacity": {"12"}, "room_id": {itoa(w.hall.ID)}, "day": {""}, "start_time": {""}, "end_time": {""}}
		res := org.post(newForm, form)
		refused(t, res, map[string]string{"length": "whole number"}, map[string]string{"title": "Listening lab", "length": "an hour", "capacity": "12"})
		if !strings.Contains(res.Body, `name="unscheduled" value="1" checked`) {
			t.Error("the ticked choice was not kept")
		}
		form.Set("length", "")
		refused(t, org.post(newForm, form), map[string]string{"length": "Give the session's length in minutes"}, map[string]string{"title": "Listening lab"})
		form.Set("length", "721")
		refused(t, org.post(newForm, form), map[string]string{"length": "between 5 and 720"}, map[string]string{"length": "721"})

		form.Set("length", "50")
		if res := org.post(newForm, form); res.Code != http.StatusSeeOther {
			t.Fatalf("saving: %d %s", res.Code, text(res.Body))
		}
		all, err := models.ListSessions(ctx, ta.DB, w.summit, models.AgendaFilter{Unscheduled: true})
		if err != nil {
			t.Fatal(err)
		}
		var made *models.Session
		for i := range all {
			if all[i].Title == "Listening lab" {
				made = &all[i]
			}
		}
		if made == nil || !made.Unscheduled || made.RoomID != nil || made.Duration() != 50*time.Minute {
			t.Fatalf("saved: %+v", made)
		}
		page := text(org.get(fmt.Sprintf("/organise/summits/%d/timetable", w.summit.ID)).Body)
		if !strings.Contains(page, "Not scheduled 2") || !strings.Contains(page, "50 min · not scheduled Listening lab") {
			t.Errorf("side list: %s", page)
		}
		p := ta.addPerson(t, "Bo Bright", "bo@example.com", models.RoleStaff)
		if _, err := models.Register(ctx, ta.DB, w.summit.ID, made.ID, p.ID, time.Now()); err == nil || !strings.Contains(err.Error(), "not on the timetable yet") {
			t.Errorf("registering for it: %v", err)
		}

		edit := fmt.Sprintf("/organise/summits/%d/sessions/%d/edit", w.summit.ID, made.ID)
		res = org.get(edit)
		if !strings.Contains(res.Body, `name="unscheduled" value="1" checked`) || fieldValue(res.Body, "length") != "50" ||
			fieldValue(res.Body, "start_time") != "" || fieldValue(res.Body, "day") != "" {
			t.Fatalf("the edit form: length %q start %q day %q", fieldValue(res.Body, "length"), fieldValue(res.Body, "start_time"), fieldValue(res.Body, "day"))
		}
		// Unticked without a day and times: asked for them, still unscheduled.
		form.Del("unscheduled")
		form.Set("version", "1")
		refused(t, org.post(edit, form), map[string]string{"day": "Choose one of the summit's days"}, map[string]string{"length": "50"})
		if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, made.ID); !s.Unscheduled {
			t.Fatal("a refused form scheduled it")
		}
	})
}
