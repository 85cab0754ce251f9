package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"summit/models"
)

// TestBrowserSessionsImportJourney: an organiser goes from the agenda to
// Import sessions, downloads the template, uploads it with an unknown room,
// sees the problem by line and column, uploads the fixed file, imports it
// and finds the sessions on the organisers' and the public agenda; the
// file imported again with one time changed updates that session, not a
// copy of it.
func TestBrowserSessionsImportJourney(t *testing.T) {
	ta := newBrowserApp(t)
	seedDemo(t, ta)
	s, err := models.CurrentSummit(ctx, ta.DB, ta.Now())
	if err != nil {
		t.Fatal(err)
	}
	base := "/organise/summits/" + itoa(s.ID)
	b := newBrowser(t)
	console := watchConsole(t, b)
	signInAs(t, b, ta, models.DemoEmail("anh.nguyen"), models.DemoPassword)
	clickAndLoad(t, b, `a[href="`+base+`/agenda"]`)
	clickAndLoad(t, b, `#import-sessions`)
	waitText(t, b, "Upload a CSV file")
	tpl := string(clickDownload(t, b, `a[href="`+base+`/sessions/import/template.csv"]`))
	if !strings.Contains(tpl, "key,title,kind,day,start,end,room,track,speakers,seat_capacity,abstract") || !strings.Contains(tpl, "Harbour Room") {
		t.Fatalf("the template: %s", tpl)
	}

	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bad := write("sessions.csv", strings.Replace(tpl, "Harbour Room", "Ballroom", 1))
	step(t, b, "choose the file with an unknown room", chromedp.SetUploadFiles(chromedp.CSS(`#f-file`), []string{bad}))
	clickAndLoad(t, b, `.import-upload button[type="submit"]`)
	waitText(t, b, "1 problem to fix")
	if p := pageText(t, b, ".import-problems"); !strings.Contains(p, "2 room There is no room “Ballroom” in this summit") {
		t.Fatalf("the problem list says: %s", p)
	}
	if n := eval[int](t, b, `document.querySelectorAll('.import-commit').length`); n != 0 {
		t.Fatalf("a file with a problem offers to import")
	}
	screenshot(t, b, "sessions-import-problem")

	good := write("sessions-fixed.csv", tpl)
	step(t, b, "choose the fixed file", chromedp.SetUploadFiles(chromedp.CSS(`#f-file`), []string{good}))
	clickAndLoad(t, b, `.import-upload button[type="submit"]`)
	waitText(t, b, "3 to create, 0 to update, 0 unchanged")
	waitText(t, b, "New speakers: Ada Guest")
	screenshot(t, b, "sessions-import-preview")
	clickAndLoad(t, b, `.import-commit button`)
	waitText(t, b, "Sessions imported: 3 new, 0 updated, 0 unchanged.")
	waitText(t, b, "Service clinic: your hardest conversation")
	clickAndLoad(t, b, `.page-head a[href="/summits/`+itoa(s.ID)+`"]`)
	clickAndLoad(t, b, `a[href*="day=`+s.Days()[1]+`"]`)
	waitText(t, b, "Ask the support desk anything")
	waitText(t, b, "Drinks on the terrace")

	// Again, with the clinic a quarter of an hour later: one update, no copy.
	visit(t, b, ta.Server.URL+base+"/agenda")
	clickAndLoad(t, b, `#import-sessions`)
	later := write("sessions-later.csv", strings.Replace(tpl, "16:00,17:00,Harbour Room", "16:15,17:15,Harbour Room", 1))
	step(t, b, "choose the file with a later clinic", chromedp.SetUploadFiles(chromedp.CSS(`#f-file`), []string{later}))
	clickAndLoad(t, b, `.import-upload button[type="submit"]`)
	waitText(t, b, "0 to create, 1 to update, 2 unchanged")
	clickAndLoad(t, b, `.import-commit button`)
	waitText(t, b, "Sessions imported: 0 new, 1 updated, 2 unchanged.")
	var clinics []models.Session
	ta.DB.Where("summit_id = ? AND title = ?", s.ID, "Service clinic: your hardest conversation").Find(&clinics)
	if len(clinics) != 1 || clinics[0].StartsAt.In(s.Location()).Format("15:04") != "16:15" || clinics[0].ImportKey != "T1" {
		t.Fatalf("after importing twice: %+v", clinics)
	}
	screenshot(t, b, "sessions-import-updated")
	console.check(t)
}
