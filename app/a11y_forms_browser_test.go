package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"summit/models"
)

// Every form of the demo answers bad input accessibly, on a phone: each POST
// form with a text field, on the pages the link walk reaches as a visitor and
// as each demo account, is sent with its text fields emptied (the browser's
// own checks switched off, as a script or an older browser would send it).
// The page that comes back must pass the same checks as every page
// (TestAccessibilityOfEveryDemoPage), and each message next to a field must
// be tied to its field (aria-describedby or aria-errormessage) or be
// announced itself (role=alert or status), so a screen reader hears it.
// Forms are sent once per route and action; forms whose button asks to confirm
// (a delete) are left alone.
func TestAccessibilityOfEveryFormWithErrors(t *testing.T) {
	srv := newBrowserApp(t)
	_, accounts, err := models.SeedDemo(ctx, srv.DB, 2027)
	if err != nil {
		t.Fatal(err)
	}
	routes := newRouteMatcher(srv)
	sent := map[string]bool{} // page route and action route
	var problems []string
	forms, answered := 0, 0
	for _, acc := range append([]models.DemoAccount{{Role: "visitor"}}, accounts...) {
		who := string(acc.Role)
		if acc.Email != "" {
			who = strings.TrimSuffix(acc.Email, "@summit.example")
		}
		pages := onePerRoute(crawlDemo(t, srv, routes, acc).pages)
		b := newA11yBrowser(t, 390, 844)
		if acc.Email != "" {
			signInAs(t, b, srv, acc.Email, models.DemoPassword)
		}
		start, mine := time.Now(), 0
		for _, p := range pages {
			visit(t, b, srv.Server.URL+p.uri)
			actions := eval[[]string](t, b, `Array.from(document.forms).map(f => `+formToSend+` ? f.getAttribute("action") || location.pathname : "")`)
			for i, action := range actions {
				if action == "" {
					continue
				}
				u, _ := url.Parse(action)
				ar, ok := routes.known(srv.client(t), http.MethodPost, u.Path)
				if !ok || sent[p.route+" "+ar] {
					continue
				}
				sent[p.route+" "+ar] = true
				forms++
				mine++
				if mine > 1 {
					visit(t, b, srv.Server.URL+p.uri)
				}
				step(t, b, fmt.Sprintf("send form %d of %s emptied", i, p.uri),
					markPage(), chromedp.Evaluate[chromedp.Void](fmt.Sprintf(sendEmptied, i)), waitNewPage())
				step(t, b, "press Tab", chromedp.KeyEvent(kb.Tab))
				res := checkA11y(t, b)
				if dir := os.Getenv("SUMMIT_A11Y_SCREENSHOTS"); dir != "" {
					saveA11yShot(t, b, dir, who+"-sent", ar)
				}
				if res.Errors > 0 {
					answered++
				}
				where := fmt.Sprintf("%s → POST %s (as %s, came back at %s)", p.route, ar, who, strings.TrimPrefix(currentURL(t, b), srv.Server.URL))
				for _, f := range res.findings() {
					problems = append(problems, fmt.Sprintf("%s: %s [%s] at %s — %s", where, f.rule, f.impact, f.target, f.detail))
				}
				for _, e := range res.Unannounced {
					problems = append(problems, fmt.Sprintf("%s: the message %s is tied to no field and not announced", where, e))
				}
			}
		}
		t.Logf("%s: %d forms sent from %d routes in %s", who, mine, len(pages), time.Since(start).Round(time.Second))
	}
	sort.Strings(problems)
	for _, p := range problems {
		t.Error(p)
	}
	// The walk must reach the forms: the demo has dozens, and most refuse empty fields.
	if forms < 30 || answered < forms/2 {
		t.Errorf("%d forms sent, %d answered with field messages; is the walk still finding the forms?", forms, answered)
	}
	t.Logf("%d forms sent, %d answered with field messages, %d problems", forms, answered, len(problems))
}

// formToSend is a JavaScript condition on a form f: it posts, shows, has a
// text field to empty, and none of its buttons asks to confirm.
const formToSend = `(f.method === "post" && f.getClientRects().length > 0 && !f.querySelector("[data-confirm]") &&
	Array.from(f.elements).some(e => e.matches("textarea, input:not([type]), input[type=text], input[type=email], input[type=number], input[type=date], input[type=time], input[type=url], input[type=password], input[type=search], input[type=tel]") && !e.disabled && !e.readOnly))`

// sendEmptied empties the text fields of form %d, lifts the browser's own
// checks and submits it with its first submit button.
const sendEmptied = `(() => {
	const f = document.forms[%d];
	f.noValidate = true;
	for (const e of f.elements) {
		if (e.matches("textarea, input:not([type]), input[type=text], input[type=email], input[type=number], input[type=date], input[type=time], input[type=url], input[type=password], input[type=search], input[type=tel]")) e.value = "";
		for (const a of ["required", "min", "max", "minlength", "maxlength", "pattern"]) e.removeAttribute(a);
	}
	const b = f.querySelector("button[type=submit], button:not([type]), input[type=submit]");
	if (b) b.click(); else f.requestSubmit();
	return null;
})()`
