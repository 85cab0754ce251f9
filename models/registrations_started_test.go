package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// Once a session has started (from its first minute), nobody registers for
// it and nobody cancels: the refusal says why, and the place held stays
// held. The registration window stays open through the summit here, so the
// session's own start is what refuses.
func TestNoRegisteringOrCancellingOnceASessionHasStarted(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		if _, err := models.SetRegistrationWindow(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.RegistrationWindowInput{
			OpensDay: "2027-01-15", OpensTime: "09:00", ClosesDay: "2027-03-12", ClosesTime: "18:00"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		s := f.session(t, "Patience is a skill", "2027-03-11", "10:00", "11:00", 5)
		ps := f.people(t, 2)
		early, late := ps[0], ps[1]
		justBefore := s.StartsAt.Add(-time.Minute)
		if _, err := models.Register(ctx, db, f.summit.ID, s.ID, early.ID, justBefore); err != nil {
			t.Fatalf("a minute before the start: %v", err)
		}
		for _, now := range []time.Time{s.StartsAt, s.StartsAt.Add(30 * time.Minute), s.EndsAt.Add(time.Hour)} {
			_, err := models.Register(ctx, db, f.summit.ID, s.ID, late.ID, now)
			fieldErr(t, err, "registration", "has already started; registration for it is closed")
			_, err = models.CancelRegistration(ctx, db, f.summit.ID, s.ID, early.ID, now)
			fieldErr(t, err, "registration", "has already started")
		}
		conf, wait := checkSession(t, db, s.ID)
		if len(conf) != 1 || conf[0] != early.ID || len(wait) != 0 {
			t.Fatalf("after the refusals: confirmed %v, waiting %v; want only the early person, still confirmed", conf, wait)
		}
		// Before the start, cancelling still works.
		if _, err := models.CancelRegistration(ctx, db, f.summit.ID, s.ID, early.ID, justBefore); err != nil {
			t.Fatalf("cancel a minute before the start: %v", err)
		}
	})
}
