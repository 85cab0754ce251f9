package app_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/app"
	"summit/models"
	"summit/models/export/exporttest"
	"summit/models/modelstest"
)

// demoWorld is the demo summit with one of its training sessions.
type demoWorld struct {
	summit   *models.Summit
	training *models.Session // takes registrations, on day 1
	sid      string
}

func newDemoWorld(t *testing.T, ta *testApp) *demoWorld {
	t.Helper()
	s := demoSummit(t, ta)
	list, err := models.ListSessions(ctx, ta.DB, s, models.AgendaFilter{Day: s.StartDate})
	if err != nil {
		t.Fatal(err)
	}
	w := &demoWorld{summit: s, sid: itoa(s.ID)}
	for i := range list {
		if list[i].Capacity != nil && list[i].SeatsTaken < *list[i].Capacity && w.training == nil {
			w.training = &list[i]
		}
	}
	if w.training == nil {
		t.Fatal("the demo has no training session with free seats on day 1")
	}
	return w
}

// publicPaths are the summit's cached public responses.
func (w *demoWorld) publicPaths() []string {
	base := "/summits/" + w.sid
	return []string{base, base + "?view=list", base + "?day=" + w.summit.EndDate, base + "/sessions/" + itoa(w.training.ID),
		base + "/honorees", base + "/program.pdf", base + "/program.pdf?paper=letter", base + "/agenda.ics",
		base + "/schedule.xml", base + "/schedule.json", base + "/sessions/" + itoa(w.training.ID) + "/calendar.ics"}
}

// retitle renames the training session the way an organiser's form does.
func (w *demoWorld) retitle(t *testing.T, ta *testApp, title string) {
	t.Helper()
	s, loc := w.summit, w.summit.Location()
	x := w.training
	in := models.SessionInput{Title: title, Kind: x.Kind, Abstract: x.Abstract, Day: x.StartsAt.In(loc).Format(models.DateLayout),
		StartTime: x.StartsAt.In(loc).Format("15:04"), EndTime: x.EndsAt.In(loc).Format("15:04"), Capacity: itoa(uint(*x.Capacity))}
	if x.RoomID != nil {
		in.RoomID = itoa(*x.RoomID)
	}
	if x.TrackID != nil {
		in.TrackID = itoa(*x.TrackID)
	}
	for _, sp := range x.Speakers {
		in.SpeakerIDs = append(in.SpeakerIDs, itoa(sp.ID))
	}
	if _, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), s.ID, x.ID, in, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// bodyText is what a person reads in a response: the page's text, or the
// text of a PDF.
func bodyText(t *testing.T, res *response) string {
	t.Helper()
	if strings.Contains(res.Header.Get("Content-Type"), "pdf") {
		return exporttest.PDFText(t, []byte(res.Body))
	}
	return text(res.Body)
}

// A change shows on the next request, on every instance (two app instances
// with their own caches on one Postgres), in every cached response: pages
// and files were each requested (and cached) before the change.
func TestPublicCacheChangeShowsOnNextRequest(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			w := newDemoWorld(t, apps[0])
			old := w.training.Title
			// Every cached response that names the session (day 1).
			var paths []string
			for _, p := range w.publicPaths() {
				if !strings.Contains(p, "honorees") && !strings.Contains(p, "day=") {
					paths = append(paths, p)
				}
			}
			clients := make([]*client, len(apps))
			for i, ta := range apps {
				clients[i] = ta.client(t)
				for _, p := range paths {
					if res := clients[i].get(p); res.Code != 200 || !strings.Contains(bodyText(t, res), old) {
						t.Fatalf("instance %d %s: %d, the session %q missing", i, p, res.Code, old)
					}
				}
			}
			for round, title := range []string{"Boundaries kindly held", "Kindness with limits"} {
				w.retitle(t, apps[round%len(apps)], title)
				for i := range apps {
					for _, p := range paths {
						res := clients[i].get(p)
						got := bodyText(t, res)
						if res.Code != 200 || !strings.Contains(got, title) {
							t.Errorf("instance %d %s after the change to %q: %d, the new title missing", i, p, title, res.Code)
						}
					}
				}
			}
		})
	}
}

