package models_test

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// dstSummit is a summit in Europe/Berlin over the night the clocks go back
// (Sunday 31 October 2027, 03:00 CEST → 02:00 CET, at 01:00 UTC), with one
// room and a session "Night watch" 01:30–02:30 CEST (23:30–00:30 UTC).
func dstSummit(t *testing.T, db *gorm.DB) (*models.Summit, *models.Room, *models.Session) {
	t.Helper()
	s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Night Summit 2027",
		StartDate: "2027-10-30", EndDate: "2027-10-31", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	room, err := models.CreateRoom(ctx, db, models.ActorOf(nil, ""), s.ID, models.RoomInput{Name: "Night Hall", Capacity: "50"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Night watch", Kind: models.KindSocial,
		RoomID: id(room.ID), Day: "2027-10-31", StartTime: "01:30", EndTime: "02:30"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return s, room, res.Session
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestTimetableMovesAcrossTheClockChange: a time typed in the hour that
// happens twice is its first happening; the editor's moves are instants,
// so on the night the clocks go back a session moves by real time — into
// the hour that happens twice, across the change, longer over it — and one
// taken off the timetable from that hour keeps its length.
func TestTimetableMovesAcrossTheClockChange(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s, room, night := dstSummit(t, db)
		loc := s.Location()
		// Typed in the form, 02:30 that night is its first happening (CEST).
		if !night.StartsAt.Equal(utc("2027-10-30T23:30:00Z")) || night.Duration() != time.Hour {
			t.Fatalf("01:30–02:30 is stored as %v–%v", night.StartsAt, night.EndsAt)
		}
		cases := []struct {
			what, from, to, want string
		}{
			{"into the second 02:30 (CET)", "2027-10-31T01:30:00Z", "2027-10-31T02:30:00Z", "02:30 CET–03:30 CET"},
			{"three real hours later than 01:00 CEST", "2027-10-31T02:00:00Z", "2027-10-31T03:00:00Z", "03:00 CET–04:00 CET"},
			{"longer, over the change", "2027-10-30T23:30:00Z", "2027-10-31T01:15:00Z", "01:30 CEST–02:15 CET"},
		}
		for i, c := range cases {
			res, err := models.MoveSession(ctx, db, models.ActorOf(nil, ""), s.ID, night.ID, models.MoveInput{Version: fmt.Sprint(i + 1),
				RoomID: id(room.ID), StartsAt: c.from, EndsAt: c.to}, time.Now())
			if err != nil {
				t.Fatalf("%s: %v", c.what, err)
			}
			got := reload(t, &agendaFixture{db: db, summit: s}, night.ID)
			when := got.StartsAt.In(loc).Format("15:04 MST") + "–" + got.EndsAt.In(loc).Format("15:04 MST")
			if !got.StartsAt.Equal(utc(c.from)) || !got.EndsAt.Equal(utc(c.to)) || when != c.want || !res.Saved {
				t.Fatalf("%s: stored %v–%v (%s), want %s–%s (%s)", c.what, got.StartsAt, got.EndsAt, when, c.from, c.to, c.want)
			}
		}
		// 02:30 CEST to 02:30 CET is an hour; off the timetable it stays one
		// (as wall-clock times it read 02:30–02:30 and was refused).
		if _, err := models.MoveSession(ctx, db, models.ActorOf(nil, ""), s.ID, night.ID, models.MoveInput{Version: "4",
			RoomID: id(room.ID), StartsAt: "2027-10-31T00:30:00Z", EndsAt: "2027-10-31T01:30:00Z"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := models.MoveSession(ctx, db, models.ActorOf(nil, ""), s.ID, night.ID, models.MoveInput{Version: "5", Unschedule: true}, time.Now()); err != nil {
			t.Fatalf("unscheduling 02:30 CEST–02:30 CET: %v", err)
		}
		got := reload(t, &agendaFixture{db: db, summit: s}, night.ID)
		if !got.Unscheduled || got.Duration() != time.Hour {
			t.Fatalf("off the timetable: unscheduled %v, %v long", got.Unscheduled, got.Duration())
		}
		// The rules still hold: the room is taken in the second 02:00 hour, not the first.
		other, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Late shift", Kind: models.KindSocial,
			RoomID: id(room.ID), Day: "2027-10-31", StartTime: "04:00", EndTime: "05:00"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		_, err = models.MoveSession(ctx, db, models.ActorOf(nil, ""), s.ID, other.Session.ID, models.MoveInput{Version: "1",
			RoomID: id(room.ID), StartsAt: "2027-10-31T00:15:00Z", EndsAt: "2027-10-31T01:15:00Z"}, time.Now())
		if err != nil {
			t.Fatalf("02:15 CEST–02:15 CET in the empty room: %v", err)
		}
		if _, err := models.MoveSession(ctx, db, models.ActorOf(nil, ""), s.ID, night.ID, models.MoveInput{Version: "6",
			RoomID: id(room.ID), StartsAt: "2027-10-31T01:00:00Z", EndsAt: "2027-10-31T01:30:00Z"}, time.Now()); err == nil {
			t.Fatal("02:00–02:30 CET overlaps Late shift (until 02:15 CET) and was accepted")
		} else {
			fieldErr(t, err, "room_id", "already taken by “Late shift”")
		}
		// Unreadable instants are a field message, never a 500.
		_, err = models.MoveSession(ctx, db, models.ActorOf(nil, ""), s.ID, other.Session.ID, models.MoveInput{Version: "2",
			RoomID: id(room.ID), StartsAt: "half past two", EndsAt: "2027-10-31T01:15:00Z"}, time.Now())
		fieldErr(t, err, "start_time", "could not be read")
	})
}
