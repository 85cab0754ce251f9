package app_test

import (
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"summit/models"
	"summit/models/export/exporttest"
)

// The program PDF downloads from the public link: a PDF with every name
// spelled right, A4 by default and US Letter on request.
func TestProgramPDFDownload(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		c := ta.client(t)
		res := c.get("/summits/" + itoa(f.Summit.ID) + "/program.pdf")
		if res.Code != 200 || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("program.pdf: %d %s", res.Code, res.Header.Get("Content-Type"))
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "service-summit-2027-program.pdf") {
			t.Errorf("Content-Disposition %q", cd)
		}
		flat := exporttest.Flat(exporttest.PDFText(t, []byte(res.Body)))
		for _, w := range append(exporttest.Names, exporttest.TitleTraining, exporttest.TitlePanel) {
			if !strings.Contains(flat, w) {
				t.Errorf("program lacks %q", w)
			}
		}
		if got := exporttest.PDFInfo(t, []byte(res.Body))["Page size"]; !strings.Contains(got, "595.") {
			t.Errorf("default paper is not A4: %q", got)
		}
		// A changed session shows in the next download (the render cache is
		// keyed by everything the program shows).
		tr := f.Sessions[exporttest.TitleTraining]
		if _, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), f.Summit.ID, tr.ID, models.SessionInput{Title: "Boundaries, renamed", Kind: models.KindTraining,
			RoomID: itoa(*tr.RoomID), TrackID: itoa(*tr.TrackID), Day: "2027-03-27", StartTime: "10:30", EndTime: "12:00", Capacity: "20"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		flat = exporttest.Flat(exporttest.PDFText(t, []byte(c.get("/summits/"+itoa(f.Summit.ID)+"/program.pdf").Body)))
		if !strings.Contains(flat, "Boundaries, renamed") || strings.Contains(flat, exporttest.TitleTraining) {
			t.Error("the program still shows the old title after an edit")
		}
		res = c.get("/summits/" + itoa(f.Summit.ID) + "/program.pdf?paper=letter")
		if got := exporttest.PDFInfo(t, []byte(res.Body))["Page size"]; res.Code != 200 || !strings.Contains(got, "612 x 792") {
			t.Errorf("letter: %d %q", res.Code, got)
		}
	})
}

func register(t *testing.T, ta *testApp, sessionID, personID uint, status models.RegStatus, pos int) {
	t.Helper()
	now := time.Now().UTC()
	r := models.Registration{SessionID: sessionID, PersonID: personID, Status: status, Position: pos, CreatedAt: now, UpdatedAt: now}
	if status == models.RegConfirmed {
		r.ConfirmedAt = &now
	}
	if err := ta.DB.Create(&r).Error; err != nil {
		t.Fatal(err)
	}
}

// Every export of a draft summit is a 404, for visitors and organisers alike.
func TestExportsOfDraftSummitAre404(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2028, true)
		id := itoa(f.Summit.ID)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		paths := []string{"/summits/" + id + "/program.pdf", "/summits/" + id + "/program.pdf?paper=letter", "/summits/" + id + "/agenda.ics",
			"/summits/" + id + "/schedule.xml", "/summits/" + id + "/schedule.json", "/my/agenda.pdf?summit=" + id,
			"/organise/summits/" + id + "/certificates.pdf", "/organise/summits/" + id + "/sessions.csv", "/organise/summits/" + id + "/registrations.csv"}
		for _, p := range paths {
			if res := org.get(p); res.Code != http.StatusNotFound {
				t.Errorf("organiser %s: %d, want 404", p, res.Code)
			}
			if !strings.HasPrefix(p, "/organise") && !strings.HasPrefix(p, "/my") {
				if res := ta.client(t).get(p); res.Code != http.StatusNotFound {
					t.Errorf("visitor %s: %d, want 404", p, res.Code)
				}
			}
		}
		// No current summit at all: the personal PDF is a 404 too, not a 500.
		if res := org.get("/my/agenda.pdf"); res.Code != http.StatusNotFound {
			t.Errorf("/my/agenda.pdf without a published summit: %d", res.Code)
		}
	})
}

