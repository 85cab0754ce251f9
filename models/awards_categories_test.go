package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// The category form takes up to six criteria (blank lines and spaces
// dropped; none means the defaults) and a number of winners from 1 to 10
// (empty means 1); a seventh criterion, 0, 11 or a word is refused with the
// message next to its field.
func TestCategoryCriteriaAndWinnersBounds(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		in := func(criteria, winners string) models.CategoryInput {
			return models.CategoryInput{Name: "Kindness Award", Criteria: criteria, Winners: winners,
				OpensDay: "2027-01-01", OpensTime: "09:00", ClosesDay: "2027-03-01", ClosesTime: "17:00"}
		}
		six := "Warmth\n\n  Patience  \nCare\nListening\nFollow-up\nHonesty\n"
		c, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, 0, in(six, "1"), awardNow)
		if err != nil {
			t.Fatalf("six criteria, one winner: %v", err)
		}
		if c.Criteria != "Warmth\nPatience\nCare\nListening\nFollow-up\nHonesty" || c.Winners != 1 {
			t.Fatalf("stored %q, %d winners", c.Criteria, c.Winners)
		}
		for winners, want := range map[string]int{"10": 10, " 3 ": 3, "": 1} {
			c, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, c.ID, in("", winners), awardNow)
			if err != nil || c.Winners != want || len(c.CriteriaList()) != len(models.DefaultCriteria) {
				t.Fatalf("winners %q: %v, want %d with the default criteria; %v", winners, c, want, err)
			}
		}
		_, err = models.SaveCategory(ctx, db, f.org, f.summit.ID, 0, in(six+"Speed", ""), awardNow)
		fieldErr(t, err, "criteria", "Use at most 6 criteria, one per line.")
		for _, bad := range []string{"0", "11", "two", "-1"} {
			_, err = models.SaveCategory(ctx, db, f.org, f.summit.ID, 0, in("", bad), awardNow)
			fieldErr(t, err, "winners", "Number of winners must be a whole number from 1 to 10.")
		}
		var n int64
		db.Model(&models.AwardCategory{}).Where("summit_id = ?", f.summit.ID).Count(&n)
		if n != 2 {
			t.Fatalf("%d categories stored; the refused ones must not be", n)
		}
	})
}

// A new category's proposed nomination window opens today at 09:00 and
// closes at 17:00 on the day before the ceremony, or before the summit's
// first day when it has no ceremony; when that is less than a day away it
// runs for two weeks. All in the summit's zone (Amsterdam, UTC+1 in March).
func TestDefaultNominationWindow(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db) // 11–12 March 2027, ceremony on the 12th at 13:30
		loc := f.summit.Location()
		local := func(day string, hour int) time.Time {
			d, _ := time.ParseInLocation("2006-01-02", day, loc)
			return d.Add(time.Duration(hour) * time.Hour)
		}
		check := func(s *models.Summit, now time.Time, opens, closes time.Time) {
			t.Helper()
			o, c, err := models.DefaultNominationWindow(ctx, db, s, now)
			if err != nil || !o.Equal(opens) || !c.Equal(closes) {
				t.Fatalf("at %v: %v – %v (%v); want %v – %v", now.In(loc), o.In(loc), c.In(loc), err, opens, closes)
			}
		}
		check(f.summit, awardNow, local("2027-02-01", 9), local("2027-03-11", 17))
		// 21 hours before the proposed close: two weeks from today instead.
		check(f.summit, local("2027-03-10", 20), local("2027-03-10", 9), local("2027-03-24", 17))
		// Exactly a day before it: kept.
		check(f.summit, local("2027-03-10", 17), local("2027-03-10", 9), local("2027-03-11", 17))
		bare := newSummitYear(t, db, 2027) // 1–2 May 2027, no ceremony
		check(bare, awardNow, local("2027-02-01", 9), local("2027-04-30", 17))
	})
}
