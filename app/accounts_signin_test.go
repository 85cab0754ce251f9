package app_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/app"
	"summit/models"
)

// newTestAppCfg starts Summit with a given configuration on db.
func newTestAppCfg(t testing.TB, db *gorm.DB, cfg app.Config) *testApp {
	t.Helper()
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://summit.test"
	}
	a, err := app.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &testApp{App: a, DB: db, Server: srv}
}

// signInFrom posts a sign-in as if from a client address behind the proxy.
func (c *client) signInFrom(ip, email, pw string) *response {
	c.t.Helper()
	form := url.Values{"email": {email}, "password": {pw}, "_csrf": {c.csrf()}}
	req, _ := http.NewRequest(http.MethodPost, c.ta.Server.URL+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	return c.do(req)
}

const wrongPassword = "not the right password"

func TestBruteForceLimitPerAccount(t *testing.T) {
	eachApp(t, func(t *testing.T, ta0 *testApp) {
		ta := newTestAppCfg(t, ta0.DB, app.Config{TrustedProxies: []string{"127.0.0.1"}})
		other := newTestAppCfg(t, ta0.DB, app.Config{TrustedProxies: []string{"127.0.0.1"}})
		ana := ta.addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
		ta.addPerson(t, "Ben", "ben@example.com", models.RoleStaff)
		c, c2 := ta.client(t), other.client(t)
		for i := 0; i < models.SignInMaxFailures; i++ {
			cl := c
			if i%2 == 1 {
				cl = c2 // the count is in the database: both instances add to it
			}
			// Each try from a different address, with the email in another case.
			res := cl.signInFrom("198.51.100."+itoa(uint(i+1)), strings.ToUpper(ana.Email[:1])+ana.Email[1:], wrongPassword)
			if res.Code != http.StatusUnprocessableEntity {
				t.Fatalf("try %d: %d", i+1, res.Code)
			}
		}
		// The 11th try, even with the right password, gets 429 on either instance.
		for _, cl := range []*client{c, c2} {
			res := cl.signInFrom("198.51.100.200", ana.Email, testPassword)
			if res.Code != http.StatusTooManyRequests || !strings.Contains(text(res.Body), "Too many failed sign-ins") || !strings.Contains(text(res.Body), "Wait 5 minutes") {
				t.Fatalf("11th try: %d %s", res.Code, text(res.Body))
			}
			if res.Header.Get("Content-Security-Policy") == "" {
				t.Fatal("the 429 page has no security headers")
			}
		}
		// Another account from a fresh address is not affected.
		if res := c.signInFrom("198.51.100.201", "ben@example.com", testPassword); res.Code != http.StatusSeeOther {
			t.Fatalf("ben: %d", res.Code)
		}
		// After the window, Ana may try again.
		ta.DB.Model(&models.SignInAttempt{}).Where("1 = 1").Update("at", time.Now().UTC().Add(-models.SignInWindow-time.Second))
		if res := ta.client(t).signInFrom("198.51.100.202", ana.Email, testPassword); res.Code != http.StatusSeeOther {
			t.Fatalf("after the window: %d", res.Code)
		}
		evs, _ := models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "signin.failed"})
		if len(evs) != models.SignInMaxFailures || evs[0].IP != "198.51.100.10" {
			t.Fatalf("failed sign-ins audited: %d, first ip %q", len(evs), evs[0].IP)
		}
		evs, _ = models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "signin", RecordID: itoa(ana.ID)})
		if len(evs) != 1 || evs[0].IP != "198.51.100.202" {
			t.Fatalf("sign-in audit: %+v", evs)
		}
	})
}

func TestBruteForceLimitPerAddress(t *testing.T) {
	eachApp(t, func(t *testing.T, ta0 *testApp) {
		ta := newTestAppCfg(t, ta0.DB, app.Config{TrustedProxies: []string{"127.0.0.0/8"}})
		ta.addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
		c := ta.client(t)
		for i := 0; i < models.SignInMaxFailures; i++ {
			if res := c.signInFrom("203.0.113.9", "nobody"+itoa(uint(i))+"@example.com", wrongPassword); res.Code != http.StatusUnprocessableEntity {
				t.Fatalf("try %d: %d", i+1, res.Code)
			}
		}
		if res := c.signInFrom("203.0.113.9", "ana@example.com", testPassword); res.Code != http.StatusTooManyRequests {
			t.Fatalf("from the same address: %d", res.Code)
		}
		if res := c.signInFrom("203.0.113.10", "ana@example.com", testPassword); res.Code != http.StatusSeeOther {
			t.Fatalf("from another address: %d", res.Code)
		}
	})
}

