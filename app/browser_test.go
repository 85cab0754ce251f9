package app_test

// The browser-test harness: a real Summit server driven by Debian's Chromium
// through chromedp. Feature journeys use these helpers:
//
//	srv := newBrowserApp(t)             // Summit on a fresh SQLite database
//	bctx := newBrowser(t)               // a headless Chromium tab, bounded in time
//	signInAs(t, bctx, srv, email, pw)   // through the real sign-in form
//	visit(t, bctx, srv.Server.URL+"/…") // navigate and wait for the page
//	clickAndLoad(t, bctx, "a.thing")    // click a link or button, wait for the next page
//	fill(t, bctx, "#title", "Text")     // set a field's value (input, textarea, select)
//	waitText(t, bctx, "Saved")          // wait until the page shows a text
//	screenshot(t, bctx, "name")         // whole page as PNG into TEST_OUTPUT_DIR (default test-output/)
//	screenshotView(t, bctx, "name")     // only the first screen
//
// Selectors are CSS selectors. Every helper fails the test with what it was
// doing, so a journey reads as a list of steps.

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"summit/models/modelstest"
)

// browserJourneyTimeout bounds one browser test: Chromium start-up plus every
// step. A hung page fails the test instead of the whole run.
const browserJourneyTimeout = 3 * time.Minute

// browserStepTimeout bounds one waiting step (a page load, a text to appear).
const browserStepTimeout = 30 * time.Second

// chromiumPath returns the browser to drive: SUMMIT_CHROMIUM, else Debian's
// /usr/bin/chromium, else chromium on PATH. It fails the test under CI and
// skips it loudly elsewhere when there is none.
func chromiumPath(t *testing.T) string {
	t.Helper()
	executable := func(p string) bool {
		st, err := os.Stat(p)
		return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
	}
	var msg string
	if p := os.Getenv("SUMMIT_CHROMIUM"); p != "" {
		if executable(p) {
			return p
		}
		msg = "SUMMIT_CHROMIUM=" + p + " is not an executable file"
	} else {
		candidates := []string{"/usr/bin/chromium"}
		if p, err := exec.LookPath("chromium"); err == nil {
			candidates = append(candidates, p)
		}
		for _, p := range candidates {
			if executable(p) {
				return p
			}
		}
		msg = "no Chromium found (set SUMMIT_CHROMIUM, or apt-get install chromium; `make test` installs it)"
	}
	modelstest.NotRun(t, "BROWSER TESTS", msg)
	return ""
}

// outputDir is where tests write screenshots: TEST_OUTPUT_DIR, or
// test-output/ at the repository root.
func outputDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("TEST_OUTPUT_DIR")
	if dir == "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "test-output")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("create test output folder: %v", err)
	}
	return dir
}

// newBrowserApp starts Summit (real router, middleware and embedded templates)
// on a fresh SQLite database for a browser journey.
func newBrowserApp(t *testing.T) *testApp {
	t.Helper()
	return newTestApp(t, "sqlite")
}

// newBrowser starts a headless Chromium with a temporary profile and a
// 1280×900 window, and returns the context of its tab. The context ends after
// browserJourneyTimeout; the browser is closed when the test ends.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserSize(t, 1280, 900)
}

// newBrowserSize is newBrowser with a given window size (390 wide for a phone).
func newBrowserSize(t *testing.T, width, height int) context.Context {
	t.Helper()
	return newBrowserFor(t, width, height, browserJourneyTimeout)
}

// newBrowserFor is newBrowserSize for a test that needs longer than
// browserJourneyTimeout (a walk over many pages).
func newBrowserFor(t *testing.T, width, height int, limit time.Duration) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox, // tests run as root on CI machines
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.WindowSize(width, height),
		// This machine's network is closed: no background calls home.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-domain-reliability", true),
		chromedp.Flag("lang", "en-GB"),
	)
	timeout, cancelTimeout := context.WithTimeout(context.Background(), limit)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(timeout, opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelAlloc()
		cancelTimeout()
	})
	// Start the browser now, so a start-up failure is reported as such.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(width), int64(height))); err != nil {
		t.Fatalf("start Chromium (%s): %v", path, err)
	}
	return ctx
}

// step runs actions with browserStepTimeout, failing the test with what.
func step(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("browser: %s: %v%s", what, err, pageHint(ctx))
	}
}

