package models_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

func reload(t *testing.T, f *agendaFixture, id uint) *models.Session {
	t.Helper()
	s, err := models.GetSession(ctx, f.db, f.summit.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSessionVersionRefusesAStaleEdit: every change raises the version; an
// edit made on the version before is refused, names who changed it, and
// overwrites nothing.
func TestSessionVersionRefusesAStaleEdit(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		s := f.save(t, f.session("Listening", "10:00", "11:00")).Session
		if s.Version != 1 || reload(t, f, s.ID).Version != 1 {
			t.Fatalf("a new session is at version %d, want 1", s.Version)
		}
		mira := models.Actor{Name: "Mira Organiser"}
		in := f.session("Listening well", "10:00", "11:00")
		in.Version = "1"
		if _, err := models.SaveSession(ctx, db, mira, f.summit.ID, s.ID, in, time.Now()); err != nil {
			t.Fatal(err)
		}
		if v := reload(t, f, s.ID).Version; v != 2 {
			t.Fatalf("version after an edit = %d, want 2", v)
		}
		stale := f.session("Listening (old tab)", "14:00", "15:00")
		stale.Version = "1"
		_, err := models.SaveSession(ctx, db, models.Actor{Name: "Jo"}, f.summit.ID, s.ID, stale, time.Now())
		if !models.IsStale(err) {
			t.Fatalf("a stale edit gave %v, want a stale refusal", err)
		}
		fieldErr(t, err, "version", "changed by Mira Organiser")
		got := reload(t, f, s.ID)
		if got.Title != "Listening well" || got.Version != 2 || got.StartsAt.In(f.summit.Location()).Hour() != 10 {
			t.Fatalf("the stale edit overwrote the session: %+v", got)
		}
		// A move on the stale version is refused the same way.
		_, err = models.MoveSession(ctx, db, mira, f.summit.ID, s.ID, models.MoveInput{Version: "1", RoomID: id(f.studio.ID), Day: "2027-03-11", StartTime: "12:00", EndTime: "13:00"}, time.Now())
		if !models.IsStale(err) {
			t.Fatalf("a stale move gave %v", err)
		}
		if _, err := models.MoveSession(ctx, db, mira, f.summit.ID, s.ID, models.MoveInput{RoomID: id(f.studio.ID), Day: "2027-03-11", StartTime: "12:00", EndTime: "13:00"}, time.Now()); err == nil {
			t.Fatal("a move without a version was saved")
		}
		for _, bad := range []string{"x", "-1"} {
			in.Version = bad
			if _, err := models.SaveSession(ctx, db, mira, f.summit.ID, s.ID, in, time.Now()); err == nil {
				t.Fatalf("version %q was accepted", bad)
			}
		}
	})
}

// TestMoveSessionKeepsTheFormsRules: a move changes room and time only, and
// runs every rule of the form.
func TestMoveSessionKeepsTheFormsRules(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		a := f.session("Kindness", "10:00", "11:00")
		a.SpeakerIDs, a.Abstract, a.Capacity = []string{id(f.ana.ID)}, "Why kindness lasts.", "30"
		s := f.save(t, a).Session
		b := f.session("Patience", "10:00", "11:00")
		b.RoomID, b.SpeakerIDs = id(f.studio.ID), []string{id(f.jos.ID)}
		f.save(t, b)
		c := f.session("Timeliness", "13:00", "14:00")
		c.RoomID, c.SpeakerIDs = id(f.studio.ID), []string{id(f.ana.ID)}
		f.save(t, c)

		move := func(room uint, day, start, end string) (*models.SessionResult, error) {
			return models.MoveSession(ctx, db, models.Actor{Name: "Mira"}, f.summit.ID, s.ID,
				models.MoveInput{Version: "1", RoomID: id(room), Day: day, StartTime: start, EndTime: end}, time.Now())
		}
		refused := func(field, msg string, room uint, day, start, end string) {
			t.Helper()
			_, err := move(room, day, start, end)
			fieldErr(t, err, field, msg)
		}
		refused("room_id", "Garden Studio is already taken by “Patience”", f.studio.ID, "2027-03-11", "10:30", "11:30")
		refused("speakers", "Nguyễn Thị Ánh is already speaking in “Timeliness”", f.hall.ID, "2027-03-11", "13:30", "14:00")
		refused("day", "inside the summit's dates", f.hall.ID, "2027-03-13", "10:00", "11:00")
		refused("day", "", f.hall.ID, "2027-3-x", "10:00", "11:00")
		refused("start_time", "", f.hall.ID, "2027-03-11", "25:00", "26:00")
		refused("end_time", "after the start", f.hall.ID, "2027-03-11", "11:00", "10:00")
		refused("room_id", "Choose a room of this summit", 999999, "2027-03-11", "10:00", "11:00")
		if got := reload(t, f, s.ID); got.Version != 1 || *got.RoomID != f.hall.ID {
			t.Fatalf("a refused move changed the session: %+v", got)
		}
		other, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Other", StartDate: "2027-03-11", EndDate: "2027-03-12", TimeZone: "Europe/Amsterdam"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.MoveSession(ctx, db, models.Actor{}, other.ID, s.ID, models.MoveInput{Version: "1", Day: "2027-03-11", StartTime: "10:00", EndTime: "11:00"}, time.Now()); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("moving another summit's session gave %v, want ErrNotFound", err)
		}

		res, err := move(f.studio.ID, "2027-03-12", "15:00", "16:30")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0], "above what Garden Studio holds (20)") {
			t.Errorf("capacity against the room: warnings %q", res.Warnings)
		}
		got := reload(t, f, s.ID)
		loc := f.summit.Location()
		if got.Version != 2 || *got.RoomID != f.studio.ID || got.StartsAt.In(loc).Format("2006-01-02 15:04") != "2027-03-12 15:00" ||
			got.EndsAt.In(loc).Format("15:04") != "16:30" || got.Title != "Kindness" || got.Abstract != "Why kindness lasts." ||
			*got.Capacity != 30 || len(got.Speakers) != 1 || got.Speakers[0].ID != f.ana.ID {
			t.Fatalf("after the move: %+v", got)
		}
	})
}

