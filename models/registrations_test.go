package models_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// regFixture is a published summit (11–12 March 2027, Amsterdam) whose
// registration window is open at regNow.
type regFixture struct {
	db     *gorm.DB
	summit *models.Summit
}

var regNow = time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)

func newRegFixture(t *testing.T, db *gorm.DB) *regFixture {
	t.Helper()
	s := newSummit(t, db)
	if _, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), s.ID, models.StatusPublished); err != nil {
		t.Fatal(err)
	}
	if _, err := models.SetRegistrationWindow(ctx, db, models.ActorOf(nil, ""), s.ID, models.RegistrationWindowInput{
		OpensDay: "2027-01-15", OpensTime: "09:00", ClosesDay: "2027-03-10", ClosesTime: "18:00"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	s, _ = models.GetSummit(ctx, db, s.ID)
	return &regFixture{db: db, summit: s}
}

func (f *regFixture) session(t *testing.T, title, day, start, end string, capacity int) *models.Session {
	t.Helper()
	in := models.SessionInput{Title: title, Kind: models.KindTraining, Day: day, StartTime: start, EndTime: end}
	if capacity > 0 {
		in.Capacity = fmt.Sprint(capacity)
	} else {
		in.Kind = models.KindKeynote
	}
	res, err := models.SaveSession(ctx, f.db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
	if err != nil {
		t.Fatalf("session %s: %v", title, err)
	}
	return res.Session
}

func (f *regFixture) people(t *testing.T, n int) []*models.Person {
	t.Helper()
	out := make([]*models.Person, n)
	for i := range out {
		p, err := models.CreatePerson(ctx, f.db, models.ActorOf(nil, ""), models.PersonInput{Name: fmt.Sprintf("Person %02d", i), Email: fmt.Sprintf("p%d-%s@example.com", i, strings.ToLower(models.RandomToken(4))), Role: models.RoleStaff, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		out[i] = p
	}
	return out
}

func (f *regFixture) register(t *testing.T, s *models.Session, p *models.Person) *models.Registration {
	t.Helper()
	r, err := models.Register(ctx, f.db, f.summit.ID, s.ID, p.ID, regNow)
	if err != nil {
		t.Fatalf("register %s in %s: %v", p.Name, s.Title, err)
	}
	return r
}

// checkSession asserts the session's invariants and returns confirmed person
// ids and the waitlist's person ids in order.
func checkSession(t *testing.T, db *gorm.DB, sessionID uint) (confirmed []uint, waitlist []uint) {
	t.Helper()
	var s models.Session
	if err := db.First(&s, sessionID).Error; err != nil {
		t.Fatalf("read session %d: %v", sessionID, err)
	}
	var regs []models.Registration
	if err := db.Where("session_id = ? AND status IN ?", sessionID, []models.RegStatus{models.RegConfirmed, models.RegWaitlisted}).Order("position, id").Find(&regs).Error; err != nil {
		t.Fatalf("read registrations of session %d: %v", sessionID, err)
	}
	for _, r := range regs {
		if r.Status == models.RegConfirmed {
			confirmed = append(confirmed, r.PersonID)
		} else {
			waitlist = append(waitlist, r.PersonID)
			if r.Position != len(waitlist) {
				t.Fatalf("waitlist position %d at place %d: positions must be 1…N without gaps", r.Position, len(waitlist))
			}
		}
	}
	if s.SeatsTaken != len(confirmed) {
		t.Fatalf("seats_taken %d but %d confirmed", s.SeatsTaken, len(confirmed))
	}
	if s.Capacity != nil && len(confirmed) > *s.Capacity {
		t.Fatalf("%d confirmed in %d seats", len(confirmed), *s.Capacity)
	}
	if len(waitlist) > 0 && (s.Capacity == nil || len(confirmed) < *s.Capacity) {
		t.Fatalf("a seat is empty (%d of %v) while %d wait", len(confirmed), s.Capacity, len(waitlist))
	}
	return confirmed, waitlist
}

func TestRegisterWaitlistCancelPromotes(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		s := f.session(t, "Patience is a skill", "2027-03-11", "10:00", "11:00", 2)
		ps := f.people(t, 5)
		for i, p := range ps {
			r := f.register(t, s, p)
			switch {
			case i < 2 && r.Status != models.RegConfirmed:
				t.Fatalf("person %d: %s, want confirmed", i, r.Status)
			case i >= 2 && (r.Status != models.RegWaitlisted || r.Position != i-1):
				t.Fatalf("person %d: %s %d, want waitlisted %d", i, r.Status, r.Position, i-1)
			}
		}
		if got := (&models.Registration{Position: 3}).PositionText(); got != "3rd in line" {
			t.Fatalf("position text %q", got)
		}
		_, err := models.Register(ctx, db, f.summit.ID, s.ID, ps[3].ID, regNow)
		fieldErr(t, err, "registration", "already on the waitlist")
		fieldErr(t, err, "registration", "2nd in line")
		_, err = models.Register(ctx, db, f.summit.ID, s.ID, ps[0].ID, regNow)
		fieldErr(t, err, "registration", "already registered")

		// A confirmed person cancels: the first in line (ps[2]) gets the seat, the line closes up.
		res, err := models.CancelRegistration(ctx, db, f.summit.ID, s.ID, ps[0].ID, regNow)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Promoted) != 1 || res.Promoted[0].PersonID != ps[2].ID {
			t.Fatalf("promoted %+v, want person 2", res.Promoted)
		}
		conf, wait := checkSession(t, db, s.ID)
		if len(conf) != 2 || fmt.Sprint(wait) != fmt.Sprint([]uint{ps[3].ID, ps[4].ID}) {
			t.Fatalf("after cancel: confirmed %v waitlist %v", conf, wait)
		}
		// A waitlisted person cancels: no gap is left.
		if _, err := models.CancelRegistration(ctx, db, f.summit.ID, s.ID, ps[3].ID, regNow); err != nil {
			t.Fatal(err)
		}
		_, wait = checkSession(t, db, s.ID)
		if fmt.Sprint(wait) != fmt.Sprint([]uint{ps[4].ID}) {
			t.Fatalf("waitlist %v", wait)
		}
		// Nothing to cancel.
		_, err = models.CancelRegistration(ctx, db, f.summit.ID, s.ID, ps[3].ID, regNow)
		fieldErr(t, err, "registration", "nothing to cancel")
		// Registering again after cancelling is allowed (the unique index covers active rows only).
		if r := f.register(t, s, ps[0]); r.Status != models.RegWaitlisted || r.Position != 2 {
			t.Fatalf("re-register: %s %d", r.Status, r.Position)
		}
		// My agenda: ps[4] waits, 1st in line; a keynote needs no registration.
		f.session(t, "Opening keynote", "2027-03-11", "09:00", "09:45", 0)
		agenda, err := models.PersonalAgenda(ctx, db, f.summit, ps[4].ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(agenda) != 2 || agenda[0].Status != "plenary" || agenda[1].Status != models.RegWaitlisted || agenda[1].Position != 1 {
			t.Fatalf("agenda %+v", agenda)
		}
		other, _ := models.PersonalAgenda(ctx, db, f.summit, ps[3].ID)
		if len(other) != 1 {
			t.Fatalf("a person who cancelled still sees %d entries", len(other))
		}
	})
}

func TestRegisterRefusals(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		a := f.session(t, "De-escalation", "2027-03-11", "10:00", "11:30", 10)
		b := f.session(t, "Product lab", "2027-03-11", "11:00", "12:00", 10)
		key := f.session(t, "Keynote", "2027-03-11", "09:00", "09:45", 0)
		ps := f.people(t, 2)
		f.register(t, a, ps[0])

		_, err := models.Register(ctx, db, f.summit.ID, b.ID, ps[0].ID, regNow)
		fieldErr(t, err, "registration", "You already hold a seat in “De-escalation” (Thu 11 Mar 10:00–11:30)")
		_, err = models.Register(ctx, db, f.summit.ID, key.ID, ps[0].ID, regNow)
		fieldErr(t, err, "registration", "needs no registration")
		_, err = models.Register(ctx, db, f.summit.ID, a.ID, ps[1].ID, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		fieldErr(t, err, "registration", "Registration opens on Fri 15 Jan 2027 at 09:00 (Europe/Amsterdam)")
		_, err = models.Register(ctx, db, f.summit.ID, a.ID, ps[1].ID, time.Date(2027, 3, 10, 17, 0, 0, 0, time.UTC))
		fieldErr(t, err, "registration", "Registration closed on Wed 10 Mar 2027 at 18:00")
		if _, err := models.Register(ctx, db, f.summit.ID, 999999, ps[1].ID, regNow); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unknown session: %v", err)
		}
		// A session of another summit is not found through this one.
		other, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Next", StartDate: "2028-03-09", EndDate: "2028-03-09", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.Register(ctx, db, other.ID, a.ID, ps[1].ID, regNow); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("session through another summit: %v", err)
		}
		if _, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.StatusDraft); err != nil {
			t.Fatal(err)
		}
		_, err = models.Register(ctx, db, f.summit.ID, a.ID, ps[1].ID, regNow)
		fieldErr(t, err, "registration", "once the summit is published")
		models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.StatusArchived)
		_, err = models.Register(ctx, db, f.summit.ID, a.ID, ps[1].ID, regNow)
		fieldErr(t, err, "registration", "archived")
		conf, wait := checkSession(t, db, a.ID)
		if len(conf) != 1 || len(wait) != 0 {
			t.Fatalf("refusals changed the session: %v %v", conf, wait)
		}
	})
}

