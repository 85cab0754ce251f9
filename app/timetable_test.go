package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// ttWorld is a published summit (2030-05-06/07, Warsaw) with two rooms:
// the training (10:00–11:00) in the hall, the keynote (09:00–09:45) in the
// studio, and a session not on the timetable yet.
type ttWorld struct {
	*regWorld
	hall, studio *models.Room
	off          *models.Session
}

func newTTWorld(t *testing.T, db *gorm.DB) *ttWorld {
	t.Helper()
	w := &ttWorld{regWorld: newRegWorld(t, db, 5)}
	var err error
	sys := models.ActorOf(nil, "")
	if w.hall, err = models.CreateRoom(ctx, db, sys, w.summit.ID, models.RoomInput{Name: "Main Hall", Capacity: "100"}); err != nil {
		t.Fatal(err)
	}
	if w.studio, err = models.CreateRoom(ctx, db, sys, w.summit.ID, models.RoomInput{Name: "Garden Studio", Capacity: "20"}); err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		s    *models.Session
		room uint
		from string
		to   string
	}{{w.training, w.hall.ID, "10:00", "11:00"}, {w.keynote, w.studio.ID, "09:00", "09:45"}} {
		if _, err := models.MoveSession(ctx, db, sys, w.summit.ID, m.s.ID, models.MoveInput{Version: "1", RoomID: itoa(m.room), Day: "2030-05-06", StartTime: m.from, EndTime: m.to}, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	res, err := models.SaveSession(ctx, db, sys, w.summit.ID, 0, models.SessionInput{Title: "Damage control clinic", Kind: models.KindTraining,
		Day: "2030-05-06", StartTime: "14:00", EndTime: "14:45", Unscheduled: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w.off = res.Session
	return w
}

func (w *ttWorld) movePath(id any) string {
	return fmt.Sprintf("/organise/summits/%d/sessions/%v/move", w.summit.ID, id)
}

// moveJSON posts a move as the editor does and reads the answer.
func moveJSON(t *testing.T, c *client, path string, form url.Values) (int, map[string]any) {
	t.Helper()
	form.Set("_csrf", c.csrf())
	req, _ := http.NewRequest(http.MethodPost, c.ta.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res := c.do(req)
	var out map[string]any
	if err := json.Unmarshal([]byte(res.Body), &out); err != nil {
		t.Fatalf("POST %s: status %d, not JSON: %s", path, res.Code, res.Body)
	}
	return res.Code, out
}

func move(version int, room uint, day, start, end string) url.Values {
	return url.Values{"version": {fmt.Sprint(version)}, "room_id": {itoa(room)}, "day": {day}, "start": {start}, "end": {end}}
}

// TestTimetableEditorShowsTheGridAndTheSideList: the organiser's editor
// shows every room, the day's sessions as links to their forms (so it
// works without JavaScript), the unscheduled one in the side list, and is
// reached from the summit's page and the public agenda.
func TestTimetableEditorShowsTheGridAndTheSideList(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newTTWorld(t, ta.DB)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		editor := fmt.Sprintf("/organise/summits/%d/timetable", w.summit.ID)
		for _, from := range []string{fmt.Sprintf("/organise/summits/%d", w.summit.ID), fmt.Sprintf("/organise/summits/%d/agenda", w.summit.ID), w.base} {
			if res := org.get(from); !strings.Contains(res.Body, `href="`+editor) {
				t.Errorf("%s has no link to the editor", from)
			}
		}
		if over := text(org.get(fmt.Sprintf("/organise/summits/%d", w.summit.ID)).Body); !strings.Contains(over, "1 session is not on the timetable yet: “Damage control clinic”.") {
			t.Errorf("the checklist does not name the unscheduled session: %s", over)
		}
		if res := ta.client(t).get(w.base); strings.Contains(res.Body, editor) {
			t.Error("a visitor sees the link to the editor")
		}
		res := org.get(editor + "?day=2030-05-06")
		page := text(res.Body)
		if res.Code != http.StatusOK {
			t.Fatalf("editor: %d %s", res.Code, page)
		}
		for _, want := range []string{
			`data-room="` + itoa(w.hall.ID) + `"`, `data-room="` + itoa(w.studio.ID) + `"`,
			`id="tile-` + itoa(w.training.ID) + `"`, `data-version="2"`,
			`href="/organise/summits/` + itoa(w.summit.ID) + `/sessions/` + itoa(w.training.ID) + `/edit"`,
			`href="/organise/summits/` + itoa(w.summit.ID) + `/sessions/` + itoa(w.off.ID) + `/edit"`,
			`data-unscheduled="1"`, `/static/js/timetable.js`, `aria-live="polite"`,
		} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("editor lacks %s", want)
			}
		}
		if !strings.Contains(page, "Not scheduled 1") || !strings.Contains(page, "45 min · not scheduled Damage control clinic") {
			t.Errorf("side list: %s", page)
		}
		// The other day is empty but still a grid of both rooms to drop into; a bad day shows the first.
		if res := org.get(editor + "?day=2030-05-07"); res.Code != http.StatusOK || strings.Contains(res.Body, `id="tile-`+itoa(w.training.ID)+`"`) ||
			!strings.Contains(res.Body, `data-room="`+itoa(w.studio.ID)+`"`) {
			t.Errorf("second day: %d", res.Code)
		}
		if res := org.get(editor + "?day=nonsense"); res.Code != http.StatusOK || !strings.Contains(res.Body, `id="tile-`+itoa(w.training.ID)+`"`) {
			t.Errorf("a bad day: %d", res.Code)
		}
		// The public agenda never shows the unscheduled session.
		if res := ta.client(t).get(w.base + "?day=2030-05-06&view=list"); strings.Contains(res.Body, "Damage control clinic") {
			t.Error("the public agenda lists an unscheduled session")
		}
		if res := ta.client(t).get(w.sessionPath(w.off)); res.Code != http.StatusNotFound {
			t.Errorf("an unscheduled session's public page: %d, want 404", res.Code)
		}
	})
}

