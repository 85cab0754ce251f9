package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// Deleting a category with nominations over HTTP asks for its name on a page
// (works without JavaScript), keeps everything on a wrong name, and deletes on
// the right one.
func TestDeleteCategoryAsksForTheName(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		if _, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID),
			Story: "Quentin answered every call during the outage with calm and care, for hours.", Served: models.ServedCustomer}, time.Now()); err != nil {
			t.Fatal(err)
		}
		org := w.signIn(t, ta, w.organiser)
		path := "/organise/summits/" + itoa(w.summit.ID) + "/awards/" + itoa(w.cat.ID) + "/delete"
		res := org.post(path, url.Values{})
		if res.Code != http.StatusOK || !strings.Contains(text(res.Body), "holds 1 nomination") || !strings.Contains(res.Body, `name="confirm"`) {
			t.Fatalf("first delete: %d %s", res.Code, text(res.Body))
		}
		res = org.post(path, url.Values{"confirm": {"Quiet"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `value="Quiet"`) {
			t.Fatalf("wrong name: %d %s", res.Code, text(res.Body))
		}
		if _, err := models.GetCategory(ctx, ta.DB, w.summit.ID, w.cat.ID); err != nil {
			t.Fatalf("deleted on a wrong name: %v", err)
		}
		if res = org.post(path, url.Values{"confirm": {"The Quiet Hero Award"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("right name: %d %s", res.Code, text(res.Body))
		}
		if _, err := models.GetCategory(ctx, ta.DB, w.summit.ID, w.cat.ID); err == nil {
			t.Fatal("not deleted on the right name")
		}
	})
}

// What the pages say: a judge tells two nominations of one person apart by
// the story's beginning and sees the scale's meaning; the job title line has
// no stray comma; after the announcement the staff page speaks in the past
// and links the honorees.
func TestAwardsPagesReadWell(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		sid := itoa(w.summit.ID)
		now := time.Now()
		stories := []string{"Quentin answered every call during the outage with calm and care, for hours on end.", "Quentin taught the new starters the billing system, patiently, twice a week all winter."}
		var first *models.Nomination
		for i, by := range []*models.Person{w.nominator, w.staffer} {
			n, err := models.Nominate(ctx, ta.DB, w.summit.ID, by.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID), Story: stories[i], Served: models.ServedCustomer}, now)
			if err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = n
			}
		}
		if err := models.AddJudge(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, w.judge.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		ta.DB.Model(&models.Person{}).Where("id = ?", w.nominee.ID).Update("job_title", "")
		judge := w.signIn(t, ta, w.judge)
		res := judge.get("/summits/" + sid + "/awards/judging/" + itoa(w.cat.ID))
		if !strings.Contains(text(res.Body), "answered every call during the outage") || !strings.Contains(text(res.Body), "taught the new starters") {
			t.Fatalf("the queue does not tell the two nominations apart: %s", text(res.Body))
		}
		res = judge.get("/summits/" + sid + "/awards/score/" + itoa(first.ID))
		if strings.Contains(text(res.Body), ", Customer Support") || !strings.Contains(text(res.Body), "5 (outstanding)") {
			t.Fatalf("score page: %s", text(res.Body))
		}
		staff := w.signIn(t, ta, w.staffer)
		if res = staff.get("/summits/" + sid + "/awards"); !strings.Contains(text(res.Body), "Winners are announced on") {
			t.Fatalf("before: %s", text(res.Body))
		}
		ta.App.Now = func() time.Time { return w.cat.AnnounceAt.Add(time.Hour) }
		res = staff.get("/summits/" + sid + "/awards")
		if !strings.Contains(text(res.Body), "Winners were announced on") || !strings.Contains(text(res.Body), "see the honorees") {
			t.Fatalf("after: %s", text(res.Body))
		}
	})
}

