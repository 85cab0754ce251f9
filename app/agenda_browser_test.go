package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"summit/models"
)

// A visitor opens the demo agenda in Chromium, switches to day two, filters by
// the Train track, opens a session and reads it.
func TestBrowserAgendaJourney(t *testing.T) {
	ta := newBrowserApp(t)
	agenda := seedDemo(t, ta)
	b := newBrowser(t)
	console := watchConsole(t, b)

	// The home page leads to the current summit's agenda.
	visit(t, b, ta.Server.URL+"/")
	waitText(t, b, "Service Summit 2027")
	if got := currentURL(t, b); !strings.HasPrefix(got, agenda) {
		t.Fatalf("home led to %s, want the agenda %s", got, agenda)
	}
	waitText(t, b, "De-escalation with boundaries")
	if n := eval[int](t, b, `document.querySelectorAll(".tt-session").length`); n < 15 {
		t.Fatalf("day one timetable shows %d sessions, want at least 15", n)
	}
	screenshot(t, b, "day1-timetable")

	// Day two.
	clickAndLoad(t, b, `.day-tabs a.day-tab:nth-child(2)`)
	waitText(t, b, "Kindness at scale")
	if cur := pageText(t, b, `.day-tab[aria-current="page"]`); !strings.Contains(cur, "Day 2") {
		t.Fatalf("current day tab is %q, want Day 2", cur)
	}
	if body := pageText(t, b, "main"); strings.Contains(body, "De-escalation with boundaries") {
		t.Fatalf("day two still shows a day-one training")
	}

	// Filter by the Train track: only training sessions of that track remain.
	summit, err := models.CurrentSummit(ctx, ta.DB, ta.Now())
	if err != nil {
		t.Fatal(err)
	}
	tracks, _ := models.ListTracks(ctx, ta.DB, summit.ID)
	var train string
	for _, tr := range tracks {
		if tr.Pillar == models.PillarTrain {
			train = itoa(tr.ID)
		}
	}
	clickAndLoad(t, b, `.track-filter a.track-chip[href*="track=`+train+`"]`)
	waitText(t, b, "Focus in a noisy day")
	if !strings.Contains(currentURL(t, b), "track="+train) {
		t.Fatalf("the filter is not in the address: %s", currentURL(t, b))
	}
	body := pageText(t, b, "main")
	for _, gone := range []string{"Kindness at scale", "Service Awards ceremony", "People, not tickets"} {
		if strings.Contains(body, gone) {
			t.Errorf("filtered by Train, the agenda still shows %q", gone)
		}
	}
	if day := pageText(t, b, `.day-tab[aria-current="page"]`); !strings.Contains(day, "Day 2") {
		t.Fatalf("filtering lost the day: current tab %q", day)
	}
	screenshot(t, b, "day2-train")

	// Open a session from the timetable.
	clickAndLoad(t, b, `.timetable a.tt-session`)
	h1 := pageText(t, b, "h1")
	if h1 == "" || !strings.Contains(currentURL(t, b), "/sessions/") {
		t.Fatalf("no session page: %s %q", currentURL(t, b), h1)
	}
	waitText(t, b, "Speakers")
	waitText(t, b, "Europe/Amsterdam")
	screenshot(t, b, "session")
	console.check(t)
}

// The list view on a phone-sized (390 px) screen: no sideways scrolling, and
// the sessions are listed.
func TestBrowserAgendaListOnPhone(t *testing.T) {
	ta := newBrowserApp(t)
	agenda := seedDemo(t, ta)
	b := newBrowserSize(t, 390, 844)
	visit(t, b, agenda+"?view=list")
	waitText(t, b, "De-escalation with boundaries")
	if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the list view is %d px wide on a 390 px screen: it scrolls sideways", w)
	}
	screenshot(t, b, "list-390")
	// The timetable on a phone falls back to the list too.
	visit(t, b, agenda)
	if n := eval[int](t, b, `[...document.querySelectorAll(".agenda-item")].filter(e => e.offsetParent !== null).length`); n < 15 {
		t.Errorf("the phone shows %d list items in timetable view, want the day's sessions", n)
	}
	if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the timetable view is %d px wide on a 390 px screen", w)
	}
	screenshot(t, b, "timetable-390")
}

