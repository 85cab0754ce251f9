package app_test

import (
	"strings"
	"testing"

	"summit/models"
)

// In Chromium, the strategize year: Ida shares an idea (the word hint
// appears as she types), votes for it, rewords it through its Edit link; the organiser finds it, shortlists it
// into the strategy workshop (the session page lists it), turns it into a
// commitment owned by Ida; Ida posts an update; on next year's agenda
// "What we promised last year" shows it with its status, and a colleague
// follows it from there.
func TestBrowserIdeasJourney(t *testing.T) {
	ta := newBrowserApp(t)
	w := newIdeasWorld(t, ta.DB, 5)
	next, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2031", StartDate: "2031-05-05", EndDate: "2031-05-06", TimeZone: "Europe/Warsaw"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), next.ID, models.StatusPublished); err != nil {
		t.Fatal(err)
	}
	ida := ta.addPerson(t, "Ida Idealist", "ida@example.com", models.RoleStaff)
	olive := ta.addPerson(t, "Olive Organiser", "olive@example.com", models.RoleOrganiser)
	colleague := ta.addPerson(t, "Carl Colleague", "carl@example.com", models.RoleStaff)
	b := newBrowser(t)
	console := watchConsole(t, b)

	// Ida shares an idea from the menu; the hint appears as she types.
	signInAs(t, b, ta, ida.Email, testPassword)
	clickAndLoad(t, b, `.nav-links a[href="/ideas"]`)
	waitText(t, b, "Ideas for serving better")
	clickAndLoad(t, b, `#new-idea`)
	fill(t, b, `#f-title`, "Call every customer back within a day")
	typeInto(t, b, `#f-change`, "We count tickets closed; let us count promises kept.")
	waitText(t, b, "A note on words")
	waitText(t, b, "“tickets”")
	fill(t, b, `#f-helps`, "customers")
	screenshot(t, b, "idea-form-hint")
	clickAndLoad(t, b, `main form button[type="submit"]`)
	waitText(t, b, "Thank you — your idea is posted")
	clickAndLoad(t, b, `#vote-button`)
	waitText(t, b, "Your vote is in. Votes left: 4 of 5.")
	waitText(t, b, "1 vote")
	// She rewords it from its page while ideas are open.
	clickAndLoad(t, b, `#edit-idea`)
	waitText(t, b, "Change the idea")
	fill(t, b, `#f-title`, "Call every customer back within one working day")
	fill(t, b, `#f-change`, "We count promises kept, not conversations closed.")
	clickAndLoad(t, b, `main form button[type="submit"]`)
	waitText(t, b, "Your changes are saved.")
	if txt := pageText(t, b, "main"); !strings.Contains(txt, "Call every customer back within one working day") || !strings.Contains(txt, "We count promises kept, not conversations closed.") || !strings.Contains(txt, "1 vote") {
		t.Fatalf("the idea after editing: %s", txt)
	}

	// The organiser shortlists it into the workshop and makes it a commitment.
	signInAs(t, b, ta, olive.Email, testPassword)
	visit(t, b, ta.Server.URL+"/organise/summits/"+itoa(w.summit.ID))
	clickAndLoad(t, b, `#strategize a[href$="/ideas"]`)
	waitText(t, b, "Everyone serves: which departments take part")
	clickAndLoad(t, b, `main table a[href*="/ideas/"]`)
	fill(t, b, `#f-session_id`, itoa(w.workshop.ID))
	clickAndLoad(t, b, `#shortlist-button`)
	waitText(t, b, "Shortlisted: the session page lists it.")
	ideaPage := currentURL(t, b)
	clickAndLoad(t, b, `.notice a`)
	waitText(t, b, "Ideas on the table")
	waitText(t, b, "Call every customer back within one working day")
	visit(t, b, ideaPage)
	clickAndLoad(t, b, `#make-commitment`)
	fill(t, b, `#f-what`, "Every caller hears back within one working day")
	typeInto(t, b, `#f-owner`, "Ida")
	chooseSuggestion(t, b, `#f-owner`, "Ida Idealist (Customer Support)")
	fill(t, b, `#f-due_date`, "2030-12-01")
	fill(t, b, `#f-success`, "The survey says people heard back.")
	clickAndLoad(t, b, `main form button[type="submit"]`)
	waitText(t, b, "Commitment saved")
	waitText(t, b, "Owner: Ida Idealist")

	// Ida posts an update from her ideas page's link to the commitments.
	signInAs(t, b, ta, ida.Email, testPassword)
	clickAndLoad(t, b, `.nav-links a[href="/ideas"]`)
	clickAndLoad(t, b, `.actions a[href$="/commitments"]`)
	clickAndLoad(t, b, `table.commitments a`)
	fill(t, b, `#f-status`, "at_risk")
	fill(t, b, `#f-note`, "Two people short until June.")
	clickAndLoad(t, b, `#post-update`)
	waitText(t, b, "Update posted: At risk.")

	// Next year's agenda shows the promise with its status; Carl follows it.
	signInAs(t, b, ta, colleague.Email, testPassword)
	visit(t, b, ta.Server.URL+"/summits/"+itoa(next.ID))
	waitText(t, b, "What we promised last year")
	if txt := pageText(t, b, "#promised"); !strings.Contains(txt, "At risk Every caller hears back within one working day") || !strings.Contains(txt, "Ida Idealist") {
		t.Fatalf("next year's agenda: %s", txt)
	}
	screenshot(t, b, "promised-last-year")
	clickAndLoad(t, b, `#promised a`)
	clickAndLoad(t, b, `table.commitments a`)
	clickAndLoad(t, b, `#follow-button`)
	waitText(t, b, "You follow this commitment")
	visit(t, b, ta.Server.URL+"/my/commitments")
	waitText(t, b, "Every caller hears back within one working day")
	console.check(t)
}
