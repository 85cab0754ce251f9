package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

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
