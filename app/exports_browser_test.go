package app_test

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"testing"

	ics "github.com/arran4/golang-ical"

	"summit/models"
	"summit/models/export/exporttest"
)

// In Chromium: a visitor on the agenda page finds the program download, and
// the link gives a PDF (fetched by the page itself, as the browser would);
// the Letter link and the calendar link are there too.
func TestBrowserProgramDownload(t *testing.T) {
	ta := newBrowserApp(t)
	f := exporttest.Build(t, ta.DB, 2027, false)
	b := newBrowser(t)
	console := watchConsole(t, b)
	visit(t, b, ta.Server.URL+"/summits/"+itoa(f.Summit.ID))
	waitText(t, b, "Download PDF")
	links := pageText(t, b, ".agenda-exports")
	for _, w := range []string{"US Letter", "Open in my calendar app", "schedule.xml"} {
		if !strings.Contains(links, w) {
			t.Errorf("agenda downloads lack %q: %s", w, links)
		}
	}
	eval[bool](t, b, `(window.__pdf = null, fetch(document.querySelector("#program-pdf-link").href).then(async r => {
		const head = new Uint8Array(await r.arrayBuffer()).slice(0, 5);
		window.__pdf = r.status + " " + r.headers.get("content-type") + " " + String.fromCharCode(...head);
	}).catch(e => { window.__pdf = "error " + e; }), true)`)
	step(t, b, "download the program", waitFor(`window.__pdf !== null`))
	if got := eval[string](t, b, `window.__pdf`); got != "200 application/pdf %PDF-" {
		t.Fatalf("the program link gave %q", got)
	}
	screenshot(t, b, "agenda-downloads")
	console.check(t)
}

// calLinks reads the hrefs of the calendar links inside a part of the page,
// as the browser resolves them (what a click opens).
func calLinks(t *testing.T, b context.Context, within string) map[string]string {
	t.Helper()
	return eval[map[string]string](t, b, `(() => {
		const out = {};
		for (const k of ["app", "google", "outlook", "outlook-com", "file"]) {
			const a = document.querySelector(`+jsString(within)+` + " .cal-" + k);
			out[k] = a ? a.href : "";
		}
		out.blanked = String([...document.querySelectorAll("a[href]")].filter(a => a.getAttribute("href").includes("ZgotmplZ")).length);
		return out;
	})()`)
}

// fetchText fetches an address from inside the page (same origin, with the
// page's cookies) and returns the status and body.
func fetchText(t *testing.T, b context.Context, url string) (int, string) {
	t.Helper()
	eval[bool](t, b, `(window.__got = null, fetch(`+jsString(url)+`).then(async r => { window.__got = {status: r.status, body: await r.text()}; })
		.catch(e => { window.__got = {status: 0, body: String(e)}; }), true)`)
	step(t, b, "fetch "+url, waitFor(`window.__got !== null`))
	got := eval[struct {
		Status int    `json:"status"`
		Body   string `json:"body"`
	}](t, b, `window.__got`)
	return got.Status, got.Body
}

func parseCalendar(t *testing.T, what string, body []byte) *ics.Calendar {
	t.Helper()
	if bytes.Contains(bytes.ReplaceAll(body, []byte("\r\n"), nil), []byte("\r")) {
		t.Errorf("%s holds a bare CR", what)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s is not a calendar: %v\n%.300s", what, err, body)
	}
	return cal
}

func query(t *testing.T, link string) url.Values {
	t.Helper()
	u, err := url.Parse(link)
	if err != nil {
		t.Fatalf("%q: %v", link, err)
	}
	return u.Query()
}

