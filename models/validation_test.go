package models_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// The text rules, on every input path and both databases: one-line fields
// (titles, names, rooms, tracks, departments, …) refuse a line break, a tab
// or another control character with a message on that field; fields that
// hold paragraphs keep their line breaks, stored as LF only (a browser sends
// CRLF), and refuse other control characters.
func TestOneLineFieldsRefuseLineBreaksOnEveryInput(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		award := newAwardFixture(t, db)
		s := award.summit
		hall, err := models.CreateRoom(ctx, db, models.ActorOf(nil, ""), s.ID, models.RoomInput{Name: "Main Hall", Capacity: "100"})
		if err != nil {
			t.Fatal(err)
		}
		f := &agendaFixture{db: db, summit: s, hall: hall}
		for _, bad := range []struct{ v, msg string }{
			{"Main\r\nHall", "must be one line: remove the line break"},
			{"Main\nHall", "must be one line: remove the line break"},
			{"Main\rHall", "must be one line: remove the line break"},
			{"Main\u2028Hall", "must be one line: remove the line break"},
			{"Main\tHall", "must be one line: replace the tab with a space"},
			{"Main\x1bHall", "contains an invisible control character"},
		} {
			_, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: bad.v, StartDate: "2027-03-11", EndDate: "2027-03-12", TimeZone: "Europe/Amsterdam"})
			fieldErr(t, err, "title", "Title "+bad.msg)
			_, err = models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), s.ID, models.SummitInput{Title: s.Title, Theme: bad.v, Venue: bad.v, StartDate: s.StartDate, EndDate: s.EndDate, TimeZone: s.TimeZone}, time.Now())
			fieldErr(t, err, "theme", "Theme "+bad.msg)
			fieldErr(t, err, "venue", "Venue "+bad.msg)
			_, err = models.CreateRoom(ctx, db, models.ActorOf(nil, ""), s.ID, models.RoomInput{Name: bad.v, Capacity: "10"})
			fieldErr(t, err, "name", "Name "+bad.msg)
			_, err = models.CreateTrack(ctx, db, models.ActorOf(nil, ""), s.ID, models.TrackInput{Name: bad.v, Pillar: models.PillarTrain, Color: "#1d4ed8"})
			fieldErr(t, err, "name", "Name "+bad.msg)
			_, err = models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SpeakerInput{Name: bad.v, Organisation: bad.v})
			fieldErr(t, err, "name", "Name "+bad.msg)
			fieldErr(t, err, "organisation", "Organisation "+bad.msg)
			_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, f.session(bad.v, "09:00", "10:00"), time.Now())
			fieldErr(t, err, "title", "Title "+bad.msg)
			_, err = models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: bad.v, Email: "line@example.com", Department: bad.v, JobTitle: bad.v, Role: models.RoleStaff, Active: true})
			fieldErr(t, err, "name", "Name "+bad.msg)
			fieldErr(t, err, "department", "Department "+bad.msg)
			fieldErr(t, err, "job_title", "Job title "+bad.msg)
			_, err = models.SaveCategory(ctx, db, award.org, award.summit.ID, award.cat.ID, models.CategoryInput{Name: bad.v, Trait: bad.v}, time.Now())
			fieldErr(t, err, "name", "Name "+bad.msg)
			fieldErr(t, err, "trait", "Trait "+bad.msg)
			_, err = models.SaveMeasure(ctx, db, award.org, 0, models.MeasureInput{Name: bad.v, Unit: bad.v}, awardNow)
			fieldErr(t, err, "name", "Name "+bad.msg)
			fieldErr(t, err, "unit", "Unit "+bad.msg)
		}
		// A directory file with a line break inside a quoted name: the row
		// is reported, by line and column, not imported.
		_, problems := models.ParseDirectoryCSV([]byte("name,email,department,job_title,manager_email,role\r\n\"Ana\r\nLima\",ana@example.com,Support,,,staff\r\n"))
		if !problemAt(problems, 2, "name", "Name must be one line") {
			t.Errorf("a name with a line break in the directory file: problems %+v", problems)
		}
		// Paragraphs keep their breaks, as LF only; other controls are refused.
		in := f.session("Listening lab", "09:00", "10:00")
		in.Abstract = "First line.\r\nSecond line.\rThird line.\n\tIndented."
		res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, in, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		got, err := models.GetSession(ctx, db, s.ID, res.Session.ID)
		if err != nil || got.Abstract != "First line.\nSecond line.\nThird line.\n\tIndented." {
			t.Fatalf("stored abstract %q (%v), want LF line ends", got.Abstract, err)
		}
		in.Abstract = "A form feed\x0c here."
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, in, time.Now())
		fieldErr(t, err, "abstract", "Abstract contains an invisible control character")
		sp, err := models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SpeakerInput{Name: "Zoë Ølberg", Bio: "Ten years at the desk.\r\nTrains new colleagues."})
		if err != nil || sp.Bio != "Ten years at the desk.\nTrains new colleagues." {
			t.Fatalf("stored bio %q (%v)", sp.Bio, err)
		}
		// What is fine stays as typed: accents, emoji, spaces around are trimmed.
		r, err := models.CreateRoom(ctx, db, models.ActorOf(nil, ""), s.ID, models.RoomInput{Name: "  Salle Ørsted 🎉  ", Capacity: "10"})
		if err != nil || r.Name != "Salle Ørsted 🎉" {
			t.Fatalf("room %+v (%v)", r, err)
		}
		if n := strings.Count(models.OneLine("a\r\n\r\nb\tc\u2028d "), " "); n != 3 {
			t.Errorf("OneLine folds each run of breaks into one space: %q", models.OneLine("a\r\n\r\nb\tc\u2028d "))
		}
	})
}