// An organiser signs in through the form, adds a session that clashes with the
// opening keynote, reads the message next to the field with the typed title
// kept, moves it to a free slot and finds it on the public agenda.
func TestBrowserOrganiserAddsSession(t *testing.T) {
	ta := newBrowserApp(t)
	agenda := seedDemo(t, ta)
	b := newBrowser(t)
	console := watchConsole(t, b)
	signInAs(t, b, ta, models.DemoEmail("anh.nguyen"), models.DemoPassword)

	summit, err := models.CurrentSummit(ctx, ta.DB, ta.Now())
	if err != nil {
		t.Fatal(err)
	}
	rooms, _ := models.ListRooms(ctx, ta.DB, summit.ID)
	visit(t, b, ta.Server.URL+"/organise/summits/"+itoa(summit.ID))
	clickAndLoad(t, b, `.workspace-nav a[href$="/agenda"]`)
	clickAndLoad(t, b, `a[href$="/sessions/new"]`)
	fill(t, b, "#f-title", "Łukasz's listening lab")
	fill(t, b, "#f-kind", string(models.KindTraining))
	fill(t, b, "#f-day", summit.StartDate)
	fill(t, b, "#f-start_time", "09:30")
	fill(t, b, "#f-end_time", "10:00")
	fill(t, b, "#f-room_id", itoa(rooms[0].ID))
	clickAndLoad(t, b, `.form-actions button[type="submit"]`)
	waitText(t, b, "Please fix the highlighted fields")
	if msg := pageText(t, b, ".field-error"); !strings.Contains(msg, "Everyone serves") {
		t.Fatalf("the clash message does not name the keynote: %q", msg)
	}
	if v := eval[string](t, b, `document.querySelector("#f-title").value`); v != "Łukasz's listening lab" {
		t.Fatalf("the typed title was not kept: %q", v)
	}
	screenshot(t, b, "clash")

	fill(t, b, "#f-start_time", "17:00")
	fill(t, b, "#f-end_time", "17:45")
	clickAndLoad(t, b, `.form-actions button[type="submit"]`)
	waitText(t, b, "Łukasz's listening lab")

	// Not on the timetable yet: only its length; it waits in the editor's side list.
	clickAndLoad(t, b, `a[href$="/sessions/new"]`)
	fill(t, b, "#f-title", "Quiet reading hour")
	fill(t, b, "#f-kind", string(models.KindSocial))
	click(t, b, "#f-unscheduled")
	fill(t, b, "#f-length", "40")
	clickAndLoad(t, b, `.form-actions button[type="submit"]`)
	waitText(t, b, "Session “Quiet reading hour” saved.")
	clickAndLoad(t, b, `a[href$="/timetable"]`)
	if side := pageText(t, b, "#tt-side"); !strings.Contains(side, "40 min · not scheduled") || !strings.Contains(side, "Quiet reading hour") {
		t.Fatalf("the side list: %q", side)
	}
	visit(t, b, agenda)
	waitText(t, b, "Łukasz's listening lab")
	if strings.Contains(pageText(t, b, "main"), "Quiet reading hour") {
		t.Error("the public agenda shows a session not on the timetable")
	}
	console.check(t)
}

