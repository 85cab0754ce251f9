package app_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// orgFixture is a signed-in organiser with a summit (one room, track and
// speaker) and a second summit whose records must stay out of reach.
type orgFixture struct {
	ta      *testApp
	c       *client
	summit  *models.Summit
	base    string
	room    *models.Room
	track   *models.Track
	speaker *models.Speaker
	other   *models.Summit
	oRoom   *models.Room
	oTrack  *models.Track
	oSpeak  *models.Speaker
	oSess   *models.Session
}

func newOrgFixture(t *testing.T, ta *testApp) *orgFixture {
	t.Helper()
	f := &orgFixture{ta: ta}
	f.c, _ = ta.signedIn(t, models.RoleOrganiser)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var err error
	f.summit, err = models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2030", StartDate: "2030-05-06", EndDate: "2030-05-07", TimeZone: "Europe/Warsaw"})
	must(err)
	f.base = "/organise/summits/" + itoa(f.summit.ID)
	f.room, err = models.CreateRoom(ctx, ta.DB, models.ActorOf(nil, ""), f.summit.ID, models.RoomInput{Name: "Atrium", Capacity: "50"})
	must(err)
	tracks, err := models.ListTracks(ctx, ta.DB, f.summit.ID) // a new summit has its pillar tracks
	must(err)
	for i := range tracks {
		if tracks[i].Pillar == models.PillarTrain {
			f.track = &tracks[i]
		}
	}
	f.speaker, err = models.SaveSpeaker(ctx, ta.DB, models.ActorOf(nil, ""), f.summit.ID, 0, models.SpeakerInput{Name: "Zoë Ølberg"})
	must(err)
	f.other, err = models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2031", StartDate: "2031-05-05", EndDate: "2031-05-06", TimeZone: "UTC"})
	must(err)
	f.oRoom, err = models.CreateRoom(ctx, ta.DB, models.ActorOf(nil, ""), f.other.ID, models.RoomInput{Name: "Faraway", Capacity: "10"})
	must(err)
	f.oTrack, err = models.CreateTrack(ctx, ta.DB, models.ActorOf(nil, ""), f.other.ID, models.TrackInput{Name: "Other", Pillar: models.PillarCelebrate, Color: "#b45309"})
	must(err)
	f.oSpeak, err = models.SaveSpeaker(ctx, ta.DB, models.ActorOf(nil, ""), f.other.ID, 0, models.SpeakerInput{Name: "Outsider"})
	must(err)
	res, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), f.other.ID, 0, models.SessionInput{Title: "Not yours", Kind: models.KindPanel, Day: "2031-05-05", StartTime: "09:00", EndTime: "10:00"}, time.Now())
	must(err)
	f.oSess = res.Session
	return f
}

