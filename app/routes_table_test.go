package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"summit/app"
	"summit/models"
)

// routeRow is one line of the route expectation table: who may use a route.
type routeRow struct {
	Method string
	Path   string
	Access app.Access
}

// routeTable is what every registered route is expected to allow. Each
// feature adds its rows from its own routes_<feature>_test.go file in an
// init function, so features never edit each other's lines.
var routeTable []routeRow

func expectRoutes(rows ...routeRow) { routeTable = append(routeTable, rows...) }

const (
	visitor   = app.AccessVisitor
	staff     = app.AccessStaff
	organiser = app.AccessOrganiser
	admin     = app.AccessAdmin
)

func init() {
	expectRoutes(
		routeRow{"GET", "/", visitor},
		routeRow{"GET", "/summits", visitor},
		routeRow{"GET", "/summits/:summit", visitor},
		routeRow{"GET", "/summits/:summit/sessions/:session", visitor},
		routeRow{"GET", "/signin", visitor},
		routeRow{"POST", "/signin", visitor},
		routeRow{"POST", "/signout", staff},

		routeRow{"GET", "/organise", organiser},
		routeRow{"GET", "/organise/summits/new", organiser},
		routeRow{"POST", "/organise/summits/new", organiser},
		routeRow{"GET", "/organise/summits/:summit", organiser},
		routeRow{"GET", "/organise/summits/:summit/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/status", organiser},
		routeRow{"GET", "/organise/summits/:summit/rooms/new", organiser},
		routeRow{"POST", "/organise/summits/:summit/rooms/new", organiser},
		routeRow{"GET", "/organise/summits/:summit/rooms/:room/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/rooms/:room/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/rooms/:room/delete", organiser},
		routeRow{"GET", "/organise/summits/:summit/tracks/new", organiser},
		routeRow{"POST", "/organise/summits/:summit/tracks/new", organiser},
		routeRow{"GET", "/organise/summits/:summit/tracks/:track/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/tracks/:track/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/tracks/:track/delete", organiser},
		routeRow{"GET", "/organise/summits/:summit/speakers/new", organiser},
		routeRow{"POST", "/organise/summits/:summit/speakers/new", organiser},
		routeRow{"GET", "/organise/summits/:summit/speakers/:speaker/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/speakers/:speaker/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/speakers/:speaker/delete", organiser},
		routeRow{"GET", "/organise/summits/:summit/sessions/new", organiser},
		routeRow{"POST", "/organise/summits/:summit/sessions/new", organiser},
		routeRow{"GET", "/organise/summits/:summit/sessions/:session/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/sessions/:session/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/sessions/:session/delete", organiser},

		// Training registrations.
		routeRow{"POST", "/summits/:summit/sessions/:session/register", staff},
		routeRow{"POST", "/summits/:summit/sessions/:session/cancel", staff},
		routeRow{"GET", "/my/agenda", staff},
		routeRow{"GET", "/organise/summits/:summit/registration", organiser},
		routeRow{"POST", "/organise/summits/:summit/registration", organiser},
		routeRow{"GET", "/organise/summits/:summit/training", organiser},
		routeRow{"GET", "/organise/summits/:summit/checkin", organiser},
		routeRow{"GET", "/organise/summits/:summit/sessions/:session/roster", organiser},
		routeRow{"GET", "/organise/summits/:summit/sessions/:session/roster.csv", organiser},
		routeRow{"GET", "/organise/summits/:summit/sessions/:session/checkin", organiser},
		routeRow{"POST", "/organise/summits/:summit/sessions/:session/registrations/:registration/promote", organiser},
		routeRow{"POST", "/organise/summits/:summit/sessions/:session/registrations/:registration/remove", organiser},
		routeRow{"POST", "/organise/summits/:summit/sessions/:session/registrations/:registration/attend", organiser},
	)
}

// Every registered route is in the table, every row of the table is
// registered, and each route's guard matches its row.
func TestRouteTableMatchesRouter(t *testing.T) {
	ta := newTestApp(t, "sqlite")
	want := map[string]app.Access{}
	for _, r := range routeTable {
		k := r.Method + " " + r.Path
		if _, dup := want[k]; dup {
			t.Errorf("route table lists %s twice", k)
		}
		want[k] = r.Access
	}
	got := map[string]bool{}
	for _, r := range ta.Routes() {
		k := r.Method + " " + r.Path
		got[k] = true
		acc, ok := want[k]
		switch {
		case !ok:
			t.Errorf("route %s (%s) is missing from the route table in app/routes_table_test.go", k, r.Access)
		case acc != r.Access:
			t.Errorf("route %s is guarded for %s; the table expects %s", k, r.Access, acc)
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("the route table lists %s but no such route is registered", k)
		}
	}
}

