package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/models"
)

func TestAdminPeopleListSearchAndDepartment(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, _ := ta.signedIn(t, models.RoleAdmin)
		for _, p := range []models.PersonInput{
			{Name: "Zoe Olberg", Email: "zoe@example.com", Department: "Finance", Active: true},
			{Name: "Yusuf Ali", Email: "yusuf@example.com", Department: "Warehouse", Active: true},
		} {
			if _, err := models.CreatePerson(ctx, ta.DB, models.ActorOf(nil, ""), p); err != nil {
				t.Fatal(err)
			}
		}
		res := c.get("/admin/people?q=zoe")
		if res.Code != http.StatusOK || !strings.Contains(text(res.Body), "Zoe Olberg") || strings.Contains(text(res.Body), "Yusuf Ali") {
			t.Fatalf("search: %d %s", res.Code, text(res.Body))
		}
		res = c.get("/admin/people?department=Warehouse")
		if !strings.Contains(text(res.Body), "Yusuf Ali") || strings.Contains(text(res.Body), "Zoe Olberg") {
			t.Fatalf("department filter: %s", text(res.Body))
		}
		if res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("Cache-Control %q for a signed-in page", res.Header.Get("Cache-Control"))
		}
	})
}

func TestAdminAddsEditsAndDeactivatesAPerson(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, adm := ta.signedIn(t, models.RoleAdmin)
		boss := ta.addPerson(t, "Bea Boss", "bea@example.com", models.RoleStaff)

		// Bad input keeps what was typed and says what to fix.
		res := c.post("/admin/people/new", url.Values{"name": {"Kim Lee"}, "email": {"not-an-email"}, "role": {"staff"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Enter an email address") || !strings.Contains(res.Body, `value="Kim Lee"`) {
			t.Fatalf("bad email: %d %s", res.Code, text(res.Body))
		}
		res = c.post("/admin/people/new", url.Values{"name": {"Kim Lee"}, "email": {"Kim@Example.com"}, "role": {"staff"},
			"department": {"Support"}, "manager_id": {itoa(boss.ID)}, "active": {"1"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("add: %d %s", res.Code, text(res.Body))
		}
		kim, err := models.PersonByEmail(ctx, ta.DB, "kim@example.com")
		if err != nil || kim.ManagerID == nil || *kim.ManagerID != boss.ID {
			t.Fatalf("kim: %+v %v", kim, err)
		}
		// Same email in another case is a duplicate.
		res = c.post("/admin/people/new", url.Values{"name": {"Kim Two"}, "email": {"KIM@example.com"}, "role": {"staff"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "already has the address") {
			t.Fatalf("duplicate: %d %s", res.Code, text(res.Body))
		}
		// A manager cycle is refused.
		res = c.post("/admin/people/"+itoa(boss.ID)+"/edit", url.Values{"name": {"Bea Boss"}, "email": {"bea@example.com"}, "role": {"staff"}, "manager_id": {itoa(kim.ID)}, "active": {"1"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "circle") {
			t.Fatalf("cycle: %d %s", res.Code, text(res.Body))
		}
		// Role change: audited with before and after.
		res = c.post("/admin/people/"+itoa(boss.ID)+"/edit", url.Values{"name": {"Bea Boss"}, "email": {"bea@example.com"}, "role": {"organiser"}, "active": {"1"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", res.Code, text(res.Body))
		}
		evs, _ := models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "person.role", RecordID: itoa(boss.ID)})
		if len(evs) != 1 || evs[0].ActorID == nil || *evs[0].ActorID != adm.ID || !strings.Contains(evs[0].BeforeJSON, "staff") || !strings.Contains(evs[0].AfterJSON, "organiser") {
			t.Fatalf("role audit: %+v", evs)
		}

		// Deactivation ends Bea's sessions on every instance.
		bea := ta.client(t)
		bea.signIn("bea@example.com")
		other := newTestAppOn(t, ta.DB).client(t)
		other.signIn("bea@example.com")
		if res := c.post("/admin/people/"+itoa(boss.ID)+"/deactivate", nil); res.Code != http.StatusSeeOther {
			t.Fatalf("deactivate: %d", res.Code)
		}
		for _, cl := range []*client{bea, other} {
			if res := cl.get("/account"); res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/signin") {
				t.Fatalf("a deactivated person still has a session: %d %s", res.Code, res.Location)
			}
		}
		var n int64
		ta.DB.Model(&models.LoginSession{}).Where("person_id = ?", boss.ID).Count(&n)
		if n != 0 {
			t.Fatalf("%d sessions left", n)
		}
		if res := ta.client(t).post("/signin", url.Values{"email": {"bea@example.com"}, "password": {testPassword}}); res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("a deactivated person signed in: %d", res.Code)
		}
		evs, _ = models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "person.deactivate"})
		if len(evs) != 1 {
			t.Fatalf("deactivate audit: %+v", evs)
		}
	})
}

func TestTheLastAdminStays(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, me := ta.signedIn(t, models.RoleAdmin)
		res := c.post("/admin/people/"+itoa(me.ID)+"/edit", url.Values{"name": {me.Name}, "email": {me.Email}, "role": {"staff"}, "active": {"1"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "only admin") {
			t.Fatalf("demoting the last admin: %d %s", res.Code, text(res.Body))
		}
	})
}

// Staff cannot reach anyone's record, nor raise their own role by adding
// form fields to their own account form.
func TestStaffCannotChangeRolesOrOthersData(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, me := ta.signedIn(t, models.RoleStaff)
		other := ta.addPerson(t, "Other Person", "other@example.com", models.RoleStaff)
		for _, path := range []string{"/admin/people/" + itoa(other.ID) + "/edit", "/admin/people/" + itoa(me.ID) + "/edit"} {
			if res := c.get(path); res.Code != http.StatusForbidden {
				t.Errorf("GET %s: %d", path, res.Code)
			}
			res := c.post(path, url.Values{"name": {"Hacked"}, "email": {"x@example.com"}, "role": {"admin"}, "active": {"1"}})
			if res.Code != http.StatusForbidden {
				t.Errorf("POST %s: %d", path, res.Code)
			}
		}
		res := c.post("/account/password", url.Values{"current": {testPassword}, "password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"},
			"role": {"admin"}, "id": {itoa(other.ID)}, "person_id": {itoa(other.ID)}, "email": {"other@example.com"}, "name": {"Hacked"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("password change: %d %s", res.Code, text(res.Body))
		}
		got, _ := models.GetPerson(ctx, ta.DB, me.ID)
		o, _ := models.GetPerson(ctx, ta.DB, other.ID)
		if got.Role != models.RoleStaff || got.Name != me.Name || o.Name != "Other Person" || o.Email != "other@example.com" {
			t.Fatalf("extra fields changed data: me %+v other %+v", got, o)
		}
		if !models.VerifyPassword(o.PasswordHash, testPassword) {
			t.Fatal("the other person's password changed")
		}
		// Unknown ids answer 404 for an admin.
		a, _ := ta.signedIn(t, models.RoleAdmin)
		if res := a.get("/admin/people/999999/edit"); res.Code != http.StatusNotFound {
			t.Fatalf("unknown person: %d", res.Code)
		}
	})
}

func TestChangeOwnPassword(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, me := ta.signedIn(t, models.RoleStaff)
		elsewhere := ta.client(t)
		elsewhere.signIn(me.Email)
		long := strings.Repeat("a long passphrase kept whole ", 10)
		for _, tc := range []struct {
			form url.Values
			want string
		}{
			{url.Values{"current": {"wrong password!!"}, "password": {long}, "confirm": {long}}, "not your current password"},
			{url.Values{"current": {testPassword}, "password": {"short"}, "confirm": {"short"}}, "at least 12 characters"},
			{url.Values{"current": {testPassword}, "password": {long}, "confirm": {long + "x"}}, "differ"},
		} {
			res := c.post("/account/password", tc.form)
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), tc.want) {
				t.Fatalf("want %q: %d %s", tc.want, res.Code, text(res.Body))
			}
			if strings.Contains(res.Body, long) {
				t.Fatal("the form echoed a password back")
			}
		}
		res := c.post("/account/password", url.Values{"current": {testPassword}, "password": {long}, "confirm": {long}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("change: %d %s", res.Code, text(res.Body))
		}
		if res := c.get("/account"); res.Code != http.StatusOK {
			t.Fatalf("this browser should stay signed in: %d", res.Code)
		}
		if res := elsewhere.get("/account"); res.Code != http.StatusSeeOther {
			t.Fatalf("other browsers should be signed out: %d", res.Code)
		}
		// The whole passphrase counts: a prefix does not sign in.
		p, _ := models.GetPerson(ctx, ta.DB, me.ID)
		if !models.VerifyPassword(p.PasswordHash, long) || models.VerifyPassword(p.PasswordHash, long[:72]) {
			t.Fatal("the long passphrase is not kept whole")
		}
	})
}

