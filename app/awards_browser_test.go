package app_test

import (
	"strings"
	"testing"
	"time"

	"summit/models"
)

// In Chromium: a staff member nominates a colleague with the directory
// type-ahead, a judge scores the nomination (blind), an organiser chooses
// the winner, and after the announcement the honorees page quotes the story.
func TestBrowserAwardsJourney(t *testing.T) {
	ta := newBrowserApp(t)
	w := newAwardsWorld(t, ta)
	sid, cid := itoa(w.summit.ID), itoa(w.cat.ID)
	if err := models.AddJudge(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, w.judge.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	console := watchConsole(t, b)

	// Nico nominates Quentin.
	signInAs(t, b, ta, w.nominator.Email, testPassword)
	visit(t, b, ta.Server.URL+"/awards")
	waitText(t, b, "The Quiet Hero Award")
	clickAndLoad(t, b, `.actions a[href$="/awards/nominate"]`)
	// Typing part of a name narrows the directory to the one colleague.
	typeInto(t, b, "#f-nominee", "quen")
	if got := suggestions(t, b, "#f-nominee"); len(got) != 1 || got[0] != "Quentin Quiet (Customer Support)" {
		t.Fatalf("typing %q suggests %q, want only Quentin", "quen", got)
	}
	chooseSuggestion(t, b, "#f-nominee", "Quentin Quiet (Customer Support)")
	fill(t, b, "#f-category_id", cid)
	fill(t, b, "#f-story", "Quentin rebuilt the shared calendar overnight after it vanished, so that every team woke up to its bookings.")
	click(t, b, `input[name="served"][value="colleague"]`)
	click(t, b, "#f-quotable")
	screenshot(t, b, "awards-nominate")
	clickAndLoad(t, b, `main form button[type="submit"]`)
	waitText(t, b, "your nomination is in")
	waitText(t, b, "Quentin Quiet for The Quiet Hero Award")

	// Kit nominates Sam too (after Quentin, so second in Jade's queue).
	if _, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.cj.ID, models.NominationInput{CategoryID: cid, NomineeID: itoa(w.staffer.ID),
		Story: "Sam walked a lost visitor to the right building in the rain and waited until their meeting began.", Served: models.ServedCommunity}, time.Now()); err != nil {
		t.Fatal(err)
	}

	// Jade scores it, without seeing who wrote it.
	signInAs(t, b, ta, w.judge.Email, testPassword)
	visit(t, b, ta.Server.URL+"/summits/"+sid+"/awards/judging/"+cid)
	waitText(t, b, "0 of 2 done")
	if strings.Contains(pageText(t, b, "main"), "Nico") {
		t.Fatal("blind judging shows the nominator")
	}
	clickAndLoad(t, b, `.judge-queue a`)
	waitText(t, b, "shared calendar")
	blind := func(where string) {
		t.Helper()
		if main := pageText(t, b, "main"); strings.Contains(main, "Nico") || strings.Contains(main, "nominated by") {
			t.Fatalf("blind judging shows the nominator on %s: %s", where, main)
		}
	}
	blind("the score page")
	// A score with criteria missing comes back with a message, still blind.
	click(t, b, `input[name="c0"][value="5"]`)
	clickAndLoad(t, b, `main form button[type="submit"]`)
	waitText(t, b, "from 1 to 5")
	blind("the score page shown again after a missing score")
	for i, v := range []string{"5", "4", "5"} {
		click(t, b, `input[name="c`+itoa(uint(i))+`"][value="`+v+`"]`)
	}
	fill(t, b, "#f-comment", "A quiet save.")
	screenshot(t, b, "awards-score")
	// "Save and next" saves and opens Sam's nomination, the next to score.
	clickAndLoad(t, b, `main form button[name="next"]`)
	waitText(t, b, "Here is the next nomination to score")
	waitText(t, b, "lost visitor")
	visit(t, b, ta.Server.URL+"/summits/"+sid+"/awards/judging/"+cid)
	waitText(t, b, "1 of 2 done")
	waitText(t, b, "Scored 14 of 15")

	// Olive sees the ranking and chooses Quentin.
	signInAs(t, b, ta, w.organiser.Email, testPassword)
	visit(t, b, ta.Server.URL+"/organise/summits/"+sid+"/awards")
	waitText(t, b, "1 of 2 done")
	visit(t, b, ta.Server.URL+"/organise/summits/"+sid+"/awards/"+cid+"/results")
	waitText(t, b, "4.67")
	click(t, b, `input[name="winner"]`)
	clickAndLoad(t, b, `main form button[type="submit"]`)
	waitText(t, b, "are chosen")
	screenshot(t, b, "awards-results")
	visit(t, b, ta.Server.URL+"/organise/summits/"+sid+"/awards/coverage")
	waitText(t, b, "Nobody has been nominated yet in:")
	screenshot(t, b, "awards-coverage")

	// Before the announcement the honorees page names nobody; after it, Quentin.
	visit(t, b, ta.Server.URL+"/summits/"+sid+"/honorees")
	waitText(t, b, "No winners have been announced yet")
	ta.App.Now = func() time.Time { return w.cat.AnnounceAt.Add(time.Minute) }
	signInAs(t, b, ta, w.nominee.Email, testPassword)
	visit(t, b, ta.Server.URL+"/summits/"+sid+"/honorees")
	waitText(t, b, "This is you")
	waitText(t, b, "shared calendar")
	screenshot(t, b, "awards-honorees")

	// The nominate form and the honorees page fit a phone.
	phone := newBrowserSize(t, 390, 844)
	signInAs(t, phone, ta, w.staffer.Email, testPassword)
	for _, p := range []string{"/summits/" + sid + "/awards/nominate", "/summits/" + sid + "/honorees", "/summits/" + sid + "/awards"} {
		visit(t, phone, ta.Server.URL+p)
		if width := eval[int](t, phone, `document.documentElement.scrollWidth`); width > 390 {
			t.Errorf("%s is %d px wide on a 390 px phone", p, width)
		}
	}
	screenshot(t, phone, "awards-staff-phone")
	console.check(t)
}