// Markup typed into a story, a name, a department, a category or a reason is
// shown as text on every awards page, never run.
func TestAwardsEscapeWhatPeopleType(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>"'`
		sys := models.Actor{Name: "test"}
		ta.DB.Model(&models.Person{}).Where("id = ?", w.nominee.ID).Updates(map[string]any{"name": "Quentin " + evil, "department": "Support " + evil, "job_title": "Agent " + evil})
		ta.DB.Model(&models.AwardCategory{}).Where("id = ?", w.cat.ID).Updates(map[string]any{"name": "Hero " + evil, "trait": "Focus " + evil, "description": evil})
		now := time.Now()
		nom, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID),
			Story: "Quentin stayed calm all night long for our customers. " + evil, Served: models.ServedCustomer, Quotable: true}, now)
		if err != nil {
			t.Fatal(err)
		}
		if err := models.AddJudge(ctx, ta.DB, sys, w.summit.ID, w.cat.ID, w.judge.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveScore(ctx, ta.DB, w.summit.ID, w.judge.ID, nom.ID, models.ScoreInput{Points: []string{"5", "5", "5"}, Comment: evil}, now); err != nil {
			t.Fatal(err)
		}
		if err := models.ChooseWinners(ctx, ta.DB, sys, w.summit.ID, w.cat.ID, []uint{w.nominee.ID}, "", now); err != nil {
			t.Fatal(err)
		}
		sid, cid := itoa(w.summit.ID), itoa(w.cat.ID)
		check := func(who string, c *client, path string) {
			t.Helper()
			res := c.get(path)
			if res.Code != http.StatusOK {
				t.Fatalf("%s %s: %d", who, path, res.Code)
			}
			if strings.Contains(res.Body, "<script>alert") || strings.Contains(res.Body, "<img src=x") {
				t.Errorf("%s %s: typed markup reaches the page unescaped", who, path)
			}
		}
		org := w.signIn(t, ta, w.organiser)
		for _, p := range []string{"/organise/summits/" + sid + "/awards", "/organise/summits/" + sid + "/awards/" + cid + "/results", "/organise/summits/" + sid + "/awards/" + cid + "/judges",
			"/organise/summits/" + sid + "/awards/coverage", "/organise/summits/" + sid + "/awards/" + cid + "/edit", "/organise/summits/" + sid} {
			check("organiser", org, p)
		}
		judge := w.signIn(t, ta, w.judge)
		check("judge", judge, "/summits/"+sid+"/awards/judging/"+cid)
		check("judge", judge, "/summits/"+sid+"/awards/score/"+itoa(nom.ID))
		nominator := w.signIn(t, ta, w.nominator)
		check("nominator", nominator, "/summits/"+sid+"/awards")
		check("nominator", nominator, "/summits/"+sid+"/awards/nominations/"+itoa(nom.ID)+"/edit")
		check("nominator", nominator, "/summits/"+sid+"/awards/nominate")
		ta.App.Now = func() time.Time { return w.cat.AnnounceAt.Add(time.Minute) }
		check("visitor", ta.client(t), "/summits/"+sid+"/honorees")
		check("winner", w.signIn(t, ta, w.nominee), "/my/recognition")
	})
}

// Organisers see when a judge or a nominee has left (deactivated): a judge
// who can no longer sign in, a nominee who may no longer be with the company.
func TestAwardsShowWhoIsNoLongerActive(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		if _, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID),
			Story: "Quentin answered every call during the outage with calm and care, for hours.", Served: models.ServedCustomer}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := models.AddJudge(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, w.judge.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		org := w.signIn(t, ta, w.organiser)
		base := "/organise/summits/" + itoa(w.summit.ID) + "/awards/" + itoa(w.cat.ID)
		if strings.Contains(text(org.get(base+"/judges").Body), "No longer active") {
			t.Fatal("an active judge is marked inactive")
		}
		for _, p := range []*models.Person{w.judge, w.nominee} {
			if _, err := models.DeactivatePerson(ctx, ta.DB, models.ActorOf(nil, ""), p.ID); err != nil {
				t.Fatal(err)
			}
		}
		if res := org.get(base + "/judges"); !strings.Contains(text(res.Body), "No longer active") {
			t.Fatalf("judges page: %s", text(res.Body))
		}
		if res := org.get(base + "/results"); !strings.Contains(text(res.Body), "No longer active in the directory") {
			t.Fatalf("results page: %s", text(res.Body))
		}
	})
}

