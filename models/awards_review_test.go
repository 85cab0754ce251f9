package models_test

import (
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
			_, err := models.SaveSession(ctx, db, f.summit.ID, ceremony.ID, models.SessionInput{Title: "Ceremony", Kind: models.KindCeremony, Day: day, StartTime: start, EndTime: end})
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
