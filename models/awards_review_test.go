package models_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// An announcement left at "the start of the ceremony" follows the ceremony
// when the agenda moves it: the winners are never revealed at the old time,
// before the ceremony really starts. An announcement set to another moment
// stays; a move before the nominations close is refused with a message.
func TestAnnouncementFollowsTheCeremony(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		loc := f.summit.Location()
		fixed := f.category(t, "Fixed Award", models.CategoryInput{AnnounceDay: "2027-03-11", AnnounceTime: "10:00"})
		a, b, j := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Jo Judge", "Legal")
		f.judge(t, f.cat, j)
		n := f.nominate(t, f.cat, a, b, goodStory)
		f.score(t, j, n, "5", "5", "5")
		if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{b.ID}, "", awardNow); err != nil {
			t.Fatal(err)
		}
		oldStart := time.Date(2027, 3, 12, 13, 30, 0, 0, loc)
		if !f.cat.AnnounceAt.Equal(oldStart) {
			t.Fatalf("fixture: announcement %v, want the ceremony start", f.cat.AnnounceAt)
		}
		var ceremony models.Session
		if err := db.Where("summit_id = ? AND kind = ?", f.summit.ID, models.KindCeremony).First(&ceremony).Error; err != nil {
			t.Fatal(err)
		}
		move := func(day, start, end string) error {
			_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, ceremony.ID, models.SessionInput{Title: "Ceremony", Kind: models.KindCeremony, Day: day, StartTime: start, EndTime: end}, time.Now())
			return err
		}
		if err := move("2027-03-12", "16:00", "17:30"); err != nil {
			t.Fatal(err)
		}
		newStart := time.Date(2027, 3, 12, 16, 0, 0, 0, loc)
		if h, _ := models.Honorees(ctx, db, f.summit.ID, oldStart.Add(time.Minute)); len(h) != 0 {
			t.Fatalf("the winner is revealed at the ceremony's old time, before it starts: %+v", h)
		}
		if h, _ := models.Honorees(ctx, db, f.summit.ID, newStart); len(h) != 1 {
			t.Fatalf("the winner is not shown at the ceremony's new start: %+v", h)
		}
		c, _ := models.GetCategory(ctx, db, f.summit.ID, f.cat.ID)
		if !c.AnnounceAt.Equal(newStart) || !c.JudgingClosesAt.Equal(newStart) {
			t.Fatalf("announcement %v, judging closes %v; want both at %v", c.AnnounceAt, c.JudgingClosesAt, newStart)
		}
		fx, _ := models.GetCategory(ctx, db, f.summit.ID, fixed.ID)
		if !fx.AnnounceAt.Equal(fixed.AnnounceAt) {
			t.Fatalf("an announcement set to its own moment moved: %v", fx.AnnounceAt)
		}
		// A category whose nominations close on the ceremony day cannot be
		// announced before they close.
		late := f.category(t, "Late Award", models.CategoryInput{})
		if err := db.Model(&models.AwardCategory{}).Where("id = ?", late.ID).Update("closes_at", time.Date(2027, 3, 12, 12, 0, 0, 0, loc).UTC()).Error; err != nil {
			t.Fatal(err)
		}
		fieldErr(t, move("2027-03-12", "11:00", "12:30"), "start_time", "Late Award")
		// Earlier, but after every close: judging closes by the announcement.
		if err := db.Model(&models.AwardCategory{}).Where("id = ?", late.ID).Update("closes_at", time.Date(2027, 3, 1, 17, 0, 0, 0, loc).UTC()).Error; err != nil {
			t.Fatal(err)
		}
		if err := move("2027-03-11", "09:00", "10:00"); err != nil {
			t.Fatal(err)
		}
		c, _ = models.GetCategory(ctx, db, f.summit.ID, f.cat.ID)
		if want := time.Date(2027, 3, 11, 9, 0, 0, 0, loc); !c.AnnounceAt.Equal(want) || c.JudgingClosesAt.After(c.AnnounceAt) {
			t.Fatalf("moved earlier: announcement %v, judging closes %v", c.AnnounceAt, c.JudgingClosesAt)
		}
		if ev, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "award.update"}); len(ev) < 2 {
			t.Fatalf("the moved announcements are not in the audit log: %d events", len(ev))
		}
	})
}

// A winner chosen while nominations were still open, whose only nomination
// was then withdrawn, is not shown as an honoree (nor on certificates or in
// the program, which read Honorees).
func TestWithdrawnWinnerIsNoHonoree(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		a, b := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		n := f.nominate(t, f.cat, a, b, goodStory)
		if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{b.ID}, "Only nominee so far", awardNow); err != nil {
			t.Fatal(err)
		}
		if err := models.WithdrawNomination(ctx, db, f.summit.ID, a.ID, n.ID, awardNow); err != nil {
			t.Fatal(err)
		}
		if h, _ := models.Honorees(ctx, db, f.summit.ID, f.cat.AnnounceAt); len(h) != 0 {
			t.Fatalf("a withdrawn nomination's nominee is honoured: %+v", h)
		}
		if h, _ := models.MyRecognition(ctx, db, b.ID, f.cat.AnnounceAt); len(h) != 0 {
			t.Fatalf("a withdrawn nomination's nominee sees recognition: %+v", h)
		}
	})
}