// TestTimetableMoveRefusesBadInputWithAReason: every refused move is a 4xx
// with a message to show beside the tile, never a 500, and changes nothing.
func TestTimetableMoveRefusesBadInputWithAReason(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newTTWorld(t, ta.DB)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		other, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Other", StartDate: "2030-05-06", EndDate: "2030-05-07", TimeZone: "Europe/Warsaw"})
		if err != nil {
			t.Fatal(err)
		}
		tr := w.training.ID
		for _, c := range []struct {
			name string
			path string
			form url.Values
			code int
			want string
		}{
			{"non-numeric id", w.movePath("abc"), move(2, w.hall.ID, "2030-05-06", "12:00", "13:00"), 404, "not a session of this summit"},
			{"huge id", w.movePath("99999999999999999999"), move(2, w.hall.ID, "2030-05-06", "12:00", "13:00"), 404, "not a session"},
			{"unknown session", w.movePath(987654), move(2, w.hall.ID, "2030-05-06", "12:00", "13:00"), 404, "no longer on this summit's agenda"},
			{"other summit's session", fmt.Sprintf("/organise/summits/%d/sessions/%d/move", other.ID, tr), move(2, w.hall.ID, "2030-05-06", "12:00", "13:00"), 404, "no longer"},
			{"unknown room", w.movePath(tr), move(2, 424242, "2030-05-06", "12:00", "13:00"), 422, "Choose a room of this summit"},
			{"non-numeric room", w.movePath(tr), url.Values{"version": {"2"}, "room_id": {"hall"}, "day": {"2030-05-06"}, "start": {"12:00"}, "end": {"13:00"}}, 422, "Choose a room"},
			{"a day after the summit", w.movePath(tr), move(2, w.hall.ID, "2030-05-09", "12:00", "13:00"), 422, "inside the summit's dates"},
			{"a made-up day", w.movePath(tr), move(2, w.hall.ID, "tomorrow", "12:00", "13:00"), 422, "Choose one of the summit's days"},
			{"a bad time", w.movePath(tr), move(2, w.hall.ID, "2030-05-06", "9am", "13:00"), 422, "Start"},
			{"end before start", w.movePath(tr), move(2, w.hall.ID, "2030-05-06", "13:00", "12:00"), 422, "End time must be after the start time"},
			{"room clash", w.movePath(tr), move(2, w.studio.ID, "2030-05-06", "09:30", "10:30"), 422, "Garden Studio is already taken by “Everyone serves”"},
			{"no version", w.movePath(tr), url.Values{"room_id": {itoa(w.hall.ID)}, "day": {"2030-05-06"}, "start": {"12:00"}, "end": {"13:00"}}, 409, "out of date"},
			{"stale version", w.movePath(tr), move(1, w.hall.ID, "2030-05-06", "12:00", "13:00"), 409, "since you opened it"},
			{"non-numeric version", w.movePath(tr), url.Values{"version": {"two"}, "room_id": {itoa(w.hall.ID)}, "day": {"2030-05-06"}, "start": {"12:00"}, "end": {"13:00"}}, 409, "open the session again"},
		} {
			code, a := moveJSON(t, org, c.path, c.form)
			msg, _ := a["error"].(string)
			if code != c.code || !strings.Contains(msg, c.want) {
				t.Errorf("%s: %d %q, want %d with %q", c.name, code, msg, c.code, c.want)
			}
		}
		if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, tr); s.Version != 2 || *s.RoomID != w.hall.ID {
			t.Fatalf("a refused move changed the session: %+v", s)
		}
		// Staff and visitors may not move sessions.
		staff, _ := ta.signedIn(t, models.RoleStaff)
		for _, c := range []*client{staff, ta.client(t)} {
			res := c.post(w.movePath(tr), move(2, w.hall.ID, "2030-05-06", "12:00", "13:00"))
			if res.Code == http.StatusOK || res.Code >= 500 {
				t.Errorf("a non-organiser's move: %d", res.Code)
			}
		}
		if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, tr); s.Version != 2 {
			t.Fatal("a non-organiser moved the session")
		}
	})
}