// pageHint tells where the browser was, for failure messages.
func pageHint(ctx context.Context) string {
	hctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(hctx, chromedp.Location())
	if err != nil {
		return ""
	}
	body, _ := chromedp.Run(hctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 600) : ""`))
	return fmt.Sprintf("\n  at %s\n  page text: %q", loc, body)
}

// markPage tags the current document so waitNewPage can tell a new one.
func markPage() chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`window.__summitOldPage = true; null`)
}

// waitFor polls a JavaScript condition until it is true. Unlike
// chromedp.Poll it survives the page being replaced while it waits (a click
// that navigates destroys the JavaScript context the poll runs in).
func waitFor(cond string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		var last error
		for {
			ok, err := chromedp.Evaluate[bool](cond)(ctx, tg)
			if err == nil && ok {
				return chromedp.Void{}, nil
			}
			if err != nil {
				last = err
			}
			select {
			case <-ctx.Done():
				if last != nil {
					return chromedp.Void{}, fmt.Errorf("%w (last error: %v)", ctx.Err(), last)
				}
				return chromedp.Void{}, fmt.Errorf("%w: %s stayed false", ctx.Err(), cond)
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
}

// waitNewPage waits until the tagged document is replaced and loaded.
func waitNewPage() chromedp.Action[chromedp.Void] {
	return waitFor(`!window.__summitOldPage && document.readyState === "complete"`)
}

// visit opens a URL and waits for the page to load.
func visit(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	step(t, ctx, "open "+url, chromedp.Navigate(url), waitLoaded())
}

func waitLoaded() chromedp.Action[chromedp.Void] {
	return waitFor(`document.readyState === "complete"`)
}

// click clicks the first visible element that matches a CSS selector and does
// not wait for anything (use clickAndLoad when the click opens a page).
func click(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	step(t, ctx, "click "+sel, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
}

// clickAndLoad clicks a link or submit button and waits for the next page.
func clickAndLoad(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	step(t, ctx, "click "+sel+" and wait for the next page",
		chromedp.WaitVisible(chromedp.CSS(sel)), markPage(), chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible), waitNewPage())
}

// fill sets the value of an input, textarea or select (firing input and
// change events, as typing or choosing would).
func fill(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	step(t, ctx, fmt.Sprintf("fill %s with %q", sel, value), chromedp.SetValue(chromedp.CSS(sel), value, chromedp.NodeVisible))
}

// typeInto types text into a field key by key, as a person at a keyboard
// would (key events, input events after each character).
func typeInto(t *testing.T, ctx context.Context, sel, text string) {
	t.Helper()
	step(t, ctx, fmt.Sprintf("type %q into %s", text, sel), chromedp.SendKeys(chromedp.CSS(sel), text, chromedp.NodeVisible))
}

// suggestions lists the type-ahead suggestions (the field's <datalist>) that
// match what is typed in the field, as Chromium offers them: every option
// whose text contains the typed text, ignoring case.
func suggestions(t *testing.T, ctx context.Context, sel string) []string {
	t.Helper()
	return eval[[]string](t, ctx, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		if (!el || !el.list) return [];
		const typed = el.value.toLowerCase();
		return Array.from(el.list.options).map(o => o.value).filter(v => v.toLowerCase().includes(typed));
	})()`, jsString(sel)))
}

// chooseSuggestion picks a suggestion of the field's type-ahead list the way
// Chromium does when a person clicks it: the field's text is replaced and an
// input event of type insertReplacementText fires. (Headless Chromium draws
// the suggestion list outside the page, where key and mouse events sent
// through the DevTools protocol do not reach it: Enter submits the form.)
func chooseSuggestion(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	if got := suggestions(t, ctx, sel); !slices.Contains(got, value) {
		t.Fatalf("browser: the type-ahead of %s offers %q, not %q%s", sel, got, value, pageHint(ctx))
	}
	eval[bool](t, ctx, fmt.Sprintf(`(() => {
		const el = document.querySelector(%s);
		el.value = %s;
		el.dispatchEvent(new InputEvent("input", {bubbles: true, inputType: "insertReplacementText", data: el.value}));
		el.dispatchEvent(new Event("change", {bubbles: true}));
		return true;
	})()`, jsString(sel), jsString(value)))
}

// dialogs answers the page's JavaScript dialogs (confirm, alert) with the
// answers queued by expect, and hands over each dialog's message. Create it
// right after newBrowser; one per tab.
type dialogs struct {
	answers  chan bool
	messages chan string
}

func watchDialogs(t *testing.T, ctx context.Context) *dialogs {
	t.Helper()
	d := &dialogs{answers: make(chan bool, 8), messages: make(chan string, 8)}
	opening := chromedp.Events(ctx, page.JavascriptDialogOpening) // subscribes now
	go func() {
		for ev, err := range opening {
			if err != nil {
				return
			}
			accept := false // a dialog nobody expected is dismissed
			select {
			case accept = <-d.answers:
			default:
			}
			select {
			case d.messages <- ev.Message:
			default:
			}
			if _, err := chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: accept}); err != nil {
				return
			}
		}
	}()
	return d
}

// expect queues the answer to the next dialog (true: OK, false: Cancel).
func (d *dialogs) expect(accept bool) { d.answers <- accept }

// shown returns the message of the dialog that opened since the last call,
// failing the test when none did.
func (d *dialogs) shown(t *testing.T) string {
	t.Helper()
	select {
	case m := <-d.messages:
		return m
	case <-time.After(browserStepTimeout):
		t.Fatal("browser: no confirmation dialog appeared")
		return ""
	}
}

// chooseAndLoad picks an option of a select that submits its form on change
// (data-autosubmit) and waits for the next page.
func chooseAndLoad(t *testing.T, ctx context.Context, sel, value string) {
	t.Helper()
	step(t, ctx, fmt.Sprintf("choose %q in %s and wait for the next page", value, sel),
		chromedp.WaitVisible(chromedp.CSS(sel)), markPage(), chromedp.SetValue(chromedp.CSS(sel), value), waitNewPage())
}

