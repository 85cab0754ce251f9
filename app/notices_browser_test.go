package app_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// In Chromium: the organiser moves a session two people hold seats in; the
// form first shows the preview naming them, nothing is saved, she confirms;
// then Ida sees the unread count in the header, opens Notices and reads what
// changed, and the count goes.
func TestBrowserMoveSessionPreviewAndNotice(t *testing.T) {
	ta := newBrowserApp(t)
	w := newRegWorld(t, ta.DB, 5)
	ida := ta.addPerson(t, "Ida Lund", "ida@example.com", models.RoleStaff)
	ben := ta.addPerson(t, "Ben Okoro", "ben@example.com", models.RoleStaff)
	org := ta.addPerson(t, "Olga Organiser", "olga@example.com", models.RoleOrganiser)
	for _, p := range []*models.Person{ida, ben} {
		if _, err := models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, p.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	ta.DB.Where("1 = 1").Delete(&models.Notice{}) // the seat confirmations are not this journey

	b := newBrowser(t)
	console := watchConsole(t, b)
	signInAs(t, b, ta, org.Email, testPassword)
	visit(t, b, ta.Server.URL+fmt.Sprintf("/organise/summits/%d", w.summit.ID))
	clickAndLoad(t, b, fmt.Sprintf(`a[href="/organise/summits/%d/agenda"]`, w.summit.ID))
	clickAndLoad(t, b, fmt.Sprintf(`a[href$="/sessions/%d/edit"]`, w.training.ID))
	fill(t, b, `input[name="start_time"]`, "11:00")
	fill(t, b, `input[name="end_time"]`, "12:00")
	clickAndLoad(t, b, `form[action$="/edit"] button[type="submit"]`)
	waitText(t, b, "This change affects 2 people")
	preview := pageText(t, b, "#change-preview")
	for _, want := range []string{"Ida Lund", "Ben Okoro", "11:00–12:00"} {
		if !strings.Contains(preview, want) {
			t.Fatalf("the preview does not name %q: %s", want, preview)
		}
	}
	screenshot(t, b, "notices-move-preview")
	if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, w.training.ID); !s.StartsAt.Equal(w.training.StartsAt) {
		t.Fatal("the preview saved the move")
	}
	if btn := pageText(t, b, "button.confirm-change"); btn != "Confirm and tell 2 people" {
		t.Fatalf("the button says %q", btn)
	}
	clickAndLoad(t, b, "button.confirm-change")
	waitText(t, b, "saved")
	if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, w.training.ID); s.StartsAt.Equal(w.training.StartsAt) {
		t.Fatal("the confirmed move was not saved")
	}

	// Ida sees the count, opens her notices and reads it.
	signInAs(t, b, ta, ida.Email, testPassword)
	if n := pageText(t, b, ".notices-link .unread-count"); n != "1" {
		t.Fatalf("unread count %q", n)
	}
	clickAndLoad(t, b, "a.notices-link")
	waitText(t, b, "“Patience is a skill” moved")
	if body := pageText(t, b, ".notice-list"); !strings.Contains(body, "it is now") || !strings.Contains(body, "11:00–12:00") {
		t.Fatalf("the notice: %s", body)
	}
	screenshot(t, b, "notices-page")
	clickAndLoad(t, b, `.notice-list button[name="open"]`)
	waitText(t, b, "My agenda")
	if n := eval[int](t, b, `document.querySelectorAll(".unread-count").length`); n != 0 {
		t.Fatal("the notice is still unread after opening it")
	}
	console.check(t)
}
