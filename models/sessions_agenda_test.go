package models_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// The agenda lists a day's sessions (or every day's, when the day is empty
// or not a date) by start time, then in the rooms' order, sessions without
// a room last and in the order they were added.
func TestSessionListByDayInTimeThenRoomOrder(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		welcome := f.session("Welcome", "09:00", "09:30")
		welcome.Kind, welcome.RoomID = models.KindKeynote, ""
		f.save(t, welcome)
		coffee := f.session("Coffee", "09:00", "09:30")
		coffee.Kind, coffee.RoomID = models.KindBreak, ""
		f.save(t, coffee)
		studio := f.session("Studio lab", "09:00", "09:30")
		studio.RoomID = id(f.studio.ID)
		f.save(t, studio)
		f.save(t, f.session("Hall lab", "09:00", "09:30"))
		f.save(t, f.session("Early hall lab", "08:00", "08:45"))
		dayTwo := f.session("Day two", "08:00", "08:45")
		dayTwo.Day = "2027-03-12"
		f.save(t, dayTwo)

		titles := func(day string) string {
			t.Helper()
			list, err := models.ListSessions(ctx, db, f.summit, models.AgendaFilter{Day: day})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, s := range list {
				out = append(out, s.Title)
			}
			return strings.Join(out, ", ")
		}
		dayOne := "Early hall lab, Hall lab, Studio lab, Welcome, Coffee"
		for day, want := range map[string]string{
			"2027-03-11": dayOne,
			"2027-03-12": "Day two",
			"":           dayOne + ", Day two",
			"not-a-day":  dayOne + ", Day two",
		} {
			if got := titles(day); got != want {
				t.Errorf("day %q: %s, want %s", day, got, want)
			}
		}
	})
}

// The organiser's overview shows every warning a session has, and a break
// for everyone over exactly two sessions names both.
func TestSessionWarningsShowEveryWarning(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		lunch := f.session("Lunch", "12:30", "13:30")
		lunch.Kind, lunch.RoomID = models.KindBreak, ""
		f.save(t, lunch)
		crowded := f.session("Crowded lunch lab", "12:45", "13:15")
		crowded.RoomID, crowded.Capacity = id(f.studio.ID), "35"
		res := f.save(t, crowded)
		w, err := models.SessionWarnings(ctx, db, f.summit.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := w[res.Session.ID]
		if !strings.HasPrefix(got, "Seat capacity 35 is above what Garden Studio holds (20). ") || !strings.Contains(got, "It overlaps “Lunch” (Thu 11 Mar 12:30–13:30), a break for everyone") {
			t.Fatalf("the overview's warnings for a crowded lunch lab: %q", got)
		}

		// A break for everyone over exactly two sessions names both.
		f.save(t, f.session("Hall lab", "15:00", "16:00"))
		studio := f.session("Studio lab", "15:00", "16:00")
		studio.RoomID = id(f.studio.ID)
		f.save(t, studio)
		tea := f.session("Tea", "15:30", "16:30")
		tea.Kind, tea.RoomID = models.KindBreak, ""
		res = f.save(t, tea)
		want := "“Tea” is a break for everyone, but “Hall lab” (Thu 11 Mar 15:00–16:00) and “Studio lab” (Thu 11 Mar 15:00–16:00) happen during it."
		if len(res.Warnings) != 1 || res.Warnings[0] != want {
			t.Fatalf("a break over two sessions: %q, want %q", res.Warnings, want)
		}
	})
}