// The whole-summit calendar downloads and parses; a person's secret feed
// holds their seat, their waitlist place and the plenary sessions, and a
// reset makes the old address stop working.
func TestCalendarFeeds(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		res := ta.client(t).get("/summits/" + itoa(f.Summit.ID) + "/agenda.ics")
		if res.Code != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("agenda.ics: %d %s", res.Code, res.Header.Get("Content-Type"))
		}
		cal, err := ics.ParseCalendar(strings.NewReader(res.Body))
		if err != nil || len(cal.Events()) != len(f.Sessions) {
			t.Fatalf("agenda.ics: %v, %d events", err, len(cal.Events()))
		}

		me := ta.addPerson(t, "Nguyễn Thị Ánh", "anh@example.com", models.RoleStaff)
		c := ta.client(t)
		c.signIn(me.Email)
		register(t, ta, f.Sessions[exporttest.TitleTraining].ID, me.ID, models.RegConfirmed, 0)
		register(t, ta, f.Sessions[exporttest.TitleEmoji].ID, me.ID, models.RegWaitlisted, 2)
		page := c.get("/my/calendar")
		if page.Code != 200 || !strings.Contains(text(page.Body), "no calendar address yet") {
			t.Fatalf("/my/calendar: %d %s", page.Code, text(page.Body))
		}
		feedRe := regexp.MustCompile(`http://[^"<\s]+/cal/[A-Za-z0-9_-]+\.ics`)
		made := c.post("/my/calendar", nil)
		first := feedRe.FindString(made.Body)
		if made.Code != 200 || first == "" {
			t.Fatalf("making a feed: %d, no address in %s", made.Code, text(made.Body))
		}
		path := first[strings.Index(first, "/cal/"):]
		var tokens int64
		ta.DB.Table("calendar_feeds").Where("token_hash = ?", strings.TrimSuffix(path[len("/cal/"):], ".ics")).Count(&tokens)
		if tokens != 0 {
			t.Error("the token is stored in clear")
		}
		feed := ta.client(t).get(path)
		if feed.Code != 200 {
			t.Fatalf("feed: %d", feed.Code)
		}
		cal, err = ics.ParseCalendar(strings.NewReader(feed.Body))
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, e := range cal.Events() {
			got[e.Id()] = e.GetProperty(ics.ComponentPropertySummary).Value + " | " + e.GetProperty(ics.ComponentPropertyStatus).Value
		}
		want := map[string]string{
			exporttest.TitleTraining: exporttest.TitleTraining + " | CONFIRMED",
			exporttest.TitleEmoji:    "Waitlist (2nd in line): " + exporttest.TitleEmoji + " | TENTATIVE",
			exporttest.TitleKeynote:  exporttest.TitleKeynote + " | CONFIRMED",
		}
		for title, w := range want {
			if g := got[f.Sessions[title].UUID]; g != w {
				t.Errorf("feed event for %q: %q, want %q", title, g, w)
			}
		}
		if len(got) != 6 {
			t.Errorf("feed has %d events, want 6 (2 registrations + 4 plenary sessions)", len(got))
		}
		again := c.post("/my/calendar", nil)
		second := feedRe.FindString(again.Body)
		if second == "" || second == first {
			t.Fatalf("reset gave %q", second)
		}
		if res := ta.client(t).get(path); res.Code != http.StatusNotFound {
			t.Errorf("old feed address after a reset: %d, want 404", res.Code)
		}
		if res := ta.client(t).get(second[strings.Index(second, "/cal/"):]); res.Code != 200 {
			t.Errorf("new feed address: %d", res.Code)
		}
		if res := ta.client(t).get("/cal/not-a-real-token-at-all-000000.ics"); res.Code != http.StatusNotFound {
			t.Errorf("unknown token: %d", res.Code)
		}
	})
}

