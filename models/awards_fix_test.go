package models_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// Item 4: a judge's score stored next to their recusal of the same
// nomination (as the old race left it) never counts in the ranking, and the
// pair counts once in the judging progress.
func TestRecusedJudgesScoreNeverCounts(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		j1, j2 := f.person(t, "Jo Judge", "Legal"), f.person(t, "Kim Judge", "Sales")
		a, b := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		f.judge(t, f.cat, j1)
		f.judge(t, f.cat, j2)
		n := f.nominate(t, f.cat, a, b, goodStory)
		f.score(t, j1, n, "5", "5", "5")
		f.score(t, j2, n, "1", "1", "1")
		if err := db.Create(&models.AwardRecusal{NominationID: n.ID, JudgeID: j2.ID, Reason: "Bo is my brother", CreatedAt: awardNow}).Error; err != nil {
			t.Fatal(err)
		}
		_, rows, err := models.Results(ctx, db, f.summit.ID, f.cat.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].Scores != 1 || rows[0].MeanText() != "5.00" {
			t.Fatalf("the recused judge's score counts: %+v", rows)
		}
		prog, err := models.JudgingProgress(ctx, db, f.summit.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range prog {
			if p.Category.ID == f.cat.ID && (p.Scored != 2 || p.Needed != 2) {
				t.Fatalf("progress counts the recused judge twice: %d of %d", p.Scored, p.Needed)
			}
		}
	})
}

// liveCeremony is a summit running around the real clock (the agenda and
// category rules read it): from two days ago to two days ahead in Amsterdam,
// with the awards ceremony tomorrow at 13:30 and a category announced at its
// start whose winner is chosen. Its nominations closed three days ago.
type liveCeremony struct {
	db       *gorm.DB
	summit   *models.Summit
	loc      *time.Location
	ceremony *models.Session
	cat      *models.AwardCategory
	org      models.Actor
}