func TestResetLinkWorksOnceAndExpires(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		adm, _ := ta.signedIn(t, models.RoleAdmin)
		bo := ta.addPerson(t, "Bo Berg", "bo@example.com", models.RoleStaff)
		bos := ta.client(t)
		bos.signIn(bo.Email)

		res := adm.post("/admin/people/"+itoa(bo.ID)+"/reset", nil)
		if res.Code != http.StatusOK {
			t.Fatalf("issue: %d %s", res.Code, text(res.Body))
		}
		link := regexpFind(t, res.Body, `http://summit\.test(/reset/[A-Za-z0-9_-]+)`)
		var stored models.AccountToken
		ta.DB.Where("person_id = ?", bo.ID).First(&stored)
		if stored.TokenHash == "" || strings.Contains(link, stored.TokenHash) || stored.ExpiresAt.Sub(time.Now()) > 25*time.Hour {
			t.Fatalf("stored token: %+v", stored)
		}
		v := ta.client(t)
		if res := v.get(link); res.Code != http.StatusOK || !strings.Contains(text(res.Body), "Bo Berg") {
			t.Fatalf("reset page: %d %s", res.Code, text(res.Body))
		}
		if res := v.post(link, url.Values{"password": {"short"}, "confirm": {"short"}}); res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("short password: %d", res.Code)
		}
		res = v.post(link, url.Values{"password": {"a fresh start for bo"}, "confirm": {"a fresh start for bo"}})
		if res.Code != http.StatusSeeOther || res.Location != "/signin" {
			t.Fatalf("reset: %d %s %s", res.Code, res.Location, text(res.Body))
		}
		if res := bos.get("/account"); res.Code != http.StatusSeeOther {
			t.Fatalf("old sessions should end: %d", res.Code)
		}
		if res := v.get(link); res.Code != http.StatusNotFound || !strings.Contains(text(res.Body), "used or has expired") {
			t.Fatalf("second use: %d %s", res.Code, text(res.Body))
		}
		if res := v.post(link, url.Values{"password": {"another try at this"}, "confirm": {"another try at this"}}); res.Code != http.StatusNotFound {
			t.Fatalf("second post: %d", res.Code)
		}
		// An expired link is refused.
		tok, err := models.IssueResetToken(ctx, ta.DB, models.Actor{PersonID: 0}, bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		ta.DB.Model(&models.AccountToken{}).Where("token_hash = ?", models.HashToken(tok)).Update("expires_at", time.Now().UTC().Add(-time.Minute))
		if res := v.get("/reset/" + tok); res.Code != http.StatusNotFound {
			t.Fatalf("expired: %d", res.Code)
		}
		// The link also waits in the outbox (no mail server here: marked not sent).
		res = adm.post("/admin/people/"+itoa(bo.ID)+"/reset", nil)
		if res.Code != http.StatusOK || !strings.Contains(text(res.Body), "No mail server is configured") {
			t.Fatalf("mail: %d %s", res.Code, text(res.Body))
		}
		deliverAll(t, ta)
		if res := adm.get("/admin/outbox"); !strings.Contains(text(res.Body), "Set your Summit password") || !strings.Contains(text(res.Body), models.MailUnsentNoServer) {
			t.Fatalf("outbox: %s", text(res.Body))
		}
	})
}

