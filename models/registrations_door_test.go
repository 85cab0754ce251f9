package models_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// At the door a search lists the seated by name (ignoring case; two of the
// same name in the roster's order), then the walk-ins by name, then the
// waitlist in its order, and finds a name, email or department fragment.
func TestWalkInDoorSearchOrder(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		s := f.session(t, "Kindness at the counter", "2027-03-11", "10:00", "11:00", 4)
		person := func(name, email, dept string) *models.Person {
			t.Helper()
			p, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: name, Email: email, Department: dept, Role: models.RoleStaff, Active: true})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		for _, p := range []*models.Person{
			person("Zed Young", "zed@example.com", "Support"),
			person("Sam Lee", "sam.first@example.com", "Finance"),
			person("adam Ant", "adam@example.com", "Support"),
			person("Sam Lee", "sam.second@example.com", "Sales"),
			person("Wes West", "wes@example.com", "Support"), // 1st in line
			person("Cat Cole", "cat@example.com", "Legal"),   // 2nd in line
		} {
			f.register(t, s, p)
		}
		door := regNow.Add(40 * 24 * time.Hour)
		for _, p := range []*models.Person{person("Kim King", "kim@example.com", "Support"), person("Bea Best", "bea@example.org", "Legal")} {
			if _, err := models.AddWalkIn(ctx, db, models.Actor{Name: "door"}, f.summit.ID, s.ID, p.ID, door); err != nil {
				t.Fatal(err)
			}
		}
		r, err := models.GetRoster(ctx, db, f.summit.ID, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		found := func(q string) string {
			var out []string
			for _, reg := range models.SearchRoster(r, q) {
				out = append(out, reg.Person.Name+" <"+reg.Person.Email+">")
			}
			return strings.Join(out, ", ")
		}
		for q, want := range map[string]string{
			"": "adam Ant <adam@example.com>, Sam Lee <sam.first@example.com>, Sam Lee <sam.second@example.com>, Zed Young <zed@example.com>, " +
				"Bea Best <bea@example.org>, Kim King <kim@example.com>, Wes West <wes@example.com>, Cat Cole <cat@example.com>",
			"  SUPPORT ":  "adam Ant <adam@example.com>, Zed Young <zed@example.com>, Kim King <kim@example.com>, Wes West <wes@example.com>",
			"legal":       "Bea Best <bea@example.org>, Cat Cole <cat@example.com>",
			"example.org": "Bea Best <bea@example.org>",
			"sam":         "Sam Lee <sam.first@example.com>, Sam Lee <sam.second@example.com>",
		} {
			if got := found(q); got != want {
				t.Errorf("search %q:\n got %s\nwant %s", q, got, want)
			}
		}
	})
}

// The seat bar's walk-in segment: none without walk-ins, their share of the
// seats after the taken ones, at least 1 % for one walk-in in a large room,
// and never past the bar's end.
func TestWalkInShareOfTheSeatBar(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		small := f.session(t, "Small lab", "2027-03-11", "10:00", "11:00", 4)
		large := f.session(t, "Large lab", "2027-03-11", "12:00", "13:00", 200)
		ps := f.people(t, 6)
		f.register(t, small, ps[0])
		f.register(t, small, ps[1])
		door := regNow.Add(40 * 24 * time.Hour)
		bar := func(s *models.Session) int {
			t.Helper()
			r, err := models.GetRoster(ctx, db, f.summit.ID, s.ID)
			if err != nil {
				t.Fatal(err)
			}
			loads, err := models.TrainingOverview(ctx, db, f.summit)
			if err != nil {
				t.Fatal(err)
			}
			for _, l := range loads {
				if l.Session.ID == s.ID && l.WalkInPercent() != r.WalkInPercent() {
					t.Fatalf("%s: the overview's walk-in bar %d %%, the roster's %d %%", s.Title, l.WalkInPercent(), r.WalkInPercent())
				}
			}
			return r.WalkInPercent()
		}
		walkIn := func(s *models.Session, p *models.Person) {
			t.Helper()
			if _, err := models.AddWalkIn(ctx, db, models.Actor{Name: "door"}, f.summit.ID, s.ID, p.ID, door); err != nil {
				t.Fatal(err)
			}
		}
		if got := bar(small); got != 0 {
			t.Fatalf("no walk-ins, half full: walk-in bar %d %%", got)
		}
		walkIn(small, ps[2])
		if got := bar(small); got != 25 {
			t.Fatalf("one walk-in in four seats: %d %%, want 25", got)
		}
		walkIn(small, ps[3])
		walkIn(small, ps[4])
		if got := bar(small); got != 50 {
			t.Fatalf("three walk-ins beside two of four seats taken: %d %%, want the 50 left", got)
		}
		walkIn(large, ps[5])
		if got := bar(large); got != 1 {
			t.Fatalf("one walk-in in 200 seats: %d %%, want 1", got)
		}
	})
}
