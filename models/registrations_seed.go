package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// --- Demo data ---

// SeedDemoRegistrations opens the demo summit's registration window (from 1
// January of the year before until the first morning) and fills two training
// sessions: one nearly full, one full with three people waiting — among
// them the staff demo account, 2nd in line — and a walk-in who came to the
// full one without registering (added at the door, taking no seat).
func SeedDemoRegistrations(ctx context.Context, db *gorm.DB, summit *Summit) error {
	opens := fmt.Sprintf("%d-01-01", summit.Year-1)
	if _, err := SetRegistrationWindow(ctx, db, ActorOf(nil, ""), summit.ID, RegistrationWindowInput{
		OpensDay: opens, OpensTime: "09:00", ClosesDay: summit.StartDate, ClosesTime: "08:00"}, Now()); err != nil {
		return fmt.Errorf("models: seed registration window: %w", err)
	}
	w, err := GetRegistrationWindow(ctx, db, summit.ID)
	if err != nil {
		return err
	}
	now := w.OpensAt.Add(time.Hour)
	byTitle := func(prefix string) (*Session, error) {
		var s Session
		err := withCtx(ctx, db).Where("summit_id = ? AND title LIKE ?", summit.ID, prefix+"%").First(&s).Error
		return &s, notFound(err)
	}
	person := func(i int) (uint, error) {
		p, err := PersonByEmail(ctx, db, DemoEmail(demoPeople[i][1]))
		if err != nil {
			return 0, err
		}
		return p.ID, nil
	}
	plan := []struct {
		title  string
		people []int
	}{
		// Full (20 seats) with three waiting; José (the staff demo account) is 2nd in line.
		// Nobody here speaks at the same time (Register refuses that).
		{"Damage control", []int{0, 2, 4, 6, 7, 8, 9, 11, 12, 29, 14, 15, 16, 17, 18, 19, 30, 21, 31, 23, 26, 1, 27}},
		// Nearly full: 17 of 20 seats.
		{"Product knowledge lab", []int{33, 5, 6, 7, 34, 11, 12, 35, 37, 18, 19, 20, 21, 22, 23, 26, 27}},
	}
	for _, p := range plan {
		s, err := byTitle(p.title)
		if err != nil {
			return fmt.Errorf("models: seed registrations: session %q: %w", p.title, err)
		}
		for k, i := range p.people {
			id, err := person(i)
			if err != nil {
				return err
			}
			if _, err := Register(ctx, db, summit.ID, s.ID, id, now.Add(time.Duration(k)*time.Minute)); err != nil {
				return fmt.Errorf("models: seed registration of %s in %q: %w", demoPeople[i][0], p.title, err)
			}
		}
	}
	// Priya walks in to the full session a few minutes after it starts.
	s, err := byTitle("Damage control")
	if err != nil {
		return err
	}
	priya, err := person(10)
	if err != nil {
		return err
	}
	if _, err := AddWalkIn(ctx, db, ActorOf(nil, ""), summit.ID, s.ID, priya, s.StartsAt.Add(4*time.Minute)); err != nil {
		return fmt.Errorf("models: seed walk-in: %w", err)
	}
	return nil
}
