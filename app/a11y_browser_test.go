package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"summit/models"
)

// a11yWalkTimeout bounds one account's walk in Chromium (every page at two widths).
const a11yWalkTimeout = 6 * time.Minute

// a11yWidths are the window sizes every page is checked at: a desktop and a phone.
var a11yWidths = []struct {
	name          string
	width, height int
}{{"desktop", 1280, 900}, {"phone", 390, 844}}

// Every page of the demo that a visitor, an attendee, a judge, an organiser
// and an admin reach by links is accessible at desktop width and on a
// phone: axe-core (app/testdata/axe: the WCAG 2.0 A and AA, WCAG 2.1 AA and
// best-practice rules) finds no violation; every element that takes
// keyboard focus shows a focus ring; the first Tab reaches a skip link to the
// content, or the page has one main landmark; and nothing makes the page
// scroll sideways (a table or timetable may scroll inside its own box).
// The pages are the link walk's (crawlDemo), one per route and account; the
// admin skips the routes the organiser has checked (the same pages).
func TestAccessibilityOfEveryDemoPage(t *testing.T) {
	srv := newBrowserApp(t)
	_, accounts, err := models.SeedDemo(ctx, srv.DB, 2027)
	if err != nil {
		t.Fatal(err)
	}
	rank := map[models.Role]int{"visitor": 0, models.RoleStaff: 1, models.RoleOrganiser: 2, models.RoleAdmin: 3}
	accounts = append([]models.DemoAccount{{Role: "visitor"}}, accounts...)
	slices.SortStableFunc(accounts, func(a, b models.DemoAccount) int { return rank[a.Role] - rank[b.Role] })
	routes := newRouteMatcher(srv)
	found := map[string]*a11yProblem{}
	done := map[string]bool{} // route and whose view of it
	views := 0
	for i, acc := range accounts {
		who, view := string(acc.Role), acc.Email
		if acc.Email != "" {
			who = strings.TrimSuffix(acc.Email, "@summit.example")
		}
		if acc.Role == models.RoleAdmin || acc.Role == models.RoleOrganiser {
			view = string(models.RoleOrganiser)
		}
		var pages []crawledPage
		for _, p := range crawlDemo(t, srv, routes, acc).pages {
			if !done[p.route+" "+view] {
				done[p.route+" "+view] = true
				pages = append(pages, p)
			}
		}
		b := newA11yBrowser(t, 1280, 900)
		if i == 0 {
			a11yControl(t, b, srv)
		}
		if acc.Email != "" {
			signInAs(t, b, srv, acc.Email, models.DemoPassword)
		}
		start := time.Now()
		for _, size := range a11yWidths {
			step(t, b, fmt.Sprintf("resize to %d×%d", size.width, size.height),
				chromedp.EmulateViewport(int64(size.width), int64(size.height)))
			for _, p := range pages {
				visit(t, b, srv.Server.URL+p.uri)
				step(t, b, "press Tab", chromedp.KeyEvent(kb.Tab))
				res := checkA11y(t, b)
				views++
				if dir := os.Getenv("SUMMIT_A11Y_SCREENSHOTS"); dir != "" && size.name == "phone" {
					saveA11yShot(t, b, dir, who, p.route)
				}
				for _, f := range res.findings() {
					k := p.route + "\x00" + f.rule + "\x00" + f.target
					if found[k] == nil {
						f.route, f.uri = p.route, p.uri
						found[k] = &f
					}
					found[k].seenAs = append(found[k].seenAs, who+" "+size.name)
				}
			}
		}
		t.Logf("%s: %d routes checked at %d widths in %s", who, len(pages), len(a11yWidths), time.Since(start).Round(time.Second))
	}
	var problems []*a11yProblem
	for _, p := range found {
		problems = append(problems, p)
	}
	sort.Slice(problems, func(i, j int) bool {
		a, b := problems[i], problems[j]
		return a.route+a.rule+a.target < b.route+b.rule+b.target
	})
	for _, p := range problems {
		t.Errorf("%s (%s): %s [%s] at %s — %s; seen as %s",
			p.route, p.uri, p.rule, p.impact, p.target, p.detail, strings.Join(p.seenAs, ", "))
	}
	t.Logf("%d page views checked, %d problems", views, len(problems))
}

// newA11yBrowser starts Chromium for a walk (a11yWalkTimeout) with the
// vendored axe-core loaded into every page it opens.
func newA11yBrowser(t *testing.T, width, height int) context.Context {
	t.Helper()
	axe, err := os.ReadFile("testdata/axe/axe.min.js")
	if err != nil {
		t.Fatalf("read the vendored axe-core: %v", err)
	}
	b := newBrowserFor(t, width, height, a11yWalkTimeout)
	if _, err := chromedp.Call(b, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: string(axe)}); err != nil {
		t.Fatalf("browser: load axe-core into every page: %v", err)
	}
	return b
}

