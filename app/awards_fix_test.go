package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
	"summit/models/modelstest"
)

// judgingRace is an awards world whose judge is signed in on every app
// instance (two on Postgres), with nominations to race on.
type judgingRace struct {
	w       *awardsWorld
	apps    []*testApp
	clients []*client
	noms    []*models.Nomination
}

func newJudgingRace(t *testing.T, dialect string, nominations int) *judgingRace {
	t.Helper()
	apps := loadApps(t, dialect)
	w := newAwardsWorld(t, apps[0])
	if err := models.AddJudge(ctx, apps[0].DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, w.judge.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	r := &judgingRace{w: w, apps: apps}
	for i := 0; i < nominations; i++ {
		who := apps[0].addPerson(t, "Race Nominee "+itoa(uint(i)), "race-nominee-"+itoa(uint(i))+"@example.com", models.RoleStaff)
		n, err := models.Nominate(ctx, apps[0].DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(who.ID),
			Story: "Stayed with a customer through a long evening until the heating worked again, calm all the way.", Served: models.ServedCustomer}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		r.noms = append(r.noms, n)
	}
	for _, a := range apps {
		c := a.client(t)
		c.signIn(w.judge.Email)
		c.csrf()
		r.clients = append(r.clients, c)
	}
	return r
}

func (r *judgingRace) scorePath(n *models.Nomination) string {
	return "/summits/" + itoa(r.w.summit.ID) + "/awards/score/" + itoa(n.ID)
}

// stored counts the judge's scores and recusals of a nomination.
func (r *judgingRace) stored(t *testing.T, n *models.Nomination) (scores, recusals int64) {
	t.Helper()
	db := r.apps[0].DB
	if err := db.Model(&models.AwardScore{}).Where("nomination_id = ? AND judge_id = ?", n.ID, r.w.judge.ID).Count(&scores).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.Model(&models.AwardRecusal{}).Where("nomination_id = ? AND judge_id = ?", n.ID, r.w.judge.ID).Count(&recusals).Error; err != nil {
		t.Fatal(err)
	}
	return scores, recusals
}

// Item 4: a score and a recusal sent by one judge at the same moment (from
// two instances on Postgres): exactly one is stored, the other request gets a
// clear refusal (never a 500), and a recused judge's score never counts.
func TestJudgeScoreAndRecusalAtOnceOneWins(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			const rounds = 8
			r := newJudgingRace(t, d, rounds)
			for round, n := range r.noms {
				codes, bodies := make([]int, 2), make([]string, 2)
				fire(2, func(i int) {
					c := r.clients[(round+i)%len(r.clients)]
					var res *response
					if i == 0 {
						res = c.post(r.scorePath(n), url.Values{"c0": {"5"}, "c1": {"5"}, "c2": {"5"}, "comment": {"Wonderful"}})
					} else {
						res = c.post(r.scorePath(n)+"/recuse", url.Values{"reason": {"She is my neighbour"}})
					}
					codes[i], bodies[i] = res.Code, text(res.Body)
				})
				scores, recusals := r.stored(t, n)
				if scores+recusals != 1 {
					t.Fatalf("round %d: %d score(s) and %d recusal(s) stored; exactly one must win (answers %v)", round, scores, recusals, codes)
				}
				for i, code := range codes {
					switch {
					case code == http.StatusSeeOther:
					case code == http.StatusUnprocessableEntity && i == 0 && strings.Contains(bodies[i], "You recused yourself from this nomination"):
					default:
						t.Errorf("round %d, request %d: %d %s", round, i, code, bodies[i])
					}
				}
			}
			_, rows, err := models.Results(ctx, r.apps[0].DB, r.w.summit.ID, r.w.cat.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, row := range rows {
				_, recusals := r.stored(t, &row.Nominations[0])
				if recusals == 1 && row.Scores != 0 {
					t.Fatalf("%s: the recused judge's score counts (%d scores)", row.Nominee.Name, row.Scores)
				}
			}
		})
	}
}

