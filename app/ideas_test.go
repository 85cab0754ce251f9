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
	"summit/models/modelstest"
)

// ideasWorld is a published summit with a strategy workshop, taking ideas
// from yesterday for a month.
type ideasWorld struct {
	summit   *models.Summit
	workshop *models.Session
	base     string // /summits/N/ideas
	org      string // /organise/summits/N
}

func newIdeasWorld(t *testing.T, db *gorm.DB, budget int) *ideasWorld {
	t.Helper()
	s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2030", StartDate: "2030-05-06", EndDate: "2030-05-07", TimeZone: "Europe/Warsaw"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), s.ID, models.StatusPublished); err != nil {
		t.Fatal(err)
	}
	tracks, err := models.ListTracks(ctx, db, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	var strat uint
	for _, tr := range tracks {
		if tr.Pillar == models.PillarStrategize {
			strat = tr.ID
		}
	}
	res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Strategy workshop: service in the year ahead", Kind: models.KindTraining,
		Day: "2030-05-06", StartTime: "15:30", EndTime: "17:00", TrackID: itoa(strat)}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	loc := s.Location()
	from, to := time.Now().In(loc).AddDate(0, 0, -1), time.Now().In(loc).AddDate(0, 1, 0)
	if _, err := models.SetIdeaSettings(ctx, db, models.Actor{Name: "test"}, s.ID, models.IdeaSettingsInput{OpensDay: from.Format(models.DateLayout), OpensTime: "09:00",
		ClosesDay: to.Format(models.DateLayout), ClosesTime: "09:00", Budget: fmt.Sprint(budget)}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return &ideasWorld{summit: s, workshop: res.Session, base: "/summits/" + itoa(s.ID) + "/ideas", org: "/organise/summits/" + itoa(s.ID)}
}

