package app_test

import (
	"bytes"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"summit/models"
)

// hostileValues is what a careless or hostile person may type into any field.
var hostileValues = []struct{ name, v string }{
	{"empty", ""},
	{"spaces", "   \t  "},
	{"long", strings.Repeat("Zq", 5000)},
	{"nul", "a\x00b"},
	{"bad-utf8", "caf\xe9 \xff\xfe"},
	{"rtl-zero-width", "\u202eevil\u200b\u200d\ufeff"},
	{"emoji", "🎉👩🏽‍💻🇵🇱"},
	{"script", "<script>alert(1)</script>"},
	{"sql", "'; DROP TABLE people; --\" OR 1=1"},
	{"minus-one", "-1"},
	{"zero", "0"},
	{"huge-float", "1e99"},
	{"huge-int", "9999999999999999999"},
	{"bad-date", "2027-02-30"},
	{"midnight", "24:00"},
	{"dst-gap", "02:30"},
	{"dst-date", "2027-03-28"},
	{"line-breaks", "one\r\ntwo\rthree\u2028four"},
}

// paragraphColumns may hold line breaks (as LF); every other text column is
// one line.
var paragraphColumns = map[string]bool{"abstract": true, "description": true, "bio": true, "story": true, "criteria": true,
	"comment": true, "reason": true, "intro": true,
	"change": true, "body": true, "success": true, "note": true, "status_note": true} // ideas and commitments

var (
	formRe   = regexp.MustCompile(`(?s)<form[^>]*method="post"[^>]*action="([^"]*)"[^>]*>(.*?)</form>`)
	fieldRe  = regexp.MustCompile(`<(input|select|textarea)\b[^>]*>`)
	nameRe   = regexp.MustCompile(`\bname="([^"]+)"`)
	typeRe   = regexp.MustCompile(`\btype="([^"]+)"`)
	paramRe2 = regexp.MustCompile(`:[a-z_]+`)
)

// formFields maps a form's action to its field names and types ("text",
// "textarea", "select", …), read from the pages a person would see.
type formFields map[string]map[string]string

func (ff formFields) collect(body string) {
	for _, m := range formRe.FindAllStringSubmatch(body, -1) {
		action := html.UnescapeString(m[1])
		if ff[action] == nil {
			ff[action] = map[string]string{}
		}
		for _, f := range fieldRe.FindAllStringSubmatch(m[2], -1) {
			n := nameRe.FindStringSubmatch(f[0])
			if n == nil || n[1] == "_csrf" {
				continue
			}
			kind := f[1]
			if kind == "input" {
				kind = "text"
				if t := typeRe.FindStringSubmatch(f[0]); t != nil {
					kind = t[1]
				}
			}
			ff[action][n[1]] = kind
		}
	}
}