// A tour of the main pages at desktop (1400 px) and phone (390 px) widths:
// each page is saved as a screenshot for a person to look at, and none may
// scroll sideways on a phone (the timetable scrolls inside its own box).
func TestBrowserPagesAtDesktopAndPhoneWidths(t *testing.T) {
	ta := newBrowserApp(t)
	agenda := seedDemo(t, ta)
	summit, err := models.CurrentSummit(ctx, ta.DB, ta.Now())
	if err != nil {
		t.Fatal(err)
	}
	sessions, _ := models.ListSessions(ctx, ta.DB, summit, models.AgendaFilter{Day: summit.StartDate})
	org := "/organise/summits/" + itoa(summit.ID)
	pages := []struct{ name, path string }{
		{"agenda", strings.TrimPrefix(agenda, ta.Server.URL)},
		{"agenda-list", strings.TrimPrefix(agenda, ta.Server.URL) + "?view=list"},
		{"session", strings.TrimPrefix(agenda, ta.Server.URL) + "/sessions/" + itoa(sessions[2].ID)},
		{"organise", "/organise"},
		{"dashboard", org},
		{"session-form", org + "/sessions/" + itoa(sessions[2].ID) + "/edit"},
		{"summit-form", org + "/edit"},
	}
	for _, size := range []struct {
		name string
		w, h int
	}{{"1400", 1400, 900}, {"390", 390, 844}} {
		t.Run(size.name, func(t *testing.T) {
			b := newBrowserSize(t, size.w, size.h)
			console := watchConsole(t, b)
			signInAs(t, b, ta, models.DemoEmail("anh.nguyen"), models.DemoPassword)
			for _, p := range pages {
				visit(t, b, ta.Server.URL+p.path)
				if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > size.w {
					t.Errorf("%s is %d px wide in a %d px window: it scrolls sideways", p.name, w, size.w)
				}
				screenshot(t, b, p.name)
				screenshotView(t, b, p.name+"-first-screen")
			}
			console.check(t)
			// The friendly 404 page (its 404 status is expected in the console).
			visit(t, b, ta.Server.URL+"/summits/999")
			waitText(t, b, "We could not find that page")
			screenshotView(t, b, "not-found")
		})
	}
}

// The timetable in Chromium at a laptop's size: scrolled down to the day's
// last session, the room names are still on screen above it (nothing covers
// them), and every tile names its room (for screen readers; the column shows
// it on screen) and its track (visibly, not only as a colour).
func TestBrowserTimetableKeepsRoomsInSight(t *testing.T) {
	ta := newBrowserApp(t)
	summit := demoSummit(t, ta)
	agenda := ta.Server.URL + "/summits/" + itoa(summit.ID)
	b := newBrowserSize(t, 1280, 800)
	console := watchConsole(t, b)
	visit(t, b, agenda)
	waitText(t, b, "Main Hall")
	// The grid's top at the top of the window, then the last session brought
	// into view as a person scrolling down to it would.
	eval[bool](t, b, `(() => {
		const wrap = document.querySelector(".timetable-wrap");
		window.scrollTo(0, wrap.getBoundingClientRect().top + window.scrollY - 10);
		[...document.querySelectorAll(".tt-session")].at(-1).scrollIntoView({block: "nearest"});
		return true;
	})()`)
	type box struct{ Top, Bottom, Hit, LastTop, ScrolledBy float64 }
	got := eval[box](t, b, `(() => {
		const head = document.querySelector(".tt-room"), r = head.getBoundingClientRect();
		const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
		const last = [...document.querySelectorAll(".tt-session")].at(-1).getBoundingClientRect();
		const wrap = document.querySelector(".timetable-wrap");
		return {Top: r.top, Bottom: r.bottom, Hit: head.contains(at) ? 1 : 0, LastTop: last.top, ScrolledBy: window.scrollY + wrap.scrollTop};
	})()`)
	if got.ScrolledBy < 300 {
		t.Fatalf("the page did not scroll to the last session (%v px): the check below would prove nothing", got.ScrolledBy)
	}
	if got.Top < 0 || got.Bottom > 800 || got.Hit != 1 || got.Bottom > got.LastTop {
		t.Errorf("scrolled to the day's last session, the room names are not in sight above it: %+v", got)
	}
	screenshotView(t, b, "scrolled-to-evening")

	sessions, err := models.ListSessions(ctx, ta.DB, summit, models.AgendaFilter{Day: summit.StartDate})
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]models.Session{}
	for _, x := range sessions {
		byPath["/summits/"+itoa(summit.ID)+"/sessions/"+itoa(x.ID)] = x
	}
	type tile struct {
		Path, Text string
		TrackShown bool
	}
	tiles := eval[[]tile](t, b, `[...document.querySelectorAll(".tt-session")].map(a => ({Path: new URL(a.href).pathname,
		Text: a.textContent.replace(/\s+/g, " "), TrackShown: !!a.querySelector(".tt-track") && a.querySelector(".tt-track").offsetHeight > 0}))`)
	if len(tiles) != len(sessions) {
		t.Fatalf("%d tiles for %d sessions", len(tiles), len(sessions))
	}
	for _, tl := range tiles {
		x, ok := byPath[tl.Path]
		if !ok {
			t.Fatalf("a tile links to %s, no session of the day", tl.Path)
		}
		if x.Room != nil && !strings.Contains(tl.Text, "Room: "+x.Room.Name) {
			t.Errorf("the tile of %q does not name its room %q: %q", x.Title, x.Room.Name, tl.Text)
		}
		if x.Track != nil && (!strings.Contains(tl.Text, x.Track.Name) || !tl.TrackShown) {
			t.Errorf("the tile of %q does not show its track %q: %q", x.Title, x.Track.Name, tl.Text)
		}
	}
	console.check(t)
}

