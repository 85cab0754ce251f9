package app_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// upload posts a file to the import form.
func (c *client) upload(path, name string, data []byte) *response {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("_csrf", c.csrf())
	fw, _ := w.CreateFormFile("file", name)
	fw.Write(data)
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.ta.Server.URL+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.do(req)
}

// directoryCSV builds a directory of n people in departments, each reporting
// to the first person of their department; bad adds broken rows.
func directoryCSV(n int, bad bool) []byte {
	depts := []string{"Customer Support", "Finance", "Warehouse", "Engineering", "Executive Office"}
	var b strings.Builder
	b.WriteString("\xEF\xBB\xBFname,email,department,job_title,manager_email,role\r\n")
	for i := 0; i < n; i++ {
		d := depts[i%len(depts)]
		mgr := ""
		if i >= len(depts) {
			mgr = fmt.Sprintf("person%03d@example.com", i%len(depts))
		}
		email := fmt.Sprintf("person%03d@example.com", i)
		name := fmt.Sprintf("\"Person %03d, %s\"", i, d)
		role := ""
		switch {
		case bad && i == 10:
			email = "person010-at-example.com"
		case bad && i == 20:
			mgr = "ghost@example.com"
		case bad && i == 30:
			email = "PERSON029@example.com"
		case bad && i == 40:
			role = "boss"
		}
		if i == 1 {
			role = "organiser"
		}
		fmt.Fprintf(&b, "%s,%s,%s,Service lead,%s,%s\r\n", name, email, d, mgr, role)
	}
	return []byte(b.String())
}

func TestDirectoryImportOf500People(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, _ := ta.signedIn(t, models.RoleAdmin)
		res := c.upload("/admin/import", "staff.csv", directoryCSV(500, true))
		if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/admin/import/") {
			t.Fatalf("upload: %d %s", res.Code, text(res.Body))
		}
		preview := res.Location
		page := text(c.get(preview).Body)
		for _, want := range []string{
			"4 problems to fix",
			"12 email “person010-at-example.com” is not an email address",
			"22 manager_email The manager ghost@example.com is neither in this file nor in the directory",
			"32 email PERSON029@example.com is already on line 31",
			"42 role “boss” is not a role",
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the preview does not say %q:\n%s", want, page[:min(len(page), 3000)])
			}
		}
		var n int64
		ta.DB.Model(&models.Person{}).Count(&n)
		if n != 1 {
			t.Fatalf("the preview wrote %d people", n)
		}
		if res := c.post(preview+"/commit", nil); res.Code != http.StatusSeeOther || res.Location != preview {
			t.Fatalf("committing a file with problems: %d %s", res.Code, res.Location)
		}
		ta.DB.Model(&models.Person{}).Count(&n)
		if n != 1 {
			t.Fatalf("a file with problems wrote %d people", n)
		}

		// The fixed file imports all 500.
		res = c.upload("/admin/import", "staff-fixed.csv", directoryCSV(500, false))
		fixed := res.Location
		if page := text(c.get(fixed).Body); !strings.Contains(page, "500 people read: 500 new, 0 to update, 0 unchanged") {
			t.Fatalf("fixed preview: %s", page[:min(len(page), 2000)])
		}
		res = c.post(fixed+"/commit", nil)
		if res.Code != http.StatusSeeOther || res.Location != "/admin/people" {
			t.Fatalf("commit: %d %s", res.Code, text(res.Body))
		}
		if flash := text(c.get("/admin/people").Body); !strings.Contains(flash, "500 new, 0 updated, 0 unchanged") {
			t.Fatalf("after commit: %s", flash[:min(len(flash), 500)])
		}
		ta.DB.Model(&models.Person{}).Count(&n)
		if n != 501 {
			t.Fatalf("%d people after import", n)
		}
		p, _ := models.PersonByEmail(ctx, ta.DB, "person007@example.com")
		m, _ := models.PersonByEmail(ctx, ta.DB, "person002@example.com")
		if p.Name != "Person 007, Warehouse" || p.ManagerID == nil || *p.ManagerID != m.ID {
			t.Fatalf("person007: %+v", p)
		}
		if o, _ := models.PersonByEmail(ctx, ta.DB, "person001@example.com"); o.Role != models.RoleOrganiser {
			t.Fatalf("role: %+v", o)
		}

		// Importing it again changes nothing.
		res = c.upload("/admin/import", "staff-fixed.csv", directoryCSV(500, false))
		again := res.Location
		if page := text(c.get(again).Body); !strings.Contains(page, "500 people read: 0 new, 0 to update, 500 unchanged") {
			t.Fatalf("re-import preview: %s", page[:min(len(page), 1000)])
		}
		res = c.post(again+"/commit", nil)
		if !strings.Contains(text(c.get("/admin/people").Body), "0 new, 0 updated, 500 unchanged") {
			t.Fatal("re-import changed something")
		}
		ta.DB.Model(&models.Person{}).Count(&n)
		if n != 501 {
			t.Fatalf("%d people after re-import", n)
		}
		evs, _ := models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "directory.import"})
		if len(evs) != 2 {
			t.Fatalf("import audit: %d", len(evs))
		}

		// The export is the same format, downloadable, with security headers.
		res = c.get("/admin/people.csv")
		if res.Code != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") ||
			res.Header.Get("X-Content-Type-Options") != "nosniff" || res.Header.Get("Content-Security-Policy") == "" ||
			!strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("export: %d %v", res.Code, res.Header)
		}
		if !strings.Contains(res.Body, "\"Person 007, Warehouse\",person007@example.com,Warehouse,Service lead,person002@example.com,staff") {
			t.Fatalf("export body: %.300s", res.Body)
		}
		// And importing the export changes nothing either.
		res = c.upload("/admin/import", "export.csv", []byte(res.Body))
		if page := text(c.get(res.Location).Body); !strings.Contains(page, "0 new, 0 to update, 501 unchanged") {
			t.Fatalf("export round trip: %s", page[:min(len(page), 1000)])
		}
	})
}

