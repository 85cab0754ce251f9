package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/models"
)

var workspaceLinkRe = regexp.MustCompile(`<nav class="workspace-nav"[^>]*>.*?</nav>`)

// Every organiser page of one summit (every GET route under
// /organise/summits/:summit, taken from the router) shows the workspace's
// sub-navigation with all its entries, and marks the page's own entry.
func TestWorkspaceNavOnEveryOrganiserPage(t *testing.T) {
	ta := newTestApp(t, "sqlite")
	s, ids := demoRouteParams(t, ta)
	org, _ := ta.signedIn(t, models.RoleOrganiser)
	base := "/organise/summits/" + itoa(s.ID)
	current := map[string]string{ // a few pages and the entry they belong to
		base:                  "Overview",
		base + "/agenda":      "Agenda",
		base + "/rooms":       "Rooms and tracks",
		base + "/tracks/new":  "Rooms and tracks",
		base + "/speakers":    "Speakers",
		base + "/training":    "Training",
		base + "/checkin":     "Training",
		base + "/awards":      "Awards",
		base + "/ideas":       "Ideas and commitments",
		base + "/commitments": "Ideas and commitments",
		base + "/words":       "Ideas and commitments",
		base + "/exports":     "Exports",
		base + "/settings":    "Settings",
		base + "/edit":        "Settings",
		base + "/status":      "Overview",
		base + "/next-year":   "Overview",
	}
	pages := 0
	for _, r := range ta.Routes() {
		if r.Method != http.MethodGet || !strings.HasPrefix(r.Path, "/organise/summits/:summit") {
			continue
		}
		p := fillPath(r.Path, ids)
		res := org.get(p)
		if res.Code != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		pages++
		nav := workspaceLinkRe.FindString(strings.ReplaceAll(res.Body, "\n", " "))
		if nav == "" {
			t.Errorf("%s has no workspace navigation", r.Path)
			continue
		}
		for _, label := range []string{"Overview", "Agenda", "Rooms and tracks", "Speakers", "Training", "Awards", "Ideas and commitments", "Exports", "Settings"} {
			if !strings.Contains(nav, ">"+label+"</a>") {
				t.Errorf("%s: the navigation lacks %s", r.Path, label)
			}
		}
		if n := strings.Count(nav, `aria-current="page"`); n > 1 {
			t.Errorf("%s marks %d entries as current", r.Path, n)
		}
		if want, ok := current[p]; ok && !strings.Contains(nav, `aria-current="page">`+want+`</a>`) {
			t.Errorf("%s should mark %s as current: %s", p, want, nav)
		}
	}
	if pages < 20 {
		t.Fatalf("only %d organiser pages of a summit answered", pages)
	}
	if res := org.get("/organise"); strings.Contains(res.Body, "workspace-nav") {
		t.Error("the organise home is no summit's page, yet shows a summit's navigation")
	}
}

