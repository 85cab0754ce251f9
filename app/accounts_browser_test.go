package app_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"summit/models"
)

// In Chromium: a new admin sets Summit up from the first-run link, imports a
// small directory whose first try has a bad row, sees the problem, fixes it
// and imports; then hands a staff member a reset link, and the staff member
// sets a password, signs in and signs out.
func TestBrowserAccountsJourney(t *testing.T) {
	ta := newBrowserApp(t)
	var out bytes.Buffer
	if err := ta.Startup(ctx, &out); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`http://summit\.test(/setup/\S+)`).FindStringSubmatch(out.String())
	if link == nil {
		t.Fatalf("no setup link in %q", out.String())
	}
	b := newBrowser(t)
	console := watchConsole(t, b)

	// First run: create the admin.
	visit(t, b, ta.Server.URL+link[1])
	waitText(t, b, "Set up Summit")
	fill(t, b, "#f-name", "Ada Admin")
	fill(t, b, "#f-email", "ada@example.com")
	fill(t, b, "#f-password", "the very first admin")
	fill(t, b, "#f-confirm", "the very first admin")
	clickAndLoad(t, b, `main form button[type="submit"]`)
	waitText(t, b, "Welcome, Ada Admin")

	// Import with a bad row: the preview names the line and column.
	dir := t.TempDir()
	bad := filepath.Join(dir, "staff.csv")
	good := filepath.Join(dir, "staff-fixed.csv")
	head := "name,email,department,job_title,manager_email,role\r\n"
	rows := "\"Souza, Ana\",ana@example.com,Customer Support,Agent,carl@example.com,\r\n" +
		"Carl Chen,carl@example.com,Customer Support,Team lead,,organiser\r\n"
	os.WriteFile(bad, []byte(head+rows+"Ben Okafor,ben-at-example.com,Finance,Accountant,carl@example.com,staff\r\n"), 0o600)
	os.WriteFile(good, []byte(head+rows+"Ben Okafor,ben@example.com,Finance,Accountant,carl@example.com,staff\r\n"), 0o600)

	visit(t, b, ta.Server.URL+"/admin/people")
	clickAndLoad(t, b, `a[href="/admin/import"]`)
	step(t, b, "choose the file with a bad row", chromedp.SetUploadFiles(chromedp.CSS(`#f-file`), []string{bad}))
	clickAndLoad(t, b, `.import-upload button[type="submit"]`)
	waitText(t, b, "1 problem to fix")
	if p := pageText(t, b, ".import-problems"); !strings.Contains(p, "4 email") || !strings.Contains(p, "ben-at-example.com") {
		t.Fatalf("the problem list says: %s", p)
	}
	screenshot(t, b, "import-problem")
	step(t, b, "choose the fixed file", chromedp.SetUploadFiles(chromedp.CSS(`#f-file`), []string{good}))
	clickAndLoad(t, b, `.import-upload button[type="submit"]`)
	waitText(t, b, "3 new, 0 to update, 0 unchanged")
	clickAndLoad(t, b, `.import-commit button`)
	waitText(t, b, "Directory imported: 3 new, 0 updated, 0 unchanged.")
	waitText(t, b, "Souza, Ana")
	screenshot(t, b, "people")
	visit(t, b, ta.Server.URL+"/admin/audit")
	waitText(t, b, "Imported staff-fixed.csv: 3 new, 0 updated, 0 unchanged")
	waitText(t, b, "Ada Admin created the first admin account")
	screenshot(t, b, "audit-log")
	visit(t, b, ta.Server.URL+"/admin/people")

	// A reset link for Ana, handed over.
	ana, err := models.PersonByEmail(ctx, ta.DB, "ana@example.com")
	if err != nil {
		t.Fatal(err)
	}
	clickAndLoad(t, b, `form[action="/admin/people/`+itoa(ana.ID)+`/reset"] button`)
	waitText(t, b, "Password link for Souza, Ana")
	resetURL := eval[string](t, b, `document.querySelector('#reset-link').value`)
	resetURL = strings.Replace(resetURL, "http://summit.test", ta.Server.URL, 1)

	// Ana sets her password, signs in and signs out.
	phone := newBrowserSize(t, 390, 844)
	visit(t, phone, resetURL)
	waitText(t, phone, "Set your password")
	fill(t, phone, "#f-password", "ana serves with patience")
	fill(t, phone, "#f-confirm", "ana serves with patience")
	clickAndLoad(t, phone, `main form button[type="submit"]`)
	waitText(t, phone, "Your password is set")
	signInAs(t, phone, ta, "ANA@example.com", "ana serves with patience")
	waitText(t, phone, "Welcome, Souza, Ana.")
	if width := eval[int](t, phone, `document.documentElement.scrollWidth`); width > 390 {
		t.Errorf("the page is %d px wide on a 390 px phone", width)
	}
	screenshot(t, phone, "staff-signed-in-phone")
	clickAndLoad(t, phone, `form[action="/signout"] button`)
	waitText(t, phone, "You are signed out.")
	waitText(t, phone, "Sign in")
	console.check(t)
}

// A demo judge signs in through the form, reads on the agenda that
// nominations wait for their score and follows the notice's link to the
// queue; the demo organiser lands on the summit's dashboard.
func TestBrowserSignInLandsWhereTheWorkIs(t *testing.T) {
	ta := newBrowserApp(t)
	seedDemo(t, ta)
	summit, err := models.CurrentSummit(ctx, ta.DB, ta.Now())
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	console := watchConsole(t, b)
	signInAs(t, b, ta, models.DemoEmail("zoe.olberg"), models.DemoPassword)
	waitText(t, b, "3 nominations are waiting for your score.")
	if u := currentURL(t, b); !strings.HasSuffix(u, "/summits/"+itoa(summit.ID)) {
		t.Fatalf("the judge landed on %s", u)
	}
	clickAndLoad(t, b, `.flash a`)
	if u := currentURL(t, b); !strings.Contains(u, "/summits/"+itoa(summit.ID)+"/awards/judging/") {
		t.Fatalf("the notice's link led to %s", u)
	}
	waitText(t, b, "Amara Okafor")
	console.check(t)

	o := newBrowser(t)
	signInAs(t, o, ta, models.DemoEmail("anh.nguyen"), models.DemoPassword)
	if u := currentURL(t, o); !strings.HasSuffix(u, "/organise/summits/"+itoa(summit.ID)) {
		t.Fatalf("the organiser landed on %s", u)
	}
	waitText(t, o, "One nomination is waiting for your score.")
}