// TestNoPostRouteMishandlesHostileInput posts hostile values into every field
// of every POST route, as an admin, urlencoded and multipart, single and
// duplicated. Nothing may answer 5xx; a refusal shows a message and keeps
// what was typed; nothing too long is silently cut and no invalid text or NUL
// reaches the database.
func TestNoPostRouteMishandlesHostileInput(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		_, ids := demoRouteParams(t, ta)
		fill := func(p string) string {
			return paramRe2.ReplaceAllStringFunc(p, func(m string) string {
				if v, ok := ids[m[1:]]; ok {
					return v
				}
				return "1"
			})
		}
		c, _ := ta.signedIn(t, models.RoleAdmin)

		// Read every page for its forms.
		ff := formFields{}
		for _, rt := range ta.Routes() {
			if rt.Method == http.MethodGet && !strings.HasSuffix(rt.Path, ".csv") && !strings.HasSuffix(rt.Path, ".pdf") {
				if r := c.get(fill(rt.Path)); r.Code == http.StatusOK {
					ff.collect(r.Body)
				}
			}
		}
		all := map[string]string{}
		for _, fields := range ff {
			for n, k := range fields {
				all[n] = k
			}
		}

		type target struct {
			path   string
			fields map[string]string
			own    bool // the fields are the route's own form's
		}
		var targets []target
		for _, rt := range ta.Routes() {
			if rt.Method != http.MethodPost || strings.Contains(rt.Path, "signout") {
				continue
			}
			p := fill(rt.Path)
			fields, own := ff[p], true
			if len(fields) == 0 {
				fields, own = all, false
			}
			targets = append(targets, target{p, fields, own})
		}
		// Destructive routes last, so the others still find their records.
		sort.SliceStable(targets, func(i, j int) bool { return destructive(targets[i].path) < destructive(targets[j].path) })

		for _, tg := range targets {
			// A fresh admin per route: a hostile password form must not end the walk.
			c, _ := ta.signedIn(t, models.RoleAdmin)
			names := make([]string, 0, len(tg.fields))
			for n := range tg.fields {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, hv := range hostileValues {
				for _, mode := range []string{"urlencoded", "multipart", "duplicated"} {
					form := url.Values{}
					for _, n := range names {
						form.Set(n, hv.v)
						if mode == "duplicated" {
							form.Add(n, "second "+hv.v)
						}
					}
					var r *response
					if mode == "multipart" {
						r = c.postMultipart(tg.path, form)
					} else {
						r = c.post(tg.path, form)
					}
					where := fmt.Sprintf("POST %s [%s, %s]", tg.path, hv.name, mode)
					if r.Code >= 500 {
						t.Errorf("%s: %d %.300s", where, r.Code, text(r.Body))
						continue
					}
					if r.Code != http.StatusUnprocessableEntity {
						continue
					}
					body := html.UnescapeString(r.Body)
					if !strings.Contains(r.Body, "field-error") && !strings.Contains(r.Body, `role="alert"`) && !strings.Contains(r.Body, `class="warning"`) && !strings.Contains(r.Body, `class="error-page"`) {
						t.Errorf("%s: 422 without a message that says what to fix: %.300s", where, text(r.Body))
					}
					if !tg.own || strings.TrimSpace(hv.v) == "" || !utf8.ValidString(hv.v) || strings.ContainsRune(hv.v, 0) {
						continue
					}
					for _, n := range names {
						if k := tg.fields[n]; (k == "text" || k == "textarea" || k == "email") && !strings.Contains(body, hv.v) {
							t.Errorf("%s: the refused form lost what was typed into %q", where, n)
						}
					}
				}
			}
		}
		checkStoredText(t, ta)
	})
}

// checkStoredText scans every text value in the database: none may be a cut
// copy of the long value, hold invalid UTF-8, a NUL or a CR, and one-line
// columns hold no line break.
func checkStoredText(t *testing.T, ta *testApp) {
	t.Helper()
	long := hostileValues[2].v
	tables, err := ta.DB.Migrator().GetTables()
	if err != nil {
		t.Fatal(err)
	}
	for _, tbl := range tables {
		if tbl == "schema_migrations" || strings.HasPrefix(tbl, "sqlite_") {
			continue
		}
		cols, rows := readTable(t, ta.DB, tbl)
		for _, vals := range rows {
			for i, v := range vals {
				s, ok := asText(v)
				if !ok {
					continue
				}
				switch {
				case strings.Contains(s, "ZqZqZq") && !strings.Contains(s, long):
					t.Errorf("%s.%s holds a cut copy of a long value (%d characters)", tbl, cols[i], len(s))
				case !utf8.ValidString(s) && !strings.Contains(cols[i], "hash") && !strings.Contains(cols[i], "data"):
					t.Errorf("%s.%s holds invalid UTF-8: %q", tbl, cols[i], s)
				case strings.ContainsRune(s, 0):
					t.Errorf("%s.%s holds a NUL: %q", tbl, cols[i], s)
				case strings.ContainsRune(s, '\r') && !strings.Contains(cols[i], "data"):
					t.Errorf("%s.%s holds a carriage return (text is stored with LF line ends): %q", tbl, cols[i], s)
				case strings.Contains(s, "one\ntwo") && !paragraphColumns[cols[i]]:
					t.Errorf("%s.%s is one line but holds a line break: %q", tbl, cols[i], s)
				}
			}
		}
	}
}

