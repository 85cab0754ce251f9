package app_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	"summit/models"
)

// crawlLimit bounds the pages read per role, a safety net: the crawl reads
// each path once per set of query keys (one agenda filter, not every value
// of it), which the demo's pages stay well under.
const crawlLimit = 1500

var (
	attrLinkRe = regexp.MustCompile(`(?is)<(a|link|area)\b[^>]*?\shref\s*=\s*"([^"]*)"`)
	formTagRe  = regexp.MustCompile(`(?is)<form\b([^>]*)>`)
	actionRe   = regexp.MustCompile(`(?is)\saction\s*=\s*"([^"]*)"`)
	methodRe   = regexp.MustCompile(`(?is)\smethod\s*=\s*"([^"]*)"`)
	fmtActRe   = regexp.MustCompile(`(?is)\sformaction\s*=\s*"([^"]*)"`)
	htmxRe     = regexp.MustCompile(`(?is)\shx-(get|post|put|patch|delete)\s*=\s*"([^"]*)"`)
	srcRe      = regexp.MustCompile(`(?is)<(script|img|iframe|source)\b[^>]*?\ssrc\s*=\s*"([^"]*)"`)
)

// Every link and form of the demo leads somewhere: the demo's pages are
// crawled as a visitor and as every demo account (staff, a staff member who
// judges awards, an organiser and an admin), and every href, form action,
// formaction, htmx request (hx-get, hx-post …) and src on them must match a
// registered route for its method (or be a static file that exists). A URL built wrong in Go
// or written wrong in a template fails here, not in a person's browser.
func TestEveryLinkOfTheDemoLeadsToARoute(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		_, accounts, err := models.SeedDemo(ctx, ta.DB, 2027)
		if err != nil {
			t.Fatal(err)
		}
		routes := newRouteMatcher(ta)
		if _, ok := routes.known(ta.client(t), http.MethodGet, "/no/such/page"); ok {
			t.Fatal("the route matcher accepts anything")
		}
		if _, ok := routes.known(ta.client(t), http.MethodPost, "/"); ok {
			t.Fatal("the route matcher accepts anything")
		}
		roles := map[models.Role]bool{}
		for _, acc := range accounts {
			roles[acc.Role] = true
		}
		for _, r := range []models.Role{models.RoleStaff, models.RoleOrganiser, models.RoleAdmin} {
			if !roles[r] {
				t.Fatalf("the demo has no %s account", r)
			}
		}
		for _, acc := range append([]models.DemoAccount{{Role: "visitor"}}, accounts...) {
			role := string(acc.Role)
			if acc.Email != "" {
				role += " " + acc.Email
			}
			cr := crawlDemo(t, ta, routes, acc)
			if len(cr.pages) < 10 {
				t.Errorf("%s: only %d pages read; is the crawl still following links?", role, len(cr.pages))
			}
			for _, b := range cr.bad {
				t.Errorf("%s: no route for %s", role, b)
			}
			t.Logf("%s: %d pages read, %d left in the queue", role, len(cr.pages), cr.queued)
		}
	})
}

// routeMatcher tells which registered route (if any) answers a method and path.
type routeMatcher struct {
	routes []knownRoute
	static map[string]int
}

type knownRoute struct {
	method, path string
	re           *regexp.Regexp
}

func newRouteMatcher(ta *testApp) *routeMatcher {
	m := &routeMatcher{static: map[string]int{}}
	param := regexp.MustCompile(`:[a-z_]+`)
	for _, r := range ta.Routes() {
		p := regexp.QuoteMeta(r.Path)
		p = param.ReplaceAllString(strings.ReplaceAll(p, `\*`, `.*`), `[^/]+`)
		m.routes = append(m.routes, knownRoute{r.Method, r.Path, regexp.MustCompile("^" + p + "$")})
	}
	return m
}

// known returns the route pattern that answers method and path (HEAD as
// GET), or, for a static file that exists, the path itself.
func (m *routeMatcher) known(c *client, method, path string) (string, bool) {
	if method == http.MethodHead {
		method = http.MethodGet
	}
	for _, r := range m.routes {
		if (r.method == method || r.method == "Any") && r.re.MatchString(path) {
			return r.path, true
		}
	}
	if method == http.MethodGet && strings.HasPrefix(path, "/static/") {
		if _, ok := m.static[path]; !ok {
			m.static[path] = c.get(path).Code
		}
		return path, m.static[path] == http.StatusOK
	}
	return "", false
}

