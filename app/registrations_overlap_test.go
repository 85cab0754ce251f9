package app_test

import (
	"net/http"
	"strings"
	"testing"

	"summit/models"
	"summit/models/modelstest"
)

// One person with several tabs open registers for two overlapping sessions
// at the same moment, over two app instances on Postgres: twenty requests
// released together by a start barrier, in ten rounds with a new person
// each. Every round ends with exactly one place held; every other request
// is told why (already registered, or the overlap), never a 500. Without the
// per-person lock in models.Register a round ends with two.
func TestParallelTabsHoldOneOfTwoOverlappingSessions(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			db := apps[0].DB
			w := newRegWorld(t, db, 30)
			other := w.session(t, db, "Boundaries with dignity", "10:30", "11:30", 30)
			paths := []string{w.sessionPath(w.training) + "/register", w.sessionPath(other) + "/register"}
			const rounds, n = 10, 20
			people := makeUsers(t, db, rounds, "Tabs")
			for round, u := range people {
				codes := make([]int, n)
				bodies := make([]string, n)
				fire(n, func(i int) {
					var err error
					codes[i], bodies[i], err = postAs(apps[i%len(apps)], u, paths[(i/len(apps))%2], nil)
					if err != nil {
						bodies[i] = err.Error()
					}
				})
				ok := 0
				for i, c := range codes {
					body := text(bodies[i])
					switch {
					case c == http.StatusSeeOther:
						ok++
					case c == http.StatusUnprocessableEntity && (strings.Contains(body, "already registered") || strings.Contains(body, "overlaps this session")):
					default:
						t.Fatalf("round %d request %d: %d %.300s", round, i, c, body)
					}
				}
				var held int64
				if err := db.Model(&models.Registration{}).Where("person_id = ? AND status <> ?", u.ID, models.RegCancelled).Count(&held).Error; err != nil {
					t.Fatal(err)
				}
				if ok != 1 || held != 1 {
					t.Fatalf("round %d: %d requests succeeded and %d places are held in two overlapping sessions; want exactly one", round, ok, held)
				}
			}
			for _, s := range []*models.Session{w.training, other} {
				if _, _, problem := sessionState(db, s.ID); problem != "" {
					t.Fatalf("%s: %s", s.Title, problem)
				}
			}
		})
	}
}