// A registration changes the seat count on the next request without a new
// revision: the page's seat holes are read on each request.
func TestPublicCacheSeatsAreCurrent(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDemoWorld(t, ta)
		visitor := ta.client(t)
		agenda, session := "/summits/"+w.sid, "/summits/"+w.sid+"/sessions/"+itoa(w.training.ID)
		left := *w.training.Capacity - w.training.SeatsTaken
		want := fmt.Sprintf("%d of %d seats left", left, *w.training.Capacity)
		for _, p := range []string{agenda, agenda + "?view=list", session} {
			if res := visitor.get(p); !strings.Contains(text(res.Body), want) {
				t.Fatalf("%s: %q missing", p, want)
			}
		}
		before, err := models.NewRevisionReader(ta.DB).Revision(ctx, w.summit.ID)
		if err != nil {
			t.Fatal(err)
		}
		person := ta.addPerson(t, "Rhea Registrant", "rhea@example.com", models.RoleStaff)
		c := ta.client(t)
		c.signIn(person.Email)
		if res := c.post(session+"/register", nil); res.Code != http.StatusSeeOther {
			t.Fatalf("register: %d %s", res.Code, text(res.Body))
		}
		after, _ := models.NewRevisionReader(ta.DB).Revision(ctx, w.summit.ID)
		if after.Revision != before.Revision {
			t.Errorf("a registration raised the revision %d → %d", before.Revision, after.Revision)
		}
		want = fmt.Sprintf("%d of %d seats left", left-1, *w.training.Capacity)
		for _, p := range []string{agenda, agenda + "?view=list", session} {
			if res := visitor.get(p); !strings.Contains(text(res.Body), want) {
				t.Errorf("%s after a registration: %q missing", p, want)
			}
		}
		if res := c.get(session); !strings.Contains(text(res.Body), "Your seat is confirmed") || !strings.Contains(text(res.Body), want) {
			t.Errorf("the registrant's session page: %s", text(res.Body))
		}
	})
}

// encodedGet is a GET by client c with an ETag (if any) and an
// Accept-Encoding, set explicitly so the client does not unzip behind the
// test's back.
func encodedGet(ta *testApp, c *client) func(path, etag, encoding string) *response {
	return func(path, etag, encoding string) *response {
		req, _ := http.NewRequest(http.MethodGet, ta.Server.URL+path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		req.Header.Set("Accept-Encoding", encoding)
		return c.do(req)
	}
}

// Conditional GETs: cached responses carry a strong ETag per encoding and
// answer 304 with no body while unchanged; a seat taken or a change gives a
// new ETag and the new page.
func TestPublicCacheETags(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDemoWorld(t, ta)
		get := encodedGet(ta, ta.client(t))
		for _, p := range w.publicPaths() {
			plain, zipped := get(p, "", "identity"), get(p, "", "gzip")
			tag, ztag := plain.Header.Get("ETag"), zipped.Header.Get("ETag")
			if plain.Code != 200 || !regexp.MustCompile(`^"[0-9a-f]{32}"$`).MatchString(tag) || plain.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("%s: %d, ETag %q, Cache-Control %q; want a strong ETag and no-cache", p, plain.Code, tag, plain.Header.Get("Cache-Control"))
				continue
			}
			if zipped.Header.Get("Content-Encoding") == "gzip" && (ztag == tag || ztag != strings.TrimSuffix(tag, `"`)+`-gz"`) {
				t.Errorf("%s: gzip ETag %q beside %q; each encoding needs its own", p, ztag, tag)
			}
			if vary := strings.Join(plain.Header.Values("Vary"), ", "); !strings.Contains(vary, "Accept-Encoding") {
				t.Errorf("%s: Vary %q", p, vary)
			}
			if res := get(p, tag, "identity"); res.Code != http.StatusNotModified || res.Body != "" {
				t.Errorf("%s with its ETag: %d (%d bytes), want 304 and no body", p, res.Code, len(res.Body))
			}
			if res := get(p, ztag, "gzip"); res.Code != http.StatusNotModified {
				t.Errorf("%s with its gzip ETag: %d, want 304", p, res.Code)
			}
			if res := get(p, `"0123"`, "identity"); res.Code != 200 || res.Body != plain.Body {
				t.Errorf("%s with another ETag: %d, want the same page again", p, res.Code)
			}
		}
		agenda := "/summits/" + w.sid
		tag := get(agenda, "", "identity").Header.Get("ETag")
		if _, err := models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, ta.addPerson(t, "Seat Taker", "seat@example.com", models.RoleStaff).ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		res := get(agenda, tag, "identity")
		if res.Code != 200 || res.Header.Get("ETag") == tag {
			t.Errorf("after a registration: %d with ETag %q (was %q); want the page with a new ETag", res.Code, res.Header.Get("ETag"), tag)
		}
		tag = res.Header.Get("ETag")
		w.retitle(t, ta, "A new title for the test")
		if res := get(agenda, tag, "identity"); res.Code != 200 || !strings.Contains(res.Body, "A new title for the test") {
			t.Errorf("after a change: %d; want the changed page", res.Code)
		}
	})
}