// Without a configured trusted proxy, X-Forwarded-For is ignored: changing
// it does not dodge the limit.
func TestForwardedForIgnoredWithoutTrustedProxy(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		ta.addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
		c := ta.client(t)
		for i := 0; i < models.SignInMaxFailures; i++ {
			c.signInFrom("192.0.2."+itoa(uint(i+1)), "nobody"+itoa(uint(i))+"@example.com", wrongPassword)
		}
		if res := c.signInFrom("192.0.2.99", "ana@example.com", testPassword); res.Code != http.StatusTooManyRequests {
			t.Fatalf("a forged X-Forwarded-For dodged the limit: %d", res.Code)
		}
		evs, _ := models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "signin.failed", Limit: 1})
		if len(evs) != 1 || evs[0].IP != "127.0.0.1" {
			t.Fatalf("audited address: %+v", evs)
		}
	})
}

// Unknown email and wrong password read the same and take about as long
// (an argon2 hash is checked either way).
func TestUnknownEmailAndWrongPasswordLookTheSame(t *testing.T) {
	ta := newTestApp(t, "sqlite")
	ta.addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
	c := ta.client(t)
	timed := func(email string) (string, time.Duration) {
		var ds []time.Duration
		var body string
		for i := 0; i < 3; i++ {
			start := time.Now()
			res := c.post("/signin", url.Values{"email": {email}, "password": {wrongPassword}})
			ds = append(ds, time.Since(start))
			if res.Code != http.StatusUnprocessableEntity {
				t.Fatalf("%s: %d", email, res.Code)
			}
			body = strings.ReplaceAll(text(res.Body), email, "EMAIL")
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		return body, ds[1]
	}
	known, dk := timed("ana@example.com")
	unknown, du := timed("zed@example.com")
	if known != unknown {
		t.Fatalf("the pages differ:\n%s\n%s", known, unknown)
	}
	if du < dk/3 {
		t.Fatalf("unknown email answered in %v, wrong password in %v", du, dk)
	}
}

func TestSessionCookieAndSecurityHeaders(t *testing.T) {
	eachApp(t, func(t *testing.T, ta0 *testApp) {
		ta := newTestAppCfg(t, ta0.DB, app.Config{BaseURL: "https://summit.example.com"})
		p := ta.addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
		c := ta.client(t)
		c.csrf()
		// The CSRF cookie is Secure, so the jar (plain http) will not send it: post by hand.
		res := c.get("/signin")
		var csrf string
		for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
			if ck.Name == "summit_csrf" {
				csrf = ck.Value
			}
		}
		form := url.Values{"email": {p.Email}, "password": {testPassword}, "_csrf": {csrf}}
		req, _ := http.NewRequest(http.MethodPost, ta.Server.URL+"/signin", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "summit_csrf", Value: csrf})
		res = c.do(req)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("sign in: %d %s", res.Code, text(res.Body))
		}
		var session *http.Cookie
		for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
			if ck.Name == "summit_session" {
				session = ck
			}
		}
		if session == nil || !session.HttpOnly || !session.Secure || session.SameSite != http.SameSiteLaxMode {
			t.Fatalf("session cookie: %+v", session)
		}
		if res.Header.Get("Strict-Transport-Security") == "" {
			t.Fatal("no HSTS with an https base URL")
		}
		// A second sign-in gets a new session id and ends the old one.
		req, _ = http.NewRequest(http.MethodPost, ta.Server.URL+"/signin", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "summit_csrf", Value: csrf})
		req.AddCookie(session)
		res = c.do(req)
		var again *http.Cookie
		for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
			if ck.Name == "summit_session" {
				again = ck
			}
		}
		if again == nil || again.Value == session.Value {
			t.Fatal("sign-in kept the old session id")
		}
		if _, err := models.PersonForSession(ctx, ta.DB, session.Value); err == nil {
			t.Fatal("the old session still works")
		}

		// Error pages carry the headers too.
		for _, path := range []string{"/no-such-page", "/admin/people", "/summits/999999"} {
			res := ta0.client(t).get(path)
			h := res.Header
			csp := h.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") ||
				h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
				t.Errorf("%s (%d): headers %v", path, res.Code, h)
			}
		}
	})
}

