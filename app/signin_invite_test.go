package app_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// After a directory import the admin invites everyone without a password in
// one step (or only the ticked people): each invitation arrives at a real
// SMTP server with a link to set a password, and the people list shows who
// was invited and who has signed in.
func TestInvitationsArriveAndShowOnThePeopleList(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ta0 := newTestApp(t, dialect)
		srv := startSMTP(t)
		ta := newTestAppCfg(t, ta0.DB, srv.config())
		c, _ := ta.signedIn(t, models.RoleAdmin)
		pv, err := models.CreateImportPreview(ctx, ta.DB, 0, "staff.csv", []byte("name,email,department,job_title,manager_email,role\n"+
			"Bo Berg,bo@example.com,Support,,,staff\nCy Chan,cy@example.com,Support,,,staff\nDi Diaz,di@example.com,Sales,,,staff\n"))
		if err != nil {
			t.Fatal(err)
		}
		res := c.post("/admin/import/"+itoa(pv.ID)+"/commit", nil)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("import: %d\n%s", res.Code, res.Body)
		}
		list := c.get("/admin/people")
		if !strings.Contains(list.Body, "3 people cannot sign in yet") || !strings.Contains(list.Body, "Invite everyone without a password (3)") {
			t.Fatalf("no invitation offered after the import:\n%s", text(list.Body))
		}
		if res := c.post("/admin/people/invite", url.Values{"all": {"1"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("invite: %d\n%s", res.Code, res.Body)
		}
		deliverAll(t, ta)
		got := srv.mails()
		if len(got) != 3 {
			t.Fatalf("%d mails arrived, want 3", len(got))
		}
		var boLink string
		for _, m := range got {
			if !strings.Contains(m.Header.Get("Subject"), "invited to Summit") || !strings.Contains(m.Text, "/reset/") {
				t.Fatalf("invitation to %s:\n%s", m.To, m.Text)
			}
			if m.To == "bo@example.com" {
				for _, f := range strings.Fields(m.Text) {
					if strings.Contains(f, "/reset/") {
						boLink = strings.TrimPrefix(strings.Trim(f, "<>()."), "http://summit.test")
					}
				}
			}
		}
		if boLink == "" {
			t.Fatal("no invitation reached bo@example.com")
		}
		// Bo sets a password with the link and signs in.
		bo := ta.client(t)
		if res := bo.post(boLink, url.Values{"password": {testPassword}, "confirm": {testPassword}}); res.Code != http.StatusSeeOther {
			t.Fatalf("Bo sets a password: %d\n%s", res.Code, res.Body)
		}
		bo.signIn("bo@example.com")
		list = c.get("/admin/people?q=bo%40example.com")
		if strings.Contains(text(list.Body), "never") {
			t.Fatalf("Bo's sign-in does not show:\n%s", text(list.Body))
		}
		list = c.get("/admin/people?q=cy%40example.com")
		if !strings.Contains(text(list.Body), "never") {
			t.Fatalf("Cy never signed in, the list says otherwise:\n%s", text(list.Body))
		}
		cy, _ := models.PersonByEmail(ctx, ta.DB, "cy@example.com")
		if cy.InvitedAt == nil {
			t.Fatal("Cy's invitation is not noted")
		}
		// Now two without a password; invite only the ticked one.
		di, _ := models.PersonByEmail(ctx, ta.DB, "di@example.com")
		if res := c.post("/admin/people/invite", url.Values{"person": {itoa(di.ID)}}); res.Code != http.StatusSeeOther {
			t.Fatalf("invite one: %d", res.Code)
		}
		deliverAll(t, ta)
		got = srv.mails()
		if len(got) != 4 || got[3].To != "di@example.com" {
			t.Fatalf("after inviting Di: %d mails, last to %s", len(got), got[len(got)-1].To)
		}
		// Nobody ticked: nothing sent, and said so.
		res = c.post("/admin/people/invite", nil)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("invite nobody: %d", res.Code)
		}
		var n int64
		ta.DB.Model(&models.OutboxMail{}).Count(&n)
		if n != 4 {
			t.Fatalf("%d mails in the outbox, want 4", n)
		}
		// The directory download says who was invited when and who signed
		// in (issue 14), and goes back in unchanged.
		res = c.get("/admin/people.csv")
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF"))).ReadAll()
		if res.Code != http.StatusOK || err != nil || len(rows) < 4 {
			t.Fatalf("people.csv: %d %v\n%s", res.Code, err, res.Body)
		}
		if got := strings.Join(rows[0], ","); got != "name,email,department,job_title,manager_email,role,invited_at_utc,last_signed_in_at_utc" {
			t.Fatalf("people.csv header: %s", got)
		}
		stamp := func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.UTC().Format("2006-01-02 15:04")
		}
		want := map[string][2]string{}
		for _, email := range []string{"bo@example.com", "cy@example.com", "di@example.com"} {
			p, err := models.PersonByEmail(ctx, ta.DB, email)
			if err != nil || p.InvitedAt == nil {
				t.Fatalf("%s: %v, invited %v", email, err, p)
			}
			want[email] = [2]string{stamp(p.InvitedAt), stamp(p.SignedInAt)}
		}
		if want["bo@example.com"][1] == "" || want["cy@example.com"][1] != "" || want["di@example.com"][1] != "" {
			t.Fatalf("sign-ins in the database: %v", want)
		}
		seen := 0
		for _, r := range rows[1:] {
			if w, ok := want[r[1]]; ok {
				seen++
				if r[6] != w[0] || r[7] != w[1] {
					t.Errorf("%s: invited %q, signed in %q; want %q, %q", r[1], r[6], r[7], w[0], w[1])
				}
			}
		}
		if seen != 3 {
			t.Fatalf("%d of Bo, Cy and Di in people.csv:\n%s", seen, res.Body)
		}
		res = c.upload("/admin/import", "people.csv", []byte(res.Body))
		if page := text(c.get(res.Location).Body); !strings.Contains(page, "0 new, 0 to update, 4 unchanged") {
			t.Fatalf("the download uploaded again: %s", page[:min(len(page), 1000)])
		}
	})
}

