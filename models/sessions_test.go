package models_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// agendaFixture is a summit with two rooms and two speakers.
type agendaFixture struct {
	db       *gorm.DB
	summit   *models.Summit
	hall     *models.Room // 100 seats
	studio   *models.Room // 20 seats
	ana, jos *models.Speaker
}

func newAgenda(t *testing.T, db *gorm.DB) *agendaFixture {
	t.Helper()
	f := &agendaFixture{db: db, summit: newSummit(t, db)}
	var err error
	if f.hall, err = models.CreateRoom(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.RoomInput{Name: "Main Hall", Capacity: "100"}); err != nil {
		t.Fatal(err)
	}
	if f.studio, err = models.CreateRoom(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.RoomInput{Name: "Garden Studio", Capacity: "20"}); err != nil {
		t.Fatal(err)
	}
	if f.ana, err = models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SpeakerInput{Name: "Nguyễn Thị Ánh"}); err != nil {
		t.Fatal(err)
	}
	if f.jos, err = models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SpeakerInput{Name: "José Núñez"}); err != nil {
		t.Fatal(err)
	}
	return f
}

func id(n uint) string { return fmt.Sprint(n) }

// session is a valid input on the summit's first day in the hall.
func (f *agendaFixture) session(title, start, end string) models.SessionInput {
	return models.SessionInput{Title: title, Kind: models.KindTraining, Day: "2027-03-11", StartTime: start, EndTime: end, RoomID: id(f.hall.ID)}
}

func (f *agendaFixture) save(t *testing.T, in models.SessionInput) *models.SessionResult {
	t.Helper()
	res, err := models.SaveSession(ctx, f.db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
	if err != nil {
		t.Fatalf("save %q: %v", in.Title, err)
	}
	return res
}

func countSessions(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.Session{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSessionEndMustBeAfterStart(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, f.session("Backwards", "11:00", "10:00"), time.Now())
		fieldErr(t, err, "end_time", "after the start")
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, f.session("No time at all", "10:00", "10:00"), time.Now())
		fieldErr(t, err, "end_time", "after the start")
		if n := countSessions(t, db); n != 0 {
			t.Fatalf("refused sessions were stored: %d", n)
		}
	})
}

func TestSessionMustBeInsideSummitDates(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		in := f.session("Too early", "09:00", "10:00")
		in.Day = "2027-03-10"
		_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
		fieldErr(t, err, "day", "inside the summit's dates, 2027-03-11 to 2027-03-12")
		in.Day = "2027-03-13"
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
		fieldErr(t, err, "day", "inside the summit's dates")
		in.Day = "11/03/2027"
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
		fieldErr(t, err, "day", "Choose one of the summit's days")
		in = f.session("Bad clock", "9h", "25:00")
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
		fieldErr(t, err, "start_time", "like 09:30")
		fieldErr(t, err, "end_time", "like 09:30")
		// The last day is inside: the summit ends at midnight after it.
		in = f.session("Last day", "17:00", "18:00")
		in.Day = "2027-03-12"
		f.save(t, in)
	})
}

func TestNoTwoSessionsOverlapInOneRoom(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		f.save(t, f.session("Everyone serves", "10:00", "11:00"))
		for _, tc := range []struct{ start, end string }{
			{"10:30", "11:30"}, // overlaps the end
			{"09:30", "10:30"}, // overlaps the start
			{"10:15", "10:45"}, // inside
			{"09:00", "12:00"}, // around
			{"10:00", "11:00"}, // the same slot
		} {
			_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, f.session("Clash "+tc.start, tc.start, tc.end), time.Now())
			fieldErr(t, err, "room_id", "Main Hall is already taken by “Everyone serves” (Thu 11 Mar 10:00–11:00)")
		}
		// Touching sessions share no moment: 11:00–12:00 after 10:00–11:00 is fine, and so is 09:00–10:00.
		f.save(t, f.session("Right after", "11:00", "12:00"))
		f.save(t, f.session("Right before", "09:00", "10:00"))
		// Another room at the same time is fine.
		other := f.session("Parallel", "10:00", "11:00")
		other.RoomID = id(f.studio.ID)
		f.save(t, other)
		if n := countSessions(t, db); n != 4 {
			t.Fatalf("want 4 sessions stored, got %d", n)
		}
	})
}