func TestSessionTimeouts(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		p := ta.addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
		idle, _ := models.StartLoginSession(ctx, ta.DB, p.ID, "", "")
		old, _ := models.StartLoginSession(ctx, ta.DB, p.ID, "", "")
		fresh, _ := models.StartLoginSession(ctx, ta.DB, p.ID, "", "")
		now := time.Now().UTC()
		ta.DB.Model(&models.LoginSession{}).Where("token_hash = ?", models.HashToken(idle)).Update("last_seen_at", now.Add(-models.SessionIdleTimeout-time.Minute))
		ta.DB.Model(&models.LoginSession{}).Where("token_hash = ?", models.HashToken(old)).Updates(map[string]any{"created_at": now.Add(-8 * 24 * time.Hour), "expires_at": now.Add(-time.Minute)})
		for name, tok := range map[string]string{"idle": idle, "past the absolute time-out": old} {
			if _, err := models.PersonForSession(ctx, ta.DB, tok); err != models.ErrNotFound {
				t.Errorf("%s session: %v", name, err)
			}
		}
		if got, err := models.PersonForSession(ctx, ta.DB, fresh); err != nil || got.ID != p.ID {
			t.Fatalf("fresh session: %v", err)
		}
	})
}

func TestFirstRunSetupLink(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		var out bytes.Buffer
		if err := ta.Startup(ctx, &out); err != nil {
			t.Fatal(err)
		}
		link := regexpFind(t, out.String(), `http://summit\.test(/setup/[A-Za-z0-9_-]+)`)
		c := ta.client(t)
		if res := c.get(link); res.Code != http.StatusOK || !strings.Contains(text(res.Body), "Set up Summit") {
			t.Fatalf("setup page: %d %s", res.Code, text(res.Body))
		}
		if res := c.get("/setup/not-the-token"); res.Code != http.StatusNotFound {
			t.Fatalf("wrong token: %d", res.Code)
		}
		res := c.post(link, url.Values{"name": {"Ada Admin"}, "email": {"ada@example.com"}, "password": {"too short"}, "confirm": {"too short"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "at least 12") || !strings.Contains(res.Body, `value="Ada Admin"`) {
			t.Fatalf("short password: %d %s", res.Code, text(res.Body))
		}
		res = c.post(link, url.Values{"name": {"Ada Admin"}, "email": {"ada@example.com"}, "password": {"the first admin of summit"}, "confirm": {"the first admin of summit"}})
		if res.Code != http.StatusSeeOther || res.Location != "/admin/people" {
			t.Fatalf("setup: %d %s", res.Code, text(res.Body))
		}
		if res := c.get("/admin/people"); res.Code != http.StatusOK {
			t.Fatalf("the new admin is not signed in: %d", res.Code)
		}
		if res := ta.client(t).get(link); res.Code != http.StatusNotFound {
			t.Fatalf("the link works twice: %d", res.Code)
		}
		// Once an admin exists, no link is printed and older links stop working.
		out.Reset()
		if err := ta.Startup(ctx, &out); err != nil || out.Len() != 0 {
			t.Fatalf("startup with an admin: %v %q", err, out.String())
		}
	})
}

func TestSetupLinkInvalidOnceAnAdminExists(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		tok, err := models.NewSetupToken(ctx, ta.DB)
		if err != nil || tok == "" {
			t.Fatal(err)
		}
		ta.addPerson(t, "Shell Admin", "root@example.com", models.RoleAdmin) // e.g. summit user create --role admin
		if res := ta.client(t).get("/setup/" + tok); res.Code != http.StatusNotFound {
			t.Fatalf("setup link after an admin exists: %d", res.Code)
		}
	})
}