// fieldError returns the message shown next to a field of the shared form.
func fieldError(body, field string) string {
	re := regexp.MustCompile(`id="f-` + regexp.QuoteMeta(field) + `-err"[^>]*>([^<]*)<`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// fieldValue returns what an input, textarea or select of the shared form shows.
func fieldValue(body, field string) string {
	id := `id="f-` + regexp.QuoteMeta(field) + `"`
	if m := regexp.MustCompile(`<input ` + id + `[^>]*\svalue="([^"]*)"`).FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	if m := regexp.MustCompile(`(?s)<textarea ` + id + `[^>]*>(.*?)</textarea>`).FindStringSubmatch(body); m != nil {
		return html.UnescapeString(m[1])
	}
	if m := regexp.MustCompile(`(?s)<select ` + id + `[^>]*>(.*?)</select>`).FindStringSubmatch(body); m != nil {
		var sel []string
		for _, o := range regexp.MustCompile(`<option value="([^"]*)"\s+selected`).FindAllStringSubmatch(m[1], -1) {
			sel = append(sel, html.UnescapeString(o[1]))
		}
		return strings.Join(sel, ",")
	}
	return "<no field " + field + ">"
}

// refused checks a 422 with the messages next to the fields and the typed
// values kept.
func refused(t *testing.T, res *response, msgs map[string]string, kept map[string]string) {
	t.Helper()
	if res.Code != http.StatusUnprocessableEntity {
		t.Fatalf("want 422, got %d: %s", res.Code, text(res.Body))
	}
	if !strings.Contains(res.Body, "Please fix the highlighted fields") {
		t.Errorf("no summary above the form")
	}
	for field, want := range msgs {
		if got := fieldError(res.Body, field); !strings.Contains(got, want) {
			t.Errorf("message next to %s: got %q, want it to contain %q", field, got, want)
		}
		if !strings.Contains(res.Body, `aria-describedby="f-`+field+`-err"`) {
			t.Errorf("field %s is not tied to its message (aria-describedby)", field)
		}
	}
	for field, want := range kept {
		if got := fieldValue(res.Body, field); got != want {
			t.Errorf("field %s kept %q, want %q", field, got, want)
		}
	}
}

func TestSummitFormRefusesBadInput(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := newOrgFixture(t, ta)
		in := url.Values{"title": {"  "}, "theme": {"Everyone serves"}, "start_date": {"2030-02-30"}, "end_date": {"soon"}, "time_zone": {"Europe/Atlantis"}, "venue": {"Łódź <Hall>"}}
		refused(t, f.c.post("/organise/summits/new", in),
			map[string]string{"title": "Title is required", "start_date": "like 2027-03-11", "end_date": "like 2027-03-12", "time_zone": "“Europe/Atlantis” is not a time zone in the list"},
			map[string]string{"theme": "Everyone serves", "start_date": "2030-02-30", "end_date": "soon", "time_zone": "Europe/Atlantis", "venue": "Łódź <Hall>"})
		refused(t, f.c.post("/organise/summits/new", url.Values{"title": {"Backwards"}, "start_date": {"2032-05-07"}, "end_date": {"2032-05-06"}, "time_zone": {"UTC"}}),
			map[string]string{"end_date": "on or after the start date"}, map[string]string{"title": "Backwards"})
		// Several editions may share a year, each with its own title.
		refused(t, f.c.post("/organise/summits/new", url.Values{"title": {strings.ToUpper(f.summit.Title)}, "start_date": {"2030-09-01"}, "end_date": {"2030-09-01"}, "time_zone": {"UTC"}}),
			map[string]string{"title": "already an edition called"}, map[string]string{"start_date": "2030-09-01"})
		if r := f.c.post("/organise/summits/new", url.Values{"title": {"Service Summit 2030 Americas"}, "start_date": {"2030-09-01"}, "end_date": {"2030-09-01"}, "time_zone": {"America/Chicago"}}); r.Code != http.StatusSeeOther {
			t.Fatalf("a second edition in 2030: %d %s", r.Code, text(r.Body))
		}
		// Editing: moving the dates past a session lists it.
		if _, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), f.summit.ID, 0, models.SessionInput{Title: "Day two keynote", Kind: models.KindKeynote, Day: "2030-05-07", StartTime: "09:00", EndTime: "10:00"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		refused(t, f.c.post(f.base+"/edit", url.Values{"title": {f.summit.Title}, "start_date": {"2030-05-06"}, "end_date": {"2030-05-06"}, "time_zone": {"Europe/Warsaw"}}),
			map[string]string{"start_date": "“Day two keynote”"}, map[string]string{"end_date": "2030-05-06"})
		if r := f.c.post(f.base+"/status", url.Values{"status": {"deleted"}}); r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "draft, published or archived") {
			t.Fatalf("bad status: %d %s", r.Code, text(r.Body))
		}
	})
}

func TestRoomTrackSpeakerFormsRefuseBadInput(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := newOrgFixture(t, ta)
		refused(t, f.c.post(f.base+"/rooms/new", url.Values{"name": {""}, "capacity": {"forty"}, "position": {"-2"}}),
			map[string]string{"name": "Name is required", "capacity": "whole number", "position": "between 0 and 1000"},
			map[string]string{"capacity": "forty", "position": "-2"})
		refused(t, f.c.post(f.base+"/rooms/new", url.Values{"name": {"atrium"}, "capacity": {"30"}}),
			map[string]string{"name": "already has a room called atrium"}, map[string]string{"name": "atrium", "capacity": "30"})
		refused(t, f.c.post(f.base+"/rooms/"+itoa(f.room.ID)+"/edit", url.Values{"name": {"Atrium"}, "capacity": {"0"}}),
			map[string]string{"capacity": "between 1 and 100000"}, map[string]string{"capacity": "0"})

		refused(t, f.c.post(f.base+"/tracks/new", url.Values{"name": {"Celebrate"}, "pillar": {"party"}, "color": {"red"}, "description": {"Stories <b>of</b> service"}}),
			map[string]string{"pillar": "celebrate, train or strategize", "color": "like #1d4ed8"},
			map[string]string{"name": "Celebrate", "color": "red", "description": "Stories <b>of</b> service"})
		refused(t, f.c.post(f.base+"/tracks/"+itoa(f.track.ID)+"/edit", url.Values{"name": {strings.Repeat("x", 101)}, "pillar": {"train"}, "color": {"#1d4ed8"}}),
			map[string]string{"name": "100"}, map[string]string{"pillar": "train"})

		refused(t, f.c.post(f.base+"/speakers/new", url.Values{"person_id": {"999999"}, "organisation": {"Finance"}, "bio": {"Counts what matters."}}),
			map[string]string{"person_id": "Choose a person from the directory"},
			map[string]string{"organisation": "Finance", "bio": "Counts what matters."})
		refused(t, f.c.post(f.base+"/speakers/new", url.Values{"person_id": {""}, "name": {""}}),
			map[string]string{"name": "Name is required"}, nil)
		refused(t, f.c.post(f.base+"/speakers/"+itoa(f.speaker.ID)+"/edit", url.Values{"person_id": {"abc"}, "name": {"Zoë"}}),
			map[string]string{"person_id": "Choose a person"}, map[string]string{"name": "Zoë"})
	})
}