// The personal agenda PDF lists the person's seat, their waitlist place and
// the plenary sessions, with their name spelled right.
func TestMyAgendaPDF(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		me := ta.addPerson(t, "Đorđe Petrović", "dorde@example.com", models.RoleStaff)
		c := ta.client(t)
		c.signIn(me.Email)
		register(t, ta, f.Sessions[exporttest.TitleTraining].ID, me.ID, models.RegConfirmed, 0)
		register(t, ta, f.Sessions[exporttest.TitleEmoji].ID, me.ID, models.RegWaitlisted, 3)
		page := c.get("/my/agenda?summit=" + itoa(f.Summit.ID))
		if !strings.Contains(page.Body, "/my/agenda.pdf?summit="+itoa(f.Summit.ID)) || !strings.Contains(page.Body, `href="/my/calendar"`) {
			t.Error("My agenda does not link to its PDF and calendar")
		}
		res := c.get("/my/agenda.pdf?summit=" + itoa(f.Summit.ID))
		if res.Code != 200 || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("agenda pdf: %d %s", res.Code, res.Header.Get("Content-Type"))
		}
		flat := exporttest.Flat(exporttest.PDFText(t, []byte(res.Body)))
		for _, w := range []string{"My agenda — Đorđe Petrović", exporttest.TitleTraining, "Seat confirmed", "On the waitlist, 3rd in line", "Patience ? under pressure ?",
			exporttest.TitleKeynote, exporttest.TitleCeremony, "Sunday 28 March 2027"} {
			if !strings.Contains(flat, w) {
				t.Errorf("agenda PDF lacks %q", w)
			}
		}
		if res := ta.client(t).get("/my/agenda.pdf"); res.Code != http.StatusSeeOther {
			t.Errorf("visitor: %d, want a redirect to sign in", res.Code)
		}
	})
}

// Before the announcement the certificates file is one page that says when
// certificates become available, and names nobody.
func TestCertificatesBeforeAnnouncement(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		res := org.get("/organise/summits/" + itoa(f.Summit.ID) + "/certificates.pdf")
		if res.Code != 200 || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("certificates: %d", res.Code)
		}
		txt := exporttest.PDFText(t, []byte(res.Body))
		if !strings.Contains(txt, "Certificates are not available yet") {
			t.Errorf("no 'not yet' page: %s", txt)
		}
		for _, n := range exporttest.Names {
			if strings.Contains(txt, n) {
				t.Errorf("certificates before the announcement name %s", n)
			}
		}
		if info := exporttest.PDFInfo(t, []byte(res.Body)); info["Pages"] != "1" {
			t.Errorf("pages %q", info["Pages"])
		}
		staff, _ := ta.signedIn(t, models.RoleStaff)
		if res := staff.get("/organise/summits/" + itoa(f.Summit.ID) + "/certificates.pdf"); res.Code != http.StatusForbidden {
			t.Errorf("staff: %d, want 403", res.Code)
		}
	})
}

// The CSV exports are UTF-8 with every session and registration, and a cell
// that starts like a formula is neutralised.
func TestCSVExports(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		if _, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), f.Summit.ID, 0, models.SessionInput{Title: "=HYPERLINK(\"http://evil\")", Kind: models.KindSocial,
			Day: "2027-03-29", StartTime: "18:00", EndTime: "19:00"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		me := ta.addPerson(t, "Zoë Ølberg", "zoe@example.com", models.RoleStaff)
		register(t, ta, f.Sessions[exporttest.TitleTraining].ID, me.ID, models.RegConfirmed, 0)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		res := org.get("/organise/summits/" + itoa(f.Summit.ID) + "/sessions.csv")
		if res.Code != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("sessions.csv: %d %s", res.Code, res.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != len(f.Sessions)+2 {
			t.Errorf("%d rows, want header + %d sessions", len(rows), len(f.Sessions)+1)
		}
		body := res.Body
		for _, w := range append([]string{exporttest.TitleEmoji, `"Service, strategy; and ""commas"", too"`, `'=HYPERLINK(`}, exporttest.Names...) {
			if !strings.Contains(body, w) {
				t.Errorf("sessions.csv lacks %q", w)
			}
		}
		// Read as a spreadsheet would: the title cell itself, not the quoted bytes.
		neutralised := false
		for _, row := range rows {
			if len(row) > 2 && row[2] == `'=HYPERLINK("http://evil")` {
				neutralised = true
			}
		}
		if !neutralised {
			t.Error("the formula-like title is not neutralised in its cell")
		}
		res = org.get("/organise/summits/" + itoa(f.Summit.ID) + "/registrations.csv")
		if res.Code != 200 || !strings.Contains(res.Body, "Zoë Ølberg,zoe@example.com") || !strings.Contains(res.Body, "confirmed") {
			t.Errorf("registrations.csv: %d %s", res.Code, res.Body)
		}
		staff, _ := ta.signedIn(t, models.RoleStaff)
		if res := staff.get("/organise/summits/" + itoa(f.Summit.ID) + "/registrations.csv"); res.Code != http.StatusForbidden {
			t.Errorf("staff may not read registrations: %d", res.Code)
		}
	})
}