// An organiser who moves a coming announcement (winners chosen) more than a
// few minutes into the past is refused — a slip of the date would reveal the
// winners at once; announcing now works, and moving it back into the future
// hides the winners again (honorees page, My recognition).
func TestAnnouncementMovedBackHidesWinnersAgain(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		now := time.Now()
		if _, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID),
			Story: "Quentin answered every call during the outage with calm and care, for hours.", Served: models.ServedCustomer, Quotable: true}, now.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := models.ChooseWinners(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, []uint{w.nominee.ID}, "Only nominee", now); err != nil {
			t.Fatal(err)
		}
		loc := w.summit.Location()
		org := w.signIn(t, ta, w.organiser)
		edit := "/organise/summits/" + itoa(w.summit.ID) + "/awards/" + itoa(w.cat.ID) + "/edit"
		set := func(closes, announce time.Time) *response {
			t.Helper()
			v := url.Values{"name": {w.cat.Name}, "winners": {"1"},
				"opens_day": {w.cat.OpensAt.In(loc).Format(models.DateLayout)}, "opens_time": {w.cat.OpensAt.In(loc).Format("15:04")},
				"closes_day": {closes.In(loc).Format(models.DateLayout)}, "closes_time": {closes.In(loc).Format("15:04")},
				"announce_day": {announce.In(loc).Format(models.DateLayout)}, "announce_time": {announce.In(loc).Format("15:04")}}
			return org.post(edit, v)
		}
		honorees := "/summits/" + itoa(w.summit.ID) + "/honorees"
		winner := w.signIn(t, ta, w.nominee)
		// A slip into the past is refused: it would reveal the winners at once.
		res := set(now.Add(-2*time.Hour), now.Add(-time.Hour))
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "already past") {
			t.Fatalf("announcement moved an hour into the past: %d %s", res.Code, text(res.Body))
		}
		if strings.Contains(text(ta.client(t).get(honorees).Body), "Quentin Quiet") {
			t.Fatal("a refused edit revealed the winner")
		}
		// Announcing now is allowed.
		if res = set(now.Add(-30*time.Minute), now); res.Code != http.StatusSeeOther {
			t.Fatalf("announce now: %d %s", res.Code, text(res.Body))
		}
		if !strings.Contains(text(ta.client(t).get(honorees).Body), "Quentin Quiet") || !strings.Contains(text(winner.get("/my/recognition").Body), w.cat.Name) {
			t.Fatal("winners not shown after the announcement moved into the past")
		}
		if res = set(now.Add(-30*time.Minute), now.Add(48*time.Hour)); res.Code != http.StatusSeeOther {
			t.Fatalf("move back: %d %s", res.Code, text(res.Body))
		}
		if strings.Contains(text(ta.client(t).get(honorees).Body), "Quentin Quiet") {
			t.Fatal("the honorees page still names the winner after the announcement moved back")
		}
		if strings.Contains(text(winner.get("/my/recognition").Body), w.cat.Name) {
			t.Fatal("My recognition still shows the award after the announcement moved back")
		}
	})
}

// Two colleagues with the same name in the same department: the picker tells
// them apart by email, and the shared label nominates nobody rather than the
// wrong one.
func TestNominatePickerTellsNamesakesApart(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		a1 := ta.addPerson(t, "Alex Kim", "alex.kim1@example.com", models.RoleStaff)
		a2 := ta.addPerson(t, "Alex Kim", "alex.kim2@example.com", models.RoleStaff)
		staff := w.signIn(t, ta, w.nominator)
		sid := itoa(w.summit.ID)
		res := staff.get("/summits/" + sid + "/awards/nominate")
		if !strings.Contains(res.Body, "Alex Kim (Customer Support, alex.kim2@example.com)") || strings.Contains(res.Body, `value="Alex Kim (Customer Support)"`) {
			t.Fatalf("the picker does not tell the namesakes apart")
		}
		form := url.Values{"nominee": {"Alex Kim (Customer Support)"}, "category_id": {itoa(w.cat.ID)}, "served": {"colleague"},
			"story": {"Alex sorted out the whole returns backlog in a week and phoned every customer who had waited."}}
		if res = staff.post("/summits/"+sid+"/awards/nominate", form); res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("an ambiguous label was accepted: %d", res.Code)
		}
		form.Set("nominee", "Alex Kim (Customer Support, alex.kim2@example.com)")
		if res = staff.post("/summits/"+sid+"/awards/nominate", form); res.Code != http.StatusSeeOther {
			t.Fatalf("nominate the second Alex: %d %s", res.Code, text(res.Body))
		}
		var got []uint
		ta.DB.Model(&models.Nomination{}).Where("category_id = ?", w.cat.ID).Pluck("nominee_id", &got)
		if len(got) != 1 || got[0] != a2.ID || got[0] == a1.ID {
			t.Fatalf("nominated %v, want only %d", got, a2.ID)
		}
	})
}

