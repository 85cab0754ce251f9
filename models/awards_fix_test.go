package models_test

import (
	"testing"

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
