package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// TestUnscheduledSessionMadeWithOnlyItsLength: the session form's "Not on
// the timetable yet" needs only a length; the session lands in the side
// list with no room, clashes with nobody, and needs
// a day and times again once it is put back on the timetable. A session
// people hold a seat in cannot be taken off the timetable this way either.
func TestUnscheduledSessionMadeWithOnlyItsLength(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		who := models.Actor{Name: "Mira"}
		save := func(id uint, in models.SessionInput) (*models.SessionResult, error) {
			return models.SaveSession(ctx, db, who, f.summit.ID, id, in, time.Now())
		}
		in := models.SessionInput{Title: "Listening lab", Kind: models.KindTraining, Unscheduled: true, Length: "50",
			RoomID: id(f.hall.ID), SpeakerIDs: []string{id(f.ana.ID)}, Capacity: "12"}
		for _, bad := range []struct{ length, msg string }{
			{"", "Give the session's length in minutes"}, {"0", "between 5 and 720"}, {"721", "between 5 and 720"}, {"an hour", "whole number"},
		} {
			b := in
			b.Length = bad.length
			_, err := save(0, b)
			fieldErr(t, err, "length", bad.msg)
		}
		if n := countSessions(t, db); n != 0 {
			t.Fatalf("refused lengths saved %d sessions", n)
		}
		res, err := save(0, in)
		if err != nil {
			t.Fatal(err)
		}
		got := reload(t, f, res.Session.ID)
		if !got.Unscheduled || got.RoomID != nil || got.Duration() != 50*time.Minute || len(got.Speakers) != 1 {
			t.Fatalf("made unscheduled: %+v", got)
		}
		all, err := models.ListSessions(ctx, db, f.summit, models.AgendaFilter{Unscheduled: true})
		if err != nil || len(all) != 1 || !all[0].Unscheduled {
			t.Fatalf("the organisers' list: %v %+v", err, all)
		}
		if public, _ := models.ListSessions(ctx, db, f.summit, models.AgendaFilter{}); len(public) != 0 {
			t.Fatalf("the public agenda lists %d sessions", len(public))
		}
		// It holds neither its speaker nor a room at the time that keeps its length.
		b := f.session("Patience", "08:00", "09:00")
		b.SpeakerIDs = []string{id(f.ana.ID)}
		f.save(t, b)
		p := account(t, db, "Bo Bright", models.RoleStaff)
		// A new length while off the timetable changes nothing for anyone.
		in.Version, in.Length = "1", "90"
		if res, err := save(got.ID, in); err != nil || res.Change.Changed() {
			t.Fatalf("new length: %v %+v", err, res)
		}
		if got = reload(t, f, got.ID); got.Duration() != 90*time.Minute || !got.Unscheduled {
			t.Fatalf("after the new length: %+v", got)
		}
		// Unticked: a day and times are needed as for any session.
		on := in
		on.Version, on.Unscheduled = "2", false
		_, err = save(got.ID, on)
		fieldErr(t, err, "day", "Choose one of the summit's days")
		on.Day, on.StartTime, on.EndTime = "2027-03-11", "10:00", "11:30"
		if res, err := save(got.ID, on); err != nil || !res.Change.Scheduled {
			t.Fatalf("back on the timetable: %v %+v", err, res)
		}
		// Someone holds a seat: the form cannot take it off the timetable.
		if err := db.Exec("INSERT INTO registrations (session_id, person_id, status, position, created_at, updated_at) VALUES (?, ?, 'confirmed', 0, ?, ?)", got.ID, p.ID, time.Now(), time.Now()).Error; err != nil {
			t.Fatal(err)
		}
		in.Version = "3"
		_, err = save(got.ID, in)
		fieldErr(t, err, "unscheduled", "1 person holds a seat")
		if got = reload(t, f, got.ID); got.Unscheduled || got.Version != 3 {
			t.Fatalf("a refused change saved: %+v", got)
		}
	})
}
