package app_test

import (
	"net/http"
	"net/url"

	"sort"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"summit/app"
	"summit/models"
)

// pageForm is a POST form found on a page: where it posts and what it sends.
type pageForm struct {
	Action string
	Fields url.Values
	Types  map[string]string // field name → input type ("text", "date", "textarea", …)
	// Choices are the values a select, radio or checkbox offers, by name.
	Choices map[string][]string
	Boxes   map[string]bool // the names of checkboxes
}

// postForms reads the POST forms of an HTML page as a browser would submit
// them: inputs (checked boxes and radios only), selects (the chosen or first
// option), textareas and the first named submit button.
func postForms(body string) []pageForm {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	textOf := func(n *html.Node) string {
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				b.WriteString(c.Data)
			}
		}
		return b.String()
	}
	type option struct {
		value    string
		selected bool
	}
	var options func(n *html.Node) []option
	options = func(n *html.Node) []option {
		var out []option
		for x := n.FirstChild; x != nil; x = x.NextSibling {
			if x.Type == html.ElementNode && x.Data == "option" {
				v, ok := attr(x, "value")
				if !ok {
					v = textOf(x)
				}
				_, sel := attr(x, "selected")
				out = append(out, option{v, sel})
			}
			out = append(out, options(x)...)
		}
		return out
	}
	datalists := map[string]string{} // id → first suggestion
	var lists func(n *html.Node)
	lists = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "datalist" {
			if id, ok := attr(n, "id"); ok {
				if opts := options(n); len(opts) > 0 {
					datalists[id] = opts[0].value
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			lists(c)
		}
	}
	lists(doc)
	var forms []pageForm
	var fields func(n *html.Node, f *pageForm, button *bool)
	fields = func(n *html.Node, f *pageForm, button *bool) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode {
				continue
			}
			name, named := attr(c, "name")
			switch c.Data {
			case "input":
				typ, _ := attr(c, "type")
				val, _ := attr(c, "value")
				_, checked := attr(c, "checked")
				switch {
				case !named || typ == "file":
				case typ == "checkbox" || typ == "radio":
					if checked {
						f.Fields.Add(name, val)
					}
					f.Choices[name] = append(f.Choices[name], val)
					if typ == "checkbox" {
						f.Boxes[name] = true
					}
					if _, seen := f.Types[name]; typ == "radio" && !seen {
						f.Types[name] = "radio:" + val // a person picks one if none is
					}
				case typ == "submit":
					if !*button {
						*button = true
						f.Fields.Add(name, val)
					}
				default:
					if typ == "" {
						typ = "text"
					}
					if id, ok := attr(c, "list"); ok {
						typ = "list:" + datalists[id] // a suggestion is picked
					}
					f.Types[name] = typ
					f.Fields.Add(name, val)
				}
				continue
			case "textarea":
				if named {
					f.Types[name] = "textarea"
					f.Fields.Add(name, strings.TrimPrefix(textOf(c), "\n"))
				}
				continue
			case "button":
				typ, _ := attr(c, "type")
				if named && (typ == "" || typ == "submit") && !*button {
					*button = true
					val, _ := attr(c, "value")
					f.Fields.Add(name, val)
				}
				continue
			case "select":
				if !named {
					continue
				}
				opts, chosen := options(c), -1
				for i, o := range opts {
					if o.selected && chosen < 0 {
						chosen = i
					}
				}
				if chosen < 0 && len(opts) > 0 {
					chosen = 0 // a browser sends the first option
				}
				if chosen >= 0 {
					f.Fields.Add(name, opts[chosen].value)
				}
				for _, o := range opts {
					f.Choices[name] = append(f.Choices[name], o.value)
				}
				continue
			}
			fields(c, f, button)
		}
	}
	var find func(n *html.Node)
	find = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "form" {
			method, _ := attr(n, "method")
			action, _ := attr(n, "action")
			if strings.EqualFold(method, "post") && action != "" {
				f := pageForm{Action: action, Fields: url.Values{}, Types: map[string]string{}, Choices: map[string][]string{}, Boxes: map[string]bool{}}
				button := false
				fields(n, &f, &button)
				forms = append(forms, f)
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	return forms
}

// fillLikeAPerson types into a harvested form what a person might: text in
// empty fields, a change to filled-in text, an address, a number, the
// summit's first day and a time, so that the form, sent, would change
// something.
func fillLikeAPerson(fields url.Values, types map[string]string, day string) {
	for name, typ := range types {
		v := fields.Get(name)
		switch kind, first, _ := strings.Cut(typ, ":"); kind {
		case "list", "radio":
			if v == "" {
				v = first
			}
		case "text", "search", "tel":
			if v == "" {
				v = "CSRF probe " + name
			} else {
				v += " (probe)"
			}
		case "textarea":
			if v == "" {
				v = "CSRF probe: what a person would write here, in enough words for any minimum length of a story."
			} else {
				v += " (probe)"
			}
		case "email":
			if v == "" {
				v = "csrf-probe-" + name + "@example.com"
			}
		case "number":
			if v == "" {
				v = "12"
			}
		case "date":
			if v == "" {
				v = day
			}
		case "time":
			if v == "" {
				v = "10:00"
				if strings.Contains(name, "end") || strings.Contains(name, "close") {
					v = "11:00"
				}
			}
		case "password":
			if v == "" {
				v = "a long enough probe password"
				if strings.Contains(name, "current") {
					v = testPassword
				}
			}
		}
		fields.Set(name, v)
	}
}

// csrfTarget is one POST route of the walk with the form a page would send.
type csrfTarget struct {
	Route     string // "POST /pattern"
	Path      string
	Fields    url.Values
	Harvested bool // the form was found on a page (else: an empty form)
}

// Every POST route of the router refuses a forged request: with no token,
// with a forged token, and with a valid token sent cross-site (the browser's
// Sec-Fetch-Site: cross-site and a foreign Origin). Each gets 403 and the
// database (every row of every table) is unchanged. The requests come from a
// signed-in admin, who may use every route, and carry the form the route's
// own page renders, filled in, so a route that skipped the check would act.
// Afterwards the same forms with the real token are sent: none is refused
// with 403, and most change the database, which shows the walk's requests
// were ones that would have done something. Routes added later are walked
// too.
func TestCSRFWalkEveryPostRoute(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s, ids := demoRouteParams(t, ta)
		adm, _ := ta.signedIn(t, models.RoleAdmin)
		token := adm.csrf()
		routes := ta.Routes()

		// Harvest the forms the pages render, by the route they post to.
		harvested := map[string]pageForm{}
		var posts []app.Route
		for _, r := range routes {
			if r.Method == http.MethodPost {
				posts = append(posts, r)
			}
		}
		for _, r := range routes {
			if r.Method != http.MethodGet || strings.Contains(r.Path, "signout") {
				continue
			}
			res := adm.get(fillPath(r.Path, ids))
			if res.Code != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				continue
			}
			for _, f := range postForms(res.Body) {
				u, err := url.Parse(f.Action)
				if err != nil || u.Host != "" {
					continue
				}
				for _, p := range posts {
					k := "POST " + p.Path
					if _, done := harvested[k]; !done && routePattern(p.Path).MatchString(u.Path) {
						f.Action = u.RequestURI()
						harvested[k] = f
					}
				}
			}
		}
		var targets []csrfTarget
		for _, p := range posts {
			k := "POST " + p.Path
			tg := csrfTarget{Route: k, Path: fillPath(p.Path, ids), Fields: url.Values{}}
			if f, ok := harvested[k]; ok {
				tg.Path, tg.Fields, tg.Harvested = f.Action, f.Fields, true
			}
			tg.Fields.Del("_csrf")
			if f, ok := harvested[k]; ok {
				fillLikeAPerson(tg.Fields, f.Types, s.StartDate)
			}
			targets = append(targets, tg)
		}
		if len(targets) < 40 || len(harvested) < len(targets)/2 {
			t.Fatalf("%d POST routes, forms found for %d: the walk would prove little", len(targets), len(harvested))
		}
		// For the replay with a real token: deletions, then the password
		// change (it renews the token), then signing out, last.
		order := func(tg csrfTarget) int {
			if strings.Contains(tg.Route, "/password") {
				return 3
			}
			if r := rank(routeRow{Method: "POST", Path: tg.Route}); r == 3 {
				return 4
			} else {
				return r
			}
		}
		sort.SliceStable(targets, func(i, j int) bool { return order(targets[i]) < order(targets[j]) })

		send := func(tg csrfTarget, csrf string, header map[string]string) *response {
			form := url.Values{}
			for k, v := range tg.Fields {
				form[k] = append([]string(nil), v...)
			}
			if csrf != "" {
				form.Set("_csrf", csrf)
			}
			req, _ := http.NewRequest(http.MethodPost, ta.Server.URL+tg.Path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range header {
				req.Header.Set(k, v)
			}
			return adm.do(req)
		}
		attacks := []struct {
			name   string
			csrf   string
			header map[string]string
		}{
			{"no token", "", nil},
			{"forged token", "forged-" + strings.ToLower(models.RandomToken(16)), nil},
			{"forged header token", "", map[string]string{"X-CSRF-Token": "forged-" + strings.ToLower(models.RandomToken(16))}},
			{"cross-site with the real token", token, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}},
		}

		before := snapshotDB(t, ta.DB)
		for _, tg := range targets {
			for _, a := range attacks {
				if res := send(tg, a.csrf, a.header); res.Code != http.StatusForbidden {
					t.Errorf("%s (%s), %s: %d, want 403 %.200s", tg.Route, tg.Path, a.name, res.Code, text(res.Body))
				}
			}
		}
		if diff := snapshotDiff(before, snapshotDB(t, ta.DB)); diff != "" {
			t.Fatalf("refused requests changed the database:\n  %s", diff)
		}

		// Control: the same forms with the real token get past the check.
		changed, harvestedN := 0, 0
		var idle []string
		for _, tg := range targets {
			pre := snapshotDB(t, ta.DB)
			res := send(tg, adm.csrf(), nil)
			if res.Code == http.StatusForbidden || res.Code == http.StatusBadRequest || res.Code >= 500 {
				t.Errorf("%s (%s) with the real token: %d %.200s", tg.Route, tg.Path, res.Code, text(res.Body))
			}
			if !tg.Harvested {
				continue
			}
			harvestedN++
			if snapshotDiff(pre, snapshotDB(t, ta.DB)) != "" {
				changed++
			} else {
				idle = append(idle, tg.Route)
			}
		}
		t.Logf("%d POST routes; with the real token %d of the %d with a page form changed the database (unchanged: %v)", len(targets), changed, harvestedN, idle)
		if changed*3 < harvestedN*2 {
			t.Fatalf("only %d of %d harvested forms changed the database with a real token: the walk's forms are not realistic enough", changed, harvestedN)
		}
	})
}