// Organisers see on the judges page which judge is nominated in the category
// (and so does not count); the judge's own pages say nothing of it.
func TestJudgesPageShowsNominatedJudge(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		if err := models.AddJudge(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, w.judge.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		org := w.signIn(t, ta, w.organiser)
		page := "/organise/summits/" + itoa(w.summit.ID) + "/awards/" + itoa(w.cat.ID) + "/judges"
		if strings.Contains(text(org.get(page).Body), "Nominated in this category") {
			t.Fatal("marked before any nomination")
		}
		if _, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.judge.ID),
			Story: "Jade answered every call during the outage with calm and care, for hours.", Served: models.ServedCustomer}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text(org.get(page).Body), "Nominated in this category") {
			t.Fatal("the organiser is not told that a judge is nominated in the category")
		}
		judge := w.signIn(t, ta, w.judge)
		for _, p := range []string{"/summits/" + itoa(w.summit.ID) + "/awards", "/summits/" + itoa(w.summit.ID) + "/awards/judging/" + itoa(w.cat.ID)} {
			if b := text(judge.get(p).Body); strings.Contains(b, "Nominated in this category") || strings.Contains(b, "do not count") {
				t.Fatalf("%s tells the judge they are nominated", p)
			}
		}
	})
}

// A judge of another category, and a judge of this one who is conflicted,
// guess nomination ids in the score, recuse and judging URLs: every answer is
// a plain 404 and nothing is saved.
func TestJudgesGuessingIDsGetNotFoundAndChangeNothing(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		sys := models.Actor{Name: "test"}
		now := time.Now()
		nom, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID),
			Story: "Quentin answered every call during the outage with calm and care, for hours.", Served: models.ServedCustomer}, now)
		if err != nil {
			t.Fatal(err)
		}
		loc := w.summit.Location()
		other, err := models.SaveCategory(ctx, ta.DB, sys, w.summit.ID, 0, models.CategoryInput{Name: "Other Award",
			OpensDay: w.cat.OpensAt.In(loc).Format(models.DateLayout), OpensTime: w.cat.OpensAt.In(loc).Format("15:04"),
			ClosesDay: w.cat.ClosesAt.In(loc).Format(models.DateLayout), ClosesTime: w.cat.ClosesAt.In(loc).Format("15:04"),
			AnnounceDay: w.cat.AnnounceAt.In(loc).Format(models.DateLayout), AnnounceTime: w.cat.AnnounceAt.In(loc).Format("15:04")}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := models.AddJudge(ctx, ta.DB, sys, w.summit.ID, other.ID, w.judge.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := models.AddJudge(ctx, ta.DB, sys, w.summit.ID, w.cat.ID, w.nominator.ID, time.Now()); err != nil { // judges the category, wrote the nomination
			t.Fatal(err)
		}
		base := "/summits/" + itoa(w.summit.ID) + "/awards"
		for _, p := range []*models.Person{w.judge, w.nominator} {
			c := w.signIn(t, ta, p)
			for _, id := range []uint{nom.ID, nom.ID + 1, 0} {
				for _, r := range []*response{
					c.get(base + "/score/" + itoa(id)),
					c.post(base+"/score/"+itoa(id), url.Values{"c0": {"5"}, "c1": {"5"}, "c2": {"5"}}),
					c.post(base+"/score/"+itoa(id)+"/recuse", url.Values{"reason": {"curious"}}),
				} {
					if r.Code != http.StatusNotFound || strings.Contains(r.Body, "outage") {
						t.Fatalf("%s, nomination %d: %d", p.Name, id, r.Code)
					}
				}
			}
		}
		if r := w.signIn(t, ta, w.judge).get(base + "/judging/" + itoa(w.cat.ID)); r.Code != http.StatusNotFound {
			t.Fatalf("a judge of another category opens this category's queue: %d", r.Code)
		}
		var demo int64
		ta.DB.Model(&models.AwardScore{}).Where("nomination_id = ?", nom.ID).Count(&demo)
		if demo != 0 {
			t.Fatalf("%d scores saved on the guessed nomination", demo)
		}
		ta.DB.Model(&models.AwardRecusal{}).Where("nomination_id = ?", nom.ID).Count(&demo)
		if demo != 0 {
			t.Fatalf("%d recusals saved on the guessed nomination", demo)
		}
	})
}