// The frab files served to conference apps validate against the shared XSD
// and JSON schema.
func TestFrabDownloads(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		c := ta.client(t)
		x := c.get("/summits/" + itoa(f.Summit.ID) + "/schedule.xml")
		if x.Code != 200 || !strings.HasPrefix(x.Header.Get("Content-Type"), "application/xml") {
			t.Fatalf("schedule.xml: %d", x.Code)
		}
		exporttest.ValidateFrabXML(t, []byte(x.Body))
		j := c.get("/summits/" + itoa(f.Summit.ID) + "/schedule.json")
		if j.Code != 200 || !strings.HasPrefix(j.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("schedule.json: %d", j.Code)
		}
		exporttest.ValidateFrabJSON(t, []byte(j.Body))
		if !strings.Contains(x.Body, "http://summit.test/summits/"+itoa(f.Summit.ID)+"/sessions/") {
			t.Error("session URLs do not use the configured base URL")
		}
	})
}

// The agenda page links to the program PDF, the calendar and the frab files;
// the organiser's Exports page links to certificates and CSVs.
func TestExportLinks(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		id := itoa(f.Summit.ID)
		page := ta.client(t).get("/summits/" + id)
		for _, w := range []string{"/summits/" + id + "/program.pdf", "program.pdf?paper=letter", "/summits/" + id + "/agenda.ics", "schedule.xml", "schedule.json"} {
			if !strings.Contains(page.Body, w) {
				t.Errorf("agenda page lacks a link to %s", w)
			}
		}
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		dash := org.get("/organise/summits/" + id + "/exports")
		for _, w := range []string{"/certificates.pdf", "/sessions.csv", "/registrations.csv"} {
			if !strings.Contains(dash.Body, w) {
				t.Errorf("dashboard lacks a link to %s", w)
			}
		}
	})
}

// Winners appear in the program and on certificates only after the
// announcement; before it the program says when, and the certificates file
// names nobody.
func TestExportsRevealWinnersOnlyAfterAnnouncement(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		exporttest.AddWinner(t, ta.DB, f)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		id := itoa(f.Summit.ID)
		announce := time.Date(2027, 3, 29, 14, 0, 0, 0, time.UTC) // 16:00 in Amsterdam

		ta.App.Now = func() time.Time { return announce.Add(-time.Minute) }
		program := exporttest.Flat(exporttest.PDFText(t, []byte(ta.client(t).get("/summits/"+id+"/program.pdf").Body)))
		if !strings.Contains(program, exporttest.AwardName) || !strings.Contains(program, "Winners announced at the ceremony, Monday 29 March 16:00") {
			t.Errorf("before: program lacks the category or the announcement time: %s", program)
		}
		certs := org.get("/organise/summits/" + id + "/certificates.pdf")
		ctext := exporttest.PDFText(t, []byte(certs.Body))
		if !strings.Contains(exporttest.Flat(ctext), "after the announcement at the ceremony, Monday 29 March 2027 at 16:00") {
			t.Errorf("before: certificates do not say when: %s", ctext)
		}
		for _, doc := range []string{program, ctext, certs.Body} {
			if strings.Contains(doc, exporttest.Winner) || strings.Contains(doc, "Honorees") {
				t.Fatal("a winner is revealed before the announcement")
			}
		}

		ta.App.Now = func() time.Time { return announce }
		program = exporttest.Flat(exporttest.PDFText(t, []byte(ta.client(t).get("/summits/"+id+"/program.pdf").Body)))
		for _, w := range []string{"Honorees", exporttest.Winner + " Billing", exporttest.AwardName} {
			if !strings.Contains(program, w) {
				t.Errorf("after: program lacks %q", w)
			}
		}
		certs = org.get("/organise/summits/" + id + "/certificates.pdf")
		ctext = exporttest.Flat(exporttest.PDFText(t, []byte(certs.Body)))
		for _, w := range []string{"Certificate of Recognition", exporttest.Winner, exporttest.AwardName, "29 March 2027", "For the organisers", "SERVICE SUMMIT 2027"} {
			if !strings.Contains(ctext, w) {
				t.Errorf("after: certificate lacks %q in %s", w, ctext)
			}
		}
		info := exporttest.PDFInfo(t, []byte(certs.Body))
		if info["Pages"] != "1" || !strings.HasPrefix(info["Page size"], "841.89 x 595.28") {
			t.Errorf("one landscape A4 page per winner: %q pages, %q", info["Pages"], info["Page size"])
		}
	})
}

