package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"summit/models"
)

// touchScreen makes the page a touch screen (one finger).
func touchScreen(t *testing.T, b context.Context) {
	t.Helper()
	step(t, b, "emulate a touch screen", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 1})
		return err
	}))
}

// fingerDrag puts a finger down at (X0, Y0), moves it in steps as a hand
// would and lifts it at (X1, Y1): real touch events, which Chromium turns
// into pointer events and, where touch-action lets it, into scrolling.
func fingerDrag(t *testing.T, b context.Context, p dragPoints) {
	t.Helper()
	step(t, b, fmt.Sprintf("finger from (%.0f,%.0f) to (%.0f,%.0f)", p.X0, p.Y0, p.X1, p.Y1), chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		touch := func(typ input.DispatchTouchEventType, pts ...*input.TouchPoint) error {
			if pts == nil {
				pts = []*input.TouchPoint{}
			}
			_, err := cdp.Call(ctx, tg, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: pts})
			return err
		}
		if err := touch(input.DispatchTouchEventTypeTouchStart, &input.TouchPoint{X: p.X0, Y: p.Y0}); err != nil {
			return err
		}
		const steps = 12
		for i := 1; i <= steps; i++ {
			time.Sleep(16 * time.Millisecond) // a frame
			f := float64(i) / steps
			if err := touch(input.DispatchTouchEventTypeTouchMove, &input.TouchPoint{X: p.X0 + (p.X1-p.X0)*f, Y: p.Y0 + (p.Y1-p.Y0)*f}); err != nil {
				return err
			}
		}
		time.Sleep(50 * time.Millisecond)
		return touch(input.DispatchTouchEventTypeTouchEnd)
	}))
}

// scrolled is how far the page and the grid's box are scrolled, added up.
func scrolled(t *testing.T, b context.Context) float64 {
	t.Helper()
	return eval[float64](t, b, `(function () { var w = document.querySelector('.timetable-wrap');
		return window.scrollY + w.scrollTop + w.scrollLeft; })()`)
}

// TestBrowserTimetableByTouchOnAPhone: on a 390 px touch screen a finger
// swiping over a session scrolls (the session stays, no form opens), and a
// finger on a session's grip drags it to another room and time, saved like
// a mouse's drop.
func TestBrowserTimetableByTouchOnAPhone(t *testing.T) {
	ta := newBrowserApp(t)
	w := newTTWorld(t, ta.DB)
	org := ta.addPerson(t, "Mira Organiser", "mira@example.com", models.RoleOrganiser)
	b := newBrowserSize(t, 390, 844)
	console := watchConsole(t, b)
	signInAs(t, b, ta, org.Email, testPassword)
	touchScreen(t, b)
	editor := fmt.Sprintf("%s/organise/summits/%d/timetable", ta.Server.URL, w.summit.ID)
	visit(t, b, editor)
	waitText(t, b, "move a session by its grip")
	tr := w.training.ID

	// 1. Not dragging: a swipe up over the training's body scrolls.
	var p dragPoints
	if err := json.Unmarshal([]byte(eval[string](t, b, fmt.Sprintf(`(function () {
		var tile = document.getElementById('tile-%d');
		tile.scrollIntoView({block: 'center'});
		var r = tile.getBoundingClientRect();
		return JSON.stringify({X0: r.left + 20, Y0: r.top + r.height / 2, X1: r.left + 20, Y1: r.top + r.height / 2 - 250});
	})()`, tr))), &p); err != nil {
		t.Fatal(err)
	}
	before := scrolled(t, b)
	fingerDrag(t, b, p)
	time.Sleep(300 * time.Millisecond) // the fling settles
	if after := scrolled(t, b); after <= before+50 {
		t.Errorf("a swipe over a session scrolled %.0f px, want the page or the grid to scroll", after-before)
	}
	if got := eval[string](t, b, `location.pathname + '|' + document.querySelectorAll('.tt-session.is-dragging, .tt-session.is-selected, #tt-reason').length`); got != fmt.Sprintf("/organise/summits/%d/timetable|0", w.summit.ID) {
		t.Errorf("after the swipe: %s, want the editor with nothing picked up", got)
	}
	if room, when, _ := sessionAt(t, ta, w, tr); room != "Main Hall" || when != "2030-05-06 10:00–11:00" {
		t.Fatalf("the swipe moved the session: %s %s", room, when)
	}
	screenshot(t, b, "touch-scrolled")

	// 2. Dragging by the grip: to the studio at 11:30 (the grid's box
	// scrolled back to its top, so the grip is not under the rooms' heads).
	eval[bool](t, b, `(document.querySelector('.timetable-wrap').scrollTop = 0) === 0`)
	p = ttDragPoints(t, b, tr, itoa(w.studio.ID), "11:30")
	var grip struct{ X, Y, Top float64 }
	if err := json.Unmarshal([]byte(eval[string](t, b, fmt.Sprintf(`(function () {
		var g = document.querySelector('#tile-%d .tt-grip').getBoundingClientRect(), r = document.getElementById('tile-%[1]d').getBoundingClientRect();
		return JSON.stringify({X: g.left + g.width / 2, Y: g.top + g.height / 2, Top: r.top});
	})()`, tr))), &grip); err != nil {
		t.Fatal(err)
	}
	// The finger holds the tile further down than a mouse near its top: the drop is as far further down.
	p.Y1 += grip.Y - (grip.Top + 6)
	p.X0, p.Y0 = grip.X, grip.Y
	fingerDrag(t, b, p)
	ttSaved(t, b, "Saved: “Patience is a skill” is in Garden Studio, Mon 6 May 11:30–12:30.")
	if room, when, _ := sessionAt(t, ta, w, tr); room != "Garden Studio" || when != "2030-05-06 11:30–12:30" {
		t.Fatalf("after the touch drag: %s %s", room, when)
	}
	if cur := currentURL(t, b); cur != editor {
		t.Errorf("the drag left the editor for %s", cur)
	}
	screenshot(t, b, "touch-dragged")
	console.check(t)
}
