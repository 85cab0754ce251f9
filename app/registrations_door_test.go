package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"summit/models"
)

// doorWorld is a regWorld with an organiser signed in and the check-in path.
type doorWorld struct {
	*regWorld
	org    *client
	orgSum string // /organise/summits/N
	door   string // /organise/summits/N/sessions/M/checkin
}

func newDoorWorld(t *testing.T, ta *testApp, capacity int) *doorWorld {
	t.Helper()
	w := newRegWorld(t, ta.DB, capacity)
	org, _ := ta.signedIn(t, models.RoleOrganiser)
	sb := "/organise/summits/" + itoa(w.summit.ID)
	return &doorWorld{regWorld: w, org: org, orgSum: sb, door: sb + "/sessions/" + itoa(w.training.ID) + "/checkin"}
}

// register gives a new staff person a seat (or waitlist place) in the training.
func (w *doorWorld) register(t *testing.T, ta *testApp, name, email string) *models.Registration {
	t.Helper()
	p := ta.addPerson(t, name, email, models.RoleStaff)
	reg, err := models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, p.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return reg
}

// Issue 10, item 9: checking someone in after a search with a long text in
// a non-Latin script returns to the same search (never an address cut inside
// a character, which the server refuses with 400).
func TestCheckinReturnKeepsLongNonASCIISearch(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDoorWorld(t, ta, 5)
		name := "Małgorzata Żółkiewska-Świętochowska"
		reg := w.register(t, ta, name, "malgorzata@example.com")
		// What the organiser typed: the name, then more than the search keeps
		// (100 characters), so the text is shortened; the odd "a" puts byte 100
		// inside a two-byte character.
		long := "a" + strings.Repeat("ż", 120)
		for _, q := range []string{"Żółkiewska", long} {
			res := w.org.post(w.door[:strings.LastIndex(w.door, "/checkin")]+"/registrations/"+itoa(reg.ID)+"/attend", url.Values{"q": {q}, "attended": {"1"}})
			if res.Code != http.StatusSeeOther {
				t.Fatalf("check in after searching %q: %d %s", q, res.Code, text(res.Body))
			}
			to, err := url.Parse(res.Location)
			if err != nil {
				t.Fatalf("return address %q: %v", res.Location, err)
			}
			back := to.Query().Get("q")
			if to.Path != w.door || !utf8.ValidString(back) || !strings.HasPrefix(q, back) || back == "" {
				t.Fatalf("after searching %q the door returns to %q (search %q)", q, res.Location, back)
			}
			if len(q) < 100 && back != q {
				t.Fatalf("the search %q came back as %q", q, back)
			}
			page := w.org.get(to.RequestURI())
			if page.Code != http.StatusOK {
				t.Fatalf("the return address %s answers %d: %s", res.Location, page.Code, text(page.Body))
			}
			if q == "Żółkiewska" && !strings.Contains(text(page.Body), name+" is checked in") {
				t.Fatalf("the door after the check-in: %s", text(page.Body))
			}
			if !strings.Contains(page.Body, `value="`+back+`"`) {
				t.Fatalf("the search box lost the search %q", back)
			}
		}
		// Searching the long text directly keeps 100 characters, never a broken one.
		page := w.org.get(w.door + "?q=" + url.QueryEscape(long))
		if page.Code != http.StatusOK || !strings.Contains(page.Body, `value="`+string([]rune(long)[:100])+`"`) {
			t.Fatalf("a long search: %d", page.Code)
		}
	})
}