// Item 4: a judge's first score, and a recusal, each sent six times at once
// over two instances: one row each, never a 500; every repeated score answers
// "saved" (it is the same score), every repeated recusal says it was already
// recorded.
func TestJudgeFirstScoreOrRecusalTwiceAtOnce(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			r := newJudgingRace(t, d, 2)
			const n = 6
			codes, bodies := make([]int, n), make([]string, n)
			fire(n, func(i int) {
				res := r.clients[i%len(r.clients)].post(r.scorePath(r.noms[0]), url.Values{"c0": {"4"}, "c1": {"4"}, "c2": {"5"}})
				codes[i], bodies[i] = res.Code, text(res.Body)
			})
			for i, c := range codes {
				if c != http.StatusSeeOther {
					t.Errorf("score %d: %d %s", i, c, bodies[i])
				}
			}
			if scores, _ := r.stored(t, r.noms[0]); scores != 1 {
				t.Fatalf("%d scores stored, want 1", scores)
			}
			fire(n, func(i int) {
				res := r.clients[i%len(r.clients)].post(r.scorePath(r.noms[1])+"/recuse", url.Values{"reason": {"I trained her last year"}})
				codes[i], bodies[i] = res.Code, text(res.Body)
			})
			ok := 0
			for i, c := range codes {
				switch {
				case c == http.StatusSeeOther:
					ok++
				case c == http.StatusUnprocessableEntity && strings.Contains(bodies[i], "You have already recused yourself from this nomination"):
				default:
					t.Errorf("recusal %d: %d %s", i, c, bodies[i])
				}
			}
			if _, recusals := r.stored(t, r.noms[1]); recusals != 1 || ok != 1 {
				t.Fatalf("%d recusals stored, %d accepted; want exactly one", recusals, ok)
			}
		})
	}
}

// Item 2 over HTTP: an organiser who moves the awards ceremony (which an
// announcement with a chosen winner follows) to yesterday gets the session
// form back (422) with the reason next to the start time, and the honorees
// page still names nobody; moving it to another day still to come works.
func TestCeremonyMovedIntoThePastOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		loc, _ := time.LoadLocation("Europe/Amsterdam")
		day := func(d int) string { return time.Now().In(loc).AddDate(0, 0, d).Format(models.DateLayout) }
		s, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Live Summit", StartDate: day(-2), EndDate: day(2), TimeZone: loc.String()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), s.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		res, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Awards ceremony", Kind: models.KindCeremony, Day: day(1), StartTime: "13:30", EndTime: "15:00"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		cat, err := models.SaveCategory(ctx, ta.DB, models.Actor{Name: "test"}, s.ID, 0, models.CategoryInput{Name: "The Quiet Hero Award", OpensDay: day(-10), OpensTime: "09:00", ClosesDay: day(-3), ClosesTime: "17:00"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		nominator := ta.addPerson(t, "Nico Nominator", "nico@example.com", models.RoleStaff)
		nominee := ta.addPerson(t, "Quentin Quiet", "quentin@example.com", models.RoleStaff)
		if _, err := models.Nominate(ctx, ta.DB, s.ID, nominator.ID, models.NominationInput{CategoryID: itoa(cat.ID), NomineeID: itoa(nominee.ID),
			Story: "Quentin answered every call during the outage with calm and care, for hours.", Served: models.ServedCustomer, Quotable: true}, cat.OpensAt.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := models.ChooseWinners(ctx, ta.DB, models.Actor{Name: "test"}, s.ID, cat.ID, []uint{nominee.ID}, "Only nominee", time.Now()); err != nil {
			t.Fatal(err)
		}
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		edit := "/organise/summits/" + itoa(s.ID) + "/sessions/" + itoa(res.Session.ID) + "/edit"
		form := url.Values{"title": {"Awards ceremony"}, "kind": {string(models.KindCeremony)}, "day": {day(-1)}, "start_time": {"10:00"}, "end_time": {"11:30"}}
		got := org.post(edit, form)
		if got.Code != http.StatusUnprocessableEntity || !strings.Contains(text(got.Body), "“The Quiet Hero Award” would then be announced on") ||
			!strings.Contains(text(got.Body), "its chosen winners would be revealed at once") || !strings.Contains(got.Body, `value="10:00"`) {
			t.Fatalf("ceremony moved to yesterday: %d %s", got.Code, text(got.Body))
		}
		honorees := "/summits/" + itoa(s.ID) + "/honorees"
		if body := text(ta.client(t).get(honorees).Body); strings.Contains(body, "Quentin Quiet") {
			t.Fatalf("the refused move revealed the winner: %s", body)
		}
		form.Set("day", day(2))
		if got = org.post(edit, form); got.Code != http.StatusSeeOther {
			t.Fatalf("ceremony moved to a day still to come: %d %s", got.Code, text(got.Body))
		}
		want, _ := models.LocalTime(loc, day(2), "10:00")
		if c, _ := models.GetCategory(ctx, ta.DB, s.ID, cat.ID); !c.AnnounceAt.Equal(want) {
			t.Fatalf("the announcement did not follow the ceremony: %v, want %v", c.AnnounceAt, want)
		}
	})
}