// Every state-changing request needs the CSRF token (form field or, for
// scripts, the X-CSRF-Token header); a cross-site form is refused even with it.
func TestCSRFProtection(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, me := ta.signedIn(t, models.RoleStaff)
		tok := c.csrf()
		send := func(path string, form url.Values, header map[string]string) *response {
			req, _ := http.NewRequest(http.MethodPost, ta.Server.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range header {
				req.Header.Set(k, v)
			}
			return c.do(req)
		}
		res := send("/signout", url.Values{}, nil)
		if res.Code != http.StatusForbidden || !strings.Contains(text(res.Body), "did not come from Summit") {
			t.Fatalf("sign-out without a token: %d %s", res.Code, text(res.Body))
		}
		res = send("/signout", url.Values{"_csrf": {"forged"}}, nil)
		if res.Code != http.StatusForbidden {
			t.Fatalf("sign-out with a forged token: %d", res.Code)
		}
		res = send("/signout", url.Values{"_csrf": {tok}}, map[string]string{"Sec-Fetch-Site": "cross-site"})
		if res.Code != http.StatusForbidden {
			t.Fatalf("a cross-site form: %d", res.Code)
		}
		if res := c.get("/account"); res.Code != http.StatusOK {
			t.Fatalf("a refused sign-out signed the person out: %d", res.Code)
		}
		// A script sends the token in a header.
		pw := "a passphrase from a script"
		res = send("/account/password", url.Values{"current": {testPassword}, "password": {pw}, "confirm": {pw}}, map[string]string{"X-CSRF-Token": tok})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("token in a header: %d %s", res.Code, text(res.Body))
		}
		p, _ := models.GetPerson(ctx, ta.DB, me.ID)
		if !models.VerifyPassword(p.PasswordHash, pw) {
			t.Fatal("the password did not change")
		}
	})
}

// GET never changes anything: every GET route of the router, requested by a
// visitor, a member of staff, an organiser and an admin, on both databases,
// leaves every row of every table as it was (snapshotDB; only a sign-in's
// last_seen_at may move).
func TestNoStateChangesOnGET(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		_, ids := demoRouteParams(t, ta)
		roles := []models.Role{"visitor", models.RoleStaff, models.RoleOrganiser, models.RoleAdmin}
		clients := map[models.Role]*client{"visitor": ta.client(t)}
		for _, role := range roles[1:] {
			clients[role], _ = ta.signedIn(t, role)
		}
		before := snapshotDB(t, ta.DB)
		n := 0
		for _, role := range roles {
			for _, r := range ta.Routes() {
				if r.Method != http.MethodGet {
					continue
				}
				path := fillPath(r.Path, ids)
				if res := clients[role].get(path); res.Code >= 500 {
					t.Errorf("GET %s as %s: %d", path, role, res.Code)
				}
				n++
			}
		}
		if n < 100 {
			t.Fatalf("only %d GET requests made", n)
		}
		if d := snapshotDiff(before, snapshotDB(t, ta.DB)); d != "" {
			t.Fatalf("%d GET requests changed the database:\n%s", n, d)
		}
	})
}

// Signing in renews the CSRF token: a token seen before (on a shared
// computer, or planted) does not work for the signed-in person.
func TestSignInRenewsCSRFToken(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		ta.addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
		c := ta.client(t)
		before := c.csrf()
		req, _ := http.NewRequest(http.MethodPost, ta.Server.URL+"/signin", strings.NewReader(url.Values{"email": {"ana@example.com"}, "password": {testPassword}, "_csrf": {before}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res := c.do(req)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("sign in: %d", res.Code)
		}
		n := 0
		for _, v := range res.Header.Values("Set-Cookie") {
			if strings.HasPrefix(v, "summit_csrf=") {
				n++
			}
		}
		after := c.csrf()
		if n != 1 || after == before || after == "" {
			t.Fatalf("CSRF cookies set at sign-in: %d; token before %q, after %q", n, before, after)
		}
		// The page after sign-in carries the new token in its forms.
		if page := c.get("/account").Body; !strings.Contains(page, `value="`+after+`"`) || strings.Contains(page, before) {
			t.Fatal("the page after sign-in does not carry the new token")
		}
		if res := c.post("/signout", url.Values{"_csrf": {before}}); res.Code != http.StatusForbidden {
			t.Fatalf("the old token still works: %d", res.Code)
		}
		if res := c.post("/signout", url.Values{"_csrf": {after}}); res.Code != http.StatusSeeOther {
			t.Fatalf("the new token: %d", res.Code)
		}
	})
}