// Every export says what it is and how to keep it: type, a file name made
// from the summit's title, caching (public files revalidate with an ETag and
// answer 304 when unchanged; personal and organiser files are never stored),
// and HEAD answers with the headers of the file.
func TestExportHeaders(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		id := itoa(f.Summit.ID)
		org, me := ta.signedIn(t, models.RoleOrganiser)
		tok, err := models.ResetCalendarFeed(ctx, ta.DB, me.ID)
		if err != nil {
			t.Fatal(err)
		}
		cases := []struct{ path, ctype, disp, cache string }{
			{"/summits/" + id + "/program.pdf", "application/pdf", `inline; filename="service-summit-2027-program.pdf"`, "no-cache"},
			{"/summits/" + id + "/program.pdf?paper=letter", "application/pdf", `inline; filename="service-summit-2027-program-letter.pdf"`, "no-cache"},
			{"/summits/" + id + "/agenda.ics", "text/calendar; charset=utf-8", `attachment; filename="service-summit-2027-agenda.ics"`, "no-cache"},
			{"/summits/" + id + "/schedule.xml", "application/xml; charset=utf-8", `inline; filename="service-summit-2027-schedule.xml"`, "no-cache"},
			{"/summits/" + id + "/schedule.json", "application/json; charset=utf-8", `inline; filename="service-summit-2027-schedule.json"`, "no-cache"},
			{"/cal/" + tok + ".ics", "text/calendar; charset=utf-8", `attachment; filename="my-agenda.ics"`, "private, no-store"},
			{"/my/agenda.pdf?summit=" + id, "application/pdf", `inline; filename="service-summit-2027-my-agenda.pdf"`, "private, no-store"},
			{"/organise/summits/" + id + "/certificates.pdf", "application/pdf", `inline; filename="service-summit-2027-certificates.pdf"`, "private, no-store"},
			{"/organise/summits/" + id + "/sessions.csv", "text/csv; charset=utf-8", `attachment; filename="service-summit-2027-sessions.csv"`, "private, no-store"},
			{"/organise/summits/" + id + "/registrations.csv", "text/csv; charset=utf-8", `attachment; filename="service-summit-2027-registrations.csv"`, "private, no-store"},
		}
		visitor := ta.client(t)
		for _, tc := range cases {
			c := org
			if tc.cache == "no-cache" { // public files; signed-in people's responses are never stored
				c = visitor
			}
			res := c.get(tc.path)
			h := res.Header
			if res.Code != 200 || h.Get("Content-Type") != tc.ctype || h.Get("Content-Disposition") != tc.disp || h.Get("Cache-Control") != tc.cache ||
				h.Get("X-Content-Type-Options") != "nosniff" || h.Get("ETag") == "" || res.Body == "" {
				t.Errorf("%s: %d type %q disposition %q cache %q etag %q", tc.path, res.Code, h.Get("Content-Type"), h.Get("Content-Disposition"), h.Get("Cache-Control"), h.Get("ETag"))
				continue
			}
			req, _ := http.NewRequest(http.MethodGet, ta.Server.URL+tc.path, nil)
			// Public files come from the page cache: a strong ETag per encoding
			// (pagecache_test.go); files made per request have a weak one.
			if weak := strings.HasPrefix(h.Get("ETag"), `W/"`); weak == (tc.cache == "no-cache") {
				t.Errorf("%s: ETag %q; public files have a strong one, private files a weak one", tc.path, h.Get("ETag"))
			}
			req.Header.Set("If-None-Match", h.Get("ETag"))
			again := c.do(req)
			if tc.cache == "no-cache" && (again.Code != http.StatusNotModified || again.Body != "") {
				t.Errorf("%s with its ETag: %d, want 304 and no body", tc.path, again.Code)
			}
			if tc.cache != "no-cache" && again.Code != 200 {
				t.Errorf("%s (not stored) with an ETag: %d, want 200", tc.path, again.Code)
			}
		}
		if cc := org.get("/summits/" + id + "/program.pdf").Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("signed in, the program's Cache-Control is %q, want no-store", cc)
		}
		for _, p := range []string{"/summits/" + id + "/program.pdf", "/summits/" + id + "/agenda.ics", "/summits/" + id + "/schedule.xml", "/summits/" + id + "/schedule.json", "/cal/" + tok + ".ics"} {
			req, _ := http.NewRequest(http.MethodHead, ta.Server.URL+p, nil)
			res := ta.client(t).do(req)
			if res.Code != 200 || res.Body != "" || res.Header.Get("Content-Disposition") == "" || res.Header.Get("Content-Type") == "" {
				t.Errorf("HEAD %s: %d, %d bytes, type %q", p, res.Code, len(res.Body), res.Header.Get("Content-Type"))
			}
		}
		req, _ := http.NewRequest(http.MethodHead, ta.Server.URL+"/summits/999999/program.pdf", nil)
		if res := ta.client(t).do(req); res.Code != http.StatusNotFound {
			t.Errorf("HEAD of a missing summit's program: %d, want 404", res.Code)
		}
	})
}