func (w *ideasWorld) idea(t *testing.T, db *gorm.DB, author *models.Person, title string, anonymous bool) *models.Idea {
	t.Helper()
	i, err := models.SubmitIdea(ctx, db, models.ActorOf(author, ""), w.summit.ID, author.ID, models.IdeaInput{Title: title,
		Change: "People reach someone who can help the first time.", Helps: models.HelpsCustomers, Anonymous: anonymous}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// Over HTTP: a bad idea gets field messages with the input kept (422); a
// good one is posted, voted for, commented on; an organiser shortlists it
// and the (cached) session page lists it on the next request; hiding needs
// a reason and is audited with it.
func TestIdeasOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newIdeasWorld(t, ta.DB, 3)
		staff, me := ta.signedIn(t, models.RoleStaff)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		if res := staff.get("/ideas"); res.Code != http.StatusSeeOther || res.Location != w.base {
			t.Fatalf("/ideas: %d %s", res.Code, res.Location)
		}
		res := staff.post(w.base+"/new", url.Values{"title": {"Call back\twithin a day"}, "change": {"We count tickets closed per hour."}, "helps": {"nobody"}})
		body := text(res.Body)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "one line") || !strings.Contains(body, "Choose whom it helps") || !strings.Contains(res.Body, "We count tickets closed per hour.") {
			t.Fatalf("bad idea: %d %s", res.Code, body)
		}
		if !strings.Contains(body, "“ticket") {
			t.Fatalf("the re-rendered form has no word hint beside the field: %s", body)
		}
		res = staff.post(w.base+"/new", url.Values{"title": {"Call back within a day"}, "change": {"We count tickets closed per hour; let us count callbacks kept."}, "helps": {"customers"}})
		if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Location, w.base+"/") {
			t.Fatalf("good idea: %d %s", res.Code, text(res.Body))
		}
		ideaPath := res.Location
		page := staff.get(ideaPath)
		if !strings.Contains(text(page.Body), "Thank you — your idea is posted. A note on words") || !strings.Contains(text(page.Body), me.Name) {
			t.Fatalf("idea page after posting (flash with the hint, the author's name): %s", text(page.Body))
		}
		if res := staff.post(ideaPath+"/vote", nil); res.Code != http.StatusSeeOther {
			t.Fatalf("vote: %d %s", res.Code, text(res.Body))
		}
		if res := staff.post(ideaPath+"/vote", nil); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "already voted") {
			t.Fatalf("second vote: %d %s", res.Code, text(res.Body))
		}
		if res := staff.post(ideaPath+"/comments", url.Values{"body": {" "}}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Comment is required") {
			t.Fatalf("empty comment: %d %s", res.Code, text(res.Body))
		}
		if res := staff.post(ideaPath+"/comments", url.Values{"body": {"Yes — and tell them when."}}); res.Code != http.StatusSeeOther {
			t.Fatalf("comment: %d", res.Code)
		}
		list := text(staff.get(w.base).Body)
		if !strings.Contains(list, "1 vote") || !strings.Contains(list, "You have 2 of 3 votes left") || !strings.Contains(list, "1 comment") {
			t.Fatalf("list: %s", list)
		}
		// The session page is cached: it shows the shortlist on the next request.
		sessPath := "/summits/" + itoa(w.summit.ID) + "/sessions/" + itoa(w.workshop.ID)
		if strings.Contains(text(staff.get(sessPath).Body), "Call back within a day") {
			t.Fatal("the session lists the idea before it is shortlisted")
		}
		orgPath := strings.Replace(ideaPath, "/summits/", "/organise/summits/", 1)
		if res := staff.post(orgPath+"/shortlist", url.Values{"session_id": {itoa(w.workshop.ID)}}); res.Code != http.StatusForbidden {
			t.Fatalf("staff shortlisting: %d", res.Code)
		}
		for _, bad := range []string{"-1", "abc", "9223372036854775808", "999999999"} {
			res := org.post(orgPath+"/shortlist", url.Values{"session_id": {bad}})
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="f-session_id-err"`) || !strings.Contains(text(res.Body), "Choose a session of this summit's strategize track.") {
				t.Fatalf("shortlist into %q: %d %s", bad, res.Code, text(res.Body))
			}
		}
		if res := org.post(orgPath+"/shortlist", url.Values{"session_id": {itoa(w.workshop.ID)}}); res.Code != http.StatusSeeOther {
			t.Fatalf("shortlist: %d %s", res.Code, text(res.Body))
		}
		for _, c := range []*client{staff, ta.client(t)} {
			if body := text(c.get(sessPath).Body); !strings.Contains(body, "Ideas on the table") || !strings.Contains(body, "Call back within a day") {
				t.Fatalf("session page after the shortlist: %s", body)
			}
		}
		orgList := text(org.get(w.org + "/ideas").Body)
		if !strings.Contains(orgList, "Customer Support") || !strings.Contains(orgList, "Strategy workshop") {
			t.Fatalf("organisers' list: %s", orgList)
		}
		if res := org.post(orgPath+"/hide", url.Values{"reason": {""}}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Reason is required") {
			t.Fatalf("hide without a reason: %d %s", res.Code, text(res.Body))
		}
		if res := org.post(orgPath+"/hide", url.Values{"reason": {"Test of hiding"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("hide: %d", res.Code)
		}
		if strings.Contains(text(staff.get(sessPath).Body), "Call back within a day") {
			t.Fatal("a hidden idea stays on the session page")
		}
		other, _ := ta.signedIn(t, models.RoleStaff)
		if res := other.get(ideaPath); res.Code != http.StatusNotFound {
			t.Fatalf("a hidden idea for another person: %d", res.Code)
		}
		ev, err := models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "idea.hide"})
		if err != nil || len(ev) != 1 || !strings.Contains(ev[0].Summary, "Test of hiding") {
			t.Fatalf("audit: %+v %v", ev, err)
		}
	})
}

// One person's 50 parallel votes, spread over two app instances on
// Postgres, never exceed the budget; two people voting for one idea at once
// never lose a vote. 5 rounds, released together.
func TestVoteBudgetAcrossInstances(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			db := apps[0].DB
			w := newIdeasWorld(t, db, 5)
			author := apps[0].addPerson(t, "Ida Author", "ida@example.com", models.RoleStaff)
			ideas := make([]*models.Idea, 10)
			for i := range ideas {
				ideas[i] = w.idea(t, db, author, fmt.Sprintf("Idea %d", i), false)
			}
			const rounds, n = 5, 50
			users := makeUsers(t, db, rounds*3, "Voter")
			for round := 0; round < rounds; round++ {
				u := users[round*3]
				codes := make([]int, n)
				bodies := make([]string, n)
				fire(n, func(i int) {
					var err error
					codes[i], bodies[i], err = postAs(apps[i%len(apps)], u, w.base+"/"+itoa(ideas[i%len(ideas)].ID)+"/vote", nil)
					if err != nil {
						bodies[i] = err.Error()
					}
				})
				ok := 0
				for i, c := range codes {
					body := text(bodies[i])
					switch {
					case c == http.StatusSeeOther:
						ok++
					case c == http.StatusUnprocessableEntity && (strings.Contains(body, "used all 5") || strings.Contains(body, "already voted")):
					default:
						t.Fatalf("round %d request %d: %d %.300s", round, i, c, body)
					}
				}
				var held int64
				db.Raw("SELECT COUNT(*) FROM idea_votes WHERE person_id = ?", u.ID).Scan(&held)
				if ok != 5 || held != 5 {
					t.Fatalf("round %d: %d votes accepted, %d stored; want exactly the budget, 5", round, ok, held)
				}
				pair := users[round*3+1 : round*3+3]
				target := ideas[(round+3)%len(ideas)]
				var before, after int64
				db.Raw("SELECT COUNT(*) FROM idea_votes WHERE idea_id = ?", target.ID).Scan(&before)
				pcodes := make([]int, 2)
				fire(2, func(i int) {
					pcodes[i], _, _ = postAs(apps[i%len(apps)], pair[i], w.base+"/"+itoa(target.ID)+"/vote", nil)
				})
				db.Raw("SELECT COUNT(*) FROM idea_votes WHERE idea_id = ?", target.ID).Scan(&after)
				if pcodes[0] != http.StatusSeeOther || pcodes[1] != http.StatusSeeOther || after != before+2 {
					t.Fatalf("round %d: two people voting at once: %v, votes %d → %d", round, pcodes, before, after)
				}
			}
		})
	}
}

// An idea posted without a name never names its author: every route of the
// router (pages in every format variant, CSV, JSON, PDFs, calendars, the
// audit log), GET and POST, as a visitor, a colleague, an organiser and an
// admin, with the idea shortlisted into the workshop, voted for and
// commented on. Only the staff directory's own pages (admins) and the
// type-ahead lists may name the person — as a member of staff. The named
// idea beside it is the control: its author's name is on its page.
func TestAnonymousIdeaAuthorNeverAppears(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newIdeasWorld(t, ta.DB, 5)
		author := "Nell " + "ANON-" + strings.ToUpper(models.RandomToken(6))
		nell := ta.addPerson(t, author, "nell@example.com", models.RoleStaff)
		named := ta.addPerson(t, "Nadia Named", "nadia@example.com", models.RoleStaff)
		anon := w.idea(t, ta.DB, nell, "Let the night shift choose its own breaks", true)
		control := w.idea(t, ta.DB, named, "Shadow a colleague for a day", false)
		sys := models.Actor{Name: "test"}
		if err := models.ShortlistIdea(ctx, ta.DB, sys, w.summit.ID, anon.ID, w.workshop.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := models.TagIdea(ctx, ta.DB, sys, w.summit.ID, anon.ID, "rota, wellbeing", time.Now()); err != nil {
			t.Fatal(err)
		}
		staffC, voter := ta.signedIn(t, models.RoleStaff)
		if err := models.Vote(ctx, ta.DB, w.summit.ID, anon.ID, voter.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := models.CommentOnIdea(ctx, ta.DB, w.summit.ID, anon.ID, voter.ID, "Yes please.", time.Now()); err != nil {
			t.Fatal(err)
		}
		if body := text(staffC.get(w.base + "/" + itoa(control.ID)).Body); !strings.Contains(body, "Nadia Named") {
			t.Fatalf("the control: a named idea's page names its author: %s", body)
		}
		if body := text(staffC.get(w.base + "/" + itoa(anon.ID)).Body); !strings.Contains(body, "Posted without a name") {
			t.Fatalf("the anonymous idea's page: %s", body)
		}
		orgC, _ := ta.signedIn(t, models.RoleOrganiser)
		adminC, _ := ta.signedIn(t, models.RoleAdmin)
		ids := routeParams(t, ta, w.summit)
		ids["idea"], ids["session"], ids["person"] = itoa(anon.ID), itoa(w.workshop.ID), itoa(named.ID)
		walkCanary(t, ta, ids, "Nobody Wins-"+models.RandomToken(4), []canaryRole{
			{name: "visitor", c: ta.client(t), names: []string{author}},
			{name: "colleague", c: staffC, names: []string{author}},
			{name: "organiser", c: orgC, names: []string{author}, organiser: true, directory: true},
			{name: "admin", c: adminC, names: []string{author}, organiser: true, directory: true},
		})
	})
}
