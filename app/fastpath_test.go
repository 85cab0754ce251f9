package app_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"summit/app"
	"summit/models"
	"summit/models/modelstest"
)

// wireResponse is a response as it came over the wire.
type wireResponse struct {
	code   int
	header http.Header
	body   []byte
}

// wireDo sends a request to a server with no client-side decoding.
func wireDo(t *testing.T, base, method, path string, header http.Header) wireResponse {
	t.Helper()
	req, _ := http.NewRequest(method, base+path, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "identity") // else Go's client asks for gzip itself
	}
	tr := &http.Transport{DisableCompression: true}
	defer tr.CloseIdleConnections()
	res, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return wireResponse{res.StatusCode, res.Header, b}
}

// fastPaths are the demo summit's cached public responses in more variants
// than publicPaths: days, views, a track, both papers, every file.
func fastPaths(t *testing.T, ta *testApp, w *demoWorld) []string {
	t.Helper()
	tracks, err := models.ListTracks(ctx, ta.DB, w.summit.ID)
	if err != nil || len(tracks) == 0 {
		t.Fatalf("the demo's tracks: %v, %d", err, len(tracks))
	}
	base := "/summits/" + w.sid
	return append(w.publicPaths(), base+"?view=grid", base+"?day="+w.summit.StartDate+"&view=list",
		base+"?track="+itoa(tracks[0].ID), base+"?day="+w.summit.EndDate+"&view=grid&track="+itoa(tracks[0].ID), base+"?day=nonsense")
}

var requestIDPattern = regexp.MustCompile(`^[A-Za-z]{32}$`)

// The fast path answers a visitor's repeated request exactly as Echo does:
// status, every header but the request id and date, and the body, byte for
// byte, for every cached public variant, GET and HEAD, every
// Accept-Encoding, with and without a matching ETag (304). Session pages are
// always Echo's (their boxes read the clock).
func TestFastPathAnswersAsEcho(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDemoWorld(t, ta)
		var fast atomic.Int64
		ta.App.SetFastHook(func(*http.Request) { fast.Add(1) })
		echoSrv := httptest.NewServer(ta.App.EchoHandler())
		defer echoSrv.Close()
		sessionPage := "/summits/" + w.sid + "/sessions/" + itoa(w.training.ID)
		for _, p := range fastPaths(t, ta, w) {
			if r := wireDo(t, ta.Server.URL, http.MethodGet, p, nil); r.code != http.StatusOK { // remembered
				t.Fatalf("GET %s: %d", p, r.code)
			}
			for _, enc := range []string{"identity", "gzip", "gzip, deflate, br", "br;q=0, gzip", "br"} {
				etag := wireDo(t, echoSrv.URL, http.MethodGet, p, http.Header{"Accept-Encoding": {enc}}).header.Get("ETag")
				for _, method := range []string{http.MethodGet, http.MethodHead} {
					for _, inm := range []string{"", etag, `"other"`} {
						h := http.Header{"Accept-Encoding": {enc}}
						if inm != "" {
							h.Set("If-None-Match", inm)
						}
						before := fast.Load()
						got := wireDo(t, ta.Server.URL, method, p, h)
						took := fast.Load() > before
						want := wireDo(t, echoSrv.URL, method, p, h)
						what := method + " " + p + " (" + enc + ", If-None-Match " + inm + ")"
						if took == (p == sessionPage) {
							t.Errorf("%s: fast path taken %t", what, took)
						}
						if inm == etag && got.code != http.StatusNotModified {
							t.Errorf("%s: %d, want 304", what, got.code)
						}
						sameAnswer(t, what, got, want)
					}
				}
			}
		}
		// A request id sent by the client is kept, as Echo keeps it.
		p := "/summits/" + w.sid
		before := fast.Load()
		got := wireDo(t, ta.Server.URL, http.MethodGet, p, http.Header{"X-Request-Id": {"trace-42"}})
		if fast.Load() == before || got.header.Get("X-Request-Id") != "trace-42" {
			t.Errorf("a client's request id: %q (fast path %t)", got.header.Get("X-Request-Id"), fast.Load() > before)
		}
	})
}