func TestRegistrationWindowValidation(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSummit(t, db)
		who := models.ActorOf(nil, "")
		_, err := models.SetRegistrationWindow(ctx, db, who, s.ID, models.RegistrationWindowInput{OpensDay: "2027-02-01", OpensTime: "9am", ClosesDay: "2027-01-01", ClosesTime: "10:00"}, time.Now())
		fieldErr(t, err, "opens_time", "like 09:30")
		_, err = models.SetRegistrationWindow(ctx, db, who, s.ID, models.RegistrationWindowInput{OpensDay: "2027-02-01", OpensTime: "09:00", ClosesDay: "2027-01-01", ClosesTime: "10:00"}, time.Now())
		fieldErr(t, err, "closes_day", "close after it opens")
		_, err = models.SetRegistrationWindow(ctx, db, who, s.ID, models.RegistrationWindowInput{OpensDay: "2027-03-28", OpensTime: "02:30", ClosesDay: "2027-04-01", ClosesTime: "10:00"}, time.Now())
		fieldErr(t, err, "opens_time", "does not exist")
		_, err = models.SetRegistrationWindow(ctx, db, who, s.ID, models.RegistrationWindowInput{OpensDay: "2027-02-01", OpensTime: "09:00"}, time.Now())
		fieldErr(t, err, "closes_day", "required")
		w, err := models.SetRegistrationWindow(ctx, db, who, s.ID, models.RegistrationWindowInput{OpensDay: "2027-02-01", OpensTime: "09:00", ClosesDay: "2027-03-10", ClosesTime: "17:30"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		// Entered in Amsterdam time (UTC+1 in winter), stored in UTC.
		got, _ := models.GetRegistrationWindow(ctx, db, s.ID)
		if !got.OpensAt.Equal(time.Date(2027, 2, 1, 8, 0, 0, 0, time.UTC)) || !got.ClosesAt.Equal(*w.ClosesAt) {
			t.Fatalf("window %v – %v", got.OpensAt, got.ClosesAt)
		}
		if ev, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "summit.registration_window"}); len(ev) != 1 {
			t.Fatalf("%d audit events", len(ev))
		}
		// Summit edits keep the window.
		if _, err := models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), s.ID, models.SummitInput{Title: "Renamed", StartDate: s.StartDate, EndDate: s.EndDate, TimeZone: s.TimeZone}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if got, _ := models.GetRegistrationWindow(ctx, db, s.ID); got.OpensAt == nil {
			t.Fatal("editing the summit cleared the window")
		}
	})
}

