package app_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"summit/models"
)

func TestDemoAgendaIsPublicAndDraftIs404(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		if _, _, err := models.SeedDemo(ctx, ta.DB, 2027); err != nil {
			t.Fatal(err)
		}
		c := ta.client(t)
		home := c.get("/")
		if home.Code != http.StatusFound || home.Location != "/summits/1" {
			t.Fatalf("home: %d → %q", home.Code, home.Location)
		}
		page := c.get("/summits/1")
		if page.Code != 200 {
			t.Fatalf("agenda: %d", page.Code)
		}
		body := text(page.Body)
		for _, want := range []string{"Service Summit 2027", "Everyone serves", "De-escalation with boundaries", "Main Hall", "Zoë Ølberg"} {
			if !strings.Contains(body, want) {
				t.Errorf("agenda lacks %q", want)
			}
		}
		// Every session of the day is on the grid: four parallel 10:15 sessions included.
		summit, _ := models.GetSummit(ctx, ta.DB, 1)
		dayOne, _ := models.ListSessions(ctx, ta.DB, summit, models.AgendaFilter{Day: summit.StartDate})
		if n := strings.Count(page.Body, `class="tt-session`); n != len(dayOne) || n < 15 {
			t.Errorf("day one grid shows %d sessions, want all %d", n, len(dayOne))
		}
		// A new draft summit is invisible to visitors.
		s, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Draft", StartDate: "2028-01-10", EndDate: "2028-01-10", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		if r := c.get("/summits/" + itoa(s.ID)); r.Code != http.StatusNotFound {
			t.Fatalf("draft summit answered %d to a visitor, want 404", r.Code)
		}
		if r := c.get("/summits/1/sessions/999999"); r.Code != http.StatusNotFound {
			t.Fatalf("unknown session answered %d", r.Code)
		}
		if r := c.get("/summits/abc"); r.Code != http.StatusNotFound {
			t.Fatalf("bad id answered %d", r.Code)
		}
	})
}

func TestOrganiserCreatesSessionAndSeesClash(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, _ := ta.signedIn(t, models.RoleOrganiser)
		res := c.post("/organise/summits/new", url.Values{"title": {"Service Summit 2030"}, "start_date": {"2030-05-06"}, "end_date": {"2030-05-07"}, "time_zone": {"Europe/Warsaw"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("create summit: %d %s", res.Code, text(res.Body))
		}
		base := res.Location
		if r := c.post(base+"/rooms/new", url.Values{"name": {"Atrium"}, "capacity": {"50"}}); r.Code != http.StatusSeeOther {
			t.Fatalf("room: %d %s", r.Code, text(r.Body))
		}
		rooms, _ := models.ListRooms(ctx, ta.DB, 1)
		room := itoa(rooms[0].ID)
		ok := c.post(base+"/sessions/new", url.Values{"title": {"Opening"}, "kind": {"keynote"}, "day": {"2030-05-06"}, "start_time": {"09:00"}, "end_time": {"10:00"}, "room_id": {room}})
		if ok.Code != http.StatusSeeOther {
			t.Fatalf("session: %d %s", ok.Code, text(ok.Body))
		}
		clash := c.post(base+"/sessions/new", url.Values{"title": {"Łukasz's lab"}, "kind": {"training"}, "day": {"2030-05-06"}, "start_time": {"09:30"}, "end_time": {"10:30"}, "room_id": {room}, "capacity": {"80"}})
		if clash.Code != http.StatusUnprocessableEntity {
			t.Fatalf("clash: want 422, got %d", clash.Code)
		}
		body := text(clash.Body)
		if !strings.Contains(body, "Atrium is already taken by “Opening”") {
			t.Fatalf("clash message missing: %s", body)
		}
		if !strings.Contains(clash.Body, `value="Łukasz&#39;s lab"`) {
			t.Fatalf("typed title was not kept")
		}
	})
}

func TestOrganisePagesNeedTheRole(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		visitor := ta.client(t)
		if r := visitor.get("/organise"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Location, "/signin") {
			t.Fatalf("visitor: %d %s", r.Code, r.Location)
		}
		staff, _ := ta.signedIn(t, models.RoleStaff)
		if r := staff.get("/organise"); r.Code != http.StatusForbidden {
			t.Fatalf("staff: %d", r.Code)
		}
		if r := staff.post("/organise/summits/new", url.Values{"title": {"X"}}); r.Code != http.StatusForbidden {
			t.Fatalf("staff post: %d", r.Code)
		}
	})
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// An organiser who puts a session inside the demo's lunch (a break for
// everyone) is warned on save, the session is kept, the dashboard and the
// edit form keep the warning, and the timetable draws lunch around it.
func TestSessionInsideLunchIsSavedWithAWarning(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s := demoSummit(t, ta)
		rooms, _ := models.ListRooms(ctx, ta.DB, s.ID)
		c, _ := ta.signedIn(t, models.RoleOrganiser)
		base := "/organise/summits/" + itoa(s.ID)
		res := c.post(base+"/sessions/new", url.Values{"title": {"Quiet room for lunch"}, "kind": {"social"}, "day": {s.StartDate},
			"start_time": {"13:00"}, "end_time": {"13:30"}, "room_id": {itoa(rooms[1].ID)}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("save: %d %s", res.Code, text(res.Body))
		}
		dash := text(c.get(res.Location).Body)
		if !strings.Contains(dash, "Session “Quiet room for lunch” saved. Warning: It overlaps “Lunch” (Thu 11 Mar 12:45–13:45), a break for everyone") {
			t.Fatalf("no warning after saving a session inside lunch: %.600s", dash)
		}
		var quiet models.Session
		if err := ta.DB.Where("summit_id = ? AND title = ?", s.ID, "Quiet room for lunch").First(&quiet).Error; err != nil {
			t.Fatalf("the session was not kept: %v", err)
		}
		if again := text(c.get(base + "/agenda").Body); !strings.Contains(again, "a break for everyone") {
			t.Error("the agenda page does not keep the warning")
		}
		if form := text(c.get(base + "/sessions/" + itoa(quiet.ID) + "/edit").Body); !strings.Contains(form, "It overlaps “Lunch”") {
			t.Error("the edit form does not show the warning")
		}
		page := ta.client(t).get("/summits/" + itoa(s.ID)).Body
		if n := strings.Count(page, `aria-hidden="true" tabindex="-1"`); n != 1 || strings.Contains(text(page), "Other") {
			t.Errorf("the timetable should draw lunch in two pieces around the session (one hidden from screen readers), not in an Other column: %d hidden pieces", n)
		}
	})
}
