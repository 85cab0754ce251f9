package models_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

var ctx = context.Background()

func newSummit(t testing.TB, db *gorm.DB) *models.Summit {
	t.Helper()
	s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2027", StartDate: "2027-03-11", EndDate: "2027-03-12", TimeZone: "Europe/Amsterdam"})
	if err != nil {
		t.Fatalf("create summit: %v", err)
	}
	return s
}

func fieldErr(t *testing.T, err error, field, contains string) {
	t.Helper()
	var fe models.FieldErrors
	if !errors.As(err, &fe) {
		t.Fatalf("want a field error on %s, got %v", field, err)
	}
	if !strings.Contains(fe[field], contains) {
		t.Fatalf("field %s: want message containing %q, got %q (all: %v)", field, contains, fe[field], fe)
	}
}

func TestMigrateIsRecordedAndIdempotent(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ran, err := models.Migrate(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(ran) != 0 {
			t.Fatalf("second migrate applied %v again", ran)
		}
		migs, _ := models.Migrations()
		var n int64
		db.Table("schema_migrations").Count(&n)
		if int(n) != len(migs) {
			t.Fatalf("schema_migrations has %d rows, want %d", n, len(migs))
		}
	})
}

func TestSummitValidation(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		_, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "", StartDate: "2027-03-12", EndDate: "2027-03-11", TimeZone: "Mars/Olympus"})
		fieldErr(t, err, "title", "required")
		fieldErr(t, err, "end_date", "on or after")
		fieldErr(t, err, "time_zone", "Mars/Olympus")
		first := newSummit(t, db)
		// Several editions share a year, each with its own title (in any case).
		_, err = models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: " " + strings.ToLower(first.Title), StartDate: "2027-06-01", EndDate: "2027-06-01", TimeZone: "UTC"})
		fieldErr(t, err, "title", "already an edition called")
		second, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: first.Title + " Americas", StartDate: "2027-06-01", EndDate: "2027-06-01", TimeZone: "America/New_York"})
		if err != nil || second.Year != 2027 {
			t.Fatalf("a second edition in 2027: %v", err)
		}
		_, err = models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), second.ID, models.SummitInput{Title: first.Title, StartDate: "2027-06-01", EndDate: "2027-06-01", TimeZone: "UTC"}, time.Now())
		fieldErr(t, err, "title", "already an edition called")
	})
}

func TestMovingSummitDatesListsSessionsOutside(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSummit(t, db)
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Day two keynote", Kind: "keynote", Day: "2027-03-12", StartTime: "09:00", EndTime: "10:00"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		_, err := models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), s.ID, models.SummitInput{Title: s.Title, StartDate: "2027-03-11", EndDate: "2027-03-11", TimeZone: s.TimeZone}, time.Now())
		fieldErr(t, err, "start_date", "Day two keynote")
		got, _ := models.GetSummit(ctx, db, s.ID)
		if got.EndDate != "2027-03-12" {
			t.Fatalf("refused update still changed the end date to %s", got.EndDate)
		}
		if _, err := models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), s.ID, models.SummitInput{Title: "Renamed", StartDate: "2027-03-10", EndDate: "2027-03-12", TimeZone: s.TimeZone}, time.Now()); err != nil {
			t.Fatalf("widening dates: %v", err)
		}
	})
}