// Choosing a track with the keyboard: an arrow key on the track control does
// not reload the page (a select that submitted on change did, at the first
// arrow key); Tab to the track and Enter filters the agenda.
func TestBrowserTrackFilterByKeyboard(t *testing.T) {
	ta := newBrowserApp(t)
	summit := demoSummit(t, ta)
	agenda := ta.Server.URL + "/summits/" + itoa(summit.ID)
	tracks, _ := models.ListTracks(ctx, ta.DB, summit.ID)
	var train string
	for _, tr := range tracks {
		if tr.Pillar == models.PillarTrain {
			train = tr.Name
		}
	}
	b := newBrowser(t)
	console := watchConsole(t, b)
	visit(t, b, agenda)
	step(t, b, "focus the track control and press the arrow keys", markPage(),
		chromedp.Evaluate[chromedp.Void](`document.querySelector(".track-filter select, .track-filter a").focus(); null`),
		chromedp.KeyEvent(kb.ArrowDown), chromedp.KeyEvent(kb.ArrowRight), chromedp.Sleep(time.Second))
	if !eval[bool](t, b, `window.__summitOldPage === true && location.href === `+jsString(agenda)) {
		t.Fatalf("an arrow key on the track control loaded another page: %s", currentURL(t, b))
	}
	for i := 0; i < len(tracks)+1 && eval[string](t, b, `document.activeElement.textContent.trim()`) != train; i++ {
		step(t, b, "press Tab", chromedp.KeyEvent(kb.Tab))
	}
	if got := eval[string](t, b, `document.activeElement.textContent.trim()`); got != train {
		t.Fatalf("Tab from the track control reached %q, not the %s track", got, train)
	}
	step(t, b, "press Enter on the "+train+" track", chromedp.KeyEvent(kb.Enter), waitNewPage())
	if !strings.Contains(currentURL(t, b), "track=") {
		t.Fatalf("Enter on a track did not filter: %s", currentURL(t, b))
	}
	if cur := pageText(t, b, `.track-filter [aria-current="page"]`); cur != train {
		t.Errorf("the chosen track shown is %q, want %q", cur, train)
	}
	for _, gone := range []string{"What our customers told us this year", "Stories of service from the field"} {
		if strings.Contains(pageText(t, b, "main"), gone) {
			t.Errorf("filtered by %s, the agenda still shows %q", train, gone)
		}
	}
	console.check(t)
}