// Publishing asks for a confirmation that says what changes for people and
// names the checklist's open items, each a link to fix it; it needs the box
// ticked while items are open. Unpublishing and archiving ask too.
func TestPublishingAsksAndNamesOpenItems(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := newOrgFixture(t, ta)
		if _, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), f.summit.ID, 0, models.SessionInput{Title: "Roomless training", Kind: models.KindTraining,
			Day: "2030-05-06", StartTime: "09:00", EndTime: "10:00", TrackID: itoa(f.track.ID)}, time.Now()); err != nil {
			t.Fatal(err)
		}
		over := text(f.c.get(f.base).Body)
		for _, want := range []string{"Before publishing", "1 session has no room or no track: “Roomless training”", "1 training session has no seat count",
			"No registration window is set", "No ceremony session", "Start next year from this one"} {
			if !strings.Contains(over, want) {
				t.Errorf("the overview lacks %q: %s", want, over)
			}
		}
		page := f.c.get(f.base + "/status?to=published")
		body := text(page.Body)
		if page.Code != 200 || !strings.Contains(body, "Publish Service Summit 2030?") || !strings.Contains(body, "can read the agenda") ||
			!strings.Contains(body, "Still open before publishing") || !strings.Contains(page.Body, `name="accept_open"`) {
			t.Fatalf("publish confirmation: %d %s", page.Code, body)
		}
		var first models.Session
		ta.DB.Where("summit_id = ? AND title = ?", f.summit.ID, "Roomless training").First(&first)
		if !strings.Contains(page.Body, `href="`+f.base+`/sessions/`+itoa(first.ID)+`/edit"`) {
			t.Error("the open item does not link to the session to fix")
		}
		status := func() models.SummitStatus {
			s, _ := models.GetSummit(ctx, ta.DB, f.summit.ID)
			return s.Status
		}
		// Without confirming, or without accepting the open items: asked again, nothing changes.
		for _, form := range []url.Values{{"status": {"published"}}, {"status": {"published"}, "confirm": {"yes"}}} {
			res := f.c.post(f.base+"/status", form)
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Still open before publishing") || status() != models.StatusDraft {
				t.Fatalf("publish %v: %d, status %s", form, res.Code, status())
			}
		}
		res := f.c.post(f.base+"/status", url.Values{"status": {"published"}, "confirm": {"yes"}, "accept_open": {"yes"}})
		if res.Code != http.StatusSeeOther || status() != models.StatusPublished {
			t.Fatalf("publish: %d, status %s", res.Code, status())
		}
		for to, want := range map[models.SummitStatus]string{models.StatusDraft: "get “not found”", models.StatusArchived: "Registration closes for good"} {
			page := f.c.get(f.base + "/status?to=" + string(to))
			if !strings.Contains(text(page.Body), want) || strings.Contains(page.Body, `name="accept_open"`) {
				t.Errorf("confirmation of %s: %s", to, text(page.Body))
			}
			if res := f.c.post(f.base+"/status", url.Values{"status": {string(to)}}); res.Code != http.StatusUnprocessableEntity || status() != models.StatusPublished {
				t.Errorf("%s without confirming: %d, status %s", to, res.Code, status())
			}
		}
		if res := f.c.post(f.base+"/status", url.Values{"status": {"archived"}, "confirm": {"yes"}}); res.Code != http.StatusSeeOther || status() != models.StatusArchived {
			t.Fatalf("archive: %d %s", res.Code, status())
		}
	})
}

// "Start next year from this one": the page suggests a title and the same
// weekday a year later, previews what will be created before anything is
// written, keeps bad input with a message on its field, and creates one
// draft that remembers its source, however often the button is pressed.
func TestNextYearPreviewThenCreate(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s := demoSummit(t, ta)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		base := "/organise/summits/" + itoa(s.ID)
		if over := org.get(base); !strings.Contains(over.Body, `href="`+base+`/next-year"`) {
			t.Fatal("the overview does not offer next year")
		}
		count := func() int64 {
			var n int64
			ta.DB.Model(&models.Summit{}).Count(&n)
			return n
		}
		before := count()
		page := org.get(base + "/next-year")
		body := text(page.Body)
		if page.Code != 200 || !strings.Contains(page.Body, `value="Service Summit 2028"`) || !strings.Contains(page.Body, `value="2028-03-09"`) ||
			!strings.Contains(body, "A draft “Service Summit 2028”, 9–10 March 2028") || !strings.Contains(body, "35 sessions") || !strings.Contains(body, "Never copied: registrations") ||
			!strings.Contains(body, "Feedback closes Fri 17 Mar 2028 17:00; a result is shown from 5 answers.") {
			t.Fatalf("next year: %d %s", page.Code, body)
		}
		if count() != before {
			t.Fatal("the preview wrote a summit")
		}
		// Fewer parts and a shorter edition: the preview says what cannot be copied.
		q := url.Values{"title": {"Service Summit 2028 North"}, "start_date": {"2028-03-09"}, "end_date": {"2028-03-09"}, "parts": {"rooms", "sessions"}}
		body = text(org.get(base + "/next-year?" + q.Encode()).Body)
		if !strings.Contains(body, "Cannot be copied") || !strings.Contains(body, "its day does not exist in the new edition") || !strings.Contains(body, "4 rooms") ||
			strings.Contains(body, "award categories") {
			t.Fatalf("a one-day copy: %s", body)
		}
		bad := org.get(base + "/next-year?" + url.Values{"title": {""}, "start_date": {"next spring"}, "parts": {"rooms"}}.Encode())
		if bad.Code != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `id="f-start_date-err"`) || !strings.Contains(bad.Body, `value="next spring"`) ||
			strings.Contains(bad.Body, `id="create-draft"`) {
			t.Fatalf("bad input: %d %s", bad.Code, text(bad.Body))
		}
		// A judge who has left is not copied, and the new overview says so.
		var judge models.AwardJudge
		ta.DB.Joins("JOIN award_categories c ON c.id = award_judges.category_id").Where("c.summit_id = ?", s.ID).Order("award_judges.id").First(&judge)
		gone, err := models.DeactivatePerson(ctx, ta.DB, models.ActorOf(nil, ""), judge.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		form := url.Values{"title": {"Service Summit 2028"}, "start_date": {"2028-03-09"}, "parts": {"rooms", "tracks", "speakers", "sessions", "awards"}}
		res := org.post(base+"/next-year", form)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Code, text(res.Body))
		}
		var to models.Summit
		if err := ta.DB.Where("title = ?", "Service Summit 2028").First(&to).Error; err != nil {
			t.Fatal(err)
		}
		if res.Location != "/organise/summits/"+itoa(to.ID) || to.Status != models.StatusDraft {
			t.Fatalf("went to %s; %+v", res.Location, to)
		}
		over := text(org.get(res.Location).Body)
		if !strings.Contains(over, "Draft Service Summit 2028 created from Service Summit 2027") || !strings.Contains(over, "Copied from Service Summit 2027") ||
			!strings.Contains(over, "Not copied") || !strings.Contains(over, gone.Name+" has left") ||
			!strings.Contains(over, "No registration window is set") {
			t.Fatalf("the new overview: %s", over)
		}
		again := org.post(base+"/next-year", form)
		if again.Code != http.StatusUnprocessableEntity || !strings.Contains(text(again.Body), "already an edition called") || count() != before+1 {
			t.Fatalf("pressed twice: %d, %d summits", again.Code, count())
		}
		if ev, _ := models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "summit.copy"}); len(ev) != 1 {
			t.Fatalf("%d audit events for the copy", len(ev))
		}
	})
}