// TestUnscheduledSessionsLeaveThePublicAgenda: a session taken off the
// timetable keeps its length, frees its room and its speakers, leaves the
// public agenda, takes no registration, and comes back with a move.
func TestUnscheduledSessionsLeaveThePublicAgenda(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		a := f.session("Kindness", "10:00", "11:15")
		a.SpeakerIDs = []string{id(f.ana.ID)}
		s := f.save(t, a).Session
		off := models.MoveInput{Version: "1", Unschedule: true}
		res, err := models.MoveSession(ctx, db, models.Actor{Name: "Mira"}, f.summit.ID, s.ID, off, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if ch := res.Change; !ch.Unscheduled || !ch.Changed() || ch.AfterText != "not on the timetable yet" || !strings.HasSuffix(ch.BeforeText, "Main Hall") {
			t.Errorf("the change says %+v", ch)
		}
		got := reload(t, f, s.ID)
		if !got.Unscheduled || got.RoomID != nil || got.Duration() != 75*time.Minute || got.Version != 2 {
			t.Fatalf("unscheduled: %+v", got)
		}
		public, err := models.ListSessions(ctx, db, f.summit, models.AgendaFilter{})
		if err != nil || len(public) != 0 {
			t.Fatalf("the public agenda lists %d sessions (%v), want none", len(public), err)
		}
		all, err := models.ListSessions(ctx, db, f.summit, models.AgendaFilter{Unscheduled: true})
		if err != nil || len(all) != 1 {
			t.Fatalf("the organisers' list has %d sessions (%v), want 1", len(all), err)
		}
		// Its room and speaker are free at its old time.
		b := f.session("Patience", "10:00", "11:00")
		b.SpeakerIDs = []string{id(f.ana.ID)}
		f.save(t, b)
		// Back on the timetable: the same rules again.
		on := models.MoveInput{Version: "2", RoomID: id(f.hall.ID), Day: "2027-03-11", StartTime: "10:30", EndTime: "11:45"}
		_, err = models.MoveSession(ctx, db, models.Actor{Name: "Mira"}, f.summit.ID, s.ID, on, time.Now())
		fieldErr(t, err, "room_id", "already taken by “Patience”")
		on.StartTime, on.EndTime = "11:00", "12:15"
		if res, err := models.MoveSession(ctx, db, models.Actor{Name: "Mira"}, f.summit.ID, s.ID, on, time.Now()); err != nil || !res.Change.Scheduled {
			t.Fatalf("scheduling again: %v %+v", err, res)
		}
		if got := reload(t, f, s.ID); got.Unscheduled || got.RoomID == nil || got.Version != 3 {
			t.Fatalf("scheduled again: %+v", got)
		}
		// A session people registered for stays on the timetable.
		p := account(t, db, "Bo Bright", models.RoleStaff)
		if err := db.Exec("INSERT INTO registrations (session_id, person_id, status, position, created_at, updated_at) VALUES (?, ?, 'confirmed', 0, ?, ?)", s.ID, p.ID, time.Now(), time.Now()).Error; err != nil {
			t.Fatal(err)
		}
		off.Version = "3"
		_, err = models.MoveSession(ctx, db, models.Actor{Name: "Mira"}, f.summit.ID, s.ID, off, time.Now())
		fieldErr(t, err, "unscheduled", "1 person holds a seat")
	})
}

// TestTwoMovesAtOnceOneWins: two organisers drop the same session at once,
// both on the version they saw; exactly one move is saved.
func TestTwoMovesAtOnceOneWins(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		s := f.save(t, f.session("Kindness", "10:00", "11:00")).Session
		for round := 0; round < 5; round++ {
			v := id(uint(round + 1))
			ins := []models.MoveInput{
				{Version: v, RoomID: id(f.studio.ID), Day: "2027-03-11", StartTime: "12:00", EndTime: "13:00"},
				{Version: v, RoomID: id(f.hall.ID), Day: "2027-03-12", StartTime: "09:00", EndTime: "10:00"},
			}
			if round%2 == 1 {
				ins[0], ins[1] = ins[1], ins[0]
			}
			errs := make([]error, 2)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range ins {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-start
					_, errs[i] = models.MoveSession(ctx, db, models.Actor{Name: "Organiser " + id(uint(i))}, f.summit.ID, s.ID, ins[i], time.Now())
				}(i)
			}
			close(start)
			wg.Wait()
			won := 0
			for _, err := range errs {
				switch {
				case err == nil:
					won++
				case !models.IsStale(err):
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if won != 1 {
				t.Fatalf("round %d: %d moves won (%v), want exactly 1", round, won, errs)
			}
			if got := reload(t, f, s.ID); got.Version != round+2 {
				t.Fatalf("round %d: version %d, want %d", round, got.Version, round+2)
			}
		}
	})
}