func destructive(p string) int {
	if p == "/signin" {
		return 2 // failed sign-ins are rate limited per network: last
	}
	for _, w := range []string{"delete", "remove", "deactivate", "withdraw", "cancel", "commit", "password"} {
		if strings.Contains(p, w) {
			return 1
		}
	}
	return 0
}

// postMultipart submits a form as multipart/form-data with the CSRF token.
func (c *client) postMultipart(path string, form url.Values) *response {
	c.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("_csrf", c.csrf())
	for k, vs := range form {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.ta.Server.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// HEAD answers like GET without a body: load balancers, link checkers and
// curl -I use it on pages and static files.
func TestHeadAnswersLikeGet(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c := ta.client(t)
		for _, p := range []string{"/static/css/app.css", "/static/js/app.js", "/", "/summits", "/signin", "/healthz"} {
			g := c.get(p)
			req, _ := http.NewRequest(http.MethodHead, ta.Server.URL+p, nil)
			h := c.do(req)
			if h.Code != g.Code || h.Code != http.StatusOK {
				t.Errorf("HEAD %s: %d, GET: %d", p, h.Code, g.Code)
			}
			if h.Body != "" {
				t.Errorf("HEAD %s sent a body of %d bytes", p, len(h.Body))
			}
			if h.Header.Get("Content-Type") != g.Header.Get("Content-Type") {
				t.Errorf("HEAD %s: Content-Type %q, GET: %q", p, h.Header.Get("Content-Type"), g.Header.Get("Content-Type"))
			}
		}
		// A HEAD on a form's POST-only address still changes nothing.
		req, _ := http.NewRequest(http.MethodHead, ta.Server.URL+"/signout", nil)
		if r := c.do(req); r.Code < 400 || r.Code >= 500 {
			t.Errorf("HEAD /signout: %d, want a 4xx", r.Code)
		}
	})
}

// Sign-in sends a person back only to a page of Summit itself, however the
// "next" address is dressed up.
func TestSignInNextStaysOnSummit(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		p := ta.addPerson(t, "Nia Next", "nia@example.com", models.RoleStaff)
		for _, next := range []string{"https://evil.example", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
			"/\r\n/evil.example", "\t//evil.example", " //evil.example", "/\\/evil.example", "/%5C/evil.example", "javascript:alert(1)", "/\x00/evil.example"} {
			c := ta.client(t)
			r := c.post("/signin", url.Values{"email": {p.Email}, "password": {testPassword}, "next": {next}})
			if r.Code != http.StatusSeeOther {
				t.Fatalf("next %q: %d", next, r.Code)
			}
			u, err := url.Parse(ta.Server.URL + "/x")
			if err != nil {
				t.Fatal(err)
			}
			to, err := u.Parse(r.Location)
			if err != nil || to.Host != u.Host || strings.ContainsAny(r.Location, "\\\t\r\n\x00") {
				t.Errorf("next %q sent the person to %q", next, r.Location)
			}
		}
		// An ordinary page of Summit is kept, query and all.
		c := ta.client(t)
		r := c.post("/signin", url.Values{"email": {p.Email}, "password": {testPassword}, "next": {"/my/agenda?x=1"}})
		if r.Location != "/my/agenda?x=1" {
			t.Errorf("next /my/agenda?x=1 became %q", r.Location)
		}
	})
}