// Two editions in one year both work end to end: each its own title and
// address, both published through the confirmation, both listed on the
// home page, each with its agenda, session page, registration and program.
func TestTwoEditionsInOneYear(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		staffer, me := ta.signedIn(t, models.RoleStaff)
		type edition struct {
			title, day, zone, session string
			summit                    models.Summit
			sess                      models.Session
		}
		eds := []*edition{{"Service Summit 2029 Europe", "2029-03-08", "Europe/Amsterdam", "Listening lab Europe", models.Summit{}, models.Session{}},
			{"Service Summit 2029 Americas", "2029-03-08", "America/Chicago", "Listening lab Americas", models.Summit{}, models.Session{}}}
		for _, e := range eds {
			res := org.post("/organise/summits/new", url.Values{"title": {e.title}, "start_date": {e.day}, "end_date": {e.day}, "time_zone": {e.zone}})
			if res.Code != http.StatusSeeOther {
				t.Fatalf("create %s: %d %s", e.title, res.Code, text(res.Body))
			}
			if err := ta.DB.Where("title = ?", e.title).First(&e.summit).Error; err != nil {
				t.Fatal(err)
			}
			base := "/organise/summits/" + itoa(e.summit.ID)
			if r := org.post(base+"/rooms/new", url.Values{"name": {"Hall"}, "capacity": {"30"}}); r.Code != http.StatusSeeOther {
				t.Fatalf("room: %d", r.Code)
			}
			rooms, _ := models.ListRooms(ctx, ta.DB, e.summit.ID)
			tracks, _ := models.ListTracks(ctx, ta.DB, e.summit.ID)
			if r := org.post(base+"/sessions/new", url.Values{"title": {e.session}, "kind": {"training"}, "day": {e.day}, "start_time": {"10:00"}, "end_time": {"11:00"},
				"room_id": {itoa(rooms[0].ID)}, "track_id": {itoa(tracks[0].ID)}, "capacity": {"10"}}); r.Code != http.StatusSeeOther {
				t.Fatalf("session: %d %s", r.Code, text(r.Body))
			}
			ta.DB.Where("summit_id = ?", e.summit.ID).First(&e.sess)
			now := time.Now().UTC()
			ta.DB.Exec("UPDATE summits SET registration_opens_at = ?, registration_closes_at = ? WHERE id = ?", now.Add(-time.Hour), now.AddDate(0, 1, 0), e.summit.ID)
			if r := org.post(base+"/status", url.Values{"status": {"published"}, "confirm": {"yes"}, "accept_open": {"yes"}}); r.Code != http.StatusSeeOther {
				t.Fatalf("publish %s: %d %s", e.title, r.Code, text(r.Body))
			}
		}
		home := ta.client(t).get("/")
		if home.Code != 200 || !strings.Contains(home.Body, `href="/summits/`+itoa(eds[0].summit.ID)+`"`) || !strings.Contains(home.Body, `href="/summits/`+itoa(eds[1].summit.ID)+`"`) {
			t.Fatalf("the home page does not list both editions: %d %s", home.Code, text(home.Body))
		}
		for _, e := range eds {
			addr := "/summits/" + itoa(e.summit.ID)
			agenda := ta.client(t).get(addr)
			if agenda.Code != 200 || !strings.Contains(agenda.Body, e.title) || !strings.Contains(agenda.Body, e.session) {
				t.Fatalf("%s agenda: %d", e.title, agenda.Code)
			}
			other := eds[0]
			if other == e {
				other = eds[1]
			}
			if strings.Contains(agenda.Body, other.session) {
				t.Fatalf("%s shows the other edition's session", e.title)
			}
			if r := staffer.post(addr+"/sessions/"+itoa(e.sess.ID)+"/register", nil); r.Code != http.StatusSeeOther {
				t.Fatalf("register at %s: %d %s", e.title, r.Code, text(r.Body))
			}
			var n int64
			ta.DB.Model(&models.Registration{}).Where("session_id = ? AND person_id = ? AND status = ?", e.sess.ID, me.ID, models.RegConfirmed).Count(&n)
			if n != 1 {
				t.Fatalf("no seat at %s", e.title)
			}
			if r := ta.client(t).get(addr + "/program.pdf"); r.Code != 200 || r.Header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("%s program: %d %s", e.title, r.Code, r.Header.Get("Content-Type"))
			}
		}
		if r := staffer.get("/my/agenda"); !strings.Contains(r.Body, "Service Summit 2029") {
			t.Fatalf("my agenda: %s", text(r.Body))
		}
	})
}