func TestNoSpeakerInTwoOverlappingSessions(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		first := f.session("De-escalation with boundaries", "10:00", "11:00")
		first.SpeakerIDs = []string{id(f.ana.ID), id(f.jos.ID)}
		f.save(t, first)
		second := f.session("Product knowledge lab", "10:30", "11:30")
		second.RoomID = id(f.studio.ID)
		second.SpeakerIDs = []string{id(f.ana.ID)}
		_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, second, time.Now())
		fieldErr(t, err, "speakers", "Nguyễn Thị Ánh is already speaking in “De-escalation with boundaries” (Thu 11 Mar 10:00–11:00)")
		// Right after is fine, and a different speaker at the same time too.
		second.StartTime, second.EndTime = "11:00", "12:00"
		f.save(t, second)
		third := f.session("Panel", "10:00", "11:00")
		third.RoomID, third.SpeakerIDs = "", []string{id(f.jos.ID)}
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, third, time.Now())
		fieldErr(t, err, "speakers", "José Núñez is already speaking")
	})
}

func TestSeatsAboveRoomCapacityIsAWarning(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		in := f.session("Crowded lab", "10:00", "11:00")
		in.RoomID, in.Capacity = id(f.studio.ID), "35"
		res := f.save(t, in)
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "The seat capacity (35) is above what Garden Studio holds (20)") {
			t.Fatalf("warnings: %q", res.Warnings)
		}
		if res.Session.Capacity == nil || *res.Session.Capacity != 35 {
			t.Fatalf("capacity not stored: %v", res.Session.Capacity)
		}
		w, err := models.SessionWarnings(ctx, db, f.summit.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(w[res.Session.ID], "Garden Studio") {
			t.Fatalf("overview warnings: %v", w)
		}
		// Within the room's capacity: no warning.
		in2 := f.session("Roomy lab", "12:00", "13:00")
		in2.Capacity = "40"
		if res := f.save(t, in2); len(res.Warnings) != 0 {
			t.Fatalf("unexpected warning: %q", res.Warnings)
		}
		for _, bad := range []string{"0", "-3", "lots", "1e3"} {
			in3 := f.session("Bad seats", "14:00", "15:00")
			in3.Capacity = bad
			_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, in3, time.Now())
			fieldErr(t, err, "capacity", "Seat capacity")
		}
	})
}

// A session during a break for everyone (a break with no room, such as
// lunch) is saved with a warning, not refused: in either order, and in the
// organiser's overview. A break in a room, or a session beside the break,
// gives none.
func TestSessionDuringAPlenaryBreakIsAWarning(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		lunch := f.session("Lunch", "12:30", "13:30")
		lunch.Kind, lunch.RoomID = models.KindBreak, ""
		if res := f.save(t, lunch); len(res.Warnings) != 0 {
			t.Fatalf("a lunch on an empty agenda warns: %q", res.Warnings)
		}
		learn := f.save(t, f.session("Lunch and learn", "12:45", "13:15"))
		if len(learn.Warnings) != 1 || !strings.Contains(learn.Warnings[0], "It overlaps “Lunch” (Thu 11 Mar 12:30–13:30), a break for everyone") {
			t.Fatalf("a session inside lunch: warnings %q", learn.Warnings)
		}
		if n := countSessions(t, db); n != 2 {
			t.Fatalf("%d sessions stored, want 2 (a warning does not refuse)", n)
		}
		// Beside the break, in a room's own coffee break, or a roomless
		// keynote before it: no warning.
		if res := f.save(t, f.session("After lunch", "13:30", "14:30")); len(res.Warnings) != 0 {
			t.Fatalf("a session right after lunch warns: %q", res.Warnings)
		}
		coffee := f.session("Studio coffee", "12:30", "13:00")
		coffee.Kind, coffee.RoomID = models.KindBreak, id(f.studio.ID)
		if res := f.save(t, coffee); len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "“Lunch”") {
			t.Fatalf("a roomed break during lunch: %q, want the lunch warning", res.Warnings)
		}
		// The other order: a break for everyone placed over sessions names them.
		tea := f.session("Afternoon tea", "12:55", "14:00")
		tea.Kind, tea.RoomID = models.KindBreak, ""
		res := f.save(t, tea)
		if len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "“Afternoon tea” is a break for everyone, but “Studio coffee” (Thu 11 Mar 12:30–13:00), “Lunch and learn” (Thu 11 Mar 12:45–13:15) and 1 more happen during it.") {
			t.Fatalf("a break over sessions: warnings %q", res.Warnings)
		}
		w, err := models.SessionWarnings(ctx, db, f.summit.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(w[learn.Session.ID], "“Lunch”") || !strings.Contains(w[learn.Session.ID], "“Afternoon tea”") {
			t.Errorf("the overview does not warn about the lunch-and-learn: %q", w[learn.Session.ID])
		}
		if !strings.Contains(w[res.Session.ID], "is a break for everyone") {
			t.Errorf("the overview does not warn about the tea over sessions: %q", w[res.Session.ID])
		}
	})
}