// The session page's "Add to calendar" gives that one session as an
// iCalendar file in the summit's zone, without a calendar name (so apps add
// the event rather than offer a subscription); a draft summit's is a 404.
func TestSessionICS(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		s := f.Sessions[exporttest.TitleEmoji]
		page := ta.client(t).get("/summits/" + itoa(f.Summit.ID) + "/sessions/" + itoa(s.ID))
		link := "/summits/" + itoa(f.Summit.ID) + "/sessions/" + itoa(s.ID) + "/calendar.ics"
		if !strings.Contains(page.Body, `href="`+link+`"`) {
			t.Errorf("session page has no link to %s", link)
		}
		res := ta.client(t).get(link)
		if res.Code != 200 || res.Header.Get("Content-Type") != "text/calendar; charset=utf-8" ||
			res.Header.Get("Content-Disposition") != `attachment; filename="service-summit-2027-patience-under-pressure.ics"` {
			t.Fatalf("%d %q %q", res.Code, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		cal, err := ics.ParseCalendar(strings.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		if evs := cal.Events(); len(evs) != 1 || evs[0].Id() != s.UUID {
			t.Fatalf("want one event with UID %s, got %d", s.UUID, len(evs))
		}
		start, err := cal.Events()[0].GetStartAt()
		if err != nil || !start.Equal(time.Date(2027, 3, 28, 7, 30, 0, 0, time.UTC)) {
			t.Errorf("starts %v (%v), want 07:30Z", start, err)
		}
		for _, w := range []string{"DTSTART;TZID=Europe/Amsterdam:20270328T093000\r\n", "BEGIN:VTIMEZONE\r\n"} {
			if !strings.Contains(res.Body, w) {
				t.Errorf("session calendar lacks %q", w)
			}
		}
		if strings.Contains(res.Body, "X-WR-CALNAME") || strings.Contains(res.Body, "REFRESH-INTERVAL") {
			t.Error("a one-session file names a calendar")
		}
		if ta.client(t).get("/summits/"+itoa(f.Summit.ID)+"/sessions/999999/calendar.ics").Code != http.StatusNotFound {
			t.Error("a missing session's calendar is not a 404")
		}
		d := exporttest.Build(t, ta.DB, 2028, true)
		if code := ta.client(t).get("/summits/" + itoa(d.Summit.ID) + "/sessions/" + itoa(d.Sessions[exporttest.TitleKeynote].ID) + "/calendar.ics").Code; code != http.StatusNotFound {
			t.Errorf("draft summit's session calendar: %d, want 404", code)
		}
	})
}
