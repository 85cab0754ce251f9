package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"summit/models"
)

// dragPoints are where a drag starts (on the tile, near its top) and ends
// (over a room's column at a time of the editor's grid), in the window.
type dragPoints struct{ X0, Y0, X1, Y1 float64 }

// ttDragPoints scrolls the grid into view and measures a drag of the tile
// to room (its id; "side" for the side list) at start (HH:MM, on a day
// without a change of the clocks).
func ttDragPoints(t *testing.T, b context.Context, tileID uint, room, start string) dragPoints {
	t.Helper()
	return ttDragTo(t, b, tileID, room, fmt.Sprintf("m(%q) - m(g.dataset.start)", start))
}

// ttDragAt measures a drag of the tile to room at the instant at: the grid
// runs in real minutes from its first instant (data-from).
func ttDragAt(t *testing.T, b context.Context, tileID uint, room string, at time.Time) dragPoints {
	t.Helper()
	return ttDragTo(t, b, tileID, room, fmt.Sprintf("(%d - +g.dataset.from) / 60000", at.UnixMilli()))
}

// ttDragTo measures a drag whose target is minutes (a JavaScript
// expression over g, the grid, and m, HH:MM → minutes) after the grid's start.
func ttDragTo(t *testing.T, b context.Context, tileID uint, room, minutes string) dragPoints {
	t.Helper()
	js := fmt.Sprintf(`(function () {
		var g = document.getElementById('tt-grid'), tile = document.getElementById('tile-%d');
		g.closest('.timetable-wrap').scrollIntoView({block: 'start'});
		tile.scrollIntoView({block: 'nearest'});
		var r = tile.getBoundingClientRect(), tm = g.querySelector('.tt-time').getBoundingClientRect();
		var rowH = tm.height / 6, m = function (s) { var p = s.split(':'); return +p[0] * 60 + +p[1]; };
		var out = {X0: r.left + 25, Y0: r.top + 6};
		if (%[2]q === 'side') {
			var s = document.getElementById('tt-side').getBoundingClientRect();
			out.X1 = s.left + s.width / 2; out.Y1 = s.top + 40;
		} else {
			var h = g.querySelector('.tt-room[data-room="%[2]s"]').getBoundingClientRect();
			out.X1 = h.left + h.width / 2;
			out.Y1 = tm.top + (%[3]s) / 5 * rowH + 6 + 1;
		}
		return JSON.stringify(out);
	})()`, tileID, room, minutes)
	var p dragPoints
	if err := json.Unmarshal([]byte(eval[string](t, b, js)), &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// mouseDrag presses the left button, moves in steps as a hand would, and
// lets go: real mouse events, which Chromium turns into pointer events.
func mouseDrag(t *testing.T, b context.Context, p dragPoints) {
	t.Helper()
	held := func(q *input.DispatchMouseEventParams) { q.Button, q.Buttons = input.MouseButtonLeft, 1 }
	acts := []chromedp.Action[chromedp.Void]{chromedp.MouseEvent(chromedp.MousePressed, p.X0, p.Y0, held, chromedp.ClickCount(1))}
	const steps = 8
	for i := 1; i <= steps; i++ {
		f := float64(i) / steps
		acts = append(acts, chromedp.MouseEvent(chromedp.MouseMoved, p.X0+(p.X1-p.X0)*f, p.Y0+(p.Y1-p.Y0)*f, held))
	}
	acts = append(acts, chromedp.MouseEvent(chromedp.MouseReleased, p.X1, p.Y1, held, chromedp.ClickCount(1)))
	step(t, b, fmt.Sprintf("drag from (%.0f,%.0f) to (%.0f,%.0f)", p.X0, p.Y0, p.X1, p.Y1), acts...)
}

func sessionAt(t *testing.T, ta *testApp, w *ttWorld, id uint) (room string, when string, s *models.Session) {
	t.Helper()
	s, err := models.GetSession(ctx, ta.DB, w.summit.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Room != nil {
		room = s.Room.Name
	}
	loc := w.summit.Location()
	return room, s.StartsAt.In(loc).Format("2006-01-02 15:04") + "–" + s.EndsAt.In(loc).Format("15:04"), s
}

// TestBrowserTimetableDragAndKeyboard: an organiser drags a session to
// another room and time with the mouse, sees a drop on a taken room snap
// back with its reason, moves one with the keyboard only, takes one off the
// timetable and schedules another from the side list, makes it longer by
// its lower edge, confirms a move that
// tells a registrant, and is told when someone else moved it first.
func TestBrowserTimetableDragAndKeyboard(t *testing.T) {
	ta := newBrowserApp(t)
	w := newTTWorld(t, ta.DB)
	org := ta.addPerson(t, "Mira Organiser", "mira@example.com", models.RoleOrganiser)
	b := newBrowserSize(t, 1400, 1400) // the whole day's grid fits: no scrolling between measuring and dragging
	console := watchConsole(t, b)
	signInAs(t, b, ta, org.Email, testPassword)
	visit(t, b, fmt.Sprintf("%s/organise/summits/%d", ta.Server.URL, w.summit.ID))
	clickAndLoad(t, b, "#edit-timetable")
	waitText(t, b, "Not scheduled")
	hall, studio := itoa(w.hall.ID), itoa(w.studio.ID)
	tr := w.training.ID
	// saved waits for the message beside the tile; announced for the
	// screen readers' live region.
	saved := func(want string) { t.Helper(); ttSaved(t, b, want) }
	announced := func(want string) {
		t.Helper()
		sctx, cancel := context.WithTimeout(b, 5*time.Second)
		defer cancel()
		js := `document.getElementById('tt-live').textContent`
		if err := chromedp.Do(sctx, waitFor(`(`+js+`).includes(`+jsString(want)+`)`)); err != nil {
			t.Errorf("waiting for the announcement %q: it is %q", want, eval[string](t, b, js))
		}
	}

	// 1. The mouse: the training from the hall at 10:00 to the studio at 11:30.
	mouseDrag(t, b, ttDragPoints(t, b, tr, studio, "11:30"))
	saved("Saved: “Patience is a skill” is in Garden Studio, Mon 6 May 11:30–12:30.")
	if room, when, _ := sessionAt(t, ta, w, tr); room != "Garden Studio" || when != "2030-05-06 11:30–12:30" {
		t.Fatalf("after the drag: %s %s", room, when)
	}
	screenshot(t, b, "dragged")

	// 2. A refused drop: onto the keynote in the studio at 09:00.
	mouseDrag(t, b, ttDragPoints(t, b, tr, studio, "09:15"))
	saved("Garden Studio is already taken by “Everyone serves”")
	if got := eval[string](t, b, fmt.Sprintf(`document.querySelector('#tile-%d .tt-when').textContent + '|' + document.querySelector('#tt-reason').getAttribute('role')`, tr)); got != "11:30–12:30|alert" {
		t.Errorf("the refused tile shows %q, want it back at 11:30–12:30 with the reason as an alert", got)
	}
	if _, when, _ := sessionAt(t, ta, w, tr); when != "2030-05-06 11:30–12:30" {
		t.Fatalf("the refused drop moved it: %s", when)
	}
	screenshot(t, b, "refused")

	// 3. The keyboard: pick it up, Escape puts it back; then down 15
	// minutes, one room left, 10 minutes longer, Enter saves.
	keys := func(what string, acts ...chromedp.Action[chromedp.Void]) { t.Helper(); step(t, b, what, acts...) }
	keys("focus the tile", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById('tile-%d').focus(); null`, tr)))
	keys("pick it up and cancel", chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.ArrowLeft), chromedp.KeyEvent(kb.Escape))
	announced("Cancelled: “Patience is a skill” stays where it was.")
	if _, when, s := sessionAt(t, ta, w, tr); when != "2030-05-06 11:30–12:30" || s.Version != 3 {
		t.Fatalf("Escape saved: %s v%d", when, s.Version)
	}
	shift := chromedp.KeyModifiers(chromedp.ModifierShift)
	keys("pick it up", chromedp.KeyEvent(kb.Enter))
	announced("Picked up “Patience is a skill”: Garden Studio, 11:30 to 12:30")
	keys("move it", chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowLeft),
		chromedp.KeyEvent(kb.ArrowDown, shift), chromedp.KeyEvent(kb.ArrowDown, shift))
	announced("Main Hall, 11:45 to 12:55 (70 minutes)")
	keys("save it", chromedp.KeyEvent(kb.Enter))
	saved("Saved: “Patience is a skill” is in Main Hall, Mon 6 May 11:45–12:55.")
	if room, when, _ := sessionAt(t, ta, w, tr); room != "Main Hall" || when != "2030-05-06 11:45–12:55" {
		t.Fatalf("after the keyboard move: %s %s", room, when)
	}

	// 4. Off the timetable and back: the keynote to the side list, the
	// clinic from the side list onto the hall at 14:00.
	mouseDrag(t, b, ttDragPoints(t, b, w.keynote.ID, "side", ""))
	saved("“Everyone serves” is off the timetable")
	if _, _, s := sessionAt(t, ta, w, w.keynote.ID); !s.Unscheduled || s.RoomID != nil {
		t.Fatalf("the keynote is still scheduled: %+v", s)
	}
	mouseDrag(t, b, ttDragPoints(t, b, w.off.ID, hall, "14:00"))
	saved("Saved: “Damage control clinic” is in Main Hall, Mon 6 May 14:00–14:45.")
	if room, when, s := sessionAt(t, ta, w, w.off.ID); s.Unscheduled || room != "Main Hall" || when != "2030-05-06 14:00–14:45" {
		t.Fatalf("the clinic: %s %s %+v", room, when, s)
	}
	// Its lower edge, dragged down to 15:00, makes it an hour long.
	var rp dragPoints
	if err := json.Unmarshal([]byte(eval[string](t, b, fmt.Sprintf(`(function () {
		var g = document.getElementById('tt-grid'), r = document.querySelector('#tile-%d .tt-resize').getBoundingClientRect();
		var tm = g.querySelector('.tt-time').getBoundingClientRect(), rowH = tm.height / 6;
		var m = function (s) { var p = s.split(':'); return +p[0] * 60 + +p[1]; };
		return JSON.stringify({X0: r.left + r.width / 2, Y0: r.top + r.height / 2, X1: r.left + r.width / 2, Y1: tm.top + (m('15:00') - m(g.dataset.start)) / 5 * rowH + 1});
	})()`, w.off.ID))), &rp); err != nil {
		t.Fatal(err)
	}
	mouseDrag(t, b, rp)
	saved("Saved: “Damage control clinic” is in Main Hall, Mon 6 May 14:00–15:00.")
	if _, when, _ := sessionAt(t, ta, w, w.off.ID); when != "2030-05-06 14:00–15:00" {
		t.Fatalf("after resizing: %s", when)
	}
	if side := pageText(t, b, "#tt-side"); !strings.Contains(side, "Everyone serves") || strings.Contains(side, "Damage control clinic") {
		t.Errorf("the side list shows %q", side)
	}

	// 5. A move that affects a registrant asks first; confirming tells her.
	ida := ta.addPerson(t, "Ida Lund", "ida@example.com", models.RoleStaff)
	if _, err := models.Register(ctx, ta.DB, w.summit.ID, tr, ida.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	mouseDrag(t, b, ttDragPoints(t, b, tr, studio, "15:00"))
	step(t, b, "wait for the preview", waitFor(`document.getElementById('tt-confirm').open`))
	if got := pageText(t, b, "#tt-confirm"); !strings.Contains(got, "Ida Lund (confirmed seat)") || !strings.Contains(got, "Confirm and tell 1 person") {
		t.Fatalf("the preview says %q", got)
	}
	screenshot(t, b, "preview")
	click(t, b, `#tt-confirm [data-answer="yes"]`)
	saved("1 person was told in Notices.")
	if room, when, _ := sessionAt(t, ta, w, tr); room != "Garden Studio" || when != "2030-05-06 15:00–16:10" {
		t.Fatalf("after confirming: %s %s", room, when)
	}

	console.check(t)

	// 6. Someone else moves it meanwhile: the drop is refused, the grid refreshed.
	_, _, s := sessionAt(t, ta, w, tr)
	if _, err := models.MoveSession(ctx, ta.DB, models.Actor{Name: "Jonas Organiser"}, w.summit.ID, tr,
		models.MoveInput{Version: itoa(uint(s.Version)), RoomID: hall, Day: "2030-05-06", StartTime: "16:30", EndTime: "17:00"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	mouseDrag(t, b, ttDragPoints(t, b, tr, studio, "09:00"))
	saved("was changed by Jonas Organiser")
	if got := eval[string](t, b, fmt.Sprintf(`document.querySelector('#tile-%d .tt-when').textContent`, tr)); got != "16:30–17:00" {
		t.Errorf("after the refresh the tile shows %q, want Jonas's 16:30–17:00", got)
	}
	if room, when, _ := sessionAt(t, ta, w, tr); room != "Main Hall" || when != "2030-05-06 16:30–17:00" {
		t.Fatalf("the stale drop overwrote Jonas's move: %s %s", room, when)
	}
	screenshot(t, b, "stale")
	// The refusal's 409 is the one console line expected now.
	for {
		select {
		case m := <-console.ch:
			if !strings.Contains(m, "status of 409") {
				t.Errorf("the browser console reported: %s", m)
			}
		default:
			return
		}
	}
}

// TestBrowserTimetableOnAPhone: on a phone the editor says how to move a
// session there (by its grip), the page does not overflow sideways (the grid scrolls in
// its own box), and a tap on a session opens its form.
func TestBrowserTimetableOnAPhone(t *testing.T) {
	ta := newBrowserApp(t)
	w := newTTWorld(t, ta.DB)
	org := ta.addPerson(t, "Mira Organiser", "mira@example.com", models.RoleOrganiser)
	b := newBrowserSize(t, 390, 844)
	console := watchConsole(t, b)
	signInAs(t, b, ta, org.Email, testPassword)
	visit(t, b, fmt.Sprintf("%s/organise/summits/%d/timetable", ta.Server.URL, w.summit.ID))
	waitText(t, b, "move a session by its grip")
	if over := eval[bool](t, b, `document.documentElement.scrollWidth > window.innerWidth + 1`); over {
		t.Errorf("the page is %v px wide on a 390 px phone", eval[float64](t, b, `document.documentElement.scrollWidth`))
	}
	screenshot(t, b, "phone")
	clickAndLoad(t, b, fmt.Sprintf("#tile-%d", w.off.ID))
	if !strings.HasSuffix(currentURL(t, b), fmt.Sprintf("/sessions/%d/edit", w.off.ID)) {
		t.Fatalf("a tap on a session went to %s", currentURL(t, b))
	}
	waitText(t, b, "Not on the timetable yet")
	console.check(t)
}
