package models_test

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// The edges of a session's capacity: it may come down to exactly the seats
// already held, not below; a capacity equal to what the room holds is no
// warning.
func TestSessionCapacityEdges(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		in := models.SessionInput{Title: "Patience is a skill", Kind: models.KindTraining, Day: "2027-03-11", StartTime: "10:00", EndTime: "11:00", Capacity: "5"}
		res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range f.people(t, 3) {
			f.register(t, res.Session, p)
		}
		in.Capacity = "3"
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, res.Session.ID, in, time.Now()); err != nil {
			t.Fatalf("capacity down to the 3 seats held: %v", err)
		}
		in.Capacity = "2"
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, res.Session.ID, in, time.Now())
		fieldErr(t, err, "capacity", "3 people already hold a seat; the capacity cannot go below 3.")

		a := newAgenda(t, modelstest.Open(t, db.Dialector.Name()))
		full := a.session("Full studio", "10:00", "11:00")
		full.RoomID, full.Capacity = id(a.studio.ID), fmt.Sprint(20)
		res = a.save(t, full)
		if len(res.Warnings) != 0 {
			t.Fatalf("a capacity equal to the room's (20) warns: %q", res.Warnings)
		}
		if w, err := models.SessionWarnings(ctx, a.db, a.summit.ID); err != nil || w[res.Session.ID] != "" {
			t.Fatalf("the overview warns of a capacity equal to the room's: %q %v", w[res.Session.ID], err)
		}
	})
}