// A page cached for visitors never carries a signed-in person's name, CSRF
// token, seat or place in line, whoever asked first; the signed-in person
// gets their own layout around the same content.
func TestPublicCacheKeepsPeopleApart(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDemoWorld(t, ta)
		name := "Ottilie Privatperson"
		person := ta.addPerson(t, name, "ottilie@example.com", models.RoleStaff)
		c := ta.client(t)
		c.signIn(person.Email)
		session := "/summits/" + w.sid + "/sessions/" + itoa(w.training.ID)
		if res := c.post(session+"/register", nil); res.Code != http.StatusSeeOther {
			t.Fatalf("register: %d", res.Code)
		}
		csrf := c.csrf()
		paths := w.publicPaths()[:5] // the HTML pages
		visitor := ta.client(t)
		// Signed in first (so the person's request is the one that builds
		// each page), then a visitor, then signed in again.
		for _, p := range paths {
			mine := c.get(p)
			if mine.Code != 200 || !strings.Contains(mine.Body, name) || !strings.Contains(mine.Body, "/signout") || mine.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("%s signed in: %d, Cache-Control %q; want the person's own layout, not stored", p, mine.Code, mine.Header.Get("Cache-Control"))
			}
			theirs := visitor.get(p)
			for _, leak := range []string{name, csrf, "/signout", "Your seat is confirmed", "/cancel"} {
				if strings.Contains(theirs.Body, leak) {
					t.Errorf("%s as a visitor after a signed-in request: the page carries %q", p, leak)
				}
			}
			if !strings.Contains(theirs.Body, `href="/signin`) {
				t.Errorf("%s as a visitor: no sign-in link", p)
			}
			if again := c.get(p); !strings.Contains(again.Body, name) {
				t.Errorf("%s signed in after a visitor: the person's name is missing", p)
			}
		}
		if res := c.get(session); !strings.Contains(text(res.Body), "Your seat is confirmed") || !strings.Contains(res.Body, csrf) {
			t.Errorf("the person's session page lost their seat or their form token: %s", text(res.Body))
		}
	})
}

// A visitor who sends no cookie gets every cached response without a CSRF
// token or cookie (the same bytes for everyone), still marked as varying with
// cookies and carrying the security headers; the first page with a form
// (sign in) sets the token, with which the sign-in works; a client that sends
// any cookie gets the CSRF cookie as before; a signed-in person's cached
// page keeps their form token.
func TestPublicCacheVisitorsGetNoCookie(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDemoWorld(t, ta)
		get := func(p string, cookie string) *http.Response {
			t.Helper()
			req, _ := http.NewRequest(http.MethodGet, ta.Server.URL+p, nil)
			if cookie != "" {
				req.Header.Set("Cookie", cookie)
			}
			res, err := http.DefaultTransport.RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			return res
		}
		for _, p := range w.publicPaths() {
			res := get(p, "")
			if res.StatusCode != http.StatusOK || len(res.Cookies()) != 0 {
				t.Errorf("%s without cookies: %d, cookies %v; want 200 and none", p, res.StatusCode, res.Cookies())
			}
			if !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Cookie") || res.Header.Get("X-Frame-Options") != "DENY" || res.Header.Get("Content-Security-Policy") == "" {
				t.Errorf("%s without cookies: Vary %q, security headers %v", p, res.Header.Values("Vary"), res.Header)
			}
			withOther := get(p, "theme=dark")
			if !hasCookie(withOther, "summit_csrf") {
				t.Errorf("%s with another cookie: no CSRF cookie (%v)", p, withOther.Cookies())
			}
		}
		if res := get("/signin", ""); !hasCookie(res, "summit_csrf") {
			t.Errorf("the sign-in page without cookies sets no CSRF cookie: %v", res.Cookies())
		}
		person := ta.addPerson(t, "Cora Cookie", "cora@example.com", models.RoleStaff)
		c := ta.client(t)
		c.signIn(person.Email) // takes the token from the sign-in page
		if res := c.get("/summits/" + w.sid); !strings.Contains(res.Body, c.csrf()) || !strings.Contains(res.Body, "/signout") {
			t.Errorf("the signed-in agenda lost the sign-out form's token")
		}
	})
}

