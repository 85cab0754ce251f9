package models_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// rowCounts is how many rows each table of the schema holds, and the
// summit's revision (raised by any change a public page shows).
func rowCounts(t *testing.T, db *gorm.DB, summitID uint) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, m := range models.Tables() {
		var n int64
		if err := db.Model(m).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		out[fmt.Sprintf("%T", m)] = n
	}
	s, err := models.GetSummit(ctx, db, summitID)
	if err != nil {
		t.Fatal(err)
	}
	out["revision"] = s.Revision
	return out
}

// A delete "unless affected" of a session people hold seats in is held: it
// writes nothing (no row anywhere, no notice, no audit, no revision) and
// names the people; the confirmed delete then tells exactly those people.
// A session nobody is affected by is deleted at once.
func TestAHeldDeleteWritesNothingAndNamesWhomTheDeleteTells(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		ps := f.people(t, 4)
		a := f.session(t, "Listening first", "2027-03-11", "10:00", "11:00", 2)
		sp := speakerFor(t, f, ps[3])
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, a.ID, inputOf(a, nil, "2027-03-11", "10:00", "11:00", 2, sp), time.Now()); err != nil {
			t.Fatal(err)
		}
		for _, p := range ps[:3] { // two seats, one waiting
			f.register(t, a, p)
		}
		a, _ = models.GetSession(ctx, db, f.summit.ID, a.ID)
		before := rowCounts(t, db, f.summit.ID)
		ch, deleted, err := models.DeleteSessionUnlessAffected(ctx, db, models.ActorOf(nil, ""), f.summit.ID, a.ID, fmt.Sprint(a.Version), time.Now())
		if err != nil || deleted {
			t.Fatalf("held delete: deleted %v, %v", deleted, err)
		}
		if got := names(ch.Affected); !ch.Cancelled || !slices.Equal(got, []string{"Person 00", "Person 01", "Person 02", "Person 03"}) ||
			!slices.Equal(names(ch.LoseSeat), []string{"Person 00", "Person 01"}) {
			t.Fatalf("the held delete names %v, lose a seat %v", got, names(ch.LoseSeat))
		}
		if after := rowCounts(t, db, f.summit.ID); !reflect.DeepEqual(before, after) {
			t.Fatalf("the held delete wrote: %v → %v", before, after)
		}
		if s, err := models.GetSession(ctx, db, f.summit.ID, a.ID); err != nil || s.Version != a.Version || s.SeatsTaken != 2 {
			t.Fatalf("after the held delete: %+v %v", s, err)
		}

		if err := models.DeleteSessionAt(ctx, db, models.ActorOf(nil, ""), f.summit.ID, a.ID, fmt.Sprint(a.Version), time.Now()); err != nil {
			t.Fatal(err)
		}
		var told []string
		if err := db.Model(&models.Notice{}).Joins("JOIN people ON people.id = notices.person_id").
			Where("notices.subject = ?", "“Listening first” is cancelled").Order("people.name").Pluck("people.name", &told).Error; err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(told, names(ch.Affected)) {
			t.Fatalf("the delete told %v, the held delete named %v", told, names(ch.Affected))
		}

		// Nobody in it: deleted at once, in the same call.
		b := f.session(t, "Empathy lab", "2027-03-11", "11:00", "12:00", 5)
		ch, deleted, err = models.DeleteSessionUnlessAffected(ctx, db, models.ActorOf(nil, ""), f.summit.ID, b.ID, "", time.Now())
		if err != nil || !deleted || len(ch.Affected) != 0 {
			t.Fatalf("delete of an empty session: %v %+v %v", deleted, ch, err)
		}
		if _, err := models.GetSession(ctx, db, f.summit.ID, b.ID); err == nil {
			t.Fatal("the empty session is still there")
		}
	})
}