func TestOrganiserMovesAndCapacity(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		s := f.session(t, "Focus", "2027-03-12", "11:30", "12:30", 2)
		ps := f.people(t, 5)
		var regs []*models.Registration
		for _, p := range ps {
			regs = append(regs, f.register(t, s, p))
		}
		who := models.ActorOf(ps[0], "127.0.0.1")
		in := models.SessionInput{Title: "Focus", Kind: models.KindTraining, Day: "2027-03-12", StartTime: "11:30", EndTime: "12:30", Capacity: "1"}
		_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, s.ID, in, time.Now())
		fieldErr(t, err, "capacity", "cannot go below 2")
		// Raising the capacity seats the first in line.
		in.Capacity = "3"
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, s.ID, in, time.Now()); err != nil {
			t.Fatal(err)
		}
		conf, wait := checkSession(t, db, s.ID)
		if len(conf) != 3 || len(wait) != 2 || wait[0] != ps[3].ID {
			t.Fatalf("after raising: %v %v", conf, wait)
		}
		// Promote the last in line by hand: the full session grows by a seat.
		res, err := models.PromoteRegistration(ctx, db, who, f.summit.ID, s.ID, regs[4].ID, regNow)
		if err != nil || !res.AddedSeat {
			t.Fatalf("promote: %+v %v", res, err)
		}
		conf, wait = checkSession(t, db, s.ID)
		if len(conf) != 4 || fmt.Sprint(wait) != fmt.Sprint([]uint{ps[3].ID}) {
			t.Fatalf("after promote: %v %v", conf, wait)
		}
		_, err = models.PromoteRegistration(ctx, db, who, f.summit.ID, s.ID, regs[0].ID, regNow)
		fieldErr(t, err, "registration_id", "not on the waitlist")
		// Remove a confirmed person: ps[3] moves up.
		if _, err := models.RemoveRegistration(ctx, db, who, f.summit.ID, s.ID, regs[1].ID, regNow); err != nil {
			t.Fatal(err)
		}
		conf, wait = checkSession(t, db, s.ID)
		if len(conf) != 4 || len(wait) != 0 {
			t.Fatalf("after remove: %v %v", conf, wait)
		}
		// Check-in: only a confirmed seat; a registration of another session is not found.
		if _, err := models.MarkAttended(ctx, db, who, f.summit.ID, s.ID, regs[0].ID, true, regNow); err != nil {
			t.Fatal(err)
		}
		_, err = models.MarkAttended(ctx, db, who, f.summit.ID, s.ID, regs[1].ID, true, regNow)
		fieldErr(t, err, "registration_id", "no confirmed seat")
		s2 := f.session(t, "Other", "2027-03-12", "14:00", "15:00", 5)
		if _, err := models.MarkAttended(ctx, db, who, f.summit.ID, s2.ID, regs[0].ID, true, regNow); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("registration through another session: %v", err)
		}
		r, _ := models.GetRoster(ctx, db, f.summit.ID, s.ID)
		if len(r.Confirmed) != 4 || r.Attended != 1 || r.Confirmed[0].Person == nil {
			t.Fatalf("roster %+v", r)
		}
		if hits := models.SearchRoster(r, "person 00"); len(hits) != 1 || hits[0].PersonID != ps[0].ID {
			t.Fatalf("search: %+v", hits)
		}
		rows := models.RosterCSV(r, f.summit.Location())
		if len(rows) != 5 || rows[0][2] != "name" {
			t.Fatalf("csv rows %v", rows)
		}
		ev, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "registration."})
		if len(ev) != 3 {
			t.Fatalf("%d registration audit events, want 3 (promote, remove, attend)", len(ev))
		}
		// Capacity cannot go below the confirmed count (4) after all these moves.
		in.Capacity = "3"
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, s.ID, in, time.Now())
		fieldErr(t, err, "capacity", "cannot go below 4")
	})
}