func hasCookie(res *http.Response, name string) bool {
	for _, ck := range res.Cookies() {
		if ck.Name == name && ck.Value != "" {
			return true
		}
	}
	return false
}

// Drafts stay 404 for visitors in every cached response, even after the
// summit was cached while published; organisers still see the draft pages,
// which are never stored.
func TestPublicCacheDrafts(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDemoWorld(t, ta)
		visitor := ta.client(t)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		for _, p := range w.publicPaths() {
			if res := visitor.get(p); res.Code != 200 {
				t.Fatalf("%s published: %d", p, res.Code)
			}
		}
		if _, err := models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, models.StatusDraft); err != nil {
			t.Fatal(err)
		}
		for _, p := range w.publicPaths() {
			if res := visitor.get(p); res.Code != http.StatusNotFound || strings.Contains(res.Body, w.training.Title) {
				t.Errorf("%s as a draft: %d, want 404 without the agenda", p, res.Code)
			}
		}
		res := org.get("/summits/" + w.sid)
		if res.Code != 200 || !strings.Contains(text(res.Body), "only organisers see it") {
			t.Errorf("an organiser's draft agenda: %d %s", res.Code, text(res.Body))
		}
		if res := org.get("/summits/" + w.sid + "/program.pdf"); res.Code != http.StatusNotFound {
			t.Errorf("a draft's program for an organiser: %d, want 404 (nothing unpublished leaves in a file)", res.Code)
		}
		if res := visitor.get("/summits/" + w.sid); res.Code != http.StatusNotFound {
			t.Errorf("a visitor after the organiser looked at the draft: %d, want 404", res.Code)
		}
		if _, err := models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		if res := visitor.get("/summits/" + w.sid); res.Code != 200 || strings.Contains(text(res.Body), "only organisers see it") {
			t.Errorf("published again: %d", res.Code)
		}
	})
}

// The clock, not a write, reveals the winners: pages and the program cached
// before the announcement never show them, and the first request after it
// does, on every instance, with no change in the database.
func TestPublicCacheAnnouncementByClock(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			ta := apps[0]
			w := newAwardsWorld(t, ta)
			n, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID),
				Story: "Quentin stayed calm through the whole outage and called every customer back himself.", Served: models.ServedCustomer, Quotable: true}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			if err := models.AddJudge(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, w.judge.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
			if _, err := models.SaveScore(ctx, ta.DB, w.summit.ID, w.judge.ID, n.ID, models.ScoreInput{Points: []string{"5", "5", "5"}}, time.Now()); err != nil {
				t.Fatal(err)
			}
			if err := models.ChooseWinners(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, w.cat.ID, []uint{w.nominee.ID}, "", time.Now()); err != nil {
				t.Fatal(err)
			}
			sid := itoa(w.summit.ID)
			paths := []string{"/summits/" + sid + "/honorees", "/summits/" + sid + "/program.pdf"}
			before, after := w.cat.AnnounceAt.Add(-time.Second), w.cat.AnnounceAt
			for _, a := range apps {
				a.App.Now = func() time.Time { return before }
			}
			for i, a := range apps {
				for _, p := range paths {
					if got := bodyText(t, a.client(t).get(p)); strings.Contains(got, "Quentin Quiet") {
						t.Fatalf("instance %d %s a second before the announcement shows the winner", i, p)
					}
				}
			}
			for _, a := range apps {
				a.App.Now = func() time.Time { return after }
			}
			for i, a := range apps {
				for _, p := range paths {
					if got := bodyText(t, a.client(t).get(p)); !strings.Contains(got, "Quentin Quiet") {
						t.Errorf("instance %d %s at the announcement: the winner is missing", i, p)
					}
				}
			}
		})
	}
}

