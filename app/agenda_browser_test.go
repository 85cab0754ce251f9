package app_test

import (
	"strings"
	"testing"

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
	chooseAndLoad(t, b, "#track-filter", train)
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
	clickAndLoad(t, b, `a[href$="/sessions/new"]`)
	fill(t, b, "#f-title", "Łukasz's listening lab")
	fill(t, b, "#f-kind", models.KindTraining)
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
	visit(t, b, agenda)
	waitText(t, b, "Łukasz's listening lab")
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