func TestFillStateAndOrdinals(t *testing.T) {
	c := 20
	for _, tc := range []struct {
		taken int
		want  string
	}{{0, "open"}, {14, "open"}, {15, "filling"}, {19, "filling"}, {20, "full"}} {
		s := models.Session{Capacity: &c, SeatsTaken: tc.taken}
		if got := s.FillState(); got != tc.want {
			t.Errorf("%d of 20: %s, want %s", tc.taken, got, tc.want)
		}
	}
	for n, want := range map[int]string{1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 11: "11th", 12: "12th", 13: "13th", 21: "21st", 102: "102nd"} {
		if got := models.Ordinal(n); got != want {
			t.Errorf("Ordinal(%d) = %s", n, got)
		}
	}
}

// What a session's seat box shows: seats left and how full the bar is, for
// a session without registration, filling up and full; were more seats held
// than there are, the bar stays full and none are left.
func TestFillStateSeatsLeftAndFillPercent(t *testing.T) {
	c := 20
	for _, tc := range []struct{ taken, left, percent int }{{0, 20, 0}, {5, 15, 25}, {15, 5, 75}, {19, 1, 95}, {20, 0, 100}, {25, 0, 100}} {
		s := models.Session{Capacity: &c, SeatsTaken: tc.taken}
		if left, pct := s.SeatsLeft(), s.FillPercent(); left != tc.left || pct != tc.percent {
			t.Errorf("%d of 20 taken: %d left, %d %%; want %d left, %d %%", tc.taken, left, pct, tc.left, tc.percent)
		}
	}
	open := models.Session{SeatsTaken: 3}
	if open.SeatsLeft() != 0 || open.FillPercent() != 0 || open.FillState() != "" {
		t.Errorf("a session without registration: %d left, %d %%, state %q", open.SeatsLeft(), open.FillPercent(), open.FillState())
	}
}

