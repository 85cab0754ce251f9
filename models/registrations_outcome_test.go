package models_test

import (
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// Register and CancelRegistration report what they did: the registration
// with its session (the page's message names it), and the cancelled place
// as cancelled. A clash with a session where the person only waits says
// "a waitlist place", not "a seat".
func TestRegisterAndCancelReportWhatHappened(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		full := f.session(t, "Boundaries", "2027-03-11", "10:00", "11:00", 1)
		overlapping := f.session(t, "De-escalation", "2027-03-11", "10:30", "11:30", 5)
		ps := f.people(t, 2)
		r := f.register(t, full, ps[0])
		if r.Session == nil || r.Session.ID != full.ID || r.Session.Title != "Boundaries" {
			t.Fatalf("the registration does not carry its session: %+v", r.Session)
		}
		w := f.register(t, full, ps[1])
		if w.Status != models.RegWaitlisted || w.Position != 1 || w.Session == nil || w.Session.ID != full.ID {
			t.Fatalf("the waitlisted registration: %s %d %+v", w.Status, w.Position, w.Session)
		}
		_, err := models.Register(ctx, db, f.summit.ID, overlapping.ID, ps[1].ID, regNow)
		fieldErr(t, err, "registration", "You already hold a waitlist place in “Boundaries”")
		_, err = models.Register(ctx, db, f.summit.ID, overlapping.ID, ps[0].ID, regNow)
		fieldErr(t, err, "registration", "You already hold a seat in “Boundaries”")

		res, err := models.CancelRegistration(ctx, db, f.summit.ID, full.ID, ps[1].ID, regNow)
		if err != nil {
			t.Fatal(err)
		}
		if res.Was != models.RegWaitlisted || res.Cancelled.Status != models.RegCancelled || res.Cancelled.Position != 0 || len(res.Promoted) != 0 {
			t.Fatalf("leaving the waitlist reports was %s, now %s at %d, promoted %d", res.Was, res.Cancelled.Status, res.Cancelled.Position, len(res.Promoted))
		}
		res, err = models.CancelRegistration(ctx, db, f.summit.ID, full.ID, ps[0].ID, regNow)
		if err != nil {
			t.Fatal(err)
		}
		if res.Was != models.RegConfirmed || res.Cancelled.Status != models.RegCancelled || res.Cancelled.Position != 0 {
			t.Fatalf("giving up a seat reports was %s, now %s at %d", res.Was, res.Cancelled.Status, res.Cancelled.Position)
		}
	})
}