// A judge who is nominated in the category they judge competes with every
// nomination they score: they still see and score the others (hiding the
// category would tell them they are nominated), but organisers see those
// scores marked as not counted, and the ranking ignores them.
func TestNominatedJudgeScoresDoNotCount(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		jo, kim := f.person(t, "Jo Judge", "Legal"), f.person(t, "Kim Judge", "Sales")
		a, b := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		f.judge(t, f.cat, jo)
		f.judge(t, f.cat, kim)
		rival := f.nominate(t, f.cat, a, b, goodStory)
		f.score(t, jo, rival, "1", "1", "1")
		f.score(t, kim, rival, "5", "5", "5")
		f.nominate(t, f.cat, a, jo, goodStory) // Jo is nominated after scoring
		_, items, err := models.JudgeQueue(ctx, db, f.summit.ID, f.cat.ID, jo.ID)
		if err != nil || len(items) != 1 || items[0].Nomination.ID != rival.ID {
			t.Fatalf("Jo's queue must still show Bo's nomination only: %v %d", err, len(items))
		}
		_, rows, err := models.Results(ctx, db, f.summit.ID, f.cat.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Nominee.ID != b.ID {
				continue
			}
			if r.Scores != 1 || r.Mean != 5 || r.Judges != 1 {
				t.Fatalf("Bo: %d scores, mean %v, %d judges; want only Kim's score to count", r.Scores, r.Mean, r.Judges)
			}
			ignored := false
			for _, n := range r.Notes {
				ignored = ignored || n.Judge == "Jo Judge" && n.Ignored != ""
			}
			if !ignored {
				t.Fatalf("organisers are not told why Jo's score does not count: %+v", r.Notes)
			}
			return
		}
		t.Fatal("no row for Bo")
	})
}

// Deleting a category that holds staff nominations needs its name typed:
// the stories would be lost for good. An empty category goes at once.
func TestDeleteCategoryWithNominationsNeedsItsName(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		a, b := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		f.nominate(t, f.cat, a, b, goodStory)
		fieldErr(t, models.DeleteCategory(ctx, db, f.org, f.summit.ID, f.cat.ID, "", time.Now()), "confirm", "1 nomination")
		fieldErr(t, models.DeleteCategory(ctx, db, f.org, f.summit.ID, f.cat.ID, "Patience", time.Now()), "confirm", "type the category's name")
		if _, err := models.GetCategory(ctx, db, f.summit.ID, f.cat.ID); err != nil {
			t.Fatalf("the category is gone after a refused delete: %v", err)
		}
		if err := models.DeleteCategory(ctx, db, f.org, f.summit.ID, f.cat.ID, " patience award ", time.Now()); err != nil {
			t.Fatal(err)
		}
		var n int64
		db.Model(&models.Nomination{}).Where("category_id = ?", f.cat.ID).Count(&n)
		if n != 0 {
			t.Fatalf("%d nominations left of a deleted category", n)
		}
		empty := f.category(t, "Empty Award", models.CategoryInput{})
		if err := models.DeleteCategory(ctx, db, f.org, f.summit.ID, empty.ID, "", time.Now()); err != nil {
			t.Fatalf("an empty category needs no confirmation: %v", err)
		}
	})
}

// A judge who nominated someone and then withdrew that nomination stays
// conflicted for that person: withdrawing is no way to score them.
func TestWithdrawingDoesNotClearAJudgesConflict(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		j, a, b := f.person(t, "Jo Judge", "Legal"), f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		f.judge(t, f.cat, j)
		other := f.nominate(t, f.cat, a, b, goodStory)
		mine := f.nominate(t, f.cat, j, b, goodStory)
		if err := models.WithdrawNomination(ctx, db, f.summit.ID, j.ID, mine.ID, awardNow); err != nil {
			t.Fatal(err)
		}
		if _, items, err := models.JudgeQueue(ctx, db, f.summit.ID, f.cat.ID, j.ID); err != nil || len(items) != 0 {
			t.Fatalf("after withdrawing, the judge sees %d nominations of the person they nominated (%v)", len(items), err)
		}
		if _, err := models.SaveScore(ctx, db, f.summit.ID, j.ID, other.ID, models.ScoreInput{Points: []string{"5", "5", "5"}}, awardNow); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("after withdrawing, the judge scores the person they nominated: %v", err)
		}
	})
}

