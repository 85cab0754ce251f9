package models_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

func periodic(t *testing.T, db *gorm.DB, now time.Time) {
	t.Helper()
	// Four instances at once: the once-only keys keep every notice single.
	modelstest.Together(4, func(int) {
		if _, err := models.PeriodicNotices(ctx, db, now); err != nil {
			t.Error(err)
		}
	})
}

func subjects(t *testing.T, db *gorm.DB, p *models.Person) []string {
	t.Helper()
	var out []string
	for _, n := range noticesOf(t, db, p.ID) {
		out = append(out, n.Subject+" | "+n.Body)
	}
	return out
}

// Judges hear when judging opens and, three days before it closes, how many
// they have not scored; honorees and their nominators hear only once the
// announcement time has passed; the day before, people get their agenda.
// However many instances run the check, each notice exists once.
func TestPeriodicNoticesComeOnceAndRecognitionOnlyAfterTheAnnouncement(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		if _, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		j := f.person(t, "Jo Judge", "Legal")
		a, b, c := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "IT")
		f.judge(t, f.cat, j)
		b1 := f.nominate(t, f.cat, a, b, goodStory)
		f.nominate(t, f.cat, c, b, goodStory)
		f.nominate(t, f.cat, a, c, goodStory)
		cat, _ := models.GetCategory(ctx, db, f.summit.ID, f.cat.ID)

		periodic(t, db, cat.ClosesAt.Add(-time.Minute))
		if got := subjects(t, db, j); len(got) != 0 {
			t.Fatalf("before nominations close: %v", got)
		}
		periodic(t, db, cat.ClosesAt.Add(time.Minute))
		periodic(t, db, cat.ClosesAt.Add(2*time.Minute))
		if got := subjects(t, db, j); len(got) != 1 || !strings.Contains(got[0], "Judging is open for “Patience Award”") || !strings.Contains(got[0], "3 nominations are waiting for your score") {
			t.Fatalf("judging opens: %v", got)
		}
		f.score(t, j, b1, "5", "5", "5")
		periodic(t, db, cat.JudgingClosesAt.Add(-73*time.Hour))
		if got := subjects(t, db, j); len(got) != 1 {
			t.Fatalf("reminded too early: %v", got)
		}
		periodic(t, db, cat.JudgingClosesAt.Add(-71*time.Hour))
		periodic(t, db, cat.JudgingClosesAt.Add(-70*time.Hour))
		if got := subjects(t, db, j); len(got) != 2 || !strings.Contains(got[0], "closes in three days") || !strings.Contains(got[0], "2 nominations are not scored yet by you") {
			t.Fatalf("judging closes: %v", got)
		}

		if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{b.ID}, "", awardNow); err != nil {
			t.Fatal(err)
		}
		periodic(t, db, cat.AnnounceAt.Add(-time.Second))
		for _, p := range []*models.Person{a, b, c} {
			if got := subjects(t, db, p); len(got) != 0 {
				t.Fatalf("%s is told before the announcement: %v", p.Name, got)
			}
		}
		var mails int64
		db.Model(&models.OutboxMail{}).Where("subject LIKE ? OR subject LIKE ?", "%recognised%", "%Thank you%").Count(&mails)
		if mails != 0 {
			t.Fatalf("%d recognition mails queued before the announcement", mails)
		}
		periodic(t, db, cat.AnnounceAt)
		periodic(t, db, cat.AnnounceAt.Add(time.Minute))
		if got := subjects(t, db, b); len(got) != 1 || !strings.HasPrefix(got[0], "You were recognised: Patience Award") {
			t.Fatalf("honoree: %v", got)
		}
		for _, p := range []*models.Person{a, c} {
			if got := subjects(t, db, p); len(got) != 1 || !strings.HasPrefix(got[0], "Thank you for nominating Bo Bright") {
				t.Fatalf("nominator %s: %v", p.Name, got)
			}
		}
		db.Model(&models.OutboxMail{}).Where("subject LIKE ? OR subject LIKE ?", "%recognised%", "%Thank you%").Count(&mails)
		if mails != 3 {
			t.Fatalf("%d recognition mails", mails)
		}

		// The day before the ceremony's day, the speaker of a session that day gets their agenda.
		sp, err := models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SpeakerInput{PersonID: itoa(a.ID)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SessionInput{Title: "Stories of service", Kind: models.KindPanel,
			Day: "2027-03-12", StartTime: "10:00", EndTime: "11:00", SpeakerIDs: []string{itoa(sp.ID)}}, time.Now()); err != nil {
			t.Fatal(err)
		}
		loc := f.summit.Location()
		periodic(t, db, time.Date(2027, 3, 11, 18, 0, 0, 0, loc))
		got := subjects(t, db, a)
		if all := strings.Join(got, "\n"); len(got) != 2 || !strings.Contains(all, "Your agenda tomorrow") || !strings.Contains(all, "10:00–11:00 Stories of service (you speak)") ||
			!strings.Contains(all, "/my/agenda.pdf?summit=") {
			t.Fatalf("agenda tomorrow: %v", got)
		}
	})
}

// Everyone hears once that registration opens soon, and once that it closes
// in two days; nothing in between, nothing once it closed.
func TestRegistrationOpensAndClosesSoonNotices(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db) // open 2027-01-15 09:00 to 2027-03-10 18:00, Amsterdam
		p := f.people(t, 1)[0]
		loc := f.summit.Location()
		for _, at := range []time.Time{
			time.Date(2027, 1, 13, 9, 0, 0, 0, loc), // more than a day before: nothing
			time.Date(2027, 1, 14, 10, 0, 0, 0, loc),
			time.Date(2027, 1, 15, 10, 0, 0, 0, loc),
			time.Date(2027, 2, 1, 10, 0, 0, 0, loc),
			time.Date(2027, 3, 9, 10, 0, 0, 0, loc),
			time.Date(2027, 3, 10, 10, 0, 0, 0, loc),
			time.Date(2027, 3, 11, 10, 0, 0, 0, loc),
		} {
			periodic(t, db, at)
		}
		got := subjects(t, db, p)
		if len(got) != 2 || !strings.Contains(got[1], "opens soon") || !strings.Contains(got[1], "opens on Fri 15 Jan 2027 at 09:00") || !strings.Contains(got[0], "closes soon") {
			t.Fatalf("registration notices: %v", got)
		}
	})
}