// waitText waits until the page's visible text contains s.
func waitText(t *testing.T, ctx context.Context, s string) {
	t.Helper()
	step(t, ctx, fmt.Sprintf("wait for the text %q", s),
		waitFor(fmt.Sprintf(`!!document.body && document.body.innerText.includes(%s)`, jsString(s))))
}

// pageText returns the visible text of the page (or of the first element
// matching sel when sel is not empty), with spaces squeezed.
func pageText(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	if sel == "" {
		sel = "body"
	}
	sctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	s, err := chromedp.Run(sctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("browser: read the text of %s: %v%s", sel, err, pageHint(ctx))
	}
	return strings.Join(strings.Fields(s), " ")
}

// eval runs a JavaScript expression in the page and decodes its value.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("browser: evaluate %s: %v%s", expr, err, pageHint(ctx))
	}
	return v
}

// currentURL returns the address the tab shows.
func currentURL(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `location.href`)
}

// signInAs signs the browser in through the real sign-in form.
func signInAs(t *testing.T, ctx context.Context, ta *testApp, email, password string) {
	t.Helper()
	visit(t, ctx, ta.Server.URL+"/signin")
	fill(t, ctx, `input[name="email"]`, email)
	fill(t, ctx, `input[name="password"]`, password)
	clickAndLoad(t, ctx, `main form button[type="submit"]`)
	if strings.Contains(currentURL(t, ctx), "/signin") {
		t.Fatalf("browser: sign in as %s failed%s", email, pageHint(ctx))
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// screenshot saves the whole page as TEST_OUTPUT_DIR/<test>-<name>.png and
// returns the file's path.
func screenshot(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	return saveScreenshot(t, ctx, name, chromedp.FullScreenshot(100))
}

// screenshotView saves only what the window shows (the first screen).
func screenshotView(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	return saveScreenshot(t, ctx, name, chromedp.CaptureScreenshot())
}

func saveScreenshot(t *testing.T, ctx context.Context, name string, shot chromedp.Action[[]byte]) string {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	png, err := chromedp.Run(sctx, shot)
	if err != nil {
		t.Fatalf("browser: screenshot %s: %v", name, err)
	}
	file := unsafeName.ReplaceAllString(t.Name()+"-"+name, "_") + ".png"
	path := filepath.Join(outputDir(t), file)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatalf("save screenshot: %v", err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// consoleProblems collects uncaught exceptions and console errors (a CSP
// violation, a missing script or stylesheet) so a journey can assert the
// pages ran cleanly. Create it right after newBrowser.
type consoleProblems struct{ ch chan string }

func watchConsole(t *testing.T, ctx context.Context) *consoleProblems {
	t.Helper()
	cp := &consoleProblems{ch: make(chan string, 100)}
	messages := chromedp.Console(ctx) // subscribes now, before the pages load
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// A 422 is how a form answers bad input: expected, not a problem.
			if m.Source == "network" && strings.Contains(m.Text, "status of 422") {
				continue
			}
			if m.IsException() || m.Type == "error" {
				select {
				case cp.ch <- m.String():
				default:
				}
			}
		}
	}()
	return cp
}

// check fails the test with every problem seen so far.
func (cp *consoleProblems) check(t *testing.T) {
	t.Helper()
	var all []string
	for {
		select {
		case m := <-cp.ch:
			all = append(all, m)
		default:
			if len(all) > 0 {
				t.Errorf("the browser console reported problems:\n  %s", strings.Join(all, "\n  "))
			}
			return
		}
	}
}

// seedDemo fills the app's database with the demo summit and returns the
// agenda's URL.
func seedDemo(t *testing.T, ta *testApp) string {
	t.Helper()
	return ta.Server.URL + "/summits/" + itoa(demoSummit(t, ta).ID)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// clickDownload clicks a link whose answer the browser saves as a file (an
// attachment: a calendar, a CSV) and returns the saved file's bytes, so a
// test follows the link a person clicks, not a copy of its address.
func clickDownload(t *testing.T, ctx context.Context, sel string) []byte {
	t.Helper()
	dir := t.TempDir()
	sctx, cancel := context.WithTimeout(ctx, browserStepTimeout)
	defer cancel()
	progress := chromedp.Events(sctx, browser.DownloadProgress)
	step(t, ctx, "click "+sel+" to download",
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptrTo(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible))
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("browser: download from %s: %v%s", sel, err, pageHint(ctx))
		}
		switch ev.State {
		case browser.DownloadProgressStateCompleted:
			b, err := os.ReadFile(filepath.Join(dir, ev.GUID))
			if err != nil {
				t.Fatalf("browser: read the download from %s: %v", sel, err)
			}
			return b
		case browser.DownloadProgressStateCanceled:
			t.Fatalf("browser: the download from %s was cancelled", sel)
		}
	}
	t.Fatalf("browser: no download finished after clicking %s%s", sel, pageHint(ctx))
	return nil
}

func ptrTo[T any](v T) *T { return &v }