// postHTMX submits a form as htmx does (HX-Request header, CSRF token).
func (c *client) postHTMX(path string, form url.Values) *response {
	c.t.Helper()
	form.Set("_csrf", c.csrf())
	req, _ := http.NewRequest(http.MethodPost, c.ta.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("HX-Request", "true")
	return c.do(req)
}

// Issue 10, item 14: the door keeps the organiser's place (without
// JavaScript the answer returns to the row's anchor; from htmx it is just the
// row, the new count and a spoken message), and a walk-in is added from the
// directory and checked in in one step, shown apart on the door, the roster,
// its CSV, the registrations CSV and the training overview, taking no seat.
func TestCheckinKeepsPlaceAndAddsWalkIns(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDoorWorld(t, ta, 2)
		ana := w.register(t, ta, "Ana Souza", "ana@example.com")
		ben := w.register(t, ta, "Ben Okafor", "ben@example.com")
		cy := w.register(t, ta, "Cy Waiting", "cy@example.com") // the session is full: Cy waits
		reg := w.orgSum + "/sessions/" + itoa(w.training.ID) + "/registrations/"

		// Without JavaScript: back to the door at Ana's row, search kept.
		res := w.org.post(reg+itoa(ana.ID)+"/attend", url.Values{"q": {"souza"}, "attended": {"1"}})
		if res.Code != http.StatusSeeOther || res.Location != w.door+"?q=souza#reg-"+itoa(ana.ID) {
			t.Fatalf("check in without JavaScript: %d %q", res.Code, res.Location)
		}
		page := w.org.get(w.door + "?q=souza")
		if !strings.Contains(page.Body, `id="reg-`+itoa(ana.ID)+`"`) || !strings.Contains(text(page.Body), "Ana Souza is checked in") {
			t.Fatalf("the door has no row to return to: %s", text(page.Body))
		}

		// From htmx: only Ben's row, the count out of band, a spoken message.
		res = w.org.postHTMX(reg+itoa(ben.ID)+"/attend", url.Values{"attended": {"1"}})
		body := text(res.Body)
		if res.Code != http.StatusOK || strings.Contains(res.Body, "<html") || strings.Contains(res.Body, "Ana Souza") ||
			!strings.Contains(res.Body, `<li id="reg-`+itoa(ben.ID)+`"`) || !strings.Contains(body, "✓ In at") ||
			!strings.Contains(res.Body, `id="checkin-count" hx-swap-oob="true">2 of 2 checked in<`) ||
			!strings.Contains(res.Body, `<p id="checkin-live" hx-swap-oob="innerHTML">Ben Okafor is checked in.</p>`) {
			t.Fatalf("htmx check-in: %d %s", res.Code, res.Body)
		}
		// A refusal answers the row with its message (422), still no page.
		res = w.org.postHTMX(reg+itoa(cy.ID)+"/attend", url.Values{"attended": {"1"}})
		if res.Code != http.StatusUnprocessableEntity || strings.Contains(res.Body, "<html") || !strings.Contains(text(res.Body), "promote them first") ||
			!strings.Contains(res.Body, `id="reg-`+itoa(cy.ID)+`"`) {
			t.Fatalf("htmx refusal: %d %s", res.Code, res.Body)
		}

		// A walk-in: found in the directory, added and checked in in one step.
		dee := ta.addPerson(t, "Dee Walker", "dee@example.com", models.RoleStaff)
		page = w.org.get(w.door + "?q=walker")
		if !strings.Contains(text(page.Body), "Nobody registered matches “walker”") || !strings.Contains(page.Body, `name="person_id" value="`+itoa(dee.ID)+`"`) {
			t.Fatalf("the door does not offer Dee as a walk-in: %s", text(page.Body))
		}
		if strings.Contains(w.org.get(w.door+"?q=souza").Body, `name="person_id"`) {
			t.Fatal("the door offers a registered person as a walk-in")
		}
		res = w.org.post(w.orgSum+"/sessions/"+itoa(w.training.ID)+"/walkins", url.Values{"q": {"walker"}, "person_id": {itoa(dee.ID)}})
		if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Location, w.door+"?q=walker#reg-") {
			t.Fatalf("add a walk-in: %d %q %s", res.Code, res.Location, text(res.Body))
		}
		body = text(w.org.get(w.door + "?q=walker").Body)
		if !strings.Contains(body, "Dee Walker is added as a walk-in and checked in") || !strings.Contains(body, "Walk-in, in at") ||
			!strings.Contains(body, "2 of 2 checked in · 1 walk-in") {
			t.Fatalf("the door after the walk-in: %s", body)
		}
		var s models.Session
		ta.DB.First(&s, w.training.ID)
		if s.SeatsTaken != 2 {
			t.Fatalf("a walk-in took a seat: %d taken", s.SeatsTaken)
		}
		if r, _ := models.MyRegistration(ctx, ta.DB, w.training.ID, cy.PersonID); r == nil || r.Status != models.RegWaitlisted || r.Position != 1 {
			t.Fatalf("Cy after the walk-in: %+v", r)
		}
		// Bad input: a clear message, 422, never a 500.
		for _, pid := range []string{"", "x", "-1", "999999", itoa(ana.PersonID), itoa(dee.ID)} {
			res := w.org.post(w.orgSum+"/sessions/"+itoa(w.training.ID)+"/walkins", url.Values{"q": {"walker"}, "person_id": {pid}})
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `class="field-error" role="alert"`) {
				t.Fatalf("walk-in person %q: %d %s", pid, res.Code, text(res.Body))
			}
		}

		// The roster, its CSV, the overview and the summit's CSV count it apart.
		roster := text(w.org.get(w.orgSum + "/sessions/" + itoa(w.training.ID) + "/roster").Body)
		if !strings.Contains(roster, "2 of 2 seats taken · 1 waiting · 2 checked in · 1 walk-in (no seat taken)") || !strings.Contains(roster, "Walk-ins 1") ||
			strings.Index(roster, "Dee Walker") < strings.Index(roster, "Walk-ins 1") {
			t.Fatalf("roster: %s", roster)
		}
		csvBody := w.org.get(w.orgSum + "/sessions/" + itoa(w.training.ID) + "/roster.csv").Body
		if !strings.Contains(csvBody, "\nwalk-in,,Dee Walker,dee@example.com,") {
			t.Fatalf("roster CSV: %s", csvBody)
		}
		if all := w.org.get(w.orgSum + "/registrations.csv").Body; !strings.Contains(all, ",Dee Walker,dee@example.com,Customer Support,walk-in,") {
			t.Fatalf("registrations CSV: %s", all)
		}
		over := w.org.get(w.orgSum + "/training")
		if ob := text(over.Body); !strings.Contains(ob, "2 / 2") || !strings.Contains(ob, "1 walk-in added at the door (no seats taken)") ||
			!strings.Contains(over.Body, `class="walkins"`) && s.FillPercent() < 100 {
			t.Fatalf("overview: %s", ob)
		}
		if !strings.Contains(text(w.org.get(w.orgSum+"/checkin").Body), "2 of 2 in · 1 walk-in") {
			t.Fatal("the session list at the door does not count the walk-in apart")
		}
	})
}