// In Chromium, the calendar links a person clicks: on the agenda (subscribe
// to the whole summit), on a session page (add one event) and on My calendar
// (subscribe to one's own agenda at its secret address). Each "Open in my
// calendar app" is a live webcal:// address (not html/template's blanked
// "#ZgotmplZ"), the Google Calendar and Outlook links carry the same feed,
// and following the feed (or clicking the .ics link) gives a calendar with
// the right events.
func TestBrowserCalendarLinks(t *testing.T) {
	ta := newBrowserApp(t)
	ta.Cfg.BaseURL = ta.Server.URL // feeds name the address this browser reaches
	host := strings.TrimPrefix(ta.Server.URL, "http://")
	f := exporttest.Build(t, ta.DB, 2027, false)
	sid := itoa(f.Summit.ID)
	b := newBrowser(t)
	console := watchConsole(t, b)

	// The agenda: subscribe to the whole summit.
	visit(t, b, ta.Server.URL+"/summits/"+sid)
	l := calLinks(t, b, ".agenda-exports")
	feed := ta.Server.URL + "/summits/" + sid + "/agenda.ics"
	if want := "webcal://" + host + "/summits/" + sid + "/agenda.ics"; l["app"] != want {
		t.Errorf("agenda: Open in my calendar app is %q, want %q", l["app"], want)
	}
	if l["blanked"] != "0" {
		t.Errorf("agenda: %s links were blanked by the template (#ZgotmplZ)", l["blanked"])
	}
	if g := query(t, l["google"]); !strings.HasPrefix(l["google"], "https://calendar.google.com/calendar/") || g.Get("cid") != l["app"] {
		t.Errorf("agenda: the Google Calendar link %q does not subscribe to %q", l["google"], l["app"])
	}
	if o := query(t, l["outlook"]); !strings.HasPrefix(l["outlook"], "https://outlook.office.com/calendar/0/addfromweb?") || o.Get("url") != feed || o.Get("name") != f.Summit.Title {
		t.Errorf("agenda: the Outlook link %q does not subscribe to %q", l["outlook"], feed)
	}
	status, body := fetchText(t, b, query(t, l["outlook"]).Get("url"))
	if status != 200 {
		t.Fatalf("the feed behind the subscribe links answers %d", status)
	}
	if cal := parseCalendar(t, "the summit feed", []byte(body)); len(cal.Events()) != len(f.Sessions) {
		t.Errorf("the summit feed has %d events, want %d", len(cal.Events()), len(f.Sessions))
	}
	if cal := parseCalendar(t, "the agenda's .ics download", clickDownload(t, b, ".agenda-exports .cal-file")); len(cal.Events()) != len(f.Sessions) {
		t.Errorf("the downloaded agenda has %d events, want %d", len(cal.Events()), len(f.Sessions))
	}
	screenshotView(t, b, "agenda")

	// A session page: add that one session.
	x := f.Sessions[exporttest.TitlePanel] // commas, semicolons and a line break in the abstract
	visit(t, b, ta.Server.URL+"/summits/"+sid+"/sessions/"+itoa(x.ID))
	l = calLinks(t, b, ".session-exports")
	cal := parseCalendar(t, "the session's .ics download", clickDownload(t, b, ".session-exports .cal-file"))
	if evs := cal.Events(); len(evs) != 1 || evs[0].Id() != x.UUID {
		t.Fatalf("the session download holds %d events, want the one with UID %s", len(evs), x.UUID)
	}
	start, end := x.StartsAt.UTC().Format("20060102T150405Z"), x.EndsAt.UTC().Format("20060102T150405Z")
	g := query(t, l["google"])
	if g.Get("action") != "TEMPLATE" || g.Get("text") != x.Title || g.Get("dates") != start+"/"+end || g.Get("ctz") != "Europe/Amsterdam" ||
		!strings.Contains(g.Get("details"), "new lines must be escaped") || !strings.Contains(g.Get("location"), "Studio B") {
		t.Errorf("the Google Calendar event link is wrong: %v", g)
	}
	o := query(t, l["outlook"])
	if !strings.HasPrefix(l["outlook"], "https://outlook.office.com/calendar/") || o.Get("rru") != "addevent" || o.Get("subject") != x.Title ||
		o.Get("startdt") != x.StartsAt.UTC().Format("2006-01-02T15:04:05Z") || o.Get("enddt") != x.EndsAt.UTC().Format("2006-01-02T15:04:05Z") {
		t.Errorf("the Outlook event link is wrong: %v", o)
	}
	if strings.ContainsRune(g.Get("details")+o.Get("body"), '\r') {
		t.Error("an add-event link carries a CR")
	}
	screenshotView(t, b, "session")

	// My calendar: subscribe to one's own agenda at its secret address.
	p := ta.addPerson(t, "Zoë Calendar", "zoe.calendar@example.com", models.RoleStaff)
	signInAs(t, b, ta, p.Email, testPassword)
	visit(t, b, ta.Server.URL+"/my/calendar")
	clickAndLoad(t, b, `form[action="/my/calendar"] button[type="submit"]`)
	waitText(t, b, "Copy it now")
	mine := eval[string](t, b, `document.querySelector("#feed-url").value`)
	if !strings.HasPrefix(mine, ta.Server.URL+"/cal/") || !strings.HasSuffix(mine, ".ics") {
		t.Fatalf("the calendar address is %q", mine)
	}
	l = calLinks(t, b, ".feed-new")
	if want := "webcal://" + strings.TrimPrefix(mine, "http://"); l["app"] != want {
		t.Errorf("My calendar: Open in my calendar app is %q, want %q", l["app"], want)
	}
	if l["blanked"] != "0" {
		t.Errorf("My calendar: %s links were blanked by the template (#ZgotmplZ)", l["blanked"])
	}
	if query(t, l["google"]).Get("cid") != l["app"] {
		t.Errorf("My calendar: the Google Calendar link %q does not subscribe to %q", l["google"], l["app"])
	}
	for _, k := range []string{"outlook", "outlook-com"} {
		if query(t, l[k]).Get("url") != mine {
			t.Errorf("My calendar: the %s link %q does not subscribe to %q", k, l[k], mine)
		}
	}
	screenshot(t, b, "my-calendar")
	status, body = fetchText(t, b, query(t, l["outlook"]).Get("url"))
	if status != 200 {
		t.Fatalf("the personal feed answers %d", status)
	}
	found := false
	for _, ev := range parseCalendar(t, "the personal feed", []byte(body)).Events() {
		found = found || ev.Id() == f.Sessions[exporttest.TitleKeynote].UUID
	}
	if !found {
		t.Errorf("the personal feed lacks the keynote everyone attends:\n%.500s", body)
	}
	console.check(t)
}
