package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"summit/models"
)

// ttSaved waits for the message the editor writes beside a moved tile.
func ttSaved(t *testing.T, b context.Context, want string) {
	t.Helper()
	sctx, cancel := context.WithTimeout(b, 10*time.Second)
	defer cancel()
	js := `(document.querySelector('#tt-reason') || {}).innerText || ''`
	if err := chromedp.Do(sctx, waitFor(`(`+js+`).includes(`+jsString(want)+`)`)); err != nil {
		t.Fatalf("waiting for %q beside the tile: it says %q", want, eval[string](t, b, js))
	}
}

// TestBrowserTimetableAcrossTheClockChange: on the night the clocks go back
// in Berlin, an organiser drags a session an hour later and to another
// room, moves one two hours on with the keyboard — into the hour that
// happens a second time — and lengthens it by its lower edge; every time
// shown, announced and saved is the real one.
func TestBrowserTimetableAcrossTheClockChange(t *testing.T) {
	ta := newBrowserApp(t)
	w := newDSTWorld(t, ta.DB)
	org := ta.addPerson(t, "Mira Organiser", "mira@example.com", models.RoleOrganiser)
	b := newBrowserSize(t, 1400, 1400)
	console := watchConsole(t, b)
	signInAs(t, b, ta, org.Email, testPassword)
	visit(t, b, fmt.Sprintf("%s/organise/summits/%d/timetable?day=%s", ta.Server.URL, w.summit.ID, dstDay))
	waitText(t, b, "Not scheduled")
	if labels := pageText(t, b, "#tt-grid"); !strings.Contains(labels, "02:30 CEST") || !strings.Contains(labels, "02:30 CET") {
		t.Fatalf("the grid's labels: %s", labels)
	}
	screenshot(t, b, "dst-grid")

	// 1. The mouse: the briefing (04:00 CET) to the studio at 05:00 CET, an hour later.
	mouseDrag(t, b, ttDragAt(t, b, w.early.ID, itoa(w.studio.ID), time.Date(2027, 10, 31, 4, 0, 0, 0, time.UTC)))
	ttSaved(t, b, "Saved: “Early briefing” is in Dawn Studio, Sun 31 Oct 05:00 CET–06:00 CET.")
	if room, when := w.stored(t, ta.DB, w.early.ID); room != "Dawn Studio" || when != "05:00 CET–06:00 CET" {
		t.Fatalf("after the drag: %s %s", room, when)
	}

	// 2. The keyboard: the night watch (01:30–02:30 CEST) two real hours on,
	// 24 steps of five minutes: 02:30 CET, the second time it is 02:30.
	step(t, b, "focus the night watch", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById('tile-%d').focus(); null`, w.night.ID)))
	acts := []chromedp.Action[chromedp.Void]{chromedp.KeyEvent(kb.Enter)}
	for i := 0; i < 24; i++ {
		acts = append(acts, chromedp.KeyEvent(kb.ArrowDown))
	}
	step(t, b, "pick it up and move it down 24 steps", acts...)
	if got := eval[string](t, b, fmt.Sprintf(`document.querySelector('#tile-%d .tt-when').textContent`, w.night.ID)); got != "02:30 CET–03:30 CET" {
		t.Errorf("while moving, the tile shows %q", got)
	}
	step(t, b, "save it", chromedp.KeyEvent(kb.Enter))
	ttSaved(t, b, "Saved: “Night watch” is in Night Hall, Sun 31 Oct 02:30 CET–03:30 CET.")
	if room, when := w.stored(t, ta.DB, w.night.ID); room != "Night Hall" || when != "02:30 CET–03:30 CET" {
		t.Fatalf("after the keyboard move: %s %s", room, when)
	}

	// 3. Its lower edge to 04:00 CET (03:00 UTC): an hour and a half.
	var rp dragPoints
	js := fmt.Sprintf(`(function () {
		var g = document.getElementById('tt-grid'), r = document.querySelector('#tile-%d .tt-resize').getBoundingClientRect();
		var tm = g.querySelector('.tt-time').getBoundingClientRect(), rowH = tm.height / 6;
		return JSON.stringify({X0: r.left + r.width / 2, Y0: r.top + r.height / 2, X1: r.left + r.width / 2,
			Y1: tm.top + (%d - +g.dataset.from) / 60000 / 5 * rowH + 1});
	})()`, w.night.ID, time.Date(2027, 10, 31, 3, 0, 0, 0, time.UTC).UnixMilli())
	if err := json.Unmarshal([]byte(eval[string](t, b, js)), &rp); err != nil {
		t.Fatal(err)
	}
	mouseDrag(t, b, rp)
	ttSaved(t, b, "Saved: “Night watch” is in Night Hall, Sun 31 Oct 02:30 CET–04:00 CET.")
	if _, when := w.stored(t, ta.DB, w.night.ID); when != "02:30 CET–04:00 CET" {
		t.Fatalf("after resizing: %s", when)
	}
	screenshot(t, b, "dst-moved")
	console.check(t)
}