// The speakers page of a new summit offers the speakers of earlier
// editions; adding one keeps them. Directory speakers show their
// department on the public session page.
func TestSpeakersPageKeepsEarlierSpeakers(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s := demoSummit(t, ta)
		next, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2030", StartDate: "2030-03-07", EndDate: "2030-03-07", TimeZone: "Europe/Amsterdam"})
		if err != nil {
			t.Fatal(err)
		}
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		// The demo: this year's speakers who spoke before, and last year's guest offered.
		demo := text(org.get("/organise/summits/" + itoa(s.ID) + "/speakers").Body)
		if !strings.Contains(demo, "spoke before") || !strings.Contains(demo, "From other editions 1 ") || !strings.Contains(demo, "Marta Kowalczyk Customer Experience Lab") {
			t.Fatalf("the demo's speakers page: %s", demo)
		}
		base := "/organise/summits/" + itoa(next.ID)
		page := org.get(base + "/speakers")
		var guest models.Speaker
		if err := ta.DB.Where("summit_id = ? AND person_id IS NULL", s.ID).First(&guest).Error; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text(page.Body), "From other editions") || !strings.Contains(page.Body, `action="`+base+`/speakers/`+itoa(guest.ID)+`/keep"`) {
			t.Fatalf("the speakers page does not offer earlier speakers: %s", text(page.Body))
		}
		res := org.post(base+"/speakers/"+itoa(guest.ID)+"/keep", nil)
		if res.Code != http.StatusSeeOther || res.Location != base+"/speakers" {
			t.Fatalf("keep: %d %s", res.Code, res.Location)
		}
		after := org.get(base + "/speakers")
		if !strings.Contains(text(after.Body), "added from an earlier edition") || strings.Contains(after.Body, `/speakers/`+itoa(guest.ID)+`/keep"`) {
			t.Fatalf("after keeping: %s", text(after.Body))
		}
		if again := org.post(base+"/speakers/"+itoa(guest.ID)+"/keep", nil); again.Code != http.StatusSeeOther || !strings.Contains(text(org.get(again.Location).Body), "Not added") {
			t.Fatalf("kept twice: %d", again.Code)
		}
		var n int64
		ta.DB.Model(&models.Speaker{}).Where("summit_id = ?", next.ID).Count(&n)
		if n != 1 {
			t.Fatalf("%d speakers", n)
		}
		// Zoë Ølberg gives the demo's keynote; the directory says Executive.
		var keynote models.Session
		ta.DB.Where("summit_id = ? AND title = ?", s.ID, "Everyone serves").First(&keynote)
		if body := text(ta.client(t).get("/summits/" + itoa(s.ID) + "/sessions/" + itoa(keynote.ID)).Body); !strings.Contains(body, "Zoë Ølberg Executive") {
			t.Fatalf("the keynote's speaker has no department: %s", body)
		}
	})
}
