package app_test

// The hostile form walk: every POST form the demo shows to each demo role,
// one field at a time replaced by what a careless or hostile person may send.

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"summit/app"
	"summit/models"
	"summit/models/modelstest"
)

// hostile is one value sent in place of a field's own.
type hostile struct {
	name string
	v    string // "" with missing: the field is left out
	// never: no field may take the value as it is (2^63, NaN, 30 February,
	// 25:61, a record of another summit …): accepting it means it was
	// silently coerced or dropped.
	never   bool
	missing bool
	dup     bool // the field is sent twice: its own value, then v
}

// hostileText is what may be typed or pasted into a text field; each value
// ends with a marker unique to the request (mark), so that an accepted value
// is found again in the database.
func hostileText(mark func() string) []hostile {
	m := mark
	long := func(n int) string { // n characters, the marker at both ends
		a, b := m(), ""
		b = a
		return a + " " + strings.Repeat("Lm", (n-2*len(a)-2)/2) + strings.Repeat("L", (n-2*len(a)-2)%2) + " " + b
	}
	return []hostile{
		{name: "100000 characters", v: long(100000)},
		{name: "10001 characters", v: long(10001)},
		{name: "NUL", v: "a\x00b " + m()},
		{name: "control characters", v: "bell\x07 escape\x1b delete\x7f c1\u0085 " + m()},
		{name: "invalid UTF-8", v: "caf\xe9 \xff\xfe " + m()},
		{name: "lone surrogate", v: "half \xed\xa0\x80 pair " + m()},
		{name: "RTL override", v: "\u202eevil\u202c name " + m()},
		{name: "emoji and combining marks", v: "🎉👩🏽‍💻🇵🇱 e\u0301\u0302 Z\u0324\u0354\u0367 " + m()},
		{name: "formula", v: `=HYPERLINK("http://evil.example","click") ` + m()},
		{name: "SQL", v: "'; DROP TABLE people; -- " + m()},
		{name: "script", v: "<script>alert(1)</script> " + m()},
	}
}

var (
	hostileNumbers = []hostile{{name: "-1", v: "-1"}, {name: "0", v: "0"}, {name: "2^63", v: "9223372036854775808", never: true},
		{name: "1e309", v: "1e309", never: true}, {name: "NaN", v: "NaN", never: true}}
	hostileDates = []hostile{{name: "30 February", v: "2026-02-30", never: true}, {name: "year 0", v: "0000-01-01"},
		{name: "year 9999", v: "9999-12-31"}, {name: "not a date", v: "next tuesday", never: true}}
	hostileTimes = []hostile{{name: "25:61", v: "25:61", never: true}, {name: "24:00", v: "24:00"}, {name: "not a time", v: "noon", never: true}}
	// hostileIDs go into fields that name a record (a select of ids, a
	// hidden id); another summit's record is added per field.
	hostileIDs = []hostile{{name: "no such id", v: "999999999", never: true}, {name: "-1", v: "-1", never: true},
		{name: "2^63", v: "9223372036854775808", never: true}, {name: "not a number", v: "abc", never: true}}
	// hostileChoices go into a select or radio of words (a kind, a role).
	hostileChoices = []hostile{{name: "not an option", v: "not-an-option", never: true}, {name: "empty", v: ""},
		{name: "NUL", v: "a\x00b", never: true}, {name: "invalid UTF-8", v: "\xff\xfe", never: true}, {name: "script", v: "<script>alert(1)</script>", never: true}}
)

// walkForm is a POST form of a page, as the walk sends it.
type walkForm struct {
	route string // "POST /pattern"
	page  string // where it was found
	pageForm
}

// typed reports whether a field kind is typed by a person (its value must be
// kept on a refusal and stored exactly when accepted).
func typed(kind string) bool {
	switch kind {
	case "text", "textarea", "email", "search", "tel", "url", "list", "number", "date", "time", "datetime-local":
		return true
	}
	return false
}

// stored reports whether an accepted value of a field kind is text that
// must be found in the database as sent.
func storedText(kind string) bool {
	switch kind {
	case "text", "textarea", "list":
		return true
	}
	return false
}

// echoable reports whether a value can be shown again in a page as it was
// typed: valid UTF-8 without NUL or other control characters.
func echoable(v string) bool {
	return utf8.ValidString(v) && strings.IndexFunc(v, func(r rune) bool {
		return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r < 0xa0
	}) < 0
}

