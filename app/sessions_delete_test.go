package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"summit/models"
	"summit/models/modelstest"
)

// TestRegisterAndDeleteAtOnceNeverDeletesAPlaceUnseen: three staff members
// register for a session on one app instance while an organiser deletes it
// (without confirming) on the other — on Postgres each instance has its own
// pool — all released together, in 20 rounds. The delete either goes
// through before anyone holds a place (then no registration succeeded and
// nobody is told of a cancellation) or it is held and its page names
// everyone who held a place when it looked; it never deletes a place it
// did not show.
func TestRegisterAndDeleteAtOnceNeverDeletesAPlaceUnseen(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			db := apps[0].DB
			w := newRegWorld(t, db, 5)
			org := makeUsers(t, db, 1, "Organiser")[0]
			if err := db.Model(&models.Person{}).Where("id = ?", org.ID).Update("role", models.RoleOrganiser).Error; err != nil {
				t.Fatal(err)
			}
			const n = 3
			outcomes := map[string]int{}
			for round := 0; round < 20; round++ {
				s := w.session(t, db, fmt.Sprintf("Round %d", round), "13:00", "14:00", 5)
				users := makeUsers(t, db, n, fmt.Sprintf("Racer%02d", round)) // new people: one round's seats do not overlap the next
				del := fmt.Sprintf("/organise/summits/%d/sessions/%d/delete", w.summit.ID, s.ID)
				codes, bodies := make([]int, n+1), make([]string, n+1)
				fire(n+1, func(i int) {
					if i == n {
						codes[i], bodies[i], _ = postAs(apps[0], org, del, nil)
						return
					}
					codes[i], bodies[i], _ = postAs(apps[len(apps)-1], users[i], w.sessionPath(s)+"/register", nil)
				})
				registered := 0
				for i := 0; i < n; i++ {
					switch codes[i] {
					case http.StatusSeeOther:
						registered++
					case http.StatusNotFound: // the session was already gone
					default:
						t.Fatalf("round %d: register %d answered %d %s", round, i, codes[i], text(bodies[i]))
					}
				}
				var told int64
				db.Model(&models.Notice{}).Where("subject = ?", "“"+s.Title+"” is cancelled").Count(&told)
				_, gone := models.GetSession(ctx, db, w.summit.ID, s.ID)
				switch codes[n] {
				case http.StatusSeeOther: // deleted at once
					if gone == nil || registered != 0 || told != 0 {
						t.Fatalf("round %d: deleted (session gone: %v) although %d registered; %d told of the cancellation", round, gone != nil, registered, told)
					}
					outcomes["deleted before anyone registered"]++
				case http.StatusOK: // held: the page names whom it affects
					page := text(bodies[n])
					var holders []string
					db.Table("registrations").Joins("JOIN people ON people.id = registrations.person_id").
						Where("registrations.session_id = ? AND registrations.status <> ?", s.ID, models.RegCancelled).Pluck("people.name", &holders)
					named := 0
					for _, u := range holders {
						if strings.Contains(page, u) {
							named++
						}
					}
					if gone != nil || told != 0 || named == 0 || !strings.Contains(page, "Would lose their seat") {
						t.Fatalf("round %d: held delete: session gone %v, %d told, names %d of %v: %s", round, gone != nil, told, named, holders, page)
					}
					outcomes[fmt.Sprintf("held, naming %d", named)]++
				default:
					t.Fatalf("round %d: delete answered %d %s", round, codes[n], text(bodies[n]))
				}
			}
			t.Logf("%s: %v", d, outcomes)
		})
	}
}