// TestTimetableMoveShowsWhoIsAffectedThenSaves: a move of a session with
// registrants answers with the notices preview first and saves nothing;
// posted again with confirm it saves, tells them, and raises the version.
func TestTimetableMoveShowsWhoIsAffectedThenSaves(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newTTWorld(t, ta.DB)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		ida := ta.addPerson(t, "Ida Lund", "ida@example.com", models.RoleStaff)
		if _, err := models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, ida.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		var before int64
		ta.DB.Model(&models.Notice{}).Where("person_id = ?", ida.ID).Count(&before)
		form := move(2, w.studio.ID, "2030-05-07", "13:00", "14:30")
		code, a := moveJSON(t, org, w.movePath(w.training.ID), form)
		preview, _ := a["preview"].(string)
		if code != http.StatusOK || a["confirm"] != true || !strings.Contains(text(preview), "Ida Lund (confirmed seat)") || a["button"] != "Confirm and tell 1 person" {
			t.Fatalf("preview: %d %v", code, a)
		}
		if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, w.training.ID); s.Version != 2 {
			t.Fatal("the preview saved the move")
		}
		form.Set("confirm", "1")
		code, a = moveJSON(t, org, w.movePath(w.training.ID), form)
		if msg, _ := a["message"].(string); code != http.StatusOK || a["saved"] != true ||
			!strings.Contains(msg, "“Patience is a skill” is in Garden Studio, Tue 7 May 13:00–14:30.") || !strings.Contains(msg, "1 person was told in Notices.") {
			t.Fatalf("confirmed: %d %v", code, a)
		}
		s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, w.training.ID)
		loc := w.summit.Location()
		if s.Version != 3 || *s.RoomID != w.studio.ID || s.StartsAt.In(loc).Format("2006-01-02 15:04") != "2030-05-07 13:00" || s.EndsAt.In(loc).Format("15:04") != "14:30" {
			t.Fatalf("after the move: %+v", s)
		}
		var n int64
		ta.DB.Model(&models.Notice{}).Where("person_id = ?", ida.ID).Count(&n)
		if n != before+1 {
			t.Fatalf("Ida got %d notices of the move, want 1", n-before)
		}
		// It holds a seat: it cannot go back to the side list.
		code, a = moveJSON(t, org, w.movePath(w.training.ID), url.Values{"version": {"3"}, "unschedule": {"1"}})
		if msg, _ := a["error"].(string); code != http.StatusUnprocessableEntity || !strings.Contains(msg, "1 person holds a seat") {
			t.Fatalf("unschedule with a seat: %d %v", code, a)
		}
		// The keynote can; then it is scheduled again from the side list.
		if code, a = moveJSON(t, org, w.movePath(w.keynote.ID), url.Values{"version": {"2"}, "unschedule": {"1"}}); code != http.StatusOK || a["saved"] != true {
			t.Fatalf("unschedule: %d %v", code, a)
		}
		if code, a = moveJSON(t, org, w.movePath(w.keynote.ID), move(3, w.hall.ID, "2030-05-06", "09:00", "09:45")); code != http.StatusOK || a["saved"] != true {
			t.Fatalf("schedule again: %d %v", code, a)
		}
	})
}

