package models_test

import (
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// Blind judging holds on every path a judge reads a nomination through: the
// queue, one nomination (the score page), and after scoring. A category that
// shows nominators is the control that the check can see a name.
func TestBlindJudgingHidesTheNominatorOnEveryJudgePath(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		open := f.category(t, "Open Book Award", models.CategoryInput{ShowNominator: true})
		if !f.cat.Blind || open.Blind {
			t.Fatalf("blind %v / %v: want the default category blind and the other not", f.cat.Blind, open.Blind)
		}
		j, a, b := f.person(t, "Jo Judge", "Legal"), f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		for _, c := range []*models.AwardCategory{f.cat, open} {
			f.judge(t, c, j)
			n := f.nominate(t, c, a, b, goodStory)
			check := func(where string, got *models.Person) {
				t.Helper()
				switch {
				case c.Blind && got != nil:
					t.Errorf("%s of blind %q shows the nominator %q", where, c.Name, got.Name)
				case !c.Blind && (got == nil || got.Name != a.Name):
					t.Errorf("%s of %q (nominators shown) does not name %s: %v", where, c.Name, a.Name, got)
				}
			}
			_, items, err := models.JudgeQueue(ctx, db, f.summit.ID, c.ID, j.ID)
			if err != nil || len(items) != 1 {
				t.Fatalf("queue of %q: %d items, %v", c.Name, len(items), err)
			}
			check("the queue", items[0].Nomination.Nominator)
			it, err := models.GetJudgeItem(ctx, db, f.summit.ID, n.ID, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			check("the score page", it.Nomination.Nominator)
			f.score(t, j, n, "4", "4", "5")
			if it, err = models.GetJudgeItem(ctx, db, f.summit.ID, n.ID, j.ID); err != nil || it.MyScore == nil {
				t.Fatalf("after scoring: %v, %v", it, err)
			}
			check("the scored nomination", it.Nomination.Nominator)
			if _, items, err = models.JudgeQueue(ctx, db, f.summit.ID, c.ID, j.ID); err != nil || len(items) != 1 {
				t.Fatalf("queue after scoring: %v", err)
			}
			check("the queue after scoring", items[0].Nomination.Nominator)
		}
	})
}