func TestSessionFormRefusesBadInputAndTamperedIDs(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := newOrgFixture(t, ta)
		good := func() url.Values {
			return url.Values{"title": {"Łukasz's lab"}, "kind": {"training"}, "day": {"2030-05-06"}, "start_time": {"09:00"}, "end_time": {"10:00"},
				"room_id": {itoa(f.room.ID)}, "track_id": {itoa(f.track.ID)}, "capacity": {"20"}, "speakers": {itoa(f.speaker.ID)}, "abstract": {"Hands on."}}
		}
		bad := good()
		bad.Set("title", "")
		bad.Set("kind", "rave")
		bad.Set("start_time", "9 o'clock")
		bad.Set("end_time", "08:00")
		bad.Set("capacity", "many")
		refused(t, f.c.post(f.base+"/sessions/new", bad),
			map[string]string{"title": "Title is required", "kind": "Choose a kind", "start_time": "like 09:30", "capacity": "whole number"},
			map[string]string{"start_time": "9 o'clock", "end_time": "08:00", "capacity": "many", "room_id": itoa(f.room.ID), "track_id": itoa(f.track.ID), "speakers": itoa(f.speaker.ID), "abstract": "Hands on."})
		bad = good()
		bad.Set("end_time", "08:00")
		refused(t, f.c.post(f.base+"/sessions/new", bad), map[string]string{"end_time": "after the start time"}, map[string]string{"title": "Łukasz's lab"})
		bad = good()
		bad.Set("day", "2030-05-09")
		refused(t, f.c.post(f.base+"/sessions/new", bad), map[string]string{"day": "inside the summit's dates"}, nil)

		// Ids of another summit, unknown ids and garbage: refused next to the field.
		bad = good()
		bad.Set("room_id", itoa(f.oRoom.ID))
		bad.Set("track_id", itoa(f.oTrack.ID))
		bad["speakers"] = []string{itoa(f.oSpeak.ID)}
		refused(t, f.c.post(f.base+"/sessions/new", bad),
			map[string]string{"room_id": "room of this summit", "track_id": "track of this summit", "speakers": "speakers of this summit"}, map[string]string{"title": "Łukasz's lab"})
		bad = good()
		bad.Set("room_id", "999999")
		bad.Set("track_id", "1; DROP TABLE sessions")
		bad["speakers"] = []string{"-1"}
		refused(t, f.c.post(f.base+"/sessions/new", bad),
			map[string]string{"room_id": "room of this summit", "track_id": "Choose a track", "speakers": "Choose speakers"}, nil)

		// A good one, then a clash naming it.
		if r := f.c.post(f.base+"/sessions/new", good()); r.Code != http.StatusSeeOther {
			t.Fatalf("good session: %d %s", r.Code, text(r.Body))
		}
		clash := good()
		clash.Set("title", "Second")
		clash.Set("start_time", "09:30")
		clash.Set("end_time", "10:30")
		refused(t, f.c.post(f.base+"/sessions/new", clash),
			map[string]string{"room_id": "Atrium is already taken by “Łukasz's lab”", "speakers": "Zoë Ølberg is already speaking in “Łukasz's lab”"},
			map[string]string{"title": "Second", "start_time": "09:30"})
		// Seats above the room: saved, with a warning in the flash.
		warn := good()
		warn.Set("title", "Big lab")
		warn.Set("start_time", "11:00")
		warn.Set("end_time", "12:00")
		warn.Set("capacity", "80")
		warn.Del("speakers")
		if r := f.c.post(f.base+"/sessions/new", warn); r.Code != http.StatusSeeOther {
			t.Fatalf("warned session: %d %s", r.Code, text(r.Body))
		}
		if dash := f.c.get(f.base); !strings.Contains(text(dash.Body), "Seat capacity (80) is above what Atrium holds (50)") && !strings.Contains(text(dash.Body), "The seat capacity (80) is above what Atrium holds (50)") {
			t.Fatalf("no capacity warning for the organiser: %s", text(dash.Body))
		}
	})
}

