package app_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"summit/app"
	"summit/models"
	"summit/models/modelstest"
)

// ssoEnv is Summit with single sign-on against a real OpenID Connect
// provider (mockoidc) running in the test process. tamper, when set,
// rewrites the claims of the next ID token the provider hands out (signed
// again with the provider's own key): a wrong nonce, audience or expiry.
type ssoEnv struct {
	*testApp
	m *mockoidc.MockOIDC

	mu        sync.Mutex
	tamper    func(jwt.MapClaims)
	lastNonce string
}

func newSSOApp(t *testing.T, dialect string, edit func(*app.Config)) *ssoEnv {
	t.Helper()
	m, err := mockoidc.NewServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	e := &ssoEnv{m: m}
	m.AddMiddleware(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path != mockoidc.TokenEndpoint {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			if json.Unmarshal(rec.Body.Bytes(), &body) == nil {
				if raw, ok := body["id_token"].(string); ok {
					claims := jwt.MapClaims{}
					if _, _, err := jwt.NewParser().ParseUnverified(raw, claims); err == nil {
						e.mu.Lock()
						tamper := e.tamper
						e.tamper = nil
						if tamper != nil {
							tamper(claims)
							if signed, err := m.Keypair.SignJWT(claims); err == nil {
								body["id_token"] = signed
							}
						}
						e.lastNonce, _ = claims["nonce"].(string)
						e.mu.Unlock()
					}
				}
				b, _ := json.Marshal(body)
				for k, v := range rec.Header() {
					if k != "Content-Length" {
						w.Header()[k] = v
					}
				}
				w.WriteHeader(rec.Code)
				w.Write(b)
				return
			}
			w.WriteHeader(rec.Code)
			w.Write(rec.Body.Bytes())
		})
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })

	db := modelstest.Open(t, dialect)
	srv := httptest.NewUnstartedServer(nil)
	srv.Start()
	t.Cleanup(srv.Close)
	cfg := app.Config{BaseURL: srv.URL, OIDCIssuer: m.Issuer(), OIDCClientID: m.ClientID, OIDCClientSecret: m.ClientSecret,
		OIDCLabel: "Example ID", OIDCDomains: []string{"example.com"}}
	if edit != nil {
		edit(&cfg)
	}
	a, err := app.New(cfg, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = a.Handler()
	e.testApp = &testApp{App: a, DB: db, Server: srv}
	return e
}

func (e *ssoEnv) setTamper(f func(jwt.MapClaims)) {
	e.mu.Lock()
	e.tamper = f
	e.mu.Unlock()
}

// ssoUser is a person as the identity provider knows them.
func ssoUser(email string, verified bool) *mockoidc.MockUser {
	return &mockoidc.MockUser{Subject: "sub-" + email, Email: email, EmailVerified: verified, PreferredUsername: email}
}

// getURL fetches an absolute URL with the client's cookies, not following redirects.
func (c *client) getURL(u string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return c.do(req)
}

// startSSO clicks "Sign in with …" and lets the provider sign user in; it
// returns the callback URL the provider sends the browser back to.
func (e *ssoEnv) startSSO(t *testing.T, c *client, user *mockoidc.MockUser) string {
	t.Helper()
	e.m.QueueUser(user)
	res := c.post("/signin/sso", url.Values{"next": {"/"}})
	if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Location, e.m.AuthorizationEndpoint()) {
		t.Fatalf("start: %d %q\n%s", res.Code, res.Location, res.Body)
	}
	au, _ := url.Parse(res.Location)
	q := au.Query()
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if q.Get(k) == "" {
			t.Fatalf("the authorization request has no %s: %s", k, res.Location)
		}
	}
	if q.Get("code_challenge_method") != "S256" {
		t.Fatalf("PKCE method %q, want S256", q.Get("code_challenge_method"))
	}
	res = c.getURL(res.Location)
	if res.Code != http.StatusFound || !strings.HasPrefix(res.Location, e.Server.URL+"/signin/sso/callback") {
		t.Fatalf("provider: %d %q\n%s", res.Code, res.Location, res.Body)
	}
	return res.Location
}