// No query per session: every public page, file and the organiser's
// dashboard of a 90-session summit run as many statements as those of a
// 30-session one (each built cold, on its first request).
func TestPagesQueriesDoNotGrowWithSessions(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		small, err := models.SeedSynthetic(ctx, ta.DB, 2030, 30)
		if err != nil {
			t.Fatal(err)
		}
		large, err := models.SeedSynthetic(ctx, ta.DB, 2030, 90)
		if err != nil {
			t.Fatal(err)
		}
		counted, qc := modelstest.CountQueries(ta.DB)
		cta := newTestAppOn(t, counted)
		org, _ := cta.signedIn(t, models.RoleOrganiser)
		visitor := cta.client(t)
		paths := func(s *models.Summit) map[string]func() *response {
			sid := itoa(s.ID)
			var first uint
			if err := ta.DB.Raw("SELECT MIN(id) FROM sessions WHERE summit_id = ?", s.ID).Scan(&first).Error; err != nil {
				t.Fatal(err)
			}
			get := func(c *client, p string) func() *response { return func() *response { return c.get(p) } }
			return map[string]func() *response{
				"agenda":       get(visitor, "/summits/"+sid),
				"agenda list":  get(visitor, "/summits/"+sid+"?view=list&day="+s.StartDate),
				"session":      get(visitor, "/summits/"+sid+"/sessions/"+itoa(first)),
				"honorees":     get(visitor, "/summits/"+sid+"/honorees"),
				"program":      get(visitor, "/summits/"+sid+"/program.pdf"),
				"calendar":     get(visitor, "/summits/"+sid+"/agenda.ics"),
				"frab xml":     get(visitor, "/summits/"+sid+"/schedule.xml"),
				"frab json":    get(visitor, "/summits/"+sid+"/schedule.json"),
				"dashboard":    get(org, "/organise/summits/"+sid),
				"sessions csv": get(org, "/organise/summits/"+sid+"/sessions.csv"),
			}
		}
		count := func(s *models.Summit) map[string]int {
			// The summit's per-revision facts are read once, by whichever
			// request comes first: read them before counting.
			if res := visitor.get("/summits/" + itoa(s.ID) + "/sessions/999999"); res.Code != http.StatusNotFound {
				t.Fatalf("a missing session: %d", res.Code)
			}
			out := map[string]int{}
			for what, get := range paths(s) {
				qc.Reset()
				if res := get(); res.Code != 200 {
					t.Fatalf("%s of %s: %d", what, s.Title, res.Code)
				}
				out[what] = qc.Count()
			}
			return out
		}
		a, b := count(small), count(large)
		for what, n := range a {
			if b[what] != n {
				t.Errorf("%s: %d statements for 30 sessions, %d for 90", what, n, b[what])
			}
		}
		t.Logf("statements per cold page: %v", b)
	})
}

// TestAcceptedCodings: Accept-Encoding as browsers and proxies write it —
// any case, spaces, q values, a coding named twice (the first counts).
func TestAcceptedCodings(t *testing.T) {
	for header, want := range map[string][2]bool{
		"":                            {false, false},
		"gzip, deflate, br, zstd":     {true, true},
		"GZIP":                        {false, true},
		"br;q=0, gzip;q=0.5":          {false, true},
		"br; q = 0.0 ,gzip ; q=0.000": {false, false},
		"gzip;q=0, gzip":              {false, false},
		"identity, br;q=1":            {true, false},
		"brotli, xgzip":               {false, false},
	} {
		br, gz := app.AcceptedCodings(header)
		if br != want[0] || gz != want[1] {
			t.Errorf("%q: br %v gzip %v, want %v %v", header, br, gz, want[0], want[1])
		}
	}
}