// hasMessage reports whether a refusal tells the person something: a
// message next to a field, an alert, a warning or the error page.
func hasMessage(body string) bool {
	return strings.Contains(body, "field-error") || strings.Contains(body, `role="alert"`) ||
		strings.Contains(body, `class="warning"`) || strings.Contains(body, `class="error-page"`)
}

// skippedForms are forms the walk does not send, and why.
var skippedForms = map[string]string{
	"POST /signout": "it ends the walker's session and has no field",
}

// destructiveRoute reports why a route is not walked: it deletes or ends
// the record the other forms work on (its only fields are the token and a
// button, which the CSRF walk sends).
func destructiveRoute(route string) string {
	for _, w := range []string{"/delete", "/deactivate", "/remove", "/withdraw"} {
		if strings.HasSuffix(route, w) {
			return "it deletes or ends a record (" + w[1:] + "); nothing a person types goes into it"
		}
	}
	return skippedForms[route]
}

var idValueRe = regexp.MustCompile(`^[0-9]+$`)

// Every form of the demo survives hostile input, one field at a time. Each
// demo role that has forms (a staff member who attends, one who judges, an
// organiser and an admin) signs in on a fresh database of its own, crawls the
// demo (crawlDemo, the link walk's crawl) and collects every POST form; each
// form is sent with its own values (empty fields filled as a person would)
// and one field replaced by a hostile value, left out or sent twice. No
// answer may be a 5xx and the server's log must hold no panic; a refusal is
// a 4xx that says what to fix, and a typed field's refusal is a 422 that
// shows the value again (when it is text that can be shown); an accepted
// text is in the database exactly as sent (trimmed, line ends as LF), and a
// value no field may take (2^63, NaN, 30 February, 25:61, a record that does
// not exist or is another summit's) is never accepted.
func TestEveryFormSurvivesHostileInput(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			for who, name := range []string{"admin", "organiser", "judge", "attendee"} { // SeedDemo's accounts, in order
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					walkHostileForms(t, d, who)
				})
			}
		})
	}
}

func walkHostileForms(t *testing.T, dialect string, who int) {
	ta, log := newLoggedTestApp(t, dialect)
	_, accounts, err := models.SeedDemo(ctx, ta.DB, 2027)
	if err != nil {
		t.Fatal(err)
	}
	summit := demoSummitOf(t, ta)
	acc := accounts[who]
	role := string(acc.Role) + " " + acc.Email
	c := ta.client(t)
	signIn := func() {
		if res := c.post("/signin", url.Values{"email": {acc.Email}, "password": {models.DemoPassword}}); res.Code != http.StatusSeeOther {
			t.Fatalf("sign in as the demo %s: %d", role, res.Code)
		}
	}
	signIn()

	var posts []app.Route
	for _, r := range ta.Routes() {
		if r.Method == http.MethodPost {
			posts = append(posts, r)
		}
	}
	// One form per route and set of field names, in the order found.
	var forms []walkForm
	seen := map[string]bool{}
	skipped := map[string]string{}
	// The link walk's crawl finds the pages; this role's own client reads
	// each again for its forms (the crawl keeps no bodies).
	cr := crawlDemo(t, ta, newRouteMatcher(ta), acc)
	pages := len(cr.pages)
	for _, cp := range cr.pages {
		page := cp.uri
		res := c.get(page)
		if res.Code != http.StatusOK {
			t.Errorf("%s: GET %s answered %d on the second reading", role, page, res.Code)
			continue
		}
		for _, f := range postForms(res.Body) {
			u, ok := siteURL(page, f.Action)
			if !ok {
				continue
			}
			route := ""
			for _, p := range posts {
				if routePattern(p.Path).MatchString(u.Path) {
					route = "POST " + p.Path
					break
				}
			}
			if route == "" {
				continue // TestEveryLinkOfTheDemoLeadsToARoute reports it
			}
			var names []string
			for n := range f.Fields {
				names = append(names, n)
			}
			for n := range f.Types {
				names = append(names, n)
			}
			sort.Strings(names)
			key := route + " " + strings.Join(compactStrings(names), ",")
			if seen[key] {
				continue
			}
			seen[key] = true
			if why := destructiveRoute(route); why != "" {
				skipped[route] = why
				continue
			}
			f.Action = u.RequestURI()
			forms = append(forms, walkForm{route: route, page: page, pageForm: f})
		}
	}
	if pages < 10 || len(forms) == 0 {
		t.Fatalf("%s: %d pages read, %d forms found: is the crawl still following links?", role, pages, len(forms))
	}
	for r, why := range skipped {
		t.Logf("%s: not walked: %s: %s", role, r, why)
	}

	w := &formWalker{t: t, ta: ta, c: c, role: role, signIn: signIn, log: log, textCols: textColumnsByTable(t, ta.DB), summitTables: summitTables(t, ta.DB)}
	day := summit.Days()[0]
	// The password form last: an accepted one may change what signs in.
	sort.SliceStable(forms, func(i, j int) bool {
		return !strings.Contains(forms[i].route, "password") && strings.Contains(forms[j].route, "password")
	})
	for _, f := range forms {
		w.walk(f, day)
	}
	w.noCutCopies()
	if strings.Contains(log.String(), "panic") {
		t.Errorf("%s: the server log holds a panic:\n%.3000s", role, log.String()[strings.Index(log.String(), "panic"):])
	}
	t.Logf("%s: %d pages read, %d forms, %d requests: %d refused (%d of them once the form was gone), %d accepted, %d accepted texts found in the database, %d long values kept whole",
		role, pages, len(forms), w.sent, w.refused, w.gone, w.accepted, w.found, w.long)
}