// regexpFind returns the first submatch of re in s.
func regexpFind(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("no %s in %s", re, text(s))
	}
	return m[1]
}

// A password change, whichever way it happens, ends the person's
// outstanding reset links: a link mailed before cannot undo the change.
func TestPasswordChangeEndsResetLinks(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		adm, _ := ta.signedIn(t, models.RoleAdmin)
		bo := ta.addPerson(t, "Bo Berg", "bo@example.com", models.RoleStaff)
		issue := func() string {
			t.Helper()
			res := adm.post("/admin/people/"+itoa(bo.ID)+"/reset", nil)
			return regexpFind(t, res.Body, `http://summit\.test(/reset/[A-Za-z0-9_-]+)`)
		}
		v := ta.client(t)
		ended := func(how, link string) {
			t.Helper()
			if res := v.get(link); res.Code != http.StatusNotFound || !strings.Contains(text(res.Body), "used or has expired") {
				t.Fatalf("after %s the reset link still works: %d %s", how, res.Code, text(res.Body))
			}
			before, _ := models.GetPerson(ctx, ta.DB, bo.ID)
			if res := v.post(link, url.Values{"password": {"an old link's password"}, "confirm": {"an old link's password"}}); res.Code != http.StatusNotFound {
				t.Fatalf("after %s the old link set a password: %d", how, res.Code)
			}
			if after, _ := models.GetPerson(ctx, ta.DB, bo.ID); after.PasswordHash != before.PasswordHash {
				t.Fatalf("after %s the old link changed the password", how)
			}
		}

		// Bo changes the password on the account page.
		link := issue()
		bos := ta.client(t)
		bos.signIn(bo.Email)
		pw := "bo's own new passphrase"
		if res := bos.post("/account/password", url.Values{"current": {testPassword}, "password": {pw}, "confirm": {pw}}); res.Code != http.StatusSeeOther {
			t.Fatalf("change: %d %s", res.Code, text(res.Body))
		}
		ended("a change on the account page", link)

		// From the command line (summit user) or the first-run setup.
		link = issue()
		if err := models.SetPassword(ctx, ta.DB, bo.ID, "set from the shell today"); err != nil {
			t.Fatal(err)
		}
		ended("a change from the command line", link)

		// Through a reset link: every other outstanding link of Bo's ends too.
		link = issue()
		older, err := models.IssueResetToken(ctx, ta.DB, models.Actor{PersonID: 0}, bo.ID)
		if err != nil {
			t.Fatal(err)
		}
		// A second link made alongside (as two admins at once would).
		ta.DB.Model(&models.AccountToken{}).Where("person_id = ?", bo.ID).Update("used_at", nil)
		if res := v.post("/reset/"+older, url.Values{"password": {"reset through a link"}, "confirm": {"reset through a link"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("reset: %d %s", res.Code, text(res.Body))
		}
		ended("a reset through another link", link)
		var open int64
		ta.DB.Model(&models.AccountToken{}).Where("person_id = ? AND used_at IS NULL", bo.ID).Count(&open)
		if open != 0 {
			t.Fatalf("%d reset links of Bo still open", open)
		}
	})
}
