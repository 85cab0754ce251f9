package app_test

import (
	"strings"
	"testing"

	"summit/models"
)

// An organiser copies last year's summit in a real browser: opens "Start
// next year from this one" from the summit's overview, leaves out the
// registration window and updates the preview, reads what will be created
// (the demo's feedback settings among it), creates the draft, fixes a
// checklist item from its link (a training with no seat count), and publishes through the confirmation, which names the
// items still open and needs them accepted. Every step is a click.
func TestBrowserCopyLastYearFixAndPublish(t *testing.T) {
	ta := newBrowserApp(t)
	seedDemo(t, ta)
	from, err := models.CurrentSummit(ctx, ta.DB, ta.Now())
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	console := watchConsole(t, b)
	signInAs(t, b, ta, models.DemoEmail("anh.nguyen"), models.DemoPassword)
	visit(t, b, ta.Server.URL+"/organise/summits/"+itoa(from.ID))
	clickAndLoad(t, b, "#start-next-year")
	waitText(t, b, "Preview: what will be created")
	if v := eval[string](t, b, `document.querySelector("#f-title").value`); v != "Service Summit 2028" {
		t.Fatalf("suggested title %q", v)
	}
	click(t, b, `input[name="parts"][value="registration"]`)
	clickAndLoad(t, b, "#update-preview")
	preview := pageText(t, b, "#preview")
	if !strings.Contains(preview, "A draft “Service Summit 2028”, 9–10 March 2028") || !strings.Contains(preview, "35 sessions") || strings.Contains(preview, "registration window") ||
		!strings.Contains(preview, "the feedback settings") {
		t.Fatalf("preview: %s", preview)
	}
	// The demo's feedback settings (closing a week after the summit, 5 answers) carry over.
	if fb := pageText(t, b, "#copy-feedback"); fb != "Feedback closes Fri 17 Mar 2028 17:00; a result is shown from 5 answers." {
		t.Fatalf("feedback settings in the preview: %q", fb)
	}
	screenshot(t, b, "preview")
	clickAndLoad(t, b, "#create-draft-button")
	waitText(t, b, "Draft Service Summit 2028 created from Service Summit 2027")
	var to models.Summit
	if err := ta.DB.Where("title = ?", "Service Summit 2028").First(&to).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(currentURL(t, b), "/organise/summits/"+itoa(to.ID)) {
		t.Fatalf("after creating: %s", currentURL(t, b))
	}
	checklist := pageText(t, b, "#checklist")
	if !strings.Contains(checklist, "No registration window is set") || !strings.Contains(checklist, "no seat count") {
		t.Fatalf("checklist: %s", checklist)
	}
	screenshot(t, b, "draft-overview")

	// Fix one item: the training without a seat count.
	clickAndLoad(t, b, `[data-check="training_seats"] a`)
	fill(t, b, "#f-capacity", "16")
	clickAndLoad(t, b, `.form-actions button[type="submit"]`)
	waitText(t, b, "saved")
	clickAndLoad(t, b, `.workspace-nav a[href$="/summits/`+itoa(to.ID)+`"]`)
	if cls := eval[string](t, b, `document.querySelector('[data-check="training_seats"]').className`); cls != "done" {
		t.Fatalf("the fixed item is still %q", cls)
	}

	// Publish: the confirmation names what is still open.
	clickAndLoad(t, b, "#publish")
	waitText(t, b, "What changes for people")
	open := pageText(t, b, "#open-items")
	if !strings.Contains(open, "No registration window is set") || strings.Contains(open, "no seat count") {
		t.Fatalf("open items: %s", open)
	}
	screenshot(t, b, "publish-confirmation")
	click(t, b, "#accept-open")
	clickAndLoad(t, b, "#confirm-status")
	waitText(t, b, "Published")
	if s, _ := models.GetSummit(ctx, ta.DB, to.ID); s.Status != models.StatusPublished {
		t.Fatalf("status %s", s.Status)
	}
	visit(t, b, ta.Server.URL+"/summits/"+itoa(to.ID))
	waitText(t, b, "Service Summit 2028")
	console.check(t)
}