func TestOrganiserURLsWithTamperedIDsAre404(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := newOrgFixture(t, ta)
		o := itoa(f.oSess.ID)
		gets := []string{
			"/organise/summits/999999", "/organise/summits/abc", "/organise/summits/0", "/organise/summits/-1", "/organise/summits/99999999999999999999",
			"/organise/summits/1e3/edit", "/organise/summits/999999/sessions/new",
			f.base + "/sessions/" + o + "/edit", f.base + "/sessions/xyz/edit", f.base + "/sessions/999999/edit",
			f.base + "/rooms/" + itoa(f.oRoom.ID) + "/edit", f.base + "/rooms/abc/edit",
			f.base + "/tracks/" + itoa(f.oTrack.ID) + "/edit", f.base + "/tracks/0/edit",
			f.base + "/speakers/" + itoa(f.oSpeak.ID) + "/edit", f.base + "/speakers/%20/edit",
			"/summits/" + itoa(f.summit.ID) + "/sessions/" + o, // a session of another summit
		}
		for _, p := range gets {
			if r := f.c.get(p); r.Code != http.StatusNotFound {
				t.Errorf("GET %s: %d, want 404", p, r.Code)
			} else if !strings.Contains(text(r.Body), "We could not find that page") {
				t.Errorf("GET %s: no friendly 404 page", p)
			}
		}
		posts := map[string]url.Values{
			f.base + "/sessions/" + o + "/edit":                         {"title": {"Hijack"}, "kind": {"panel"}, "day": {"2030-05-06"}, "start_time": {"09:00"}, "end_time": {"10:00"}},
			f.base + "/sessions/" + o + "/delete":                       nil,
			f.base + "/sessions/abc/delete":                             nil,
			f.base + "/rooms/" + itoa(f.oRoom.ID) + "/edit":             {"name": {"Mine now"}, "capacity": {"5"}},
			f.base + "/rooms/" + itoa(f.oRoom.ID) + "/delete":           nil,
			f.base + "/tracks/" + itoa(f.oTrack.ID) + "/edit":           {"name": {"Mine"}, "pillar": {"train"}, "color": {"#000000"}},
			f.base + "/tracks/" + itoa(f.oTrack.ID) + "/delete":         nil,
			f.base + "/speakers/" + itoa(f.oSpeak.ID) + "/edit":         {"name": {"Renamed"}},
			f.base + "/speakers/" + itoa(f.oSpeak.ID) + "/delete":       nil,
			"/organise/summits/999999/edit":                             {"title": {"Ghost"}, "start_date": {"2040-01-01"}, "end_date": {"2040-01-01"}, "time_zone": {"UTC"}},
			"/organise/summits/999999/status":                           {"status": {"published"}},
			"/organise/summits/999999/rooms/new":                        {"name": {"Ghost room"}, "capacity": {"5"}},
			"/organise/summits/" + itoa(f.other.ID) + "/rooms/abc/edit": {"name": {"x"}, "capacity": {"5"}},
		}
		for p, form := range posts {
			if r := f.c.post(p, form); r.Code != http.StatusNotFound {
				t.Errorf("POST %s: %d, want 404 (%s)", p, r.Code, text(r.Body))
			}
		}
		// Nothing of the other summit changed.
		s, err := models.GetSession(ctx, ta.DB, f.other.ID, f.oSess.ID)
		if err != nil || s.Title != "Not yours" {
			t.Fatalf("the other summit's session changed: %v %+v", err, s)
		}
		if r, _ := models.GetRoom(ctx, ta.DB, f.other.ID, f.oRoom.ID); r == nil || r.Name != "Faraway" {
			t.Fatalf("the other summit's room changed: %+v", r)
		}
		if tr, _ := models.GetTrack(ctx, ta.DB, f.other.ID, f.oTrack.ID); tr == nil || tr.Name != "Other" {
			t.Fatalf("the other summit's track changed: %+v", tr)
		}
		if sp, _ := models.GetSpeaker(ctx, ta.DB, f.other.ID, f.oSpeak.ID); sp == nil || sp.Name != "Outsider" {
			t.Fatalf("the other summit's speaker changed: %+v", sp)
		}
	})
}

