package models_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// Issue 10, item 14: a walk-in is added from the directory and checked in in
// one step, counted apart from the registrations: the seat count, the
// waitlist and its order stay as they were, and the next freed seat still
// goes to the first in line.
func TestWalkInIsCountedApartAndTakesNoSeat(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		s := f.session(t, "Patience is a skill", "2027-03-11", "10:00", "11:00", 2)
		ps := f.people(t, 5) // 0, 1 seated; 2 waiting; 3 walks in; 4 leaves the directory
		for _, p := range ps[:3] {
			f.register(t, s, p)
		}
		door := regNow.Add(40 * 24 * time.Hour) // the morning of the session
		who := models.Actor{Name: "Olga at the door"}

		w, err := models.AddWalkIn(ctx, db, who, f.summit.ID, s.ID, ps[3].ID, door)
		if err != nil {
			t.Fatal(err)
		}
		if w.Status != models.RegWalkIn || w.AttendedAt == nil || !w.AttendedAt.Equal(door) || w.Position != 0 {
			t.Fatalf("walk-in: %+v", w)
		}
		conf, wait := checkSession(t, db, s.ID) // seats_taken still counts the confirmed only
		if fmt.Sprint(conf) != fmt.Sprint([]uint{ps[0].ID, ps[1].ID}) || fmt.Sprint(wait) != fmt.Sprint([]uint{ps[2].ID}) {
			t.Fatalf("after a walk-in: confirmed %v, waiting %v", conf, wait)
		}
		r, err := models.GetRoster(ctx, db, f.summit.ID, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Confirmed) != 2 || len(r.Waitlist) != 1 || len(r.WalkIns) != 1 || r.WalkIns[0].Person.Name != ps[3].Name || r.Attended != 0 || r.Present() != 1 {
			t.Fatalf("roster: %d confirmed, %d waiting, %d walk-ins, %d attended, %d present", len(r.Confirmed), len(r.Waitlist), len(r.WalkIns), r.Attended, r.Present())
		}
		if r.Session.SeatsTaken != 2 || r.WalkInPercent() != 0 {
			t.Fatalf("a full session: %d seats taken, walk-in bar %d%%", r.Session.SeatsTaken, r.WalkInPercent())
		}
		rows := models.RosterCSV(r, f.summit.Location())
		if len(rows) != 5 || rows[4][0] != string(models.RegWalkIn) || rows[4][2] != ps[3].Name || rows[4][7] == "" {
			t.Fatalf("roster CSV: %v", rows)
		}
		all, err := models.RegistrationsCSV(ctx, db, f.summit)
		if err != nil {
			t.Fatal(err)
		}
		if len(all) != 5 || all[4][3] != ps[3].Name || all[4][6] != string(models.RegWalkIn) || all[4][8] == "" || all[4][11] == "" {
			t.Fatalf("registrations CSV: %v", all)
		}
		loads, err := models.TrainingOverview(ctx, db, f.summit)
		if err != nil || len(loads) != 1 || loads[0].WalkIns != 1 || loads[0].Waiting != 1 || loads[0].Attended != 0 || loads[0].Session.SeatsTaken != 2 {
			t.Fatalf("overview: %+v %v", loads, err)
		}
		if hits := models.SearchRoster(r, ""); len(hits) != 4 || hits[2].Status != models.RegWalkIn || hits[3].Status != models.RegWaitlisted {
			t.Fatalf("the door lists %d: confirmed, then walk-ins, then the waitlist", len(hits))
		}

		// The first in line still gets the next freed seat.
		res, err := models.CancelRegistration(ctx, db, f.summit.ID, s.ID, ps[0].ID, regNow)
		if err != nil || len(res.Promoted) != 1 || res.Promoted[0].PersonID != ps[2].ID {
			t.Fatalf("cancel: %+v %v", res, err)
		}

		// Refusals say what to do instead.
		_, err = models.AddWalkIn(ctx, db, who, f.summit.ID, s.ID, ps[1].ID, door)
		fieldErr(t, err, "person_id", "confirmed seat: check them in")
		ps5 := f.people(t, 1)[0]
		f.register(t, s, ps5) // the session is full again: ps5 waits, 1st in line
		_, err = models.AddWalkIn(ctx, db, who, f.summit.ID, s.ID, ps5.ID, door)
		fieldErr(t, err, "person_id", "waitlist")
		fieldErr(t, err, "person_id", "1st in line")
		_, err = models.AddWalkIn(ctx, db, who, f.summit.ID, s.ID, ps[3].ID, door)
		fieldErr(t, err, "person_id", "already checked in")
		if _, err := models.DeactivatePerson(ctx, db, models.ActorOf(nil, ""), ps[4].ID); err != nil {
			t.Fatal(err)
		}
		_, err = models.AddWalkIn(ctx, db, who, f.summit.ID, s.ID, ps[4].ID, door)
		fieldErr(t, err, "person_id", "no longer active")
		_, err = models.AddWalkIn(ctx, db, who, f.summit.ID, s.ID, 999999, door)
		fieldErr(t, err, "person_id", "not in the staff directory")
		keynote := f.session(t, "Opening keynote", "2027-03-11", "09:00", "09:45", 0)
		_, err = models.AddWalkIn(ctx, db, who, f.summit.ID, keynote.ID, ps[4].ID, door)
		fieldErr(t, err, "person_id", "needs no registration")

		// The directory offers only active people not on the list yet.
		cands, err := models.WalkInCandidates(ctx, db, s.ID, "person", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(cands) != 1 || cands[0].ID != ps[0].ID {
			t.Fatalf("candidates %v: only %s (who cancelled) is neither on the list nor inactive", cands, ps[0].Name)
		}
		newcomer, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Dee Walker", Email: "dee.walker@example.com", Department: "Field Service", Role: models.RoleStaff, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"WALKER", "dee.walker@", "field serv"} {
			if cands, _ := models.WalkInCandidates(ctx, db, s.ID, q, 10); len(cands) != 1 || cands[0].ID != newcomer.ID {
				t.Fatalf("candidates for %q: %v", q, cands)
			}
		}

		// Undoing a walk-in takes them off the list; they can be added again.
		if _, err := models.MarkAttended(ctx, db, who, f.summit.ID, s.ID, w.ID, false, door); err != nil {
			t.Fatal(err)
		}
		if r, _ := models.GetRoster(ctx, db, f.summit.ID, s.ID); len(r.WalkIns) != 0 {
			t.Fatalf("%d walk-ins after the undo", len(r.WalkIns))
		}
		if _, err := models.AddWalkIn(ctx, db, who, f.summit.ID, s.ID, ps[3].ID, door); err != nil {
			t.Fatalf("add again after the undo: %v", err)
		}
		ev, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "registration.walkin"})
		if len(ev) != 3 {
			t.Fatalf("%d audit events for two walk-ins and an undo", len(ev))
		}

		// An organiser removing a walk-in from the roster leaves the line as it was.
		var again models.Registration
		db.Where("session_id = ? AND person_id = ? AND status = ?", s.ID, ps[3].ID, models.RegWalkIn).First(&again)
		_, waitBefore := checkSession(t, db, s.ID)
		if _, err := models.RemoveRegistration(ctx, db, who, f.summit.ID, s.ID, again.ID, door); err != nil {
			t.Fatal(err)
		}
		if _, wait := checkSession(t, db, s.ID); fmt.Sprint(wait) != fmt.Sprint(waitBefore) || len(wait) == 0 {
			t.Fatalf("removing a walk-in changed the waitlist: %v → %v", waitBefore, wait)
		}
	})
}

// Two people at two doors add the same walk-in at the same moment: one is
// stored, the other is told, nothing fails.
func TestWalkInAddedTwiceAtOnceIsStoredOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		s := f.session(t, "Patience is a skill", "2027-03-11", "10:00", "11:00", 2)
		p := f.people(t, 1)[0]
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, errs[i] = models.AddWalkIn(ctx, db, models.Actor{Name: "door"}, f.summit.ID, s.ID, p.ID, regNow)
			}(i)
		}
		close(start)
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else {
				fieldErr(t, err, "person_id", "already")
			}
		}
		var n int64
		db.Model(&models.Registration{}).Where("session_id = ? AND person_id = ?", s.ID, p.ID).Count(&n)
		if ok != 1 || n != 1 {
			t.Fatalf("%d succeeded, %d rows; want exactly one", ok, n)
		}
	})
}