// sameAnswer compares two answers but for the request id (each its own,
// Echo's form) and the date.
func sameAnswer(t *testing.T, what string, got, want wireResponse) {
	t.Helper()
	if got.code != want.code {
		t.Errorf("%s: status %d, Echo's %d", what, got.code, want.code)
	}
	if !bytes.Equal(got.body, want.body) {
		t.Errorf("%s: body of %d bytes, Echo's %d", what, len(got.body), len(want.body))
	}
	for _, r := range []wireResponse{got, want} {
		if id := r.header.Get("X-Request-Id"); !requestIDPattern.MatchString(id) {
			t.Errorf("%s: request id %q", what, id)
		}
	}
	strip := func(h http.Header) http.Header {
		h = h.Clone()
		h.Del("X-Request-Id")
		h.Del("Date")
		return h
	}
	g, e := strip(got.header), strip(want.header)
	for k := range e {
		if strings.Join(g[k], "\n") != strings.Join(e[k], "\n") {
			t.Errorf("%s: %s: %q, Echo's %q", what, k, g[k], e[k])
		}
	}
	for k := range g {
		if _, ok := e[k]; !ok {
			t.Errorf("%s: %s %q, which Echo does not send", what, k, g[k])
		}
	}
}

// A request with a cookie — a signed-in person's, or any — and anything but
// GET or HEAD never takes the fast path; the signed-in page is theirs.
func TestFastPathNotWithCookies(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDemoWorld(t, ta)
		var fast atomic.Int64
		ta.App.SetFastHook(func(*http.Request) { fast.Add(1) })
		paths := fastPaths(t, ta, w)
		for _, p := range paths {
			wireDo(t, ta.Server.URL, http.MethodGet, p, nil) // remembered
		}
		c, me := ta.signedIn(t, models.RoleStaff)
		for _, p := range paths {
			before := fast.Load()
			res := c.get(p)
			if fast.Load() != before {
				t.Errorf("GET %s signed in took the fast path", p)
			}
			if res.Code != http.StatusOK || res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("GET %s signed in: %d, Cache-Control %q", p, res.Code, res.Header.Get("Cache-Control"))
			}
			if !strings.Contains(p, ".") && !strings.Contains(res.Body, me.Name) {
				t.Errorf("GET %s signed in: the page does not name %s", p, me.Name)
			}
			before = fast.Load()
			wireDo(t, ta.Server.URL, http.MethodGet, p, http.Header{"Cookie": {"anything=1"}})
			if fast.Load() != before {
				t.Errorf("GET %s with a cookie took the fast path", p)
			}
		}
		before := fast.Load()
		if r := wireDo(t, ta.Server.URL, http.MethodPost, "/summits/"+w.sid, nil); r.code == http.StatusOK || fast.Load() != before {
			t.Errorf("POST of the agenda: %d, fast path %t", r.code, fast.Load() > before)
		}
	})
}

