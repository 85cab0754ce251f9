package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
	"summit/models/modelstest"
)

// awardsWorld is the demo summit plus a category whose window is open now and
// whose announcement is tomorrow, with people in every part of the story.
type awardsWorld struct {
	summit                        *models.Summit
	cat                           *models.AwardCategory
	nominator, nominee, judge, cj *models.Person
	staffer, organiser            *models.Person
}

func newAwardsWorld(t *testing.T, ta *testApp) *awardsWorld {
	t.Helper()
	s := demoSummit(t, ta)
	w := &awardsWorld{summit: s}
	w.nominator = ta.addPerson(t, "Nico Nominator", "nico@example.com", models.RoleStaff)
	w.nominee = ta.addPerson(t, "Quentin Quiet", "quentin@example.com", models.RoleStaff)
	w.judge = ta.addPerson(t, "Jade Judge", "jade@example.com", models.RoleStaff)
	w.cj = ta.addPerson(t, "Kit Conflicted", "kit@example.com", models.RoleStaff)
	w.staffer = ta.addPerson(t, "Sam Staff", "sam@example.com", models.RoleStaff)
	w.organiser = ta.addPerson(t, "Olive Organiser", "olive@example.com", models.RoleOrganiser)
	loc := s.Location()
	now := time.Now().In(loc)
	day := func(t time.Time) string { return t.In(loc).Format(models.DateLayout) }
	hm := func(t time.Time) string { return t.In(loc).Format("15:04") }
	opens, closes, announce := now.Add(-48*time.Hour), now.Add(24*time.Hour), now.Add(48*time.Hour)
	var err error
	w.cat, err = models.SaveCategory(ctx, ta.DB, models.Actor{Name: "test"}, s.ID, 0, models.CategoryInput{Name: "The Quiet Hero Award", Trait: "Focus",
		OpensDay: day(opens), OpensTime: hm(opens), ClosesDay: day(closes), ClosesTime: hm(closes), AnnounceDay: day(announce), AnnounceTime: hm(announce)}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *awardsWorld) signIn(t *testing.T, ta *testApp, p *models.Person) *client {
	c := ta.client(t)
	c.signIn(p.Email)
	return c
}

// A staff member nominates, a judge scores, an organiser picks the winner,
// and after the announcement the honorees page quotes the story.
func TestAwardsEndToEndOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		sid := itoa(w.summit.ID)
		org := w.signIn(t, ta, w.organiser)
		res := org.get("/organise/summits/" + sid + "/awards")
		if res.Code != 200 || !strings.Contains(text(res.Body), "The Quiet Hero Award") || !strings.Contains(res.Body, "?suggest=timeliness") {
			t.Fatalf("organiser overview: %d %s", res.Code, text(res.Body))
		}
		res = org.get("/organise/summits/" + sid + "/awards/new?suggest=kindness")
		if res.Code != 200 || !strings.Contains(res.Body, "The Kindness Award") {
			t.Fatalf("suggested category form: %d", res.Code)
		}
		res = org.post("/organise/summits/"+sid+"/awards/new", url.Values{"name": {"Bad"}, "opens_day": {"2027-03-02"}, "opens_time": {"09:00"}, "closes_day": {"2027-03-01"}, "closes_time": {"09:00"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "close after they open") || !strings.Contains(res.Body, `value="Bad"`) {
			t.Fatalf("bad category: %d %s", res.Code, text(res.Body))
		}
		cid := itoa(w.cat.ID)
		res = org.post("/organise/summits/"+sid+"/awards/"+cid+"/judges", url.Values{"person": {"Jade Judge (Customer Support)"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("add judge: %d %s", res.Code, text(res.Body))
		}

		staff := w.signIn(t, ta, w.nominator)
		res = staff.get("/summits/" + sid + "/awards/nominate")
		if res.Code != 200 || !strings.Contains(res.Body, `<datalist id="people">`) || !strings.Contains(res.Body, "Quentin Quiet (Customer Support)") {
			t.Fatalf("nominate form: %d", res.Code)
		}
		form := url.Values{"nominee": {"Quentin Quiet"}, "category_id": {cid}, "story": {"too short"}, "served": {"colleague"}, "quotable": {"1"}}
		res = staff.post("/summits/"+sid+"/awards/nominate", form)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "too short: 9 characters") || !strings.Contains(res.Body, "too short</textarea>") {
			t.Fatalf("short story: %d %s", res.Code, text(res.Body))
		}
		story := "Quentin rebuilt the shared calendar after it vanished the night before the audit, and stayed until every team had its bookings back."
		form.Set("story", story)
		if res = staff.post("/summits/"+sid+"/awards/nominate", form); res.Code != http.StatusSeeOther {
			t.Fatalf("nominate: %d %s", res.Code, text(res.Body))
		}
		if res = staff.post("/summits/"+sid+"/awards/nominate", form); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "already nominated Quentin Quiet") {
			t.Fatalf("twice: %d %s", res.Code, text(res.Body))
		}
		res = staff.get("/summits/" + sid + "/awards")
		if !strings.Contains(text(res.Body), "Quentin Quiet for The Quiet Hero Award") {
			t.Fatalf("my nominations: %s", text(res.Body))
		}
		var nom models.Nomination
		ta.DB.Where("category_id = ?", w.cat.ID).First(&nom)
		nid := itoa(nom.ID)

		judge := w.signIn(t, ta, w.judge)
		res = judge.get("/summits/" + sid + "/awards/judging/" + cid)
		if res.Code != 200 || !strings.Contains(text(res.Body), "Quentin Quiet") || strings.Contains(text(res.Body), "Nico Nominator") {
			t.Fatalf("judge queue (blind): %d %s", res.Code, text(res.Body))
		}
		res = judge.get("/summits/" + sid + "/awards/score/" + nid)
		if res.Code != 200 || !strings.Contains(res.Body, "shared calendar") {
			t.Fatalf("score form: %d", res.Code)
		}
		if res = judge.post("/summits/"+sid+"/awards/score/"+nid, url.Values{"c0": {"5"}}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "from 1 to 5") {
			t.Fatalf("partial score: %d", res.Code)
		}
		if res = judge.post("/summits/"+sid+"/awards/score/"+nid, url.Values{"c0": {"5"}, "c1": {"4"}, "c2": {"5"}, "comment": {"Lovely"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("score: %d %s", res.Code, text(res.Body))
		}
		// The nominee is no judge and learns nothing.
		nominee := w.signIn(t, ta, w.nominee)
		if res = nominee.get("/summits/" + sid + "/awards/score/" + nid); res.Code != http.StatusNotFound {
			t.Fatalf("nominee opens the score page: %d", res.Code)
		}

		res = org.get("/organise/summits/" + sid + "/awards/" + cid + "/results")
		if res.Code != 200 || !strings.Contains(text(res.Body), "4.67") || !strings.Contains(text(res.Body), "Fewer than 2 scores") || !strings.Contains(text(res.Body), "Lovely") {
			t.Fatalf("results: %d %s", res.Code, text(res.Body))
		}
		if res = org.post("/organise/summits/"+sid+"/awards/"+cid+"/winners", url.Values{"winner": {itoa(w.nominee.ID)}}); res.Code != http.StatusSeeOther {
			t.Fatalf("winners: %d %s", res.Code, text(res.Body))
		}
		for _, p := range []string{"/organise/summits/" + sid + "/awards/coverage", "/organise/summits/" + sid + "/awards/" + cid + "/judges", "/organise/summits/" + sid + "/awards/" + cid + "/edit", "/organise/summits/" + sid} {
			if res = org.get(p); res.Code != 200 {
				t.Fatalf("%s: %d", p, res.Code)
			}
		}
		res = org.get("/organise/summits/" + sid + "/awards/coverage")
		if !strings.Contains(text(res.Body), "Nobody has been nominated yet in:") || !strings.Contains(text(res.Body), "Legal") {
			t.Fatalf("coverage: %s", text(res.Body))
		}
		res = org.get("/organise/summits/" + sid + "/awards/nominations.csv")
		if res.Code != 200 || !strings.Contains(res.Body, "shared calendar") {
			t.Fatalf("csv: %d", res.Code)
		}

		visitor := ta.client(t)
		if res = visitor.get("/summits/" + sid + "/honorees"); strings.Contains(res.Body, "Quentin") {
			t.Fatal("honorees before the announcement")
		}
		ta.App.Now = func() time.Time { return w.cat.AnnounceAt.Add(time.Minute) }
		res = visitor.get("/summits/" + sid + "/honorees")
		if !strings.Contains(text(res.Body), "Quentin Quiet") || !strings.Contains(res.Body, "shared calendar") {
			t.Fatalf("honorees after: %s", text(res.Body))
		}
		res = nominee.get("/my/recognition")
		if !strings.Contains(text(res.Body), "The Quiet Hero Award") || !strings.Contains(text(res.Body), "congratulations") {
			t.Fatalf("my recognition: %s", text(res.Body))
		}
		// Once announced, the worker's periodic check tells the honoree (the
		// embargo canary holds that it does not before).
		if _, err := models.PeriodicNotices(ctx, ta.DB, ta.Now()); err != nil {
			t.Fatal(err)
		}
		if res = nominee.get("/notices"); !strings.Contains(text(res.Body), "You were recognised: The Quiet Hero Award") {
			t.Fatalf("the honoree's notices: %s", text(res.Body))
		}
	})
}

// The canary: a story with a unique marker, its nominator's unique name and a
// chosen winner are looked for in every route of ta.Routes() (so routes added
// later are covered too), in format variants, as a visitor, as staff, as the
// nominee, as a conflicted judge and as the category's judge (who may read
// the story but not who wrote it), before the announcement; after it, the
// honorees page quotes the story.
func TestAwardsCanaryNeverLeaksBeforeAnnouncement(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		marker := "CANARY-" + strings.ToUpper(models.RandomToken(6))
		story := "Quentin answered every call during the outage with calm and care. " + marker + " The customers still mention it."
		now := time.Now()
		// The nominator's name is a marker too: judging is blind, and nobody
		// learns who nominated whom before the announcement.
		nominator := ta.addPerson(t, "Nell "+nominatorMarker, "nell@example.com", models.RoleStaff)
		nom, err := models.Nominate(ctx, ta.DB, w.summit.ID, nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID), Story: story, Served: models.ServedCustomer, Quotable: true}, now)
		if err != nil {
			t.Fatal(err)
		}
		sys := models.Actor{Name: "test"}
		// Quentin judges his own category; Kit is assigned, then nominates
		// Quentin too: a conflict that appears after the assignment.
		for _, p := range []*models.Person{w.nominee, w.cj, w.judge} {
			if err := models.AddJudge(ctx, ta.DB, sys, w.summit.ID, w.cat.ID, p.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.cj.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID), Story: "Kit's own words about Quentin, long enough to count as a story for the award.", Served: models.ServedColleague}, now); err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveScore(ctx, ta.DB, w.summit.ID, w.judge.ID, nom.ID, models.ScoreInput{Points: []string{"5", "5", "5"}}, now); err != nil {
			t.Fatal(err)
		}
		if err := models.ChooseWinners(ctx, ta.DB, sys, w.summit.ID, w.cat.ID, []uint{w.nominee.ID}, "", now); err != nil {
			t.Fatal(err)
		}

		ids := routeParams(t, ta, w.summit)
		ids["category"], ids["nomination"], ids["person"] = itoa(w.cat.ID), itoa(nom.ID), itoa(w.nominee.ID)
		// Everyone signs in before the walk: its failed sign-in posts count
		// against this network's limit.
		judge, org := w.signIn(t, ta, w.judge), w.signIn(t, ta, w.organiser)
		walkCanary(t, ta, ids, "Quentin Quiet", []canaryRole{
			{name: "visitor", c: ta.client(t), never: []string{marker}, names: []string{nominatorMarker}},
			{name: "staff", c: w.signIn(t, ta, w.staffer), never: []string{marker}, names: []string{nominatorMarker}},
			{name: "nominee", c: w.signIn(t, ta, w.nominee), never: []string{marker}, names: []string{nominatorMarker}},
			{name: "conflicted judge", c: w.signIn(t, ta, w.cj), never: []string{marker}, names: []string{nominatorMarker}},
			// The category's own judge may read the story, not who wrote it.
			{name: "judge", c: judge, names: []string{nominatorMarker}},
		})
		// Sanity: the marker is there for those allowed to read it.
		if res := judge.get("/summits/" + itoa(w.summit.ID) + "/awards/score/" + itoa(nom.ID)); !strings.Contains(res.Body, marker) {
			t.Fatalf("the category's judge cannot read the story: %d", res.Code)
		}
		if res := org.get("/organise/summits/" + itoa(w.summit.ID) + "/awards/" + itoa(w.cat.ID) + "/results"); !strings.Contains(readable(t, res), nominatorMarker) {
			t.Fatalf("the organisers' results do not name the nominator, so the nominator check could not see a leak: %d", res.Code)
		}

		// After the announcement the honorees page quotes the story.
		past := time.Now().Add(-time.Minute).UTC()
		if err := ta.DB.Exec("UPDATE award_categories SET announce_at = ?, judging_closes_at = ? WHERE id = ?", past, past, w.cat.ID).Error; err != nil {
			t.Fatal(err)
		}
		res := ta.client(t).get(fmt.Sprintf("/summits/%d/honorees", w.summit.ID))
		if !strings.Contains(res.Body, marker) || !strings.Contains(text(res.Body), "Quentin Quiet") {
			t.Fatalf("after the announcement the honorees page does not quote the story: %s", text(res.Body))
		}
		if !winnerNearRe("Quentin Quiet").MatchString(text(res.Body)) {
			t.Fatalf("the winner check would not notice an announced winner: %s", text(res.Body))
		}
	})
}