func newLiveCeremony(t *testing.T, db *gorm.DB) *liveCeremony {
	t.Helper()
	l := &liveCeremony{db: db, org: models.Actor{Name: "organiser"}}
	l.loc, _ = time.LoadLocation("Europe/Amsterdam")
	var err error
	if l.summit, err = models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Live Summit", StartDate: l.day(-2), EndDate: l.day(2), TimeZone: l.loc.String()}); err != nil {
		t.Fatal(err)
	}
	l.ceremony = l.session(t, 0, "Awards ceremony", models.KindCeremony, l.day(1), "13:30")
	if l.cat, err = models.SaveCategory(ctx, db, l.org, l.summit.ID, 0, models.CategoryInput{Name: "Patience Award",
		OpensDay: l.day(-10), OpensTime: "09:00", ClosesDay: l.day(-3), ClosesTime: "17:00"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	f := &awardFixture{db: db, summit: l.summit}
	a, b := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
	then := l.cat.OpensAt.Add(24 * time.Hour)
	if _, err := models.Nominate(ctx, db, l.summit.ID, a.ID, models.NominationInput{CategoryID: fmt.Sprint(l.cat.ID), NomineeID: fmt.Sprint(b.ID), Story: goodStory, Served: models.ServedCustomer, Quotable: true}, then); err != nil {
		t.Fatal(err)
	}
	if err := models.ChooseWinners(ctx, db, l.org, l.summit.ID, l.cat.ID, []uint{b.ID}, "The only nominee", time.Now()); err != nil {
		t.Fatal(err)
	}
	if want := l.at(1, "13:30"); !l.cat.AnnounceAt.Equal(want) {
		t.Fatalf("fixture: announcement %v, want the ceremony's start %v", l.cat.AnnounceAt, want)
	}
	return l
}

// day is today plus d days in the summit's zone, as a date.
func (l *liveCeremony) day(d int) string {
	return time.Now().In(l.loc).AddDate(0, 0, d).Format(models.DateLayout)
}

func (l *liveCeremony) at(d int, hhmm string) time.Time {
	t, err := models.LocalTime(l.loc, l.day(d), hhmm)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func (l *liveCeremony) input(title string, kind models.SessionKind, day, start string) models.SessionInput {
	st, _ := time.Parse("15:04", start)
	return models.SessionInput{Title: title, Kind: kind, Day: day, StartTime: start, EndTime: st.Add(90 * time.Minute).Format("15:04")}
}

func (l *liveCeremony) session(t *testing.T, id uint, title string, kind models.SessionKind, day, start string) *models.Session {
	t.Helper()
	res, err := models.SaveSession(ctx, l.db, models.ActorOf(nil, ""), l.summit.ID, id, l.input(title, kind, day, start), time.Now())
	if err != nil {
		t.Fatalf("session %s: %v", title, err)
	}
	return res.Session
}

// secret fails the test when the winner is shown now or the announcement is
// not at want.
func (l *liveCeremony) secret(t *testing.T, want time.Time) {
	t.Helper()
	if h, err := models.Honorees(ctx, l.db, l.summit.ID, time.Now()); err != nil || len(h) != 0 {
		t.Fatalf("the winner is revealed before the ceremony: %+v %v", h, err)
	}
	c, err := models.GetCategory(ctx, l.db, l.summit.ID, l.cat.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !c.AnnounceAt.Equal(want) {
		t.Fatalf("announcement at %v, want %v", c.AnnounceAt.In(l.loc), want.In(l.loc))
	}
}

// Item 2, the agenda: moving the ceremony that an announcement with a chosen
// winner follows into the past, adding an earlier ceremony that already took
// place, or turning a past session into a ceremony, is refused with a message
// on the start time; the winner stays secret. Moving it later is fine and the
// announcement follows.
func TestCeremonyMovedIntoThePastIsRefused(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		l := newLiveCeremony(t, db)
		start := l.at(1, "13:30")
		_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), l.summit.ID, l.ceremony.ID, l.input("Awards ceremony", models.KindCeremony, l.day(-1), "10:00"), time.Now())
		fieldErr(t, err, "start_time", "“Patience Award” would then be announced on")
		fieldErr(t, err, "start_time", "already past, so its chosen winners would be revealed at once. Start the ceremony at a time still to come")
		l.secret(t, start)
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), l.summit.ID, 0, l.input("Opening ceremony", models.KindCeremony, l.day(-1), "09:00"), time.Now())
		fieldErr(t, err, "start_time", "already past")
		var n int64
		db.Model(&models.Session{}).Where("summit_id = ? AND kind = ?", l.summit.ID, models.KindCeremony).Count(&n)
		if n != 1 {
			t.Fatalf("the refused ceremony was stored: %d ceremonies", n)
		}
		l.secret(t, start)
		social := l.session(t, 0, "Welcome drinks", models.KindSocial, l.day(-1), "18:00")
		_, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), l.summit.ID, social.ID, l.input("Welcome drinks", models.KindCeremony, l.day(-1), "18:00"), time.Now())
		fieldErr(t, err, "start_time", "already past")
		l.secret(t, start)
		l.session(t, l.ceremony.ID, "Awards ceremony", models.KindCeremony, l.day(2), "16:00")
		l.secret(t, l.at(2, "16:00"))
	})
}

// Item 2, deleting: the announcement at a deleted ceremony's start follows the
// next ceremony (later, so the winner stays secret); with no ceremony left it
// keeps its moment. It never lands in the past.
func TestDeletingTheCeremonyKeepsWinnersSecret(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		l := newLiveCeremony(t, db)
		gala := l.session(t, 0, "Gala", models.KindCeremony, l.day(2), "19:00")
		l.secret(t, l.at(1, "13:30"))
		if err := models.DeleteSession(ctx, db, models.ActorOf(nil, ""), l.summit.ID, l.ceremony.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		l.secret(t, l.at(2, "19:00"))
		if err := models.DeleteSession(ctx, db, models.ActorOf(nil, ""), l.summit.ID, gala.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		l.secret(t, l.at(2, "19:00"))
		if err := models.DeleteSession(ctx, db, models.ActorOf(nil, ""), l.summit.ID, gala.ID, time.Now()); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deleting twice: %v", err)
		}
	})
}

