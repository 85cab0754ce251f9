package app_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"summit/models"
)

const sessionsCSVHeader = "key,title,kind,day,start,end,room,track,speakers,seat_capacity,abstract\r\n"

func countSessions(t *testing.T, ta *testApp, s *models.Summit, title string) int64 {
	t.Helper()
	var n int64
	if err := ta.DB.Model(&models.Session{}).Where("summit_id = ? AND title = ?", s.ID, title).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSessionsImportFromTheAgendaPage: from the agenda's link, an organiser
// downloads the template, uploads it, sees what it will create, imports
// it, and finds the sessions on the agenda; the same file again changes
// nothing; the export of every session imports back unchanged; moving a
// session with registrants shows who will be told, then tells them.
func TestSessionsImportFromTheAgendaPage(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s := demoSummit(t, ta)
		c, _ := ta.signedIn(t, models.RoleOrganiser)
		base := "/organise/summits/" + itoa(s.ID)
		if page := c.get(base + "/agenda").Body; !strings.Contains(page, `href="`+base+`/sessions/import"`) {
			t.Fatalf("the agenda does not link to the import")
		}
		page := c.get(base + "/sessions/import")
		if page.Code != http.StatusOK || !strings.Contains(text(page.Body), "key,title,kind,day,start,end,room,track,speakers,seat_capacity,abstract") {
			t.Fatalf("import page: %d %s", page.Code, text(page.Body))
		}
		tpl := c.get(base + "/sessions/import/template.csv")
		if tpl.Code != http.StatusOK || !strings.HasPrefix(tpl.Header.Get("Content-Type"), "text/csv") || !strings.Contains(tpl.Body, "Service clinic") {
			t.Fatalf("template: %d %v %s", tpl.Code, tpl.Header, tpl.Body)
		}
		res := c.upload(base+"/sessions/import", "template.csv", []byte(tpl.Body))
		if res.Code != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.Code, text(res.Body))
		}
		preview := c.get(res.Location)
		if got := text(preview.Body); !strings.Contains(got, "3 sessions read: 3 to create, 0 to update, 0 unchanged") || !strings.Contains(got, "New speakers: Ada Guest") {
			t.Fatalf("preview: %s", got)
		}
		done := c.post(res.Location+"/commit", nil)
		if done.Code != http.StatusSeeOther || done.Location != base+"/agenda" {
			t.Fatalf("commit: %d %s", done.Code, done.Location)
		}
		if agenda := text(c.get(done.Location).Body); !strings.Contains(agenda, "Sessions imported: 3 new, 0 updated, 0 unchanged.") || !strings.Contains(agenda, "Service clinic: your hardest conversation") {
			t.Fatalf("agenda after the import: %s", agenda)
		}
		if pub := text(c.get("/summits/" + itoa(s.ID) + "?day=" + s.Days()[1]).Body); !strings.Contains(pub, "Ask the support desk anything") {
			t.Fatalf("the public agenda does not show the import")
		}
		// Again: nothing new, nothing twice.
		res = c.upload(base+"/sessions/import", "template.csv", []byte(tpl.Body))
		if got := text(c.get(res.Location).Body); !strings.Contains(got, "0 to create, 0 to update, 3 unchanged") {
			t.Fatalf("second preview: %s", got)
		}
		if n := countSessions(t, ta, s, "Service clinic: your hardest conversation"); n != 1 {
			t.Fatalf("%d copies", n)
		}

		// The export of every session, in the import format, imports back unchanged.
		exp := c.get(base + "/sessions/import/sessions.csv")
		var total int64
		ta.DB.Model(&models.Session{}).Where("summit_id = ? AND unscheduled = ?", s.ID, false).Count(&total) // the side list stays out of the file
		res = c.upload(base+"/sessions/import", "sessions.csv", []byte(exp.Body))
		if got := text(c.get(res.Location).Body); !strings.Contains(got, fmt.Sprintf("%d sessions read: 0 to create, 0 to update, %d unchanged", total, total)) {
			t.Fatalf("export round trip (%d sessions): %s", total, got)
		}

		// Moving the training with the most registrants: the preview names who is told.
		var moved struct {
			ID    uint
			Title string
			Seats int64
		}
		ta.DB.Raw(`SELECT s.id, s.title, COUNT(*) AS seats FROM sessions s JOIN registrations r ON r.session_id = s.id AND r.status = 'confirmed'
			WHERE s.summit_id = ? GROUP BY s.id, s.title ORDER BY seats DESC, s.id LIMIT 1`, s.ID).Scan(&moved)
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(exp.Body, "\ufeff"))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var edited []string
		for _, r := range recs {
			if r[1] == moved.Title {
				edited = r
			}
		}
		if edited == nil || moved.Seats == 0 {
			t.Fatalf("no session with registrants to move: %+v", moved)
		}
		edited[3], edited[4], edited[5] = s.Days()[1], "19:00", "20:15"
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.WriteAll([][]string{recs[0], edited})
		seats := moved.Seats
		res = c.upload(base+"/sessions/import", "moved.csv", buf.Bytes())
		got := text(c.get(res.Location).Body)
		if !strings.Contains(got, "1 session with people in it moves") || !strings.Contains(got, "“"+moved.Title+"” : from") || !strings.Contains(got, "(confirmed seat)") {
			t.Fatalf("move preview: %s", got)
		}
		var before int64
		ta.DB.Model(&models.Notice{}).Count(&before)
		if done := c.post(res.Location+"/commit", nil); done.Code != http.StatusSeeOther {
			t.Fatalf("commit the move: %d %s", done.Code, text(done.Body))
		}
		var after int64
		ta.DB.Model(&models.Notice{}).Count(&after)
		if after-before < seats {
			t.Fatalf("%d notices for %d seats", after-before, seats)
		}
		if again := c.post(res.Location+"/commit", nil); again.Code != http.StatusSeeOther || !strings.Contains(text(c.get(again.Location).Body), "already imported") {
			t.Fatalf("second commit: %d", again.Code)
		}
	})
}