func TestTimeThatDoesNotExistOnDSTDayIsRefused(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		// Clocks in Amsterdam go from 02:00 to 03:00 on Sunday 28 March 2027.
		s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Night summit", StartDate: "2027-03-27", EndDate: "2027-03-28", TimeZone: "Europe/Amsterdam"})
		if err != nil {
			t.Fatal(err)
		}
		in := models.SessionInput{Title: "Night shift stories", Kind: models.KindSocial, Day: "2027-03-28", StartTime: "02:30", EndTime: "04:00"}
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, in, time.Now())
		fieldErr(t, err, "start_time", "02:30 does not exist on 2027-03-28 in Europe/Amsterdam")
		in.StartTime, in.EndTime = "01:30", "02:15"
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, in, time.Now())
		fieldErr(t, err, "end_time", "02:15 does not exist")
		// Across the change: 01:30–03:30 local is one hour long.
		in.EndTime = "03:30"
		res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, in, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if d := res.Session.Duration(); d != time.Hour {
			t.Fatalf("01:30–03:30 across the clock change lasts %v, want 1h", d)
		}
	})
}

func TestEditingASessionDoesNotClashWithItself(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		in := f.session("Everyone serves", "10:00", "11:00")
		in.SpeakerIDs = []string{id(f.ana.ID)}
		s := f.save(t, in).Session
		// Longer, same room, same speaker, overlapping its old self.
		in.EndTime, in.Title = "11:30", "Everyone serves (long cut)"
		res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, s.ID, in, time.Now())
		if err != nil {
			t.Fatalf("editing clashed with itself: %v", err)
		}
		if res.Session.UUID != s.UUID || res.Session.ID != s.ID {
			t.Fatalf("edit changed identity: %s/%d → %s/%d", s.UUID, s.ID, res.Session.UUID, res.Session.ID)
		}
		got, err := models.GetSession(ctx, db, f.summit.ID, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != "Everyone serves (long cut)" || got.EndsAt.Sub(got.StartsAt) != 90*time.Minute || len(got.Speakers) != 1 {
			t.Fatalf("edit not stored: %+v", got)
		}
		// Moving it onto another session is still refused.
		f.save(t, f.session("Lunch talk", "12:00", "13:00"))
		in.StartTime, in.EndTime = "11:45", "12:15"
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, s.ID, in, time.Now())
		fieldErr(t, err, "room_id", "“Lunch talk”")
	})
}

func TestSessionsBelongToTheirSummit(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		other, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2028", StartDate: "2028-03-09", EndDate: "2028-03-10", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		otherRoom, _ := models.CreateRoom(ctx, db, models.ActorOf(nil, ""), other.ID, models.RoomInput{Name: "Elsewhere", Capacity: "10"})
		otherTrack, _ := models.CreateTrack(ctx, db, models.ActorOf(nil, ""), other.ID, models.TrackInput{Name: "Other", Pillar: models.PillarTrain, Color: "#123456"})
		otherSpeaker, _ := models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), other.ID, 0, models.SpeakerInput{Name: "Outsider"})
		in := f.session("Tampered", "10:00", "11:00")
		in.RoomID, in.TrackID, in.SpeakerIDs = id(otherRoom.ID), id(otherTrack.ID), []string{id(otherSpeaker.ID)}
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
		fieldErr(t, err, "room_id", "room of this summit")
		fieldErr(t, err, "track_id", "track of this summit")
		fieldErr(t, err, "speakers", "speakers of this summit")
		in = f.session("Garbage ids", "10:00", "11:00")
		in.RoomID, in.TrackID, in.SpeakerIDs, in.Kind = "abc", "-1", []string{"x"}, "rave"
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
		fieldErr(t, err, "room_id", "Choose a room")
		fieldErr(t, err, "track_id", "Choose a track")
		fieldErr(t, err, "speakers", "Choose speakers")
		fieldErr(t, err, "kind", "Choose a kind")

		s := f.save(t, f.session("Ours", "10:00", "11:00")).Session
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), other.ID, s.ID, f.session("Hijack", "10:00", "11:00"), time.Now()); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("editing through another summit: %v, want ErrNotFound", err)
		}
		if err := models.DeleteSession(ctx, db, models.ActorOf(nil, ""), other.ID, s.ID, time.Now()); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deleting through another summit: %v, want ErrNotFound", err)
		}
		if _, err := models.GetSession(ctx, db, other.ID, s.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("reading through another summit: %v", err)
		}
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 999999, f.session("Ghost", "10:00", "11:00"), time.Now()); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("editing an unknown session: %v", err)
		}
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), 999999, 0, f.session("Nowhere", "10:00", "11:00"), time.Now()); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("adding to an unknown summit: %v", err)
		}
	})
}

