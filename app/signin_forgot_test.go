package app_test

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"summit/app"
	"summit/models"
)

// "Forgot password?" gives the same answer, in about the same time, for an
// address with an account and one without; only the account gets a mail
// (through the outbox), whose link works once and for one hour.
func TestForgotPasswordSameAnswerAndOneHourLink(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		ana := ta.addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
		c := ta.client(t)
		if res := c.get("/signin"); !strings.Contains(res.Body, `href="/signin/forgot"`) {
			t.Fatal("no Forgot password? link on the sign-in page")
		}
		if res := c.get("/signin/forgot"); res.Code != http.StatusOK {
			t.Fatalf("form: %d", res.Code)
		}
		ask := func(email string) (string, time.Duration) {
			cl := ta.client(t)
			start := time.Now()
			res := cl.post("/signin/forgot", url.Values{"email": {email}})
			d := time.Since(start)
			if res.Code != http.StatusSeeOther || res.Location != "/signin" {
				t.Fatalf("%s: %d %q\n%s", email, res.Code, res.Location, res.Body)
			}
			return strings.ReplaceAll(text(cl.get("/signin").Body), email, "EMAIL"), d
		}
		var known, unknown string
		var dk, du []time.Duration
		for i := 0; i < 3; i++ {
			b, d := ask("Ana@Example.com")
			known, dk = b, append(dk, d)
			b, d = ask("zed" + itoa(uint(i)) + "@example.com")
			unknown, du = b, append(du, d)
		}
		if known != unknown {
			t.Fatalf("the answers differ:\n%s\n%s", known, unknown)
		}
		sort.Slice(dk, func(i, j int) bool { return dk[i] < dk[j] })
		sort.Slice(du, func(i, j int) bool { return du[i] < du[j] })
		if du[1] < dk[1]/3 || dk[1] < du[1]/3 {
			t.Fatalf("unknown address answered in %v, known in %v", du[1], dk[1])
		}
		var mails []models.OutboxMail
		if err := ta.DB.Order("id").Find(&mails).Error; err != nil {
			t.Fatal(err)
		}
		if len(mails) != 3 {
			t.Fatalf("%d mails in the outbox, want 3 (Ana's only)", len(mails))
		}
		for _, m := range mails {
			if m.ToAddress != "ana@example.com" || m.Kind != models.MailKindReset {
				t.Fatalf("mail to %s (%s)", m.ToAddress, m.Kind)
			}
		}
		var toks []models.AccountToken
		ta.DB.Where("person_id = ?", ana.ID).Order("id").Find(&toks)
		last := toks[len(toks)-1]
		if ttl := last.ExpiresAt.Sub(last.CreatedAt); ttl != time.Hour {
			t.Fatalf("link valid for %v, want one hour", ttl)
		}
		var n int64
		ta.DB.Model(&models.AccountToken{}).Where("person_id IS NULL").Count(&n)
		if n != 0 {
			t.Fatalf("%d tokens kept for unknown addresses", n)
		}
		// Only the newest link works, once.
		link := mails[len(mails)-1].Link
		path := strings.TrimPrefix(link, "http://summit.test")
		if res := c.get(strings.TrimPrefix(mails[0].Link, "http://summit.test")); res.Code != http.StatusNotFound {
			t.Fatalf("an older link still works: %d", res.Code)
		}
		if res := c.post(path, url.Values{"password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("set password: %d\n%s", res.Code, res.Body)
		}
		if res := c.get(path); res.Code != http.StatusNotFound {
			t.Fatalf("the link works twice: %d", res.Code)
		}
		if _, err := models.Authenticate(ctx, ta.DB, "ana@example.com", "a brand new passphrase"); err != nil {
			t.Fatal("the new password does not work")
		}
	})
}

// Asking is limited per address and per client address, like sign-in.
func TestForgotPasswordLimited(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		ta.addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
		c := ta.client(t)
		for i := 0; i < models.ForgotMaxPerAddress; i++ {
			if res := c.post("/signin/forgot", url.Values{"email": {"ana@example.com"}}); res.Code != http.StatusSeeOther {
				t.Fatalf("ask %d: %d", i, res.Code)
			}
		}
		res := c.post("/signin/forgot", url.Values{"email": {"ANA@example.com"}})
		if res.Code != http.StatusTooManyRequests || !strings.Contains(res.Body, "Too many links") {
			t.Fatalf("over the limit per address: %d\n%s", res.Code, res.Body)
		}
		var n int64
		ta.DB.Model(&models.OutboxMail{}).Count(&n)
		if n != models.ForgotMaxPerAddress {
			t.Fatalf("%d mails, want %d", n, models.ForgotMaxPerAddress)
		}
		for i := models.ForgotMaxPerAddress; i < models.ForgotMaxPerClient; i++ {
			c.post("/signin/forgot", url.Values{"email": {"other" + itoa(uint(i)) + "@example.com"}})
		}
		if res := c.post("/signin/forgot", url.Values{"email": {"last@example.com"}}); res.Code != http.StatusTooManyRequests {
			t.Fatalf("over the limit per client: %d", res.Code)
		}
		// Bad input: a message beside the field, what was typed kept.
		if res := c.post("/signin/forgot", url.Values{"email": {"not an address"}}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "not an address") {
			t.Fatalf("bad address: %d", res.Code)
		}
	})
}

// With single sign-on only, there is no password to forget.
func TestForgotPasswordOffWithSSOOnly(t *testing.T) {
	ta0 := newTestApp(t, "sqlite")
	ta := newTestAppCfg(t, ta0.DB, app.Config{BaseURL: "http://summit.test", OIDCIssuer: "http://idp.invalid", OIDCClientID: "x", SSOOnly: true})
	c := ta.client(t)
	if res := c.get("/signin/forgot"); res.Code != http.StatusNotFound || !strings.Contains(res.Body, "Passwords are switched off") {
		t.Fatalf("%d\n%s", res.Code, res.Body)
	}
	if res := c.get("/signin"); strings.Contains(res.Body, "/signin/forgot") {
		t.Fatal("Forgot password? offered with single sign-on only")
	}
}