// a11yControl shows that the check can fail: on the summits page it adds a
// field without a label, pale text, a button without a focus ring, a skip link
// to nowhere and a box wider than the window, and each must be reported.
func a11yControl(t *testing.T, b context.Context, srv *testApp) {
	t.Helper()
	visit(t, b, srv.Server.URL+"/summits") // no field takes focus on load
	eval[bool](t, b, `(() => {
		const m = document.querySelector("main");
		const input = document.createElement("input"); input.id = "control-unlabelled"; m.append(input);
		const pale = document.createElement("p"); pale.id = "control-pale"; pale.textContent = "Pale text"; pale.style.color = "#c8c8c8"; m.append(pale);
		const btn = document.createElement("button"); btn.id = "control-no-ring"; btn.textContent = "No ring";
		btn.style.setProperty("outline", "none", "important"); btn.style.setProperty("box-shadow", "none", "important"); m.append(btn);
		const wide = document.createElement("div"); wide.id = "control-wide"; wide.style.width = "2000px"; wide.textContent = "Wide"; m.append(wide);
		document.querySelector(".skip-link").setAttribute("href", "#nowhere");
		return true;
	})()`)
	step(t, b, "press Tab", chromedp.KeyEvent(kb.Tab))
	var got []string
	for _, f := range checkA11y(t, b).findings() {
		got = append(got, f.rule+" "+f.target)
	}
	for _, want := range []string{"label #control-unlabelled", "color-contrast #control-pale", "focus-visible button#control-no-ring",
		"skip-link-or-main body", "horizontal-overflow div#control-wide"} {
		if !slices.Contains(got, want) {
			t.Errorf("control: the accessibility check missed %q; it found %q", want, got)
		}
	}
}

// a11yProblem is one rule broken by one element of one route's page.
type a11yProblem struct {
	route, uri, rule, impact, target, detail string
	seenAs                                   []string // "account width", in the order seen
}

// onePerRoute keeps the first page of each route: the walk reads a route
// once per set of query keys, and the pages of one route share a template.
func onePerRoute(pages []crawledPage) []crawledPage {
	var out []crawledPage
	seen := map[string]bool{}
	for _, p := range pages {
		if !seen[p.route] {
			seen[p.route] = true
			out = append(out, p)
		}
	}
	return out
}

// a11yResult is what a11yScript reports about the current page.
type a11yResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Nodes  []struct {
			Target  string `json:"target"`
			Summary string `json:"summary"`
		} `json:"nodes"`
	} `json:"violations"`
	NoFocusRing []string `json:"noFocusRing"`
	Skip        string   `json:"skip"`
	Overflow    []string `json:"overflow"`
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Errors      int      `json:"errors"`      // messages next to fields shown
	Unannounced []string `json:"unannounced"` // of those, tied to no field and not announced
}

// findings lists what the page breaks, one entry per rule and element.
func (r a11yResult) findings() []a11yProblem {
	var out []a11yProblem
	for _, v := range r.Violations {
		for _, n := range v.Nodes {
			out = append(out, a11yProblem{rule: v.ID, impact: v.Impact, target: n.Target, detail: n.Summary})
		}
	}
	for _, f := range r.NoFocusRing {
		out = append(out, a11yProblem{rule: "focus-visible", impact: "serious", target: f, detail: "no outline or shadow when focused by keyboard"})
	}
	if r.Skip != "" {
		out = append(out, a11yProblem{rule: "skip-link-or-main", impact: "serious", target: "body", detail: r.Skip})
	}
	for _, o := range r.Overflow {
		out = append(out, a11yProblem{rule: "horizontal-overflow", impact: "serious", target: o,
			detail: fmt.Sprintf("the page is %d px wide in a %d px window", r.ScrollWidth, r.InnerWidth)})
	}
	return out
}