// Item 2, the summit's dates: new dates (or a new time zone) that would leave
// the ceremony outside are refused, and dates that keep it inside leave the
// announcement where it is; the winner stays secret either way.
func TestSummitDatesChangeKeepsWinnersSecret(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		l := newLiveCeremony(t, db)
		in := models.SummitInput{Title: l.summit.Title, StartDate: l.day(-3), EndDate: l.day(0), TimeZone: l.loc.String()}
		_, err := models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), l.summit.ID, in, time.Now())
		fieldErr(t, err, "start_date", "Awards ceremony")
		l.secret(t, l.at(1, "13:30"))
		in.StartDate, in.EndDate, in.TimeZone = l.day(-4), l.day(4), "America/New_York"
		if _, err := models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), l.summit.ID, in, time.Now()); err != nil {
			t.Fatal(err)
		}
		l.secret(t, l.at(1, "13:30"))
	})
}

// Item 1: MaySeeOutcome keeps a category's outcome from a person nominated in
// it (a withdrawn nomination too) until the announcement, whatever their
// role; the model functions that run a category refuse them; the audit log
// and the nominations CSV leave the category out for them. Colleagues, the
// system and the nominee after the announcement are not refused.
func TestNomineeMayNotSeeOrRunTheirCategory(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		a := f.person(t, "Ann Able", "Support")
		olga, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Olga Organiser", Email: "olga@example.com", Role: models.RoleOrganiser, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		colleague := f.person(t, "Cole League", "Legal")
		n := f.nominate(t, f.cat, a, olga, goodStory)
		if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{olga.ID}, "The only nominee", awardNow); err != nil {
			t.Fatal(err)
		}
		if err := models.WithdrawNomination(ctx, db, f.summit.ID, a.ID, n.ID, awardNow); err != nil {
			t.Fatal(err)
		}
		hidden := func(err error) {
			t.Helper()
			var oh *models.OutcomeHiddenError
			if !errors.As(err, &oh) || !strings.Contains(err.Error(), "You are nominated in “Patience Award”") {
				t.Fatalf("want the nominee refused, got %v", err)
			}
		}
		hidden(models.MaySeeOutcome(ctx, db, f.cat, olga.ID, awardNow))
		if err := models.MaySeeOutcome(ctx, db, f.cat, colleague.ID, awardNow); err != nil {
			t.Fatalf("a colleague is refused: %v", err)
		}
		if err := models.MaySeeOutcome(ctx, db, f.cat, olga.ID, f.cat.AnnounceAt); err != nil {
			t.Fatalf("the nominee is refused after the announcement: %v", err)
		}
		as := models.Actor{PersonID: olga.ID, Name: olga.Name}
		hidden(models.AddJudge(ctx, db, as, f.summit.ID, f.cat.ID, colleague.ID, time.Now()))
		f.judge(t, f.cat, colleague)
		hidden(models.RemoveJudge(ctx, db, as, f.summit.ID, f.cat.ID, colleague.ID, time.Now()))
		_, err = models.SaveCategory(ctx, db, as, f.summit.ID, f.cat.ID, models.CategoryInput{Name: "Patience Award", OpensDay: "2027-01-01", OpensTime: "09:00", ClosesDay: "2027-03-01", ClosesTime: "17:00"}, time.Now())
		hidden(err)
		hidden(models.DeleteCategory(ctx, db, as, f.summit.ID, f.cat.ID, "Patience Award", time.Now()))
		hidden(models.ChooseWinners(ctx, db, as, f.summit.ID, f.cat.ID, []uint{colleague.ID}, "Because", awardNow))
		if judges, _ := models.ListJudges(ctx, db, f.cat.ID); len(judges) != 1 {
			t.Fatalf("the refused nominee changed the judges: %v", judges)
		}
		rows, err := models.NominationsCSV(ctx, db, f.summit.ID, time.UTC, olga.ID, awardNow)
		if err != nil || len(rows) != 1 {
			t.Fatalf("the nominee's CSV holds %d rows (%v), want the header only", len(rows), err)
		}
		if rows, _ = models.NominationsCSV(ctx, db, f.summit.ID, time.UTC, colleague.ID, awardNow); len(rows) != 2 {
			t.Fatalf("a colleague's CSV holds %d rows, want 2", len(rows))
		}
		mine, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "award.", ViewerID: olga.ID, Now: awardNow})
		if err != nil || len(mine) != 0 {
			t.Fatalf("the nominee reads %d award events: %+v %v", len(mine), mine, err)
		}
		if all, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "award.", ViewerID: colleague.ID, Now: awardNow}); len(all) < 3 {
			t.Fatalf("a colleague reads %d award events, want the category's trail", len(all))
		}
	})
}
