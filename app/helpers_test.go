package app_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/app"
	"summit/models"
	"summit/models/modelstest"
)

var ctx = context.Background()

// testApp is a real Summit server on a fresh test database.
type testApp struct {
	*app.App
	DB     *gorm.DB
	Server *httptest.Server
}

// newTestApp starts Summit on a fresh database of the given dialect, through
// the real router, middleware and embedded templates.
func newTestApp(t *testing.T, dialect string) *testApp {
	t.Helper()
	db := modelstest.Open(t, dialect)
	return newTestAppOn(t, db)
}

// newTestAppOn starts another Summit instance on an existing database (two
// instances on one Postgres behave as one).
func newTestAppOn(t *testing.T, db *gorm.DB) *testApp {
	t.Helper()
	a, err := app.New(app.Config{BaseURL: "http://summit.test"}, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &testApp{App: a, DB: db, Server: srv}
}

// eachApp runs fn on a fresh app for every dialect.
func eachApp(t *testing.T, fn func(t *testing.T, ta *testApp)) {
	t.Helper()
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) { fn(t, newTestApp(t, d)) })
	}
}

// testPassword is the password of every person made by addPerson.
const testPassword = "correct horse battery staple"

// addPerson creates an active person with a role and testPassword.
func (ta *testApp) addPerson(t *testing.T, name, email string, role models.Role) *models.Person {
	t.Helper()
	p, err := models.CreatePerson(ctx, ta.DB, models.ActorOf(nil, ""), models.PersonInput{Name: name, Email: email, Role: role, Department: "Customer Support", Active: true})
	if err != nil {
		t.Fatalf("create person %s: %v", email, err)
	}
	if err := models.SetPassword(ctx, ta.DB, p.ID, testPassword); err != nil {
		t.Fatal(err)
	}
	return p
}

// client is a browser-like HTTP client: it keeps cookies, does not follow
// redirects, and sends the CSRF token with every form.
type client struct {
	t    *testing.T
	ta   *testApp
	http *http.Client
}

func (ta *testApp) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, ta: ta, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a read response.
type response struct {
	Code     int
	Body     string
	Header   http.Header
	Location string
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &response{Code: res.StatusCode, Body: string(b), Header: res.Header, Location: res.Header.Get("Location")}
}

// get fetches a path.
func (c *client) get(path string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.ta.Server.URL+path, nil)
	return c.do(req)
}

// csrf returns the CSRF token from the cookie, fetching a page first if needed.
func (c *client) csrf() string {
	u, _ := url.Parse(c.ta.Server.URL)
	for i := 0; i < 2; i++ {
		for _, ck := range c.http.Jar.Cookies(u) {
			if ck.Name == "summit_csrf" {
				return ck.Value
			}
		}
		c.get("/signin")
	}
	c.t.Fatal("no CSRF cookie was set")
	return ""
}

// post submits a form with the CSRF token.
func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		form.Set("_csrf", c.csrf())
	}
	req, _ := http.NewRequest(http.MethodPost, c.ta.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// signIn signs the client in as email with testPassword.
func (c *client) signIn(email string) {
	c.t.Helper()
	res := c.post("/signin", url.Values{"email": {email}, "password": {testPassword}})
	if res.Code != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d\n%s", email, res.Code, res.Body)
	}
}

// signedIn returns a client signed in as a new person with the role.
func (ta *testApp) signedIn(t *testing.T, role models.Role) (*client, *models.Person) {
	t.Helper()
	p := ta.addPerson(t, "Test "+string(role), string(role)+"-"+strings.ToLower(models.RandomToken(3))+"@example.com", role)
	c := ta.client(t)
	c.signIn(p.Email)
	return c, p
}

var tagRe = regexp.MustCompile(`<[^>]+>`)

// text strips tags and squeezes spaces, to assert on what a person reads.
func text(html string) string {
	s := tagRe.ReplaceAllString(html, " ")
	s = strings.NewReplacer("&amp;", "&", "&#39;", "'", "&quot;", "\"", "&lt;", "<", "&gt;", ">", "&#34;", "\"").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}
