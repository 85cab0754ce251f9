package app_test

import (
	"strings"
	"testing"
	"time"

	"summit/models"
)

// In Chromium: Ana takes the last seat, Ben lands on the waitlist (1st in
// line), Ana cancels from her agenda, Ben is promoted and sees it on his
// agenda on a phone, and an organiser checks Ben in at the door.
func TestBrowserRegistrationJourney(t *testing.T) {
	ta := newBrowserApp(t)
	w := newRegWorld(t, ta.DB, 1)
	ana := ta.addPerson(t, "Ana Souza", "ana@example.com", models.RoleStaff)
	ben := ta.addPerson(t, "Ben Okafor", "ben@example.com", models.RoleStaff)
	org := ta.addPerson(t, "Olga Organiser", "olga@example.com", models.RoleOrganiser)
	session := ta.Server.URL + w.sessionPath(w.training)

	b := newBrowser(t)
	console := watchConsole(t, b)
	confirms := watchDialogs(t, b)

	// Ana registers and gets the only seat.
	signInAs(t, b, ta, ana.Email, testPassword)
	visit(t, b, session)
	waitText(t, b, "1 of 1 seats left")
	clickAndLoad(t, b, `#registration button[type="submit"]`)
	waitText(t, b, "Your seat is confirmed")

	// Ben finds it full and joins the waitlist.
	signInAs(t, b, ta, ben.Email, testPassword)
	visit(t, b, ta.Server.URL+w.base+"?day=2030-05-06&view=list")
	waitText(t, b, "Full — join the waitlist")
	visit(t, b, session)
	if btn := pageText(t, b, `#registration button[type="submit"]`); btn != "Join the waitlist" {
		t.Fatalf("the button says %q on a full session", btn)
	}
	clickAndLoad(t, b, `#registration button[type="submit"]`)
	waitText(t, b, "you are 1st in line")
	screenshot(t, b, "waitlisted")

	// Ana cancels from her agenda. She is asked first: answering Cancel
	// keeps her seat; answering OK gives it up.
	signInAs(t, b, ta, ana.Email, testPassword)
	visit(t, b, ta.Server.URL+"/my/agenda")
	waitText(t, b, "Seat confirmed")
	cancelButton := `.my-agenda form[action$="/cancel"] button`
	confirms.expect(false)
	click(t, b, cancelButton)
	if msg := confirms.shown(t); msg != "Give up this seat?" {
		t.Fatalf("the confirmation asks %q", msg)
	}
	time.Sleep(300 * time.Millisecond) // a submit that slipped through would be on its way
	waitText(t, b, "Seat confirmed")
	if reg, _ := models.MyRegistration(ctx, ta.DB, w.training.ID, ana.ID); reg == nil || reg.Status != models.RegConfirmed {
		t.Fatalf("answering Cancel to the confirmation gave up the seat: %+v", reg)
	}
	confirms.expect(true)
	clickAndLoad(t, b, cancelButton)
	if msg := confirms.shown(t); msg != "Give up this seat?" {
		t.Fatalf("the confirmation asks %q", msg)
	}
	waitText(t, b, "Your seat is cancelled")
	if strings.Contains(pageText(t, b, "main"), "Patience is a skill") {
		t.Fatal("Ana's agenda still shows the cancelled session")
	}

	// Ben was promoted; his agenda says so, readable on a phone.
	phone := newBrowserSize(t, 390, 844)
	signInAs(t, phone, ta, ben.Email, testPassword)
	visit(t, phone, ta.Server.URL+"/my/agenda")
	waitText(t, phone, "Seat confirmed")
	my := pageText(t, phone, "main")
	if !strings.Contains(my, "Patience is a skill") || !strings.Contains(my, "Everyone serves") || strings.Index(my, "Everyone serves") > strings.Index(my, "Patience is a skill") {
		t.Fatalf("Ben's agenda: %s", my)
	}
	if width := eval[int](t, phone, `document.documentElement.scrollWidth`); width > 390 {
		t.Errorf("My agenda is %d px wide on a 390 px phone", width)
	}
	screenshot(t, phone, "my-agenda-phone")

	// At the door (a phone): the organiser searches Ben and checks him in.
	signInAs(t, phone, ta, org.Email, testPassword)
	visit(t, phone, ta.Server.URL+"/organise/summits/"+itoa(w.summit.ID)+"/checkin")
	clickAndLoad(t, phone, `.checkin-card a`)
	fill(t, phone, "#q", "ben")
	clickAndLoad(t, phone, `.checkin-search button`)
	waitText(t, phone, "Ben Okafor")
	click(t, phone, `.checkin-button`) // htmx swaps the row in place (no new page)
	waitText(t, phone, "Ben Okafor is checked in")
	waitText(t, phone, "1 of 1 checked in")
	if width := eval[int](t, phone, `document.documentElement.scrollWidth`); width > 390 {
		t.Errorf("the check-in page is %d px wide on a 390 px phone", width)
	}
	screenshot(t, phone, "checkin-phone")
	reg, _ := models.MyRegistration(ctx, ta.DB, w.training.ID, ben.ID)
	if reg == nil || reg.Status != models.RegConfirmed || reg.AttendedAt == nil {
		t.Fatalf("Ben's registration: %+v", reg)
	}
	console.check(t)
}