// Every route, requested by every role, lets in exactly the roles the table
// allows: visitors are sent to sign in (or get 401 on a POST), signed-in
// people below the route's level get 403, everyone else gets past the guard
// and never a 5xx.
func TestEveryRouteForEveryRole(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		_, ids := demoRouteParams(t, ta)
		param := regexp.MustCompile(`:[a-z_]+`)
		rows := append([]routeRow(nil), routeTable...)
		// Sign-out last, so the walk stays signed in; destructive POSTs
		// after every GET, so pages are read before their records change.
		sort.SliceStable(rows, func(i, j int) bool { return rank(rows[i]) < rank(rows[j]) })

		roles := []struct {
			name   models.Role
			access app.Access
		}{{"visitor", visitor}, {models.RoleStaff, staff}, {models.RoleOrganiser, organiser}, {models.RoleAdmin, admin}}
		for _, role := range roles {
			var c *client
			if role.access == visitor {
				c = ta.client(t)
			} else {
				c, _ = ta.signedIn(t, role.name)
			}
			for _, r := range rows {
				path := param.ReplaceAllStringFunc(r.Path, func(p string) string {
					if v, ok := ids[p[1:]]; ok {
						return v
					}
					return "1"
				})
				var res *response
				if r.Method == http.MethodPost {
					res = c.post(path, url.Values{})
				} else {
					res = c.get(path)
				}
				where := string(role.name) + " " + r.Method + " " + path
				switch {
				case res.Code >= 500:
					t.Errorf("%s: %d %s", where, res.Code, text(res.Body))
				case role.access < r.Access && role.access == visitor:
					signIn := res.Code == http.StatusSeeOther && strings.HasPrefix(res.Location, "/signin")
					if !(signIn || res.Code == http.StatusUnauthorized) {
						t.Errorf("%s: a visitor should be sent to sign in, got %d %s", where, res.Code, res.Location)
					}
				case role.access < r.Access:
					if res.Code != http.StatusForbidden {
						t.Errorf("%s: %s should get 403, got %d", where, role.name, res.Code)
					}
				default:
					if res.Code == http.StatusForbidden || res.Code == http.StatusUnauthorized || strings.HasPrefix(res.Location, "/signin") {
						t.Errorf("%s: %s may use this route but was refused: %d %s", where, role.name, res.Code, res.Location)
					}
				}
			}
		}
	})
}

func rank(r routeRow) int {
	switch {
	case strings.Contains(r.Path, "signout"):
		return 3
	case r.Method == http.MethodPost && (strings.Contains(r.Path, "delete") || strings.Contains(r.Path, "remove") || strings.Contains(r.Path, "deactivate")):
		return 2
	case r.Method == http.MethodPost:
		return 1
	}
	return 0
}

// routeParamHooks let features name ids for their own path parameters
// (":category", ":nomination", …) from the demo data.
var routeParamHooks []func(t *testing.T, ta *testApp, s *models.Summit, ids map[string]string)

// routeParams picks a real record of the demo summit for each path parameter.
func routeParams(t *testing.T, ta *testApp, s *models.Summit) map[string]string {
	t.Helper()
	ids := map[string]string{"summit": itoa(s.ID)}
	first := func(name, query string, args ...any) {
		var id uint
		if err := ta.DB.Raw(query, args...).Scan(&id).Error; err != nil {
			t.Fatalf("find a %s: %v", name, err)
		}
		if id != 0 {
			ids[name] = itoa(id)
		}
	}
	first("session", "SELECT id FROM sessions WHERE summit_id = ? AND capacity IS NOT NULL ORDER BY id LIMIT 1", s.ID)
	first("room", "SELECT id FROM rooms WHERE summit_id = ? ORDER BY id LIMIT 1", s.ID)
	first("track", "SELECT id FROM tracks WHERE summit_id = ? ORDER BY id LIMIT 1", s.ID)
	first("speaker", "SELECT id FROM speakers WHERE summit_id = ? ORDER BY id LIMIT 1", s.ID)
	first("person", "SELECT id FROM people WHERE role = 'staff' ORDER BY id LIMIT 1")
	first("registration", "SELECT id FROM registrations ORDER BY id LIMIT 1")
	for _, h := range routeParamHooks {
		h(t, ta, s, ids)
	}
	return ids
}

func timeNow() time.Time { return time.Now() }