// TestTwoOrganisersMoveTheSameSessionAtOnce: two organisers, each on their
// own app instance (on Postgres, each with its own pool), drop the same
// session at the same moment from the same grid: exactly one move is saved,
// the other is told who changed it.
func TestTwoOrganisersMoveTheSameSessionAtOnce(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			w := newTTWorld(t, apps[0].DB)
			var orgs []*client
			for i, name := range []string{"Mira Organiser", "Jonas Organiser"} {
				ta := apps[i%len(apps)]
				p := ta.addPerson(t, name, fmt.Sprintf("org%d@example.com", i), models.RoleOrganiser)
				c := ta.client(t)
				c.signIn(p.Email)
				c.csrf()
				orgs = append(orgs, c)
			}
			for round := 0; round < 4; round++ {
				v := 2 + round
				forms := []url.Values{move(v, w.studio.ID, "2030-05-06", "12:00", "13:00"), move(v, w.hall.ID, "2030-05-07", "09:00", "10:00")}
				codes := make([]int, 2)
				answers := make([]map[string]any, 2)
				fire(2, func(i int) { codes[i], answers[i] = moveJSON(t, orgs[i], w.movePath(w.training.ID), forms[i]) })
				won, lost := -1, -1
				for i := range codes {
					switch codes[i] {
					case http.StatusOK:
						won = i
					case http.StatusConflict:
						lost = i
					}
				}
				if won < 0 || lost < 0 {
					t.Fatalf("round %d: answers %v %v, want one saved and one refused as stale", round, codes, answers)
				}
				winner := []string{"Mira Organiser", "Jonas Organiser"}[won]
				if msg, _ := answers[lost]["error"].(string); !strings.Contains(msg, "changed by "+winner) || answers[lost]["refresh"] != true {
					t.Errorf("round %d: the refusal says %q, want it to name %s", round, msg, winner)
				}
				s, _ := models.GetSession(ctx, apps[0].DB, w.summit.ID, w.training.ID)
				wantRoom := []uint{w.studio.ID, w.hall.ID}[won]
				if s.Version != v+1 || *s.RoomID != wantRoom {
					t.Fatalf("round %d: version %d room %d, want %d and the winner's room %d", round, s.Version, *s.RoomID, v+1, wantRoom)
				}
			}
		})
	}
}