// signedInAs reports who the client is signed in as ("" for nobody).
func signedInAs(t *testing.T, c *client) string {
	t.Helper()
	res := c.get("/account")
	if res.Code != http.StatusOK {
		return ""
	}
	return res.Body
}

func countRows(t *testing.T, ta *testApp, table string) int64 {
	t.Helper()
	var n int64
	if err := ta.DB.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// A person in the directory signs in through the identity provider: matched
// by verified email whatever its case, the browser's old session ends and a
// new one starts, the sign-in is audited and their last sign-in noted.
func TestSSOSignInGood(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		e := newSSOApp(t, dialect, nil)
		ada := e.addPerson(t, "Ada Lovelace", "ada@example.com", models.RoleStaff)
		e.addPerson(t, "Other Person", "other@example.com", models.RoleStaff)
		c := e.client(t)
		c.signIn("other@example.com")
		u, _ := url.Parse(e.Server.URL)
		var old string
		for _, ck := range c.http.Jar.Cookies(u) {
			if ck.Name == "summit_session" {
				old = ck.Value
			}
		}
		page := c.get("/signin")
		if !strings.Contains(page.Body, "Sign in with Example ID") {
			t.Fatalf("no single sign-on button on the sign-in page:\n%s", page.Body)
		}
		res := c.getURL(e.startSSO(t, c, ssoUser("Ada@EXAMPLE.com", true)))
		if res.Code != http.StatusSeeOther || res.Location != "/" {
			t.Fatalf("callback: %d %q\n%s", res.Code, res.Location, res.Body)
		}
		if body := signedInAs(t, c); !strings.Contains(body, "ada@example.com") {
			t.Fatalf("not signed in as Ada:\n%s", body)
		}
		if _, err := models.PersonForSession(ctx, e.DB, old); err == nil {
			t.Fatal("the browser's session from before single sign-on still works")
		}
		var n int64
		e.DB.Model(&models.AuditEvent{}).Where("action = ? AND record_id = ?", "signin.sso", itoa(ada.ID)).Count(&n)
		if n != 1 {
			t.Fatalf("%d signin.sso audit events for Ada, want 1", n)
		}
		p, _ := models.GetPerson(ctx, e.DB, ada.ID)
		if p.SignedInAt == nil {
			t.Fatal("Ada's last sign-in is not noted")
		}
	})
}