func TestDirectoryImportBadUploads(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, _ := ta.signedIn(t, models.RoleAdmin)
		big := bytes.Repeat([]byte("a,b@example.com,c,d,,staff\n"), (5<<20)/27+10)
		res := c.upload("/admin/import", "big.csv", append([]byte("name,email,department,job_title,manager_email,role\n"), big...))
		if res.Code != http.StatusRequestEntityTooLarge || !strings.Contains(text(res.Body), "larger than 5 MB") ||
			res.Header.Get("Content-Security-Policy") == "" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("big file: %d %s %v", res.Code, text(res.Body), res.Header)
		}
		huge := append([]byte("name,email,department,job_title,manager_email,role\n"), bytes.Repeat(big, 2)...)
		if res := c.upload("/admin/import", "huge.csv", huge); res.Code != http.StatusRequestEntityTooLarge || !strings.Contains(text(res.Body), "larger than 5 MB") {
			t.Fatalf("huge file: %d %s", res.Code, text(res.Body))
		}
		if res := c.upload("/admin/import", "empty.csv", nil); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "empty") {
			t.Fatalf("empty file: %d %s", res.Code, text(res.Body))
		}
		if res := c.post("/admin/import", url.Values{}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Choose a CSV file") {
			t.Fatalf("no file: %d %s", res.Code, text(res.Body))
		}
		res = c.upload("/admin/import", "bad.csv", []byte("name;email\nA;a@example.com\n"))
		if page := text(c.get(res.Location).Body); !strings.Contains(page, "The header has no email column") {
			t.Fatalf("bad header: %s", page)
		}
		if res := c.get("/admin/import/999999"); res.Code != http.StatusNotFound {
			t.Fatalf("unknown preview: %d", res.Code)
		}
	})
}

func TestAuditLogPageFilters(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, adm := ta.signedIn(t, models.RoleAdmin)
		bo := ta.addPerson(t, "Bo Berg", "bo@example.com", models.RoleStaff)
		c.post("/admin/people/"+itoa(bo.ID)+"/edit", url.Values{"name": {"Bo Berg"}, "email": {"bo@example.com"}, "role": {"organiser"}, "active": {"1"}})
		ta.client(t).post("/signin", url.Values{"email": {"bo@example.com"}, "password": {"wrong password here"}})
		for i := 0; i < 60; i++ {
			models.Audit(ctx, ta.DB, models.ActorOf(adm, "10.0.0.1"), "room.update", "room", i, "Edited room", nil, nil)
		}
		page := text(c.get("/admin/audit").Body)
		if !strings.Contains(page, "Older →") || !strings.Contains(page, "room.update") {
			t.Fatalf("first page: %.2000s", page)
		}
		page = text(c.get("/admin/audit?action=person.role").Body)
		if !strings.Contains(page, "Role of Bo Berg changed from staff to organiser") || strings.Contains(page, "room.update Edited") {
			t.Fatalf("action filter: %.2000s", page)
		}
		page = text(c.get("/admin/audit?action=signin.failed").Body)
		if !strings.Contains(page, "Failed sign-in for bo@example.com") || !strings.Contains(page, "127.0.0.1") {
			t.Fatalf("failed sign-ins: %.2000s", page)
		}
		page = text(c.get("/admin/audit?record_type=person&actor=" + itoa(adm.ID)).Body)
		if !strings.Contains(page, "person.update") || strings.Contains(page, "room.update Edited") {
			t.Fatalf("record type and actor: %.2000s", page)
		}
		tomorrow := time.Now().UTC().AddDate(0, 0, 1).Format("2006-01-02")
		if page := text(c.get("/admin/audit?from=" + tomorrow).Body); !strings.Contains(page, "Nothing in the log matches") {
			t.Fatalf("date range: %.1000s", page)
		}
		if res := c.get("/admin/audit?from=yesterday"); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "YYYY-MM-DD") {
			t.Fatalf("bad date: %d", res.Code)
		}
		if res := c.get("/admin/audit?page=2"); res.Code != http.StatusOK || !strings.Contains(text(res.Body), "← Newer") {
			t.Fatalf("page 2: %d", res.Code)
		}
	})
}
