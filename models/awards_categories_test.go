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

// The four moments must come in order — nominations open, close, judging
// closes, the announcement — each refusal next to its field; an edit is
// audited; deleting a category with one nomination asks for its name in the
// singular, and then removes the category, its nominations and judges, with
// an audit line.
func TestCategoryMomentsInOrderEditAuditedDeleteComplete(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		in := models.CategoryInput{Name: "Kindness Award", OpensDay: "2027-01-01", OpensTime: "09:00", ClosesDay: "2027-03-01", ClosesTime: "17:00"}
		early := in
		early.AnnounceDay, early.AnnounceTime = "2027-02-28", "12:00"
		_, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, 0, early, awardNow)
		fieldErr(t, err, "announce_day", "The announcement must come after nominations close (")
		late := in
		late.AnnounceDay, late.AnnounceTime, late.JudgingDay, late.JudgingTime = "2027-03-10", "12:00", "2027-03-11", "12:00"
		_, err = models.SaveCategory(ctx, db, f.org, f.summit.ID, 0, late, awardNow)
		fieldErr(t, err, "judging_day", "Judging must close by the announcement (")
		soon := in
		soon.JudgingDay, soon.JudgingTime = "2027-02-28", "12:00"
		_, err = models.SaveCategory(ctx, db, f.org, f.summit.ID, 0, soon, awardNow)
		fieldErr(t, err, "judging_day", "after nominations close")

		c, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, 0, in, awardNow)
		if err != nil {
			t.Fatal(err)
		}
		in.Trait = "Kindness"
		if _, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, c.ID, in, awardNow); err != nil {
			t.Fatal(err)
		}
		if ev, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "award.update", RecordID: itoa(c.ID)}); err != nil || len(ev) != 1 {
			t.Fatalf("the edit's audit: %v %v", ev, err)
		}
		ann, bo := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		f.nominate(t, c, ann, bo, goodStory)
		f.judge(t, c, ann)
		err = models.DeleteCategory(ctx, db, f.org, f.summit.ID, c.ID, "", awardNow)
		fieldErr(t, err, "confirm", "holds 1 nomination written by staff")
		if err := models.DeleteCategory(ctx, db, f.org, f.summit.ID, c.ID, "Kindness Award", awardNow); err != nil {
			t.Fatal(err)
		}
		if _, err := models.GetCategory(ctx, db, f.summit.ID, c.ID); err != models.ErrNotFound {
			t.Fatalf("the deleted category: %v", err)
		}
		var left int64
		db.Raw("SELECT (SELECT COUNT(*) FROM award_nominations WHERE category_id = ?) + (SELECT COUNT(*) FROM award_judges WHERE category_id = ?)", c.ID, c.ID).Scan(&left)
		if ev, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "award.delete", RecordID: itoa(c.ID)}); err != nil || len(ev) != 1 || left != 0 {
			t.Fatalf("after the delete: %d rows left, audit %v %v", left, ev, err)
		}
	})
}

// My nominations lists the active ones a person wrote in a summit, oldest
// first, with their category (its moments in UTC) and nominee; a withdrawn
// one and someone else's are left out.
func TestMyNominationsListsMineStillActive(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		ann, bo, cy := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clark", "IT")
		first := f.nominate(t, f.cat, ann, bo, goodStory)
		gone := f.nominate(t, f.cat, ann, cy, goodStory)
		f.nominate(t, f.cat, bo, cy, goodStory)
		if err := models.WithdrawNomination(ctx, db, f.summit.ID, ann.ID, gone.ID, awardNow); err != nil {
			t.Fatal(err)
		}
		mine, err := models.MyNominations(ctx, db, f.summit.ID, ann.ID)
		if err != nil || len(mine) != 1 || mine[0].ID != first.ID || mine[0].Nominee == nil || mine[0].Nominee.Name != "Bo Bright" ||
			mine[0].Category == nil || mine[0].Category.Name != "Patience Award" || mine[0].Category.ClosesAt.Location() != time.UTC {
			t.Fatalf("my nominations: %+v %v", mine, err)
		}
	})
}