// Every way a sign-in through the provider can be wrong is refused with a
// page saying why, and creates nothing: no person, no session.
func TestSSOSignInRefusals(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		e := newSSOApp(t, dialect, nil)
		e.addPerson(t, "Ada Lovelace", "ada@example.com", models.RoleStaff)
		gone := e.addPerson(t, "Gone Person", "gone@example.com", models.RoleStaff)
		if _, err := models.DeactivatePerson(ctx, e.DB, models.ActorOf(nil, ""), gone.ID); err != nil {
			t.Fatal(err)
		}
		// One good sign-in first: its nonce is replayed below.
		first := e.client(t)
		firstCallback := e.startSSO(t, first, ssoUser("ada@example.com", true))
		if res := first.getURL(firstCallback); res.Code != http.StatusSeeOther {
			t.Fatalf("first sign-in: %d\n%s", res.Code, res.Body)
		}
		e.mu.Lock()
		usedNonce := e.lastNonce
		e.mu.Unlock()

		cases := []struct {
			name string
			run  func(t *testing.T, c *client) *response
			code int
			want string
		}{
			{"tampered state", func(t *testing.T, c *client) *response {
				cb, _ := url.Parse(e.startSSO(t, c, ssoUser("ada@example.com", true)))
				q := cb.Query()
				q.Set("state", q.Get("state")+"x")
				cb.RawQuery = q.Encode()
				return c.getURL(cb.String())
			}, http.StatusBadRequest, "did not start in this browser"},
			{"state of another browser", func(t *testing.T, c *client) *response {
				other := e.client(t)
				return c.getURL(e.startSSO(t, other, ssoUser("ada@example.com", true)))
			}, http.StatusBadRequest, "did not start in this browser"},
			{"reused state", func(t *testing.T, c *client) *response {
				cb := e.startSSO(t, c, ssoUser("ada@example.com", true))
				if res := c.getURL(cb); res.Code != http.StatusSeeOther {
					t.Fatalf("sign-in before the replay: %d", res.Code)
				}
				c.post("/signout", nil)
				// The replay brings the state's cookie back too.
				u, _ := url.Parse(cb)
				c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "summit_sso_state", Value: u.Query().Get("state"), Path: "/signin/sso"}})
				return c.getURL(cb)
			}, http.StatusBadRequest, "used already"},
			{"wrong nonce", func(t *testing.T, c *client) *response {
				e.setTamper(func(cl jwt.MapClaims) { cl["nonce"] = "not-the-nonce-sent" })
				return c.getURL(e.startSSO(t, c, ssoUser("ada@example.com", true)))
			}, http.StatusForbidden, "belongs to another sign-in"},
			{"reused nonce", func(t *testing.T, c *client) *response {
				e.setTamper(func(cl jwt.MapClaims) { cl["nonce"] = usedNonce })
				return c.getURL(e.startSSO(t, c, ssoUser("ada@example.com", true)))
			}, http.StatusForbidden, "belongs to another sign-in"},
			{"wrong audience", func(t *testing.T, c *client) *response {
				e.setTamper(func(cl jwt.MapClaims) { cl["aud"] = []string{"another-application"} })
				return c.getURL(e.startSSO(t, c, ssoUser("ada@example.com", true)))
			}, http.StatusForbidden, "for another application, expired"},
			{"expired token", func(t *testing.T, c *client) *response {
				e.setTamper(func(cl jwt.MapClaims) {
					cl["iat"] = time.Now().Add(-3 * time.Hour).Unix()
					cl["exp"] = time.Now().Add(-2 * time.Hour).Unix()
				})
				return c.getURL(e.startSSO(t, c, ssoUser("ada@example.com", true)))
			}, http.StatusForbidden, "for another application, expired"},
			{"unverified email", func(t *testing.T, c *client) *response {
				return c.getURL(e.startSSO(t, c, ssoUser("ada@example.com", false)))
			}, http.StatusForbidden, "has not verified your email address"},
			{"unknown person", func(t *testing.T, c *client) *response {
				return c.getURL(e.startSSO(t, c, ssoUser("newcomer@example.com", true)))
			}, http.StatusForbidden, "Nobody in the Summit directory has the address newcomer@example.com"},
			{"deactivated person", func(t *testing.T, c *client) *response {
				return c.getURL(e.startSSO(t, c, ssoUser("GONE@example.com", true)))
			}, http.StatusForbidden, "Your Summit account is deactivated"},
			{"disallowed domain", func(t *testing.T, c *client) *response {
				return c.getURL(e.startSSO(t, c, ssoUser("mallory@elsewhere.org", true)))
			}, http.StatusForbidden, "Addresses at elsewhere.org may not sign in"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				c := e.client(t)
				people, sessions := countRows(t, e.testApp, "people"), countRows(t, e.testApp, "auth_sessions")
				res := tc.run(t, c)
				if res.Code != tc.code || !strings.Contains(res.Body, tc.want) {
					t.Fatalf("got %d, want %d with %q:\n%s", res.Code, tc.code, tc.want, res.Body)
				}
				if !strings.Contains(res.Body, "Not signed in") {
					t.Fatalf("the refusal page has no heading:\n%s", res.Body)
				}
				if n := countRows(t, e.testApp, "people"); n != people {
					t.Fatalf("people: %d before, %d after a refused sign-in", people, n)
				}
				if n := countRows(t, e.testApp, "auth_sessions"); n != sessions {
					t.Fatalf("sessions: %d before, %d after a refused sign-in", sessions, n)
				}
				if body := signedInAs(t, c); body != "" {
					t.Fatal("signed in after a refusal")
				}
			})
		}
	})
}