// crawled is what one account's crawl of the demo found.
type crawled struct {
	pages  []crawledPage // HTML pages answered 200, in the order read
	bad    []string      // links, forms and sources that match no route, sorted
	queued int           // pages left unread at crawlLimit
}

// crawledPage is one HTML page of the crawl and the route that answered it.
type crawledPage struct{ uri, route string }

// crawlDemo signs in as acc (none for a visitor: Email empty) and reads the
// site from / by every link, GET form, htmx GET and source on its pages, once
// per path and set of query keys (pageKey); downloads are checked, not read.
func crawlDemo(t *testing.T, ta *testApp, routes *routeMatcher, acc models.DemoAccount) crawled {
	t.Helper()
	c, role := ta.client(t), string(acc.Role)
	if acc.Email != "" {
		role += " " + acc.Email
		res := c.post("/signin", url.Values{"email": {acc.Email}, "password": {models.DemoPassword}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("sign in as the demo %s: %d", role, res.Code)
		}
	}
	var out crawled
	seen := map[string]bool{"/?": true}
	queue := []string{"/"}
	for len(queue) > 0 && len(out.pages) < crawlLimit {
		page := queue[0]
		queue = queue[1:]
		res := c.get(page)
		if res.Code >= 500 {
			t.Errorf("%s: GET %s answered %d", role, page, res.Code)
			continue
		}
		if res.Code >= 300 && res.Code < 400 && res.Location != "" {
			if u, ok := siteURL(page, res.Location); ok && !seen[pageKey(u)] {
				seen[pageKey(u)] = true
				queue = append(queue, u.RequestURI())
			}
			continue
		}
		if res.Code != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			continue
		}
		pu, _ := url.Parse(page)
		route, _ := routes.known(c, http.MethodGet, pu.Path)
		out.pages = append(out.pages, crawledPage{page, route})
		check := func(method, raw string) {
			u, ok := siteURL(page, raw)
			if !ok {
				return
			}
			if _, ok := routes.known(c, method, u.Path); !ok {
				out.bad = append(out.bad, method+" "+u.Path+" (on "+page+")")
				return
			}
			if k := pageKey(u); method == http.MethodGet && !seen[k] && !download(u.Path) {
				seen[k] = true
				queue = append(queue, u.RequestURI())
			}
		}
		for _, m := range attrLinkRe.FindAllStringSubmatch(res.Body, -1) {
			check(http.MethodGet, m[2])
		}
		for _, m := range formTagRe.FindAllStringSubmatch(res.Body, -1) {
			method := http.MethodGet
			if mm := methodRe.FindStringSubmatch(m[1]); mm != nil {
				method = strings.ToUpper(mm[1])
			}
			action := page
			if am := actionRe.FindStringSubmatch(m[1]); am != nil {
				action = am[1]
			}
			check(method, action)
		}
		for _, m := range fmtActRe.FindAllStringSubmatch(res.Body, -1) {
			check(http.MethodPost, m[1])
		}
		for _, m := range htmxRe.FindAllStringSubmatch(res.Body, -1) {
			check(strings.ToUpper(m[1]), m[2])
		}
		for _, m := range srcRe.FindAllStringSubmatch(res.Body, -1) {
			check(http.MethodGet, m[2])
		}
	}
	sort.Strings(out.bad)
	out.bad = compactStrings(out.bad)
	out.queued = len(queue)
	return out
}

// siteURL resolves a link found on page; ok is false for links that leave
// the site (another host, mailto:, javascript:, data:) or only jump within
// the page.
func siteURL(page, raw string) (*url.URL, bool) {
	raw = strings.TrimSpace(html.UnescapeString(raw))
	if raw == "" || strings.HasPrefix(raw, "#") {
		return nil, false
	}
	base, _ := url.Parse(page)
	u, err := url.Parse(raw)
	if err != nil {
		return &url.URL{Path: "unparsable:" + raw}, true
	}
	if u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https" || u.Host != "" && u.Host != "example.com" {
		return nil, false
	}
	u = base.ResolveReference(u)
	u.Fragment = ""
	return u, true
}

// pageKey is what makes a page new to the crawl: its path and the names
// (not the values) of its query parameters.
func pageKey(u *url.URL) string {
	var keys []string
	for k := range u.Query() {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return u.Path + "?" + strings.Join(keys, "&")
}

// download reports whether a path is a file rather than a page.
func download(path string) bool {
	for _, ext := range []string{".pdf", ".ics", ".csv", ".xml", ".json", ".png", ".svg", ".css", ".js", ".woff2"} {
		if strings.HasSuffix(path, ext) {
			return true
		}
	}
	return strings.HasPrefix(path, "/static/")
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