// A judge learns when the nominator changed the story after they scored it;
// ticking the quote box alone is no change to what they judged.
func TestJudgeSeesStoryChangedSinceScoring(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		j, a, b := f.person(t, "Jo Judge", "Legal"), f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		f.judge(t, f.cat, j)
		n := f.nominate(t, f.cat, a, b, goodStory)
		f.score(t, j, n, "4", "4", "4")
		item := func() *models.JudgeItem {
			it, err := models.GetJudgeItem(ctx, db, f.summit.ID, n.ID, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		if item().ChangedSinceScored() {
			t.Fatal("changed before any change")
		}
		later := awardNow.Add(time.Hour)
		if _, err := models.UpdateNomination(ctx, db, f.summit.ID, a.ID, n.ID, models.NominationInput{Story: goodStory, Served: models.ServedCustomer, Quotable: false}, later); err != nil {
			t.Fatal(err)
		}
		if item().ChangedSinceScored() {
			t.Fatal("only the quote box changed, yet the judge is told the story changed")
		}
		if _, err := models.UpdateNomination(ctx, db, f.summit.ID, a.ID, n.ID, models.NominationInput{Story: goodStory + " She called back the next morning too.", Served: models.ServedCustomer}, later); err != nil {
			t.Fatal(err)
		}
		if !item().ChangedSinceScored() {
			t.Fatal("the judge is not told that the story changed after they scored")
		}
		if _, err := models.SaveScore(ctx, db, f.summit.ID, j.ID, n.ID, models.ScoreInput{Points: []string{"5", "5", "5"}}, later.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if item().ChangedSinceScored() {
			t.Fatal("still marked after the judge scored again")
		}
	})
}

// An organiser who is nominated in a category does not choose its winners.
func TestNominatedOrganiserCannotChooseWinners(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		a, org := f.person(t, "Ann Able", "Support"), f.person(t, "Olga Organiser", "Events")
		f.nominate(t, f.cat, a, org, goodStory)
		who := models.Actor{PersonID: org.ID, Name: org.Name}
		fieldErr(t, models.ChooseWinners(ctx, db, who, f.summit.ID, f.cat.ID, []uint{org.ID}, "I deserve it", awardNow), "winners", "another organiser")
		var n int64
		db.Model(&models.AwardWinner{}).Where("category_id = ?", f.cat.ID).Count(&n)
		if n != 0 {
			t.Fatalf("%d winners saved by a nominated organiser", n)
		}
		if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{org.ID}, "Only nominee, no scores yet", awardNow); err != nil {
			t.Fatalf("another organiser: %v", err)
		}
	})
}

// Moving a coming announcement into the past, with winners chosen, is
// refused (it would reveal them at once); without winners, or for a new
// category (entering last year's awards), a past moment is fine. Dates are
// relative to the real clock, which SaveCategory reads.
func TestAnnouncementSlipIntoThePastIsRefused(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		a, b := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		loc := f.summit.Location()
		now := time.Now()
		day := func(t time.Time) string { return t.In(loc).Format(models.DateLayout) }
		window := func(opens, closes, announce time.Time) models.CategoryInput {
			return models.CategoryInput{Name: "Patience Award", OpensDay: day(opens), OpensTime: "09:00", ClosesDay: day(closes), ClosesTime: "17:00",
				AnnounceDay: day(announce), AnnounceTime: "13:30"}
		}
		past := window(now.AddDate(-1, -2, 0), now.AddDate(-1, -1, 0), now.AddDate(0, -1, 0))
		coming := window(now.AddDate(0, 0, -7), now.AddDate(0, 0, 7), now.AddDate(0, 0, 14))
		if _, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, f.cat.ID, past, time.Now()); err != nil {
			t.Fatalf("no winners yet: %v", err)
		}
		if _, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, f.cat.ID, coming, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := models.Nominate(ctx, db, f.summit.ID, a.ID, models.NominationInput{CategoryID: fmt.Sprint(f.cat.ID), NomineeID: fmt.Sprint(b.ID), Story: goodStory, Served: models.ServedCustomer}, now); err != nil {
			t.Fatal(err)
		}
		if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{b.ID}, "Only nominee", now); err != nil {
			t.Fatal(err)
		}
		_, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, f.cat.ID, past, time.Now())
		fieldErr(t, err, "announce_day", "already past")
		if c, _ := models.GetCategory(ctx, db, f.summit.ID, f.cat.ID); !c.AnnounceAt.After(now) {
			t.Fatalf("refused, yet the announcement moved to %v", c.AnnounceAt)
		}
		last := past
		last.Name = "Last year"
		if _, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, 0, last, time.Now()); err != nil {
			t.Fatalf("a new category with a past announcement: %v", err)
		}
	})
}