// The same nominator, nominee and category sent ten times at once, spread
// over two app instances with their own pools (Postgres): one nomination,
// nine refusals with the "already nominated" message, never a 500.
func TestDuplicateNominationsAcrossInstances(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			w := newAwardsWorld(t, apps[0])
			clients := make([]*client, len(apps))
			for i, a := range apps {
				clients[i] = a.client(t)
				clients[i].signIn(w.nominator.Email)
				clients[i].csrf()
			}
			form := url.Values{"nominee": {"Quentin Quiet"}, "category_id": {itoa(w.cat.ID)}, "served": {"colleague"},
				"story": {"Quentin stayed late to move every booking by hand when the calendar system failed before the audit."}}
			const n = 10
			codes := make([]int, n)
			bodies := make([]string, n)
			fire(n, func(i int) {
				res := clients[i%len(clients)].post("/summits/"+itoa(w.summit.ID)+"/awards/nominate", url.Values(cloneValues(form)))
				codes[i], bodies[i] = res.Code, text(res.Body)
			})
			ok := 0
			for i, c := range codes {
				switch {
				case c == http.StatusSeeOther:
					ok++
				case c == http.StatusUnprocessableEntity && strings.Contains(bodies[i], "already nominated Quentin Quiet"):
				default:
					t.Errorf("request %d: %d %s", i, c, bodies[i])
				}
			}
			var rows int64
			apps[0].DB.Model(&models.Nomination{}).Where("category_id = ?", w.cat.ID).Count(&rows)
			if ok != 1 || rows != 1 {
				t.Fatalf("%d accepted, %d rows; want exactly one", ok, rows)
			}
		})
	}
}

func cloneValues(v url.Values) map[string][]string {
	out := map[string][]string{}
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