// formWalker sends one role's forms with hostile values.
type formWalker struct {
	t                              *testing.T
	ta                             *testApp
	c                              *client
	role                           string
	signIn                         func()
	log                            *lockedBuffer
	textCols                       map[string][]string // table → its TEXT columns
	summitTables                   []string            // tables with an id and a summit_id
	marks                          int
	sent, refused, accepted, found int
	gone                           int  // refusals without the form to type into again
	long                           int  // long values found whole in the database
	baseTaken                      bool // the form as filled in was accepted
}

// mark is a token unique to one request, to find its value in the database.
func (w *formWalker) mark() string {
	w.marks++
	return fmt.Sprintf("qx%dqz", w.marks)
}

var summitInPathRe = regexp.MustCompile(`/summits/([0-9]+)(/|$)`)

// fieldKind names a field's kind for the walk: its input type, "select",
// "radio", "checkbox" or "button".
func fieldKind(f walkForm, name string) string {
	if k, ok := f.Types[name]; ok {
		k, _, _ = strings.Cut(k, ":")
		return k
	}
	if f.Boxes[name] {
		return "checkbox"
	}
	if _, ok := f.Choices[name]; ok {
		return "select"
	}
	return "button"
}

// valuesFor is what the walk sends in place of one field.
func (w *formWalker) valuesFor(f walkForm, name, kind string) []hostile {
	own := f.Fields.Get(name)
	texts := hostileText(w.mark)
	pick := func(never bool, names ...string) []hostile {
		var out []hostile
		for _, h := range texts {
			for _, n := range names {
				if h.name == n {
					h.never = never
					out = append(out, h)
				}
			}
		}
		return out
	}
	vals := []hostile{{name: "missing", missing: true}, {name: "duplicated", v: "second " + w.mark(), dup: true}}
	ids := func(choices []string) []hostile {
		out := append([]hostile(nil), hostileIDs...)
		if id := w.otherSummitID(f, choices); id != "" {
			out = append(out, hostile{name: "another summit's record", v: id, never: true})
		}
		return out
	}
	// A field names records when its values are numbers and it is called
	// …id or offers one above 1 (0 and 1 alone are a yes or no).
	allIDs := func(choices []string) bool {
		n, big := 0, strings.HasSuffix(name, "id")
		for _, c := range choices {
			if c == "" {
				continue
			}
			if !idValueRe.MatchString(c) {
				return false
			}
			n++
			big = big || len(c) > 1 || c > "1"
		}
		return n > 0 && big
	}
	switch kind {
	case "text", "textarea", "email", "search", "tel", "url", "list", "password":
		vals = append(vals, texts...)
	case "number":
		vals = append(append(vals, hostileNumbers...), pick(true, "NUL", "invalid UTF-8", "10001 characters")...)
	case "date":
		vals = append(append(vals, hostileDates...), pick(true, "NUL", "invalid UTF-8")...)
	case "time":
		vals = append(append(vals, hostileTimes...), pick(true, "NUL", "invalid UTF-8")...)
	case "color":
		vals = append(append(vals, hostile{name: "not a colour", v: "#zzzzzz", never: true}), pick(true, "NUL", "invalid UTF-8")...)
	case "hidden":
		// A hidden field carries what the page put there (an id, a
		// confirmation, the search to go back to): changed, it must not
		// fail, and an id must still name a record of the summit.
		if allIDs([]string{own}) {
			vals = append(vals, ids([]string{own})...)
		} else {
			vals = append(vals, pick(false, "10001 characters", "NUL", "invalid UTF-8", "script")...)
		}
	case "checkbox":
		// A box sends its value or nothing; any other value must not fail.
		vals = append(vals, pick(false, "NUL", "invalid UTF-8", "script")...)
	case "select", "radio":
		choices := f.Choices[name]
		if allIDs(choices) {
			vals = append(vals, ids(choices)...)
		} else {
			vals = append(vals, hostileChoices...)
		}
	default: // a submit button: which one was pressed matters, not its value
		vals = append(vals, pick(false, "NUL", "invalid UTF-8", "script")...)
	}
	return vals
}

