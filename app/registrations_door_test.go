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