// A change shows on the next request (a retitled session, a seat taken),
// the clock moves the agenda without a day to today's, and drafts are 404:
// the fast path checks what the handler checks.
func TestFastPathChecksAsTheHandler(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDemoWorld(t, ta)
		var fast atomic.Int64
		ta.App.SetFastHook(func(*http.Request) { fast.Add(1) })
		echoSrv := httptest.NewServer(ta.App.EchoHandler())
		defer echoSrv.Close()
		agenda := "/summits/" + w.sid
		get := func() wireResponse {
			wireDo(t, ta.Server.URL, http.MethodGet, agenda, nil)
			before := fast.Load()
			r := wireDo(t, ta.Server.URL, http.MethodGet, agenda, nil)
			if fast.Load() == before {
				t.Fatalf("the second request of %s did not take the fast path", agenda)
			}
			sameAnswer(t, "GET "+agenda, r, wireDo(t, echoSrv.URL, http.MethodGet, agenda, nil))
			return r
		}
		get()
		w.retitle(t, ta, "Escalations without tears, revised")
		if r := wireDo(t, ta.Server.URL, http.MethodGet, agenda, nil); !strings.Contains(string(r.body), "Escalations without tears, revised") {
			t.Error("the first request after a retitle shows the old title")
		}
		get()
		seatsBefore := string(get().body)
		p := ta.addPerson(t, "Rita Register", "rita@example.com", models.RoleStaff)
		if _, err := models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, p.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		if r := wireDo(t, ta.Server.URL, http.MethodGet, agenda, nil); string(r.body) == seatsBefore {
			t.Error("the first request after a registration shows the old seat counts")
		}
		// The clock on the last day: the agenda without a day shows it.
		loc := w.summit.Location()
		last, err := time.ParseInLocation(models.DateLayout, w.summit.EndDate, loc)
		if err != nil {
			t.Fatal(err)
		}
		ta.App.Now = func() time.Time { return last.Add(10 * time.Hour) }
		want := wireDo(t, ta.Server.URL, http.MethodGet, agenda+"?day="+w.summit.EndDate, nil)
		if r := wireDo(t, ta.Server.URL, http.MethodGet, agenda, nil); !bytes.Equal(r.body, want.body) {
			t.Error("on the last day, the agenda without a day does not show it")
		}
		get()
		ta.App.Now = time.Now
		// A draft is a 404 to visitors at once.
		if err := ta.DB.Model(&models.Summit{}).Where("id = ?", w.summit.ID).Update("status", models.StatusDraft).Error; err != nil {
			t.Fatal(err)
		}
		for _, p := range fastPaths(t, ta, w) {
			if r := wireDo(t, ta.Server.URL, http.MethodGet, p, nil); r.code != http.StatusNotFound {
				t.Errorf("GET %s of a draft: %d, want 404", p, r.code)
			}
		}
	})
}

// A panic on the fast path is recovered as Echo recovers one: logged with
// the request id and a stack, a 500 error page with the security headers,
// and the server goes on.
func TestFastPathRecoversPanics(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			var logs bytes.Buffer
			a, err := app.New(app.Config{BaseURL: "http://summit.test"}, modelstest.Open(t, d), slog.New(slog.NewTextHandler(&logs, nil)))
			if err != nil {
				t.Fatal(err)
			}
			srv := httptest.NewServer(a.Handler())
			defer srv.Close()
			ta := &testApp{App: a, DB: a.DB, Server: srv}
			w := newDemoWorld(t, ta)
			p := "/summits/" + w.sid
			wireDo(t, srv.URL, http.MethodGet, p, nil)
			a.SetFastHook(func(*http.Request) { panic("boom") })
			r := wireDo(t, srv.URL, http.MethodGet, p, http.Header{"Accept": {"text/html"}})
			if r.code != http.StatusInternalServerError || !strings.Contains(string(r.body), "Something went wrong") {
				t.Errorf("a panic: %d %q", r.code, r.body)
			}
			id := r.header.Get("X-Request-Id")
			if !requestIDPattern.MatchString(id) || r.header.Get("Content-Security-Policy") == "" {
				t.Errorf("a panic's answer: request id %q, CSP %q", id, r.header.Get("Content-Security-Policy"))
			}
			if l := logs.String(); !strings.Contains(l, "msg=panic") || !strings.Contains(l, "err=boom") || !strings.Contains(l, "request_id="+id) || !strings.Contains(l, "stack=") {
				t.Errorf("the panic is not logged with its request id and stack:\n%s", l)
			}
			if r := wireDo(t, srv.URL, http.MethodHead, p, nil); r.code != http.StatusInternalServerError || len(r.body) != 0 {
				t.Errorf("a panic on HEAD: %d, %d bytes", r.code, len(r.body))
			}
			a.SetFastHook(nil)
			if r := wireDo(t, srv.URL, http.MethodGet, p, nil); r.code != http.StatusOK {
				t.Errorf("after a panic: %d", r.code)
			}
		})
	}
}