func TestDemoHasRegistrations(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
			t.Fatal(err)
		}
		summit, _ := models.GetSummit(ctx, db, 1)
		loads, err := models.TrainingOverview(ctx, db, summit)
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]int{}
		walkIns := 0
		for _, l := range loads {
			states[l.Session.FillState()]++
			checkSession(t, db, l.Session.ID)
			if l.Session.FillState() == "full" && (l.Waiting != 3 || l.WalkIns != 1) {
				t.Errorf("full demo session has %d waiting and %d walk-ins, want 3 and 1", l.Waiting, l.WalkIns)
			}
			walkIns += l.WalkIns
		}
		if walkIns != 1 {
			t.Errorf("%d walk-ins in the demo, want 1 (at the full session)", walkIns)
		}
		if states["full"] != 1 || states["filling"] != 1 {
			t.Fatalf("demo fill states %v", states)
		}
		jose, _ := models.PersonByEmail(ctx, db, models.DemoEmail("jose.nunez"))
		agenda, _ := models.PersonalAgenda(ctx, db, summit, jose.ID)
		var waiting []int
		for _, e := range agenda {
			if e.Status == models.RegWaitlisted {
				waiting = append(waiting, e.Position)
			}
		}
		if fmt.Sprint(waiting) != "[2]" {
			t.Fatalf("José's waitlist places %v, want [2]", waiting)
		}
	})
}

// A session page asks for the person's own place: none before registering,
// the seat or the waitlist place while they hold it, none once cancelled.
func TestMyRegistrationFollowsRegisterAndCancel(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		s := f.session(t, "De-escalation", "2027-03-11", "10:00", "11:30", 1)
		ps := f.people(t, 2)
		mine := func(p *models.Person) *models.Registration {
			t.Helper()
			r, err := models.MyRegistration(ctx, db, s.ID, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		if r := mine(ps[0]); r != nil {
			t.Fatalf("a place before registering: %+v", r)
		}
		f.register(t, s, ps[0])
		f.register(t, s, ps[1])
		if r := mine(ps[0]); r == nil || r.Status != models.RegConfirmed {
			t.Fatalf("the first to register: %+v", r)
		}
		if r := mine(ps[1]); r == nil || r.Status != models.RegWaitlisted || r.PositionText() != "1st in line" {
			t.Fatalf("the second to register: %+v", r)
		}
		if _, err := models.CancelRegistration(ctx, db, f.summit.ID, s.ID, ps[1].ID, regNow); err != nil {
			t.Fatal(err)
		}
		if r := mine(ps[1]); r != nil {
			t.Fatalf("a place after cancelling: %+v", r)
		}
	})
}

// A refusal reads the same every time: its own key first, else the first
// field by name (a map range once chose one at random).
func TestRefusalMessageReadsTheSameEveryTime(t *testing.T) {
	fe := models.FieldErrors{"title": "Title is required.", "capacity": "Capacity must be a number.", "room_id": "Choose a room."}
	for i := 0; i < 50; i++ {
		if got := models.RefusalMessage(fmt.Errorf("save: %w", fe)); got != "Capacity must be a number." {
			t.Fatalf("try %d: %q, want the first field by name", i, got)
		}
	}
	fe["registration"] = "The session is full."
	if got := models.RefusalMessage(fe); got != "The session is full." {
		t.Fatalf("%q, want the refusal's own message", got)
	}
	if got := models.RefusalMessage(models.ErrNotFound); got != "" {
		t.Fatalf("not a refusal: %q", got)
	}
}