// TestStaleSessionFormIsRefusedWithTheInputKept: the session form carries
// the version it was opened at; saved after someone else changed the
// session, it is refused with who changed it, nothing is overwritten, what
// was typed is kept and the form now holds the current version.
func TestStaleSessionFormIsRefusedWithTheInputKept(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newTTWorld(t, ta.DB)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		edit := fmt.Sprintf("/organise/summits/%d/sessions/%d/edit", w.summit.ID, w.keynote.ID)
		if res := org.get(edit); !strings.Contains(res.Body, `<input type="hidden" name="version" value="2">`) {
			t.Fatalf("the form does not carry the version: %s", text(res.Body))
		}
		if _, err := models.MoveSession(ctx, ta.DB, models.Actor{Name: "Jonas Organiser"}, w.summit.ID, w.keynote.ID,
			models.MoveInput{Version: "2", RoomID: itoa(w.hall.ID), Day: "2030-05-06", StartTime: "08:00", EndTime: "08:45"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		form := url.Values{"title": {"Everyone serves, again"}, "kind": {"keynote"}, "day": {"2030-05-06"}, "start_time": {"09:00"}, "end_time": {"09:45"},
			"room_id": {itoa(w.studio.ID)}, "version": {"2"}}
		res := org.post(edit, form)
		page := text(res.Body)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(page, "“Everyone serves” was changed by Jonas Organiser at") ||
			!strings.Contains(page, "nothing was saved") || !strings.Contains(res.Body, `value="Everyone serves, again"`) ||
			!strings.Contains(res.Body, `<input type="hidden" name="version" value="3">`) {
			t.Fatalf("stale form: %d %s", res.Code, page)
		}
		if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, w.keynote.ID); s.Title != "Everyone serves" || *s.RoomID != w.hall.ID {
			t.Fatalf("the stale form overwrote: %+v", s)
		}
		// Saved again knowingly, on the current version: taken off the timetable with the form's box.
		form.Set("version", "3")
		form.Set("unscheduled", "1")
		if res := org.post(edit, form); res.Code != http.StatusSeeOther {
			t.Fatalf("save again: %d %s", res.Code, text(res.Body))
		}
		if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, w.keynote.ID); s.Title != "Everyone serves, again" || !s.Unscheduled || s.RoomID != nil || s.Version != 4 {
			t.Fatalf("after saving again: %+v", s)
		}
		if res := org.get(fmt.Sprintf("/organise/summits/%d/agenda", w.summit.ID)); !strings.Contains(text(res.Body), "Not scheduled yet Everyone serves, again") {
			t.Errorf("the organisers' agenda: %s", text(res.Body))
		}
		// The delete button carries the version too: a session changed since is not deleted unseen.
		del := fmt.Sprintf("/organise/summits/%d/sessions/%d/delete?version=4", w.summit.ID, w.keynote.ID)
		if res := org.get(edit); !strings.Contains(res.Body, `action="`+del+`"`) {
			t.Fatalf("the delete form does not carry the version: %s", res.Body)
		}
		if _, err := models.MoveSession(ctx, ta.DB, models.Actor{Name: "Jonas Organiser"}, w.summit.ID, w.keynote.ID,
			models.MoveInput{Version: "4", RoomID: itoa(w.hall.ID), Day: "2030-05-07", StartTime: "09:00", EndTime: "09:45"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		res = org.post(del, url.Values{"confirm": {"1"}})
		if res.Code != http.StatusSeeOther || !strings.HasSuffix(res.Location, edit) {
			t.Fatalf("stale delete: %d %s", res.Code, res.Location)
		}
		if next := text(org.get(res.Location).Body); !strings.Contains(next, "was changed by Jonas Organiser") || !strings.Contains(next, "delete it again if you still mean to") {
			t.Errorf("after the stale delete: %s", next)
		}
		if _, err := models.GetSession(ctx, ta.DB, w.summit.ID, w.keynote.ID); err != nil {
			t.Fatal("a stale delete deleted the session")
		}
		if res := org.post(strings.Replace(del, "version=4", "version=5", 1), url.Values{"confirm": {"1"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.Code)
		}
		if _, err := models.GetSession(ctx, ta.DB, w.summit.ID, w.keynote.ID); err == nil {
			t.Fatal("the delete on the current version did not delete")
		}
	})
}
