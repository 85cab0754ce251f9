package app_test

import (
	"strings"
	"testing"
	"time"

	"summit/models"
)

// In Chromium: Rhea is checked in at the training's door, gives feedback on
// it after it ends, the organiser closes feedback, Tess (who gave the
// training) sees her results with Rhea's comment but not Rhea's name, and
// the organiser compares 2029 with 2030 on the year-over-year page.
func TestBrowserFeedbackAndOutcomesJourney(t *testing.T) {
	ta := newBrowserApp(t)
	w := newFeedbackWorld(t, ta)
	loc := w.summit.Location()
	now := time.Date(2030, 4, 10, 12, 0, 0, 0, loc)
	ta.App.Now = func() time.Time { return now }
	sys := models.ActorOf(nil, "")
	if _, err := models.SetRegistrationWindow(ctx, ta.DB, sys, w.summit.ID, models.RegistrationWindowInput{OpensDay: "2030-04-01", OpensTime: "09:00", ClosesDay: "2030-05-06", ClosesTime: "08:00"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	for _, p := range w.respondents[:3] {
		if _, err := models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, p.ID, now); err != nil {
			t.Fatal(err)
		}
	}
	csat, err := models.SaveMeasure(ctx, ta.DB, sys, 0, models.MeasureInput{Name: "Customer satisfaction", Unit: "%", HigherIsBetter: true}, now)
	if err != nil {
		t.Fatal(err)
	}
	for s, v := range map[uint]string{w.prev.ID: "78", w.summit.ID: "83"} {
		if err := models.SetEditionValues(ctx, ta.DB, sys, s, map[string]string{csat.Key(): v}, now); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t)
	console := watchConsole(t, b)
	training := ta.Server.URL + w.base + "/sessions/" + itoa(w.training.ID)
	orgBase := ta.Server.URL + "/organise/summits/" + itoa(w.summit.ID)

	// Attend: at the door the organiser checks Rhea in.
	now = time.Date(2030, 5, 6, 10, 35, 0, 0, loc)
	signInAs(t, b, ta, w.organiser.Email, testPassword)
	visit(t, b, orgBase+"/checkin")
	clickAndLoad(t, b, `.checkin-card a`)
	fill(t, b, "#q", "Rhea")
	clickAndLoad(t, b, `.checkin-search button`)
	click(t, b, `.checkin-button`) // htmx swaps the row in place (no new page)
	waitText(t, b, "is checked in")

	// After the training Rhea gives feedback from the session page.
	now = w.answering
	signInAs(t, b, ta, w.respondents[0].Email, testPassword)
	visit(t, b, training)
	waitText(t, b, "Was it useful?")
	clickAndLoad(t, b, `#feedback-link`)
	waitText(t, b, "Your name is never shown with your answer")
	clickAndLoad(t, b, `main form button[type="submit"]`) // nothing chosen: told what to fix
	waitText(t, b, "Choose how useful it was")
	click(t, b, `#f-useful-5`)
	click(t, b, `#f-recommend-4`)
	fill(t, b, "#f-comment", "The role play made it stick. "+w.mark)
	screenshot(t, b, "feedback-form")
	clickAndLoad(t, b, `main form button[type="submit"]`)
	waitText(t, b, "Thank you — your feedback is saved")
	waitText(t, b, "Answered — you can change it")
	// Two colleagues answer too (the threshold is three).
	w.answer(t, ta, w.training.ID, w.respondents[1], "4", "4", "")
	w.answer(t, ta, w.training.ID, w.respondents[2], "3", "4", "More time for questions, please.")

	// Before closing, Tess sees when her results will come.
	signInAs(t, b, ta, w.tess.Email, testPassword)
	visit(t, b, ta.Server.URL+"/my/feedback")
	waitText(t, b, "Your results appear after feedback closes")

	// The organiser closes feedback.
	now = w.answering.Add(time.Hour)
	signInAs(t, b, ta, w.organiser.Email, testPassword)
	visit(t, b, orgBase+"/feedback")
	waitText(t, b, "Useful for my work: 4.0")
	eval[bool](t, b, `(window.confirm = () => true, true)`)
	clickAndLoad(t, b, `form[action$="/feedback/close"] button`)
	waitText(t, b, "Feedback is closed")
	screenshot(t, b, "organiser-feedback")

	// Tess sees her results: figures and comments, no names.
	signInAs(t, b, ta, w.tess.Email, testPassword)
	visit(t, b, ta.Server.URL+"/my/feedback")
	waitText(t, b, "Useful for my work: 4.0 · Would recommend: 4.0")
	mine := pageText(t, b, "#speaker-session-"+itoa(w.training.ID))
	if !strings.Contains(mine, "The role play made it stick.") || !strings.Contains(mine, "3 answers") {
		t.Fatalf("Tess's results: %s", mine)
	}
	for _, p := range w.respondents {
		if strings.Contains(pageText(t, b, "main"), p.Name) {
			t.Fatalf("Tess's page names %s", p.Name)
		}
	}
	screenshot(t, b, "speaker-results")

	// The organiser compares the two years.
	signInAs(t, b, ta, w.organiser.Email, testPassword)
	visit(t, b, ta.Server.URL+"/organise")
	clickAndLoad(t, b, `a[href="/organise/outcomes"]`)
	fill(t, b, "#f-a", itoa(w.prev.ID))
	fill(t, b, "#f-b", itoa(w.summit.ID))
	clickAndLoad(t, b, `.compare-form button`)
	cmp := pageText(t, b, ".compare-table")
	if !strings.Contains(cmp, "Customer satisfaction 78 % 83 % ▲ up 5 % on 2029") || !strings.Contains(cmp, "Average session rating") {
		t.Fatalf("comparison: %s", cmp)
	}
	if n := eval[int](t, b, `document.querySelectorAll("figure.outcome-chart svg rect.col").length`); n < 2 {
		t.Fatalf("the charts have %d bars", n)
	}
	if n := eval[int](t, b, `document.querySelectorAll("script:not([src])").length`); n != 0 {
		t.Fatalf("the page runs %d inline scripts", n)
	}
	if h := eval[float64](t, b, `document.querySelector("figure.outcome-chart svg rect.col").getBBox().height`); h < 20 {
		t.Fatalf("a chart column is %v units high", h)
	}
	if width := eval[int](t, b, `document.documentElement.scrollWidth`); width > 1280 {
		t.Errorf("the year-over-year page is %d px wide in a 1280 px window", width)
	}
	screenshot(t, b, "outcomes-year-over-year")
	console.check(t)
}
