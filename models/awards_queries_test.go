package models_test

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// TestAwardsQueriesDoNotGrow: the judging queue, judging progress, results
// and honorees run the same number of queries for two judges, two nominees
// and one winner as for six judges, ten nominees and three winners (no query
// per judge, nomination or winner).
func TestAwardsQueriesDoNotGrow(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		open := f.category(t, "Open Award", models.CategoryInput{ShowNominator: true, Winners: "3"})
		after := time.Date(2027, 3, 13, 0, 0, 0, 0, time.UTC) // after the ceremony: winners announced
		counted, qc := modelstest.CountQueries(db)
		var judges, people []*models.Person
		var noms []*models.Nomination
		winners := 0
		grow := func(nJudges, nNoms, nWinners int) {
			for len(judges) < nJudges {
				j := f.person(t, fmt.Sprintf("Judge %02d", len(judges)), "Judging")
				f.judge(t, f.cat, j)
				f.judge(t, open, j)
				judges = append(judges, j)
			}
			for len(people) < nNoms {
				by := f.person(t, fmt.Sprintf("Writer %02d", len(noms)), "Support")
				who := f.person(t, fmt.Sprintf("Nominee %02d", len(noms)), "Finance")
				people = append(people, who)
				noms = append(noms, f.nominate(t, f.cat, by, who, goodStory), f.nominate(t, open, by, who, goodStory))
			}
			for _, j := range judges[1:] {
				for _, n := range noms {
					if _, err := models.SaveScore(ctx, db, f.summit.ID, j.ID, n.ID, models.ScoreInput{Points: []string{"4", "4", "4"}}, awardNow); err != nil {
						if _, ok := err.(models.FieldErrors); !ok {
							t.Fatal(err)
						}
					}
				}
			}
			var ids []uint
			for _, p := range people[:nWinners] {
				ids = append(ids, p.ID)
			}
			winners = nWinners
			if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, open.ID, ids, "", awardNow); err != nil {
				t.Fatal(err)
			}
		}
		measure := func() map[string]int {
			got := map[string]int{}
			run := func(what string, fn func() error) {
				qc.Reset()
				if err := fn(); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				got[what] = qc.Count()
			}
			run("judge queue", func() error {
				_, _, err := models.JudgeQueue(ctx, counted, f.summit.ID, open.ID, judges[0].ID)
				return err
			})
			run("judging progress", func() error { _, err := models.JudgingProgress(ctx, counted, f.summit.ID); return err })
			run("results", func() error { _, _, err := models.Results(ctx, counted, f.summit.ID, open.ID); return err })
			run("honorees", func() error {
				hs, err := models.Honorees(ctx, counted, f.summit.ID, after)
				if err == nil && (len(hs) != winners || hs[0].Quote == "") {
					err = fmt.Errorf("honorees %+v, want %d with quotes", hs, winners)
				}
				return err
			})
			return got
		}
		grow(2, 2, 1)
		small := measure()
		grow(6, 10, 3)
		large := measure()
		for what, n := range small {
			if large[what] != n {
				t.Errorf("%s: %d queries with 2 judges and 2 nominations, %d with 6 and 10", what, n, large[what])
			}
		}
		t.Logf("queries: %v", large)
	})
}