// TestSessionsImportBadInputNeverFails: empty, binary, a wrong header, a
// file over 5 MB (413), duplicate keys, formula-looking cells, Unicode,
// quotes and line breaks: each is a clear answer, never a 500; 2,000 lines
// go through in one upload and one commit.
func TestSessionsImportBadInputNeverFails(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s := demoSummit(t, ta)
		c, _ := ta.signedIn(t, models.RoleOrganiser)
		up := base(s) + "/sessions/import"
		if res := c.upload(up, "empty.csv", nil); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "That file is empty") {
			t.Fatalf("empty: %d %s", res.Code, text(res.Body))
		}
		big := append([]byte(sessionsCSVHeader), bytes.Repeat([]byte("K,T,training,2027-03-11,09:00,10:00,,,,,\n"), (5<<20)/40+10)...)
		if res := c.upload(up, "big.csv", big); res.Code != http.StatusRequestEntityTooLarge || !strings.Contains(text(res.Body), "larger than 5 MB") {
			t.Fatalf("big: %d %s", res.Code, text(res.Body))
		}
		for name, c2 := range map[string]struct{ data, want string }{
			"binary":  {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "This file is not a CSV text file"},
			"header":  {"name,email\nA,a@example.com\n", "The header has no key column"},
			"missing": {"key,title,kind,day,start,end\nK1,T,training,2027-03-11,09:00,10:00\n", "The header has no room column"},
			"dupkey": {sessionsCSVHeader + "D1,One,social,2027-03-12,19:00,20:00,,,,,\r\nD1,Two,social,2027-03-12,20:00,21:00,,,,,\r\n",
				"3 key The key “D1” is already on line 2 of this file"},
			"invalid": {sessionsCSVHeader + "V1,\xff\xfe,social,2027-03-12,19:00,20:00,,,,,\r\n", "not valid UTF-8"},
		} {
			res := c.upload(up, name+".csv", []byte(c2.data))
			if res.Code != http.StatusSeeOther {
				t.Fatalf("%s: %d %s", name, res.Code, text(res.Body))
			}
			if got := text(c.get(res.Location).Body); !strings.Contains(got, c2.want) || strings.Contains(got, "Import 1 session") {
				t.Errorf("%s: want %q in %s", name, c2.want, got)
			}
		}
		odd := sessionsCSVHeader +
			"F1,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\",social,2027-03-12,19:00,20:00,,,\"Søren Ærø; Nguyễn Thị Ánh\",,\"Quotes \"\"here\"\", commas, and\r\na new line <script>alert(1)</script>\"\r\n"
		res := c.upload(up, "odd.csv", []byte(odd))
		pv := c.get(res.Location)
		if strings.Contains(pv.Body, "<script>alert(1)") || !strings.Contains(text(pv.Body), "New speakers: Søren Ærø.") {
			t.Fatalf("odd preview: %s", text(pv.Body))
		}
		if done := c.post(res.Location+"/commit", nil); done.Code != http.StatusSeeOther {
			t.Fatalf("odd commit: %d %s", done.Code, text(done.Body))
		}
		var got models.Session
		ta.DB.Where("summit_id = ? AND import_key = ?", s.ID, "F1").First(&got)
		if got.Title != `=HYPERLINK("http://evil.example","click")` || got.Abstract != "Quotes \"here\", commas, and\na new line <script>alert(1)</script>" {
			t.Fatalf("stored: %q %q", got.Title, got.Abstract)
		}
		if exp := c.get(base(s) + "/sessions/import/sessions.csv").Body; !strings.Contains(exp, `"'=HYPERLINK(`) {
			t.Fatalf("export not formula-safe")
		}

		var b strings.Builder
		b.WriteString(sessionsCSVHeader)
		for i := 0; i < 2000; i++ {
			m := i % 60
			fmt.Fprintf(&b, "M%04d,Many %d,social,%s,%02d:%02d,%02d:%02d,,,,,\r\n", i, i, s.Days()[i/1000], 7+m/6, (m%6)*10, 7+m/6, (m%6)*10+5)
		}
		start := time.Now()
		res = c.upload(up, "many.csv", []byte(b.String()))
		if got := text(c.get(res.Location).Body); !strings.Contains(got, "2000 sessions read: 2000 to create") {
			t.Fatalf("2,000 lines: %.500s", got)
		}
		mid := time.Now()
		if done := c.post(res.Location+"/commit", nil); done.Code != http.StatusSeeOther || !strings.Contains(text(c.get(done.Location).Body), "Sessions imported: 2000 new") {
			t.Fatalf("2,000 lines commit: %d %s", done.Code, done.Location)
		}
		t.Logf("2,000 lines over HTTP: upload and preview %v, commit %v", mid.Sub(start).Round(time.Millisecond), time.Since(mid).Round(time.Millisecond))
		if res := c.get(base(s) + "/sessions/import/99999999"); res.Code != http.StatusNotFound {
			t.Fatalf("unknown preview: %d", res.Code)
		}
	})
}

func base(s *models.Summit) string { return "/organise/summits/" + itoa(s.ID) }

// TestTheExampleSessionsFileFitsTheDemo: docs/examples/sessions.csv, the
// file the README offers newcomers, imports into the demo summit without a
// problem (the demo summit is next year's; so is the file).
func TestTheExampleSessionsFileFitsTheDemo(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s := demoSummit(t, ta)
		data, err := os.ReadFile("../docs/examples/sessions.csv")
		if err != nil {
			t.Fatal(err)
		}
		pv, err := models.CreateSessionImport(ctx, ta.DB, models.ActorOf(nil, ""), s.ID, "sessions.csv", data, time.Now())
		if err != nil || len(pv.Problems) > 0 {
			t.Fatalf("%v %+v", err, pv.Problems)
		}
		if c := pv.Counts(); c.Created != 3 || strings.Join(c.NewSpeakers, ",") != "Ada Guest" { // José and Ama speak already
			t.Fatalf("counts: %+v", c)
		}
	})
}