// checkA11y runs a11yScript on the page; Tab must have been pressed once.
func checkA11y(t *testing.T, b context.Context) a11yResult {
	t.Helper()
	sctx, cancel := context.WithTimeout(b, browserStepTimeout)
	defer cancel()
	res, err := chromedp.Run(sctx, chromedp.Evaluate[a11yResult](a11yScript, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("browser: check accessibility: %v%s", err, pageHint(b))
	}
	return res
}

// a11yScript checks the page after one press of Tab: axe-core's WCAG 2.0/2.1
// A and AA rules; whether that Tab reached a visible skip link to an element
// that exists, or else the page has one main landmark; a focus ring (outline
// or box shadow) on every visible focusable element, each focused in turn
// (after a key press, Chromium gives programmatic focus :focus-visible too);
// which messages next to fields (.field-error) are tied to no field;
// and which elements stick out of the window when the page is wider than it,
// outside any box that scrolls or clips on its own.
const a11yScript = `(async () => {
	const describe = el => {
		let s = el.tagName.toLowerCase();
		if (el.id) return s + "#" + el.id;
		if (el.classList.length) s += "." + Array.from(el.classList).join(".");
		const text = (el.getAttribute("aria-label") || el.textContent || el.value || el.name || "").trim().replace(/\s+/g, " ");
		return text ? s + " “" + text.slice(0, 40) + "”" : s;
	};
	const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
	const out = {violations: [], noFocusRing: [], skip: "", overflow: [], scrollWidth: 0, innerWidth: innerWidth, errors: 0, unannounced: []};

	const first = document.activeElement;
	const mains = document.querySelectorAll("main, [role=main]").length;
	if (first && first.matches("a[href^='#']")) {
		const box = first.getBoundingClientRect();
		if (!document.getElementById(decodeURIComponent(first.hash.slice(1)))) out.skip = "the skip link " + describe(first) + " points at nothing";
		else if (box.right <= 0 || box.bottom <= 0 || box.left >= innerWidth || box.width < 1) out.skip = "the skip link stays off screen when focused";
	} else if (mains !== 1) {
		out.skip = "the first Tab reaches " + (first ? describe(first) : "nothing") + ", not a skip link, and the page has " + mains + " main landmarks";
	}

	const r = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]}, resultTypes: ["violations"]});
	out.violations = r.violations.map(v => ({id: v.id, impact: v.impact || "", nodes: v.nodes.map(n => ({
		target: n.target.join(" "), summary: (n.failureSummary || "").replace(/\s+/g, " ").slice(0, 300)}))}));

	const focusable = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
	for (const el of document.querySelectorAll(focusable)) {
		if (!shown(el)) continue;
		el.focus({preventScroll: true});
		if (document.activeElement !== el) continue;
		const cs = getComputedStyle(el);
		const ring = cs.outlineStyle !== "none" && parseFloat(cs.outlineWidth) >= 1 && !/rgba\(.*,\s*0\)|transparent/.test(cs.outlineColor);
		if (!ring && cs.boxShadow === "none") out.noFocusRing.push(describe(el));
	}
	if (document.activeElement) document.activeElement.blur();

	// Messages next to fields: each tied to its field, or announced itself.
	const errs = Array.from(document.querySelectorAll(".field-error")).filter(shown);
	const tied = new Set();
	for (const el of document.querySelectorAll("[aria-describedby], [aria-errormessage]")) {
		for (const id of ((el.getAttribute("aria-describedby") || "") + " " + (el.getAttribute("aria-errormessage") || "")).split(/\s+/)) tied.add(id);
	}
	out.errors = errs.length;
	out.unannounced = errs.filter(e => !(e.id && tied.has(e.id)) && !e.closest("[role=alert], [role=status]")).map(describe);

	const doc = document.scrollingElement;
	out.scrollWidth = doc.scrollWidth;
	if (doc.scrollWidth > innerWidth) {
		// Inside a box that scrolls or clips, unless the element is positioned
		// against something outside that box (absolute) or the window (fixed).
		const ownBox = el => {
			const pos = getComputedStyle(el).position;
			if (pos === "fixed") return false;
			const cb = pos === "absolute" ? el.offsetParent : null;
			for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
				if (cb && !p.contains(cb)) continue;
				if (getComputedStyle(p).overflowX !== "visible") return true;
			}
			return false;
		};
		for (const el of document.body.querySelectorAll("*")) {
			if (!shown(el) || ownBox(el)) continue;
			if (el.getBoundingClientRect().right > innerWidth + 1) {
				const parent = el.parentElement;
				if (parent && parent !== document.body && parent.getBoundingClientRect().right > innerWidth + 1) continue;
				out.overflow.push(describe(el));
			}
		}
		if (!out.overflow.length) out.overflow.push("(no single element: the page is " + doc.scrollWidth + " px wide)");
	}
	return out;
})()`

// saveA11yShot saves the first screen of the page as a phone shows it, as
// dir/<account><route>.png, for a person to look at (SUMMIT_A11Y_SCREENSHOTS=dir).
func saveA11yShot(t *testing.T, b context.Context, dir, who, route string) {
	t.Helper()
	png, err := chromedp.Run(b, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("browser: screenshot %s: %v", route, err)
	}
	name := unsafeName.ReplaceAllString(who+route, "_") + ".png"
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