func TestOrganiserChangesAreAudited(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := newOrgFixture(t, ta)
		if r := f.c.post(f.base+"/rooms/new", url.Values{"name": {"Library"}, "capacity": {"40"}}); r.Code != http.StatusSeeOther {
			t.Fatalf("room: %d", r.Code)
		}
		if r := f.c.post(f.base+"/sessions/new", url.Values{"title": {"Audited"}, "kind": {"panel"}, "day": {"2030-05-06"}, "start_time": {"09:00"}, "end_time": {"10:00"}}); r.Code != http.StatusSeeOther {
			t.Fatalf("session: %d %s", r.Code, text(r.Body))
		}
		sessions, _ := models.ListSessions(ctx, ta.DB, f.summit, models.AgendaFilter{})
		if r := f.c.post(f.base+"/sessions/"+itoa(sessions[0].ID)+"/delete", nil); r.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.Code)
		}
		if r := f.c.post(f.base+"/status", url.Values{"status": {"published"}, "confirm": {"yes"}, "accept_open": {"yes"}}); r.Code != http.StatusSeeOther {
			t.Fatalf("publish: %d", r.Code)
		}
		events, err := models.ListAudit(ctx, ta.DB, models.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		kept := events[:0]
		for _, e := range events {
			if strings.HasPrefix(e.Action, "signin.") { // sign-ins are audited too (accounts)
				continue
			}
			if e.ActorName == "system" { // the fixture, made through models, is audited as the system
				continue
			}
			kept = append(kept, e)
			got = append(got, e.Action)
			if e.ActorID == nil || e.ActorName != "Test organiser" {
				t.Errorf("%s has no actor: %+v", e.Action, e)
			}
		}
		want := []string{"summit.status", "session.delete", "session.create", "room.create"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Fatalf("audit log %v, want %v", got, want)
		}
		events = kept
		if !strings.Contains(events[1].BeforeJSON, "Audited") || !strings.Contains(events[0].Summary, "draft → published") {
			t.Fatalf("audit details: %+v", events[:2])
		}
	})
}

func TestDeletingARoomInUseIsRefused(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := newOrgFixture(t, ta)
		if _, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), f.summit.ID, 0, models.SessionInput{Title: "In the atrium", Kind: models.KindPanel, Day: "2030-05-06", StartTime: "09:00", EndTime: "10:00", RoomID: itoa(f.room.ID)}, time.Now()); err != nil {
			t.Fatal(err)
		}
		r := f.c.post(f.base+"/rooms/"+itoa(f.room.ID)+"/delete", nil)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("delete room in use: %d", r.Code)
		}
		page := f.c.get(f.base)
		if !strings.Contains(text(page.Body), "Not deleted: Atrium still has 1 planned session(s)") {
			t.Fatalf("no refusal shown: %s", text(page.Body))
		}
		if _, err := models.GetRoom(ctx, ta.DB, f.summit.ID, f.room.ID); err != nil {
			t.Fatalf("the room is gone: %v", err)
		}
	})
}

// Every route, fed garbage ids and garbage forms by a signed-in admin, answers
// without a 5xx.
func TestNoRouteAnswers500ToGarbage(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		if _, _, err := models.SeedDemo(ctx, ta.DB, 2027); err != nil {
			t.Fatal(err)
		}
		c, _ := ta.signedIn(t, models.RoleAdmin)
		param := regexp.MustCompile(`:[a-z_]+`)
		garbage := url.Values{"title": {strings.Repeat("ü", 300)}, "name": {"<script>x</script>"}, "capacity": {"9999999999999999999"},
			"day": {"2027-13-45"}, "start_time": {"25:61"}, "end_time": {"-1"}, "room_id": {"1.5"}, "track_id": {"NaN"}, "speakers": {"1", "1", "x"},
			"start_date": {"0000-00-00"}, "end_date": {"9999-99-99"}, "time_zone": {"../../etc/passwd"}, "status": {"🙂"}, "person_id": {"-0"}, "color": {"#zzzzzz"}}
		for _, rt := range ta.Routes() {
			if strings.Contains(rt.Path, "signout") {
				continue // stay signed in
			}
			for _, id := range []string{"1", "0", "abc", "99999999999", "%2e%2e"} {
				p := param.ReplaceAllString(rt.Path, id)
				var r *response
				if rt.Method == http.MethodPost {
					form := url.Values{}
					for k, v := range garbage {
						form[k] = v
					}
					r = c.post(p, form)
				} else {
					r = c.get(p + "?day=garbage&track=-1&view=%00")
				}
				if r.Code >= 500 {
					t.Errorf("%s %s: %d %s", rt.Method, p, r.Code, text(r.Body))
				}
			}
		}
	})
}