// Broken cookies, huge query strings and odd paths are the client's
// mistake: never a 5xx.
func TestOddRequestsAreNot500(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		_, ids := demoRouteParams(t, ta)
		admin, _ := ta.signedIn(t, models.RoleAdmin)
		c := ta.client(t)
		cookies := []string{"summit_session=%zz", "summit_session=" + strings.Repeat("A", 4000), "summit_session=\"quoted\"",
			"summit_flash=%zz%", "summit_flash=" + strings.Repeat("%41", 1000), "summit_csrf=", "summit_csrf=" + strings.Repeat("x", 3000),
			"summit_session=a; summit_session=b", "=;;=;summit_session"}
		for _, ck := range cookies {
			for _, p := range []string{"/", "/summits", "/organise", "/my/agenda", "/signin"} {
				req, _ := http.NewRequest(http.MethodGet, ta.Server.URL+p, nil)
				req.Header.Set("Cookie", ck)
				if r := c.do(req); r.Code >= 500 {
					t.Errorf("GET %s with cookie %.40q: %d", p, ck, r.Code)
				}
			}
			req, _ := http.NewRequest(http.MethodPost, ta.Server.URL+"/signin", strings.NewReader("email=x%40y.z&password=p&_csrf=abc"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Cookie", ck)
			if r := c.do(req); r.Code >= 500 {
				t.Errorf("POST /signin with cookie %.40q: %d", ck, r.Code)
			}
		}
		long := strings.Repeat("x", 60000)
		param := paramRe2
		for _, rt := range ta.Routes() {
			if rt.Method != http.MethodGet {
				continue
			}
			p := param.ReplaceAllStringFunc(rt.Path, func(m string) string {
				if v, ok := ids[m[1:]]; ok {
					return v
				}
				return "1"
			})
			for _, q := range []string{"?day=" + long + "&q=" + long, "?page=9999999999999999999&page=-1&track=%00&q=%ff%fe&day=2027-02-30&view=%00",
				"?a=%zz&b=%", "?page=-9223372036854775808"} {
				if r := admin.get(p + q); r.Code >= 500 {
					t.Errorf("GET %s%.60s: %d %.200s", p, q, r.Code, text(r.Body))
				}
			}
			for _, bad := range []string{"%00", "%ff", "..%2f..%2fetc%2fpasswd", "%2e%2e"} {
				pp := param.ReplaceAllString(rt.Path, bad)
				if pp == rt.Path {
					pp = rt.Path + "/" + bad
				}
				if r := admin.get(pp); r.Code >= 500 {
					t.Errorf("GET %s: %d", pp, r.Code)
				}
			}
		}
		for _, p := range []string{"/static/%00", "/static/..%2f..%2fgo.mod", "/static/css/app.css%00", "/%00", "/summits/1%00", "/static/" + long[:2000]} {
			if r := admin.get(p); r.Code >= 500 || strings.Contains(r.Body, "module summit") {
				t.Errorf("GET %s: %d", p, r.Code)
			}
		}
	})
}

// A static folder is not a file: /static, /static/ and /static/<folder>
// answer 404 with the friendly page (they used to redirect to one another
// forever), while the files in them are still served.
func TestStaticFoldersAnswer404(t *testing.T) {
	ta := newTestApp(t, "sqlite")
	c := ta.client(t)
	for _, p := range []string{"/static", "/static/", "/static/css", "/static/css/", "/static/vendor/pico", "/static/vendor/pico/", "/static/fonts/"} {
		r := c.get(p)
		if r.Code != http.StatusNotFound || r.Location != "" || !strings.Contains(r.Body, "We could not find that page") {
			t.Errorf("GET %s: %d (Location %q), want the 404 page", p, r.Code, r.Location)
		}
	}
	for _, p := range []string{"/static/css/app.css", "/static/vendor/pico/pico.min.css", "/static/img/favicon.svg"} {
		if r := c.get(p); r.Code != http.StatusOK || r.Body == "" {
			t.Errorf("GET %s: %d, want the file", p, r.Code)
		}
	}
	// Pages keep their rule: a trailing slash redirects to the page.
	if r := c.get("/summits/"); r.Code != http.StatusMovedPermanently || r.Location != "/summits" {
		t.Errorf("GET /summits/: %d %q, want a redirect to /summits", r.Code, r.Location)
	}
}
