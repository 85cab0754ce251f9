package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// signInTo signs in (with a next page, or none) and returns where Summit
// sends the person.
func (c *client) signInTo(email, next string) string {
	c.t.Helper()
	form := url.Values{"email": {email}, "password": {testPassword}}
	if next != "" {
		form.Set("next", next)
	}
	res := c.post("/signin", form)
	if res.Code != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: %d %s", email, res.Code, text(res.Body))
	}
	return res.Location
}

// landing follows the redirects after sign-in and returns the page a person
// lands on.
func (c *client) landing(to string) *response {
	c.t.Helper()
	for i := 0; i < 5; i++ {
		res := c.get(to)
		if res.Code != http.StatusFound && res.Code != http.StatusSeeOther {
			return res
		}
		to = res.Location
	}
	c.t.Fatalf("too many redirects after sign-in")
	return nil
}

// Signing in lands each person where their work is: organisers on the
// dashboard of the summit they are organising, judges with nominations
// waiting see a notice with a link to their queue on whichever page they
// land; others land as before, and a page they came from wins.
func TestSignInLandsWhereTheWorkIs(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		// Before any summit exists, an organiser lands on Organise.
		early := ta.addPerson(t, "Early Organiser", "early@example.com", models.RoleOrganiser)
		if to := ta.client(t).signInTo(early.Email, ""); to != "/organise" {
			t.Fatalf("organiser with no summit lands on %q", to)
		}
		w := newAwardsWorld(t, ta)
		// A past edition and next year's draft do not change which summit is current.
		past, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2019", StartDate: "2019-05-06", EndDate: "2019-05-07", TimeZone: "Europe/Warsaw"})
		if err != nil {
			t.Fatal(err)
		}
		models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), past.ID, models.StatusPublished)
		if _, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2031", StartDate: "2031-05-06", EndDate: "2031-05-07", TimeZone: "Europe/Warsaw"}); err != nil {
			t.Fatal(err)
		}
		dashboard := "/organise/summits/" + itoa(w.summit.ID)
		org := ta.client(t)
		if to := org.signInTo(w.organiser.Email, ""); to != dashboard {
			t.Fatalf("organiser lands on %q, want %q", to, dashboard)
		}
		if page := text(org.landing(dashboard).Body); !strings.Contains(page, "Welcome, Olive Organiser.") || strings.Contains(page, "waiting for your score") {
			t.Fatalf("organiser's landing: %s", page[:min(len(page), 400)])
		}
		// An organiser who came from a page goes back to it.
		if to := ta.client(t).signInTo(w.organiser.Email, "/my/agenda"); to != "/my/agenda" {
			t.Fatalf("organiser with a next page lands on %q", to)
		}
		// Staff keep today's landing.
		if to := ta.client(t).signInTo(w.staffer.Email, ""); to != "/" {
			t.Fatalf("staff land on %q", to)
		}

		// A judge with two nominations waiting.
		now := time.Now()
		story := "They stayed with a worried customer through a long evening until everything worked again."
		var noms []*models.Nomination
		for _, who := range []*models.Person{w.nominee, w.staffer} {
			n, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(who.ID), Story: story, Served: models.ServedCustomer}, now)
			if err != nil {
				t.Fatal(err)
			}
			noms = append(noms, n)
		}
		if err := models.AddJudge(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, w.judge.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		queue := "/summits/" + itoa(w.summit.ID) + "/awards/judging/" + itoa(w.cat.ID)
		judged := func(next, wantTo, wantNotice string) {
			t.Helper()
			c := ta.client(t)
			to := c.signInTo(w.judge.Email, next)
			if to != wantTo {
				t.Fatalf("judge lands on %q, want %q", to, wantTo)
			}
			res := c.landing(to)
			page := text(res.Body)
			if wantNotice == "" {
				if strings.Contains(page, "waiting for your score") {
					t.Fatalf("a judge with nothing to score is told: %s", page[:min(len(page), 400)])
				}
				return
			}
			if !strings.Contains(page, wantNotice) || !strings.Contains(res.Body, `href="`+queue+`"`) {
				t.Fatalf("judge's landing lacks %q and a link to %s: %s", wantNotice, queue, page[:min(len(page), 600)])
			}
			// The notice names no nominee, and its link opens the queue.
			if strings.Contains(page[:strings.Index(page, wantNotice)+len(wantNotice)+80], "Quentin") {
				t.Fatal("the notice names a nominee")
			}
			if q := c.get(queue); q.Code != http.StatusOK || !strings.Contains(text(q.Body), "Quentin Quiet") {
				t.Fatalf("the queue link: %d", q.Code)
			}
		}
		judged("", "/", "2 nominations are waiting for your score.")
		judged("/my/agenda", "/my/agenda", "2 nominations are waiting for your score.")
		if _, err := models.SaveScore(ctx, ta.DB, w.summit.ID, w.judge.ID, noms[0].ID, models.ScoreInput{Points: []string{"5", "4", "5"}}, now); err != nil {
			t.Fatal(err)
		}
		judged("", "/", "One nomination is waiting for your score.")
		if err := models.Recuse(ctx, ta.DB, w.summit.ID, w.judge.ID, noms[1].ID, "I know this colleague well.", now); err != nil {
			t.Fatal(err)
		}
		judged("", "/", "")

		// An organiser who judges lands on the dashboard and is told too.
		if err := models.AddJudge(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, w.organiser.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		c := ta.client(t)
		if to := c.signInTo(w.organiser.Email, ""); to != dashboard {
			t.Fatalf("judging organiser lands on %q", to)
		}
		if res := c.landing(dashboard); !strings.Contains(text(res.Body), "2 nominations are waiting for your score.") || !strings.Contains(res.Body, `href="`+queue+`"`) {
			t.Fatalf("judging organiser's landing: %s", text(res.Body)[:400])
		}
	})
}
