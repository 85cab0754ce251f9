package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// An admin nominated in a category does not find its judging mails in the
// outbox before the announcement (whom they went to says who judges it),
// nor counted in the status tabs; the mails of the category they are not
// nominated in stay. A colleague admin sees them all, and so does the
// nominee once the category is announced.
func TestOutboxLeavesOutJudgingMailsKeptFromTheViewer(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f, oscar, nell := newHiddenJudgesFixture(t, db, "Oscar Admin")
		if _, err := models.SetSummitStatus(ctx, db, f.org, f.summit.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		judging := time.Date(2027, 3, 2, 9, 0, 0, 0, time.UTC) // nominations closed on 1 March
		if _, err := models.PeriodicNotices(ctx, db, judging); err != nil {
			t.Fatal(err)
		}
		to := func(viewer uint, now time.Time) (names []string, pending int64) {
			t.Helper()
			pg, err := models.ListOutboxPage(ctx, db, "", models.Paging{Number: 1, Per: 50}, viewer, now)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range pg.Mails {
				if m.Kind == models.NoticeJudging {
					names = append(names, m.ToName)
				}
			}
			return names, pg.Counts[models.MailPending]
		}
		if names, n := to(oscar.ID, judging); len(names) != 1 || names[0] != "Kim Judge" || n != 1 {
			t.Fatalf("the nominee's outbox: judging mails to %v, %d pending; want Kim's only", names, n)
		}
		if names, n := to(nell.ID, judging); len(names) != 2 || n != 2 {
			t.Fatalf("a colleague's outbox: judging mails to %v, %d pending; want both", names, n)
		}
		if names, _ := to(oscar.ID, f.cat.AnnounceAt); len(names) != 2 {
			t.Fatalf("the nominee's outbox after the announcement: judging mails to %v; want both", names)
		}
	})
}