// With single sign-on only, an invitation points to the sign-in page and
// carries no password link.
func TestInvitationWithSSOOnlyPointsToSignIn(t *testing.T) {
	ta0 := newTestApp(t, "sqlite")
	srv := startSMTP(t)
	cfg := srv.config()
	cfg.OIDCIssuer, cfg.OIDCClientID, cfg.OIDCLabel, cfg.SSOOnly = "http://idp.invalid", "summit", "Example ID", true
	cfg.BreakGlass = []string{"root@example.com"}
	ta := newTestAppCfg(t, ta0.DB, cfg)
	ta.addPerson(t, "Root", "root@example.com", models.RoleAdmin)
	c := ta.client(t)
	c.signIn("root@example.com")
	if _, err := models.CreatePerson(ctx, ta.DB, models.ActorOf(nil, ""), models.PersonInput{Name: "Eve Ek", Email: "eve@example.com", Role: models.RoleStaff, Active: true}); err != nil {
		t.Fatal(err)
	}
	if res := c.post("/admin/people/invite", url.Values{"all": {"1"}}); res.Code != http.StatusSeeOther {
		t.Fatalf("invite: %d", res.Code)
	}
	deliverAll(t, ta)
	got := srv.mails()
	if len(got) != 1 || got[0].To != "eve@example.com" || !strings.Contains(got[0].Text, "Sign in with Example ID") ||
		!strings.Contains(got[0].Text, "http://summit.test/signin") || strings.Contains(got[0].Text, "/reset/") {
		t.Fatalf("invitation with single sign-on only: %+v", got)
	}
	var n int64
	ta.DB.Model(&models.AccountToken{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d password links made with single sign-on only", n)
	}
}