// With creation on, a person the directory does not know (allowed domain)
// is created as staff at their first sign-in; a disallowed domain still not.
func TestSSOCreatesUnknownPeopleWhenEnabled(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		e := newSSOApp(t, dialect, func(c *app.Config) { c.OIDCCreatePeople = true })
		c := e.client(t)
		if res := c.getURL(e.startSSO(t, c, ssoUser("Newcomer@Example.com", true))); res.Code != http.StatusSeeOther {
			t.Fatalf("%d\n%s", res.Code, res.Body)
		}
		p, err := models.PersonByEmail(ctx, e.DB, "newcomer@example.com")
		if err != nil || p.Role != models.RoleStaff || !p.Active {
			t.Fatalf("newcomer not created as active staff: %+v %v", p, err)
		}
		if !strings.Contains(signedInAs(t, c), "newcomer@example.com") {
			t.Fatal("newcomer not signed in")
		}
		n := countRows(t, e.testApp, "people")
		c2 := e.client(t)
		if res := c2.getURL(e.startSSO(t, c2, ssoUser("x@elsewhere.org", true))); res.Code != http.StatusForbidden {
			t.Fatalf("disallowed domain: %d", res.Code)
		}
		if countRows(t, e.testApp, "people") != n {
			t.Fatal("a disallowed domain created a person")
		}
	})
}

// "Single sign-on only": passwords stop working, except for the admins
// named as break-glass accounts; a break-glass address that is no admin is
// refused too.
func TestSSOOnlyRefusesPasswordsExceptBreakGlass(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		e := newSSOApp(t, dialect, func(c *app.Config) {
			c.SSOOnly = true
			c.BreakGlass = []string{"Root@example.com", "staffer@example.com"}
		})
		e.addPerson(t, "Root Admin", "root@example.com", models.RoleAdmin)
		e.addPerson(t, "Other Admin", "admin2@example.com", models.RoleAdmin)
		e.addPerson(t, "Staffer", "staffer@example.com", models.RoleStaff)
		e.addPerson(t, "Plain", "plain@example.com", models.RoleStaff)
		page := e.client(t).get("/signin")
		if !strings.Contains(page.Body, "Break-glass admin sign-in") || !strings.Contains(page.Body, "Sign in with Example ID") {
			t.Fatalf("sign-in page with single sign-on only:\n%s", page.Body)
		}
		for _, who := range []string{"plain@example.com", "admin2@example.com", "staffer@example.com"} {
			c := e.client(t)
			res := c.post("/signin", url.Values{"email": {who}, "password": {testPassword}})
			if res.Code != http.StatusForbidden || !strings.Contains(res.Body, "Passwords are switched off here") {
				t.Fatalf("%s with a password: %d\n%s", who, res.Code, res.Body)
			}
			if signedInAs(t, c) != "" {
				t.Fatalf("%s signed in with a password", who)
			}
		}
		c := e.client(t)
		c.signIn("ROOT@example.com")
		if !strings.Contains(signedInAs(t, c), "root@example.com") {
			t.Fatal("the break-glass admin could not sign in")
		}
	})
}

// For providers that send no email_verified (Entra ID), an address in the
// allowed domains may count as verified; other domains are still refused.
func TestSSOTrustDomainsWithoutEmailVerified(t *testing.T) {
	e := newSSOApp(t, "sqlite", func(c *app.Config) { c.OIDCTrustDomains = true })
	e.addPerson(t, "Ada Lovelace", "ada@example.com", models.RoleStaff)
	c := e.client(t)
	// mockoidc leaves email_verified out when it is false.
	if res := c.getURL(e.startSSO(t, c, ssoUser("ada@example.com", false))); res.Code != http.StatusSeeOther {
		t.Fatalf("%d\n%s", res.Code, res.Body)
	}
	c2 := e.client(t)
	if res := c2.getURL(e.startSSO(t, c2, ssoUser("ada@elsewhere.org", false))); res.Code != http.StatusForbidden {
		t.Fatalf("other domain: %d", res.Code)
	}
}