// categoryForm reads every field of the category form as the page shows it.
func categoryFormValues(body string) url.Values {
	v := url.Values{}
	for _, f := range []string{"name", "trait", "description", "criteria", "winners", "opens_day", "opens_time", "closes_day", "closes_time",
		"announce_day", "announce_time", "judging_day", "judging_time"} {
		v.Set(f, fieldValue(body, f))
	}
	return v
}

// Item 19: the edit form of a category whose announcement follows the
// ceremony and whose judging closes at the announcement shows both empty (as
// they were entered), so an organiser who types an earlier announcement and
// saves is not blocked by a judging close the form filled in; judging then
// closes at the new announcement.
func TestCategoryEditLeavesDerivedDatesEmpty(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		loc := w.summit.Location()
		ceremony, err := models.CeremonyStart(ctx, ta.DB, w.summit.ID)
		if err != nil || ceremony == nil {
			t.Fatalf("the demo has no ceremony: %v", err)
		}
		in := models.CategoryInput{Name: "The Flexibility Award", OpensDay: w.cat.OpensAt.In(loc).Format(models.DateLayout), OpensTime: "09:00",
			ClosesDay: w.cat.ClosesAt.In(loc).Format(models.DateLayout), ClosesTime: "17:00"}
		cat, err := models.SaveCategory(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, 0, in, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		org := w.signIn(t, ta, w.organiser)
		edit := "/organise/summits/" + itoa(w.summit.ID) + "/awards/" + itoa(cat.ID) + "/edit"
		res := org.get(edit)
		form := categoryFormValues(res.Body)
		for _, f := range []string{"announce_day", "announce_time", "judging_day", "judging_time"} {
			if form.Get(f) != "" {
				t.Fatalf("the edit form fills the derived %s with %q", f, form.Get(f))
			}
		}
		if form.Get("name") != "The Flexibility Award" || form.Get("closes_time") != "17:00" {
			t.Fatalf("the edit form lost what was typed: %v", form)
		}
		earlier := ceremony.Add(-3 * time.Hour).In(loc)
		form.Set("announce_day", earlier.Format(models.DateLayout))
		form.Set("announce_time", earlier.Format("15:04"))
		if res = org.post(edit, form); res.Code != http.StatusSeeOther {
			t.Fatalf("moving the announcement earlier: %d %s", res.Code, text(res.Body))
		}
		got, _ := models.GetCategory(ctx, ta.DB, w.summit.ID, cat.ID)
		if !got.AnnounceAt.Equal(earlier) || !got.JudgingClosesAt.Equal(earlier) {
			t.Fatalf("announcement %v, judging closes %v; want both at %v", got.AnnounceAt, got.JudgingClosesAt, earlier)
		}
		// A judging close of its own stays in the form.
		if res = org.get(edit); fieldValue(res.Body, "announce_day") != earlier.Format(models.DateLayout) || fieldValue(res.Body, "judging_day") != "" {
			t.Fatalf("after the move: announce %q, judging %q", fieldValue(res.Body, "announce_day"), fieldValue(res.Body, "judging_day"))
		}
	})
}