func TestMovingSummitDatesOrZoneListsEverySessionOutside(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		f.save(t, f.session("Opening", "09:00", "10:00"))
		late := f.session("Closing", "16:00", "17:00")
		late.Day = "2027-03-12"
		f.save(t, late)
		// Starting a day later leaves the opening out.
		_, err := models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.SummitInput{Title: f.summit.Title, StartDate: "2027-03-12", EndDate: "2027-03-13", TimeZone: f.summit.TimeZone}, time.Now())
		fieldErr(t, err, "start_date", "“Opening” (Thu 11 Mar 09:00)")
		// A one-day summit on another date leaves both out, both named.
		_, err = models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.SummitInput{Title: f.summit.Title, StartDate: "2027-04-01", EndDate: "2027-04-01", TimeZone: f.summit.TimeZone}, time.Now())
		fieldErr(t, err, "start_date", "“Opening”")
		fieldErr(t, err, "start_date", "“Closing”")
		got, _ := models.GetSummit(ctx, db, f.summit.ID)
		if got.StartDate != "2027-03-11" || got.EndDate != "2027-03-12" {
			t.Fatalf("a refused move changed the dates to %s–%s", got.StartDate, got.EndDate)
		}
		// The same dates in Pacific/Kiritimati (UTC+14) end 13 hours earlier:
		// the 16:00 Amsterdam closing would fall after the summit's last midnight.
		_, err = models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.SummitInput{Title: f.summit.Title, StartDate: "2027-03-11", EndDate: "2027-03-12", TimeZone: "Pacific/Kiritimati"}, time.Now())
		fieldErr(t, err, "start_date", "“Closing”")
	})
}

// Two organisers (or two app instances) booking one room for one slot at the
// same moment: exactly one wins, the others are told who has the room.
func TestConcurrentBookingsOfOneRoomLetExactlyOneWin(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		for attempt := 0; attempt < 3; attempt++ {
			const n = 8
			start := fmt.Sprintf("%02d:00", 9+2*attempt)
			end := fmt.Sprintf("%02d:30", 9+2*attempt)
			var wg sync.WaitGroup
			gate := make(chan struct{})
			errs := make([]error, n)
			for i := 0; i < n; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					<-gate
					in := f.session(fmt.Sprintf("Booking %d-%d", attempt, i), start, end)
					// Half of them start a little later, still overlapping.
					if i%2 == 1 {
						in.StartTime = fmt.Sprintf("%02d:15", 9+2*attempt)
					}
					_, errs[i] = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, in, time.Now())
				}(i)
			}
			close(gate)
			wg.Wait()
			won := 0
			for i, err := range errs {
				var fe models.FieldErrors
				switch {
				case err == nil:
					won++
				case errors.As(err, &fe) && strings.Contains(fe["room_id"], "Main Hall is already taken by “Booking"):
				default:
					t.Errorf("attempt %d booking %d: unexpected error %v", attempt, i, err)
				}
			}
			if won != 1 {
				t.Fatalf("attempt %d: %d bookings of one room and slot succeeded, want exactly 1", attempt, won)
			}
		}
		if n := countSessions(t, db); n != 3 {
			t.Fatalf("want 3 sessions stored, got %d", n)
		}
	})
}