// On a phone-sized window (390 × 844): the row of downloads wraps as whole
// links (none broken over two lines, none past the edge), and the
// Timetable/List switch works: the timetable shows when chosen (scrolling
// inside its own box, not the page), stays chosen on another day, and List
// brings the list back.
func TestBrowserAgendaSwitchAndDownloadsOnPhone(t *testing.T) {
	ta := newBrowserApp(t)
	agenda := seedDemo(t, ta)
	b := newBrowserSize(t, 390, 844)
	console := watchConsole(t, b)
	visit(t, b, agenda)
	visible := func(sel string) int {
		return eval[int](t, b, `[...document.querySelectorAll(`+jsString(sel)+`)].filter(e => e.offsetParent !== null).length`)
	}
	if visible(".agenda-item") < 10 || visible(".timetable-wrap") != 0 {
		t.Fatalf("a phone opens the agenda as a list: %d list items, %d timetables shown", visible(".agenda-item"), visible(".timetable-wrap"))
	}
	if bg := eval[string](t, b, `getComputedStyle(document.querySelector(".view-switch a:nth-child(2)")).backgroundColor`); bg != "rgb(15, 76, 92)" {
		t.Errorf("the switch does not mark List as showing (background %s)", bg)
	}
	type link struct {
		Text        string
		Lines       int
		Left, Right float64
	}
	for _, l := range eval[[]link](t, b, `[...document.querySelectorAll(".agenda-exports a")].map(a => ({Text: a.textContent.trim(),
		Lines: a.getClientRects().length, Left: a.getBoundingClientRect().left, Right: a.getBoundingClientRect().right}))`) {
		if l.Lines != 1 || l.Left < 0 || l.Right > 390 {
			t.Errorf("the download link %q breaks over %d lines or leaves the screen (%.0f–%.0f px)", l.Text, l.Lines, l.Left, l.Right)
		}
	}
	screenshotView(t, b, "downloads")

	clickAndLoad(t, b, ".view-switch a:nth-child(1)")
	checkTimetable := func(when string) {
		t.Helper()
		if visible(".timetable-wrap") != 1 || visible(".agenda-item") != 0 {
			t.Fatalf("%s: Timetable chosen, the phone shows %d timetables and %d list items", when, visible(".timetable-wrap"), visible(".agenda-item"))
		}
		if h := eval[int](t, b, `document.querySelector(".timetable-wrap").getBoundingClientRect().height`); h < 300 {
			t.Errorf("%s: the timetable is %d px high", when, h)
		}
		if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 390 {
			t.Errorf("%s: the page is %d px wide: it scrolls sideways instead of the timetable", when, w)
		}
		if !eval[bool](t, b, `(w => w.scrollWidth > w.clientWidth)(document.querySelector(".timetable-wrap"))`) {
			t.Errorf("%s: the timetable does not scroll sideways inside its box", when)
		}
		if cur := pageText(t, b, `.view-switch [aria-current="page"]`); cur != "Timetable" {
			t.Errorf("%s: the switch marks %q", when, cur)
		}
	}
	checkTimetable("day 1")
	screenshot(t, b, "timetable")
	clickAndLoad(t, b, `.day-tabs a.day-tab:nth-child(2)`)
	checkTimetable("day 2")
	clickAndLoad(t, b, ".view-switch a:nth-child(2)")
	if visible(".agenda-item") < 5 || visible(".timetable-wrap") != 0 {
		t.Fatalf("List chosen: %d list items, %d timetables shown", visible(".agenda-item"), visible(".timetable-wrap"))
	}
	if w := eval[int](t, b, `document.documentElement.scrollWidth`); w > 390 {
		t.Errorf("the list is %d px wide on a 390 px screen", w)
	}
	console.check(t)
}