// walk sends the form once per field and hostile value.
func (w *formWalker) walk(f walkForm, day string) {
	base := url.Values{}
	for k, v := range f.Fields {
		base[k] = append([]string(nil), v...)
	}
	base.Del("_csrf")
	fillLikeAPerson(base, f.Types, day)
	for name, typ := range f.Types {
		if typ == "password" {
			base.Set(name, models.DemoPassword) // the walker's own: a change keeps it
		}
	}
	var names []string
	for n := range base {
		names = append(names, n)
	}
	for n := range f.Types {
		if _, ok := base[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	// The form as a person fills it: when that is taken, a refusal of one
	// changed field is that field's, and its message belongs next to it.
	sent := url.Values{}
	for k, v := range base {
		sent[k] = append([]string(nil), v...)
	}
	w.baseTaken = w.c.post(f.Action, sent).Code < 400
	for _, name := range names {
		kind := fieldKind(f, name)
		for _, h := range w.valuesFor(f, name, kind) {
			form := url.Values{}
			for k, v := range base {
				form[k] = append([]string(nil), v...)
			}
			switch {
			case h.missing:
				form.Del(name)
			case h.dup:
				form[name] = append([]string{base.Get(name)}, h.v)
			default:
				form.Set(name, h.v)
			}
			w.check(f, name, kind, h, w.c.post(f.Action, form))
		}
	}
}

// check judges one answer.
func (w *formWalker) check(f walkForm, name, kind string, h hostile, r *response) {
	t := w.t
	w.sent++
	where := fmt.Sprintf("%s: %s %s, field %q (%s) = %s", w.role, f.route, f.Action, name, kind, h.name)
	if r.Code == http.StatusSeeOther && strings.HasPrefix(r.Location, "/signin") {
		w.signIn()
	}
	switch {
	case r.Code >= 500:
		t.Errorf("%s: %d %.300s", where, r.Code, text(r.Body))
	case r.Code >= 400:
		w.refused++
		if !hasMessage(r.Body) {
			t.Errorf("%s: %d without a message that says what to fix: %.300s", where, r.Code, text(r.Body))
		}
		if typed(kind) && !h.missing && !h.dup && h.v != "" && echoable(h.v) {
			switch {
			case r.Code != http.StatusUnprocessableEntity:
				t.Errorf("%s: refused with %d, not 422 with the form: what was typed is lost: %.300s", where, r.Code, text(r.Body))
			case !strings.Contains(r.Body, `action="`+html.EscapeString(f.Action)+`"`):
				// The form is gone: an earlier value was accepted and its
				// record is done (a recusal, a vote); the message says so.
				w.gone++
			case !strings.Contains(html.UnescapeString(r.Body), h.v):
				t.Errorf("%s: the refused form lost what was typed", where)
			case w.baseTaken && !strings.Contains(r.Body, `class="field-error`):
				t.Errorf("%s: refused without a message next to a field: %.300s", where, text(r.Body))
			}
		}
	default:
		w.accepted++
		if h.never {
			t.Errorf("%s: accepted (%d → %s): the value must be refused with a message, not dropped or changed", where, r.Code, r.Location)
			return
		}
		if storedText(kind) && !h.missing && !h.dup && h.v != "" && textNotStored[f.route+" "+name] == "" {
			w.expectStored(where, h.v)
		}
	}
}

// textNotStored are text fields whose value is not kept as typed, and why.
var textNotStored = map[string]string{
	"POST /organise/summits/:summit/ideas/:idea/themes themes": "a list of themes split at commas and stored joined by “, ”",
}

// demoSummitOf is the summit the demo is about.
func demoSummitOf(t *testing.T, ta *testApp) *models.Summit {
	t.Helper()
	s, err := models.CurrentSummit(ctx, ta.DB, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return s
}