// Item 19: the organiser's suggestions leave out categories the summit
// already has (by name or trait), and a suggestion's form comes with a
// nomination window (today 09:00 to 17:00 the day before the ceremony) that
// can be saved as it is.
func TestSuggestedCategoriesSkipExistingAndFillAWindow(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		org := w.signIn(t, ta, w.organiser)
		base := "/organise/summits/" + itoa(w.summit.ID) + "/awards"
		res := org.get(base)
		// The demo has Patience, Turnaround (damage control), Kindness and Many Voices; the world adds a Focus category.
		for _, gone := range []string{"patience", "damage-control", "kindness", "communication", "focus"} {
			if strings.Contains(res.Body, "?suggest="+gone+`"`) {
				t.Errorf("the summit already has the %s category, yet it is suggested", gone)
			}
		}
		for _, left := range []string{"timeliness", "flexibility", "quality"} {
			if !strings.Contains(res.Body, "?suggest="+left+`"`) {
				t.Errorf("the %s suggestion is missing", left)
			}
		}
		res = org.get(base + "/new?suggest=timeliness")
		form := categoryFormValues(res.Body)
		loc := w.summit.Location()
		ceremony, _ := models.CeremonyStart(ctx, ta.DB, w.summit.ID)
		if want := time.Now().In(loc).Format(models.DateLayout); form.Get("opens_day") != want || form.Get("opens_time") != "09:00" {
			t.Fatalf("opens %s %s, want %s 09:00", form.Get("opens_day"), form.Get("opens_time"), want)
		}
		if want := ceremony.In(loc).AddDate(0, 0, -1).Format(models.DateLayout); form.Get("closes_day") != want || form.Get("closes_time") != "17:00" {
			t.Fatalf("closes %s %s, want %s 17:00", form.Get("closes_day"), form.Get("closes_time"), want)
		}
		if res = org.post(base+"/new", form); res.Code != http.StatusSeeOther {
			t.Fatalf("saving the suggestion as it is: %d %s", res.Code, text(res.Body))
		}
		if res = org.get(base); strings.Contains(res.Body, "?suggest=timeliness\"") {
			t.Fatal("a created suggestion is still suggested")
		}
	})
}

// Item 15: "Save and next" saves the score and opens the judge's next
// nomination still to score (skipping ones already scored or recused, coming
// round from the start of the queue); after the last one the judge is back
// on the queue, told that nothing is left.
func TestJudgeSaveAndNext(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) { testJudgeSaveAndNext(t, newJudgingRace(t, d, 4)) })
	}
}

func testJudgeSaveAndNext(t *testing.T, r *judgingRace) {
	w, judge := r.w, r.clients[0]
	score := url.Values{"c0": {"4"}, "c1": {"4"}, "c2": {"4"}, "next": {"1"}}
	// Nomination 1 is scored and 3 recused already.
	if res := judge.post(r.scorePath(r.noms[1]), url.Values{"c0": {"3"}, "c1": {"3"}, "c2": {"3"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("score: %d", res.Code)
	}
	if res := judge.post(r.scorePath(r.noms[3])+"/recuse", url.Values{"reason": {"My cousin"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("recuse: %d", res.Code)
	}
	steps := []struct {
		from *models.Nomination
		to   string
	}{
		{r.noms[2], r.scorePath(r.noms[0])}, // from 2: nothing after it is left, round to 0
		{r.noms[0], "/summits/" + itoa(w.summit.ID) + "/awards/judging/" + itoa(w.cat.ID)},
	}
	for _, st := range steps {
		res := judge.post(r.scorePath(st.from), score)
		if res.Code != http.StatusSeeOther || res.Location != st.to {
			t.Fatalf("save and next from %d: %d to %q, want %q", st.from.ID, res.Code, res.Location, st.to)
		}
		page := judge.get(res.Location)
		if scores, _ := r.stored(t, st.from); scores != 1 {
			t.Fatalf("save and next did not save the score of %d", st.from.ID)
		}
		if st.to == r.scorePath(r.noms[0]) && (!strings.Contains(text(page.Body), "Your score is saved. Here is the next nomination to score.") || !strings.Contains(page.Body, "<h1>Race Nominee 0</h1>")) {
			t.Fatalf("the next page: %s", text(page.Body))
		}
		if st.to != r.scorePath(r.noms[0]) && !strings.Contains(text(page.Body), "That was the last nomination left to score in “The Quiet Hero Award”") {
			t.Fatalf("after the last one: %s", text(page.Body))
		}
	}
	// A refused score stays on its page, with the button.
	res := judge.post(r.scorePath(r.noms[2]), url.Values{"c0": {"9"}, "next": {"1"}})
	if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `name="next"`) {
		t.Fatalf("bad score with save and next: %d", res.Code)
	}
}
