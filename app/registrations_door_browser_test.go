package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"summit/models"
)

// inView reports whether the element with the id is wholly inside the window.
func inView(t *testing.T, ctx context.Context, id string) bool {
	t.Helper()
	return eval[bool](t, ctx, fmt.Sprintf(`(() => { const r = document.getElementById(%s).getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight; })()`, jsString(id)))
}

// scripts turns the page's JavaScript off or on (the door without JavaScript).
func scripts(t *testing.T, ctx context.Context, on bool) {
	t.Helper()
	step(t, ctx, fmt.Sprintf("scripts on: %v", on), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
		return err
	}))
}

// Issue 10, item 14, on a phone: at a door with 30 people, tapping "Check in"
// on a row far down leaves that row in view (htmx swaps just the row; without
// JavaScript the answer returns to the row's anchor), and a walk-in is added
// from the directory and checked in in one tap.
func TestBrowserDoorKeepsPlaceAndAddsWalkIn(t *testing.T) {
	ta := newBrowserApp(t)
	w := newRegWorld(t, ta.DB, 40)
	regs := make([]*models.Registration, 30)
	for i := range regs {
		p, err := models.CreatePerson(ctx, ta.DB, models.ActorOf(nil, ""), models.PersonInput{Name: fmt.Sprintf("Guest %02d", i+1), Email: fmt.Sprintf("guest%02d@example.com", i+1),
			Department: "Field Service", Role: models.RoleStaff, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if regs[i], err = models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, p.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	dee := ta.addPerson(t, "Dee Walker", "dee@example.com", models.RoleStaff)
	org := ta.addPerson(t, "Olga Organiser", "olga@example.com", models.RoleOrganiser)
	door := ta.Server.URL + "/organise/summits/" + itoa(w.summit.ID) + "/sessions/" + itoa(w.training.ID) + "/checkin"

	phone := newBrowserSize(t, 390, 844)
	console := watchConsole(t, phone)
	signInAs(t, phone, ta, org.Email, testPassword)
	visit(t, phone, door)
	waitText(t, phone, "0 of 30 checked in")

	// With JavaScript: Guest 27, far down the list.
	row := "reg-" + itoa(regs[26].ID)
	eval[bool](t, phone, fmt.Sprintf(`(document.getElementById(%s).scrollIntoView({block: "center"}), window.__door = true, true)`, jsString(row)))
	if y := eval[float64](t, phone, `window.scrollY`); y < 1000 {
		t.Fatalf("the row is not far down (scrolled %.0f px)", y)
	}
	click(t, phone, "#"+row+" .checkin-button")
	step(t, phone, "wait for the row to say Guest 27 is in", waitFor(fmt.Sprintf(`!!document.querySelector("#%s .checked")`, row)))
	waitText(t, phone, "1 of 30 checked in")
	if !eval[bool](t, phone, `window.__door === true`) {
		t.Fatal("the page reloaded: htmx should swap just the row")
	}
	if !inView(t, phone, row) {
		t.Fatalf("after tapping Check in, Guest 27's row is out of view (scrolled to %.0f px)", eval[float64](t, phone, `window.scrollY`))
	}
	if got := eval[string](t, phone, `document.getElementById("checkin-live").textContent`); got != "Guest 27 is checked in." {
		t.Fatalf("screen readers hear %q", got)
	}
	if focused := eval[string](t, phone, `document.activeElement.id`); focused != "attend-"+itoa(regs[26].ID) {
		t.Errorf("focus moved to %q instead of staying on the row's button", focused)
	}
	screenshotView(t, phone, "checked-in-far-down")

	// Without JavaScript: Guest 25; the answer returns to the row's anchor.
	scripts(t, phone, false)
	visit(t, phone, door)
	row = "reg-" + itoa(regs[24].ID)
	eval[bool](t, phone, fmt.Sprintf(`(document.getElementById(%s).scrollIntoView({block: "center"}), true)`, jsString(row)))
	step(t, phone, "tap Check in without JavaScript and wait for the next page",
		markPage(), chromedp.Click(chromedp.CSS("#"+row+" .checkin-button"), chromedp.NodeVisible), waitNewPage())
	if u := currentURL(t, phone); !strings.HasSuffix(u, "/checkin#"+row) {
		t.Fatalf("without JavaScript the door returns to %s", u)
	}
	waitText(t, phone, "2 of 30 checked in")
	if !inView(t, phone, row) || !strings.Contains(pageText(t, phone, "#"+row), "In at") {
		t.Fatalf("without JavaScript, Guest 25's row is out of view or not checked in (scrolled to %.0f px)", eval[float64](t, phone, `window.scrollY`))
	}
	screenshotView(t, phone, "checked-in-without-js")
	scripts(t, phone, true)

	// A walk-in: search, add from the directory, checked in at once.
	visit(t, phone, door)
	fill(t, phone, "#q", "walker")
	clickAndLoad(t, phone, ".checkin-search button")
	waitText(t, phone, "Not registered? Add a walk-in")
	clickAndLoad(t, phone, ".walkin-button")
	waitText(t, phone, "Dee Walker is added as a walk-in and checked in")
	waitText(t, phone, "2 of 30 checked in · 1 walk-in")
	reg, err := models.MyRegistration(ctx, ta.DB, w.training.ID, dee.ID)
	if err != nil || reg != nil {
		t.Fatalf("a walk-in is no registration: %+v %v", reg, err)
	}
	var walkIn models.Registration
	if err := ta.DB.Where("session_id = ? AND person_id = ? AND status = ?", w.training.ID, dee.ID, models.RegWalkIn).First(&walkIn).Error; err != nil || walkIn.AttendedAt == nil {
		t.Fatalf("Dee's walk-in: %+v %v", walkIn, err)
	}
	if u := currentURL(t, phone); !strings.HasSuffix(u, "#reg-"+itoa(walkIn.ID)) || !inView(t, phone, "reg-"+itoa(walkIn.ID)) {
		t.Fatalf("after adding the walk-in the door shows %s without the new row in view", u)
	}
	if width := eval[int](t, phone, `document.documentElement.scrollWidth`); width > 390 {
		t.Errorf("the door is %d px wide on a 390 px phone", width)
	}
	screenshot(t, phone, "walk-in")
	console.check(t)
}
