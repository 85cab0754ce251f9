package models_test

import (
	"errors"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// An organiser adds a judge once (a second time is a field message), sees
// which judges are nominated in the category themselves, and takes a judge
// off: audited, and taking off someone who is not a judge is not found.
func TestJudgesAddedOnceRemovedAndFlaggedWhenNominated(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		jo, kim, ann := f.person(t, "Jo Judge", "Legal"), f.person(t, "Kim Keen", "Sales"), f.person(t, "Ann Able", "Support")
		f.judge(t, f.cat, jo)
		f.judge(t, f.cat, kim)
		err := models.AddJudge(ctx, db, f.org, f.summit.ID, f.cat.ID, jo.ID, time.Now())
		fieldErr(t, err, "person_id", "Jo Judge already judges “Patience Award”.")

		f.nominate(t, f.cat, ann, kim, goodStory)
		nominated, err := models.NominatedJudges(ctx, db, f.cat.ID)
		if err != nil || len(nominated) != 1 || !nominated[kim.ID] {
			t.Fatalf("nominated judges: %v %v, want Kim only", nominated, err)
		}

		if err := models.RemoveJudge(ctx, db, f.org, f.summit.ID, f.cat.ID, jo.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		judges, err := models.ListJudges(ctx, db, f.cat.ID)
		if err != nil || len(judges) != 1 || judges[0].ID != kim.ID {
			t.Fatalf("judges after taking Jo off: %v %v", judges, err)
		}
		ev, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "award.judge_remove"})
		if err != nil || len(ev) != 1 || ev[0].Summary == "" {
			t.Fatalf("the removal's audit: %+v %v", ev, err)
		}
		if err := models.RemoveJudge(ctx, db, f.org, f.summit.ID, f.cat.ID, ann.ID, time.Now()); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("taking off someone who is not a judge: %v", err)
		}
	})
}

// After a score the judge goes on to the next nomination they have neither
// scored nor stepped back from, in queue order, then round from the start;
// none when all are done. A score form missing a criterion's points gets a
// message on that criterion.
func TestJudgeNextToScoreAndMissingPoints(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		jo := f.person(t, "Jo Judge", "Legal")
		ann, bo, cy, di := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "Sales"), f.person(t, "Di Deep", "Legal")
		f.judge(t, f.cat, jo)
		n1, n2, n3 := f.nominate(t, f.cat, di, ann, goodStory), f.nominate(t, f.cat, di, bo, goodStory), f.nominate(t, f.cat, di, cy, goodStory)
		next := func(after uint) uint {
			t.Helper()
			id, err := models.NextToScore(ctx, db, f.summit.ID, f.cat.ID, jo.ID, after)
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		if got := next(0); got != n1.ID {
			t.Fatalf("first to score: %d, want %d", got, n1.ID)
		}
		if got := next(n2.ID); got != n3.ID {
			t.Fatalf("after the second, the first still waiting: %d, want the third %d", got, n3.ID)
		}
		_, err := models.SaveScore(ctx, db, f.summit.ID, jo.ID, n1.ID, models.ScoreInput{Points: []string{"4", "4"}}, awardNow)
		fieldErr(t, err, "c2", "Score “Living the trait” from 1 to 5.")
		f.score(t, jo, n1, "4", "4", "4")
		if got := next(n1.ID); got != n2.ID {
			t.Fatalf("after the first: %d, want %d", got, n2.ID)
		}
		if err := models.Recuse(ctx, db, f.summit.ID, jo.ID, n2.ID, "Bo is my brother.", awardNow); err != nil {
			t.Fatal(err)
		}
		if got := next(n1.ID); got != n3.ID {
			t.Fatalf("after the first, the second recused: %d, want %d", got, n3.ID)
		}
		if got := next(n3.ID); got != 0 {
			t.Fatalf("after the last, with nothing else left: %d, want none", got)
		}
		if got := next(n3.ID + 1); got != n3.ID {
			t.Fatalf("round from the start: %d, want %d", got, n3.ID)
		}
		f.score(t, jo, n3, "5", "5", "5")
		if got := next(0); got != 0 {
			t.Fatalf("all done: %d, want none", got)
		}
	})
}

// The organiser's progress page shows a judge as done once they scored or
// stepped back from every nomination they may judge, not before.
func TestJudgeProgressDoneOnceEveryNominationIsScoredOrRecused(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		jo := f.person(t, "Jo Judge", "Legal")
		ann, bo, di := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Di Deep", "Legal")
		f.judge(t, f.cat, jo)
		n1, n2 := f.nominate(t, f.cat, di, ann, goodStory), f.nominate(t, f.cat, di, bo, goodStory)
		done := func() (bool, models.JudgeProgress) {
			t.Helper()
			prog, err := models.JudgingProgress(ctx, db, f.summit.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range prog {
				for _, j := range c.Judges {
					if c.Category.ID == f.cat.ID && j.Judge.ID == jo.ID {
						return j.Done(), j
					}
				}
			}
			t.Fatal("Jo is not on the progress page")
			return false, models.JudgeProgress{}
		}
		if ok, p := done(); ok {
			t.Fatalf("done before judging: %+v", p)
		}
		f.score(t, jo, n1, "3", "3", "3")
		if ok, p := done(); ok || p.Scored != 1 || p.Eligible != 2 {
			t.Fatalf("one of two scored: %+v", p)
		}
		if err := models.Recuse(ctx, db, f.summit.ID, jo.ID, n2.ID, "Bo is my brother.", awardNow); err != nil {
			t.Fatal(err)
		}
		if ok, p := done(); !ok || p.Recused != 1 {
			t.Fatalf("one scored, one recused: %+v", p)
		}
	})
}

// On the organiser's results a judge's recusal, with its reason, sits on the
// row of the nominee they stepped back from, and on no other; a nominee
// nobody scored comes last with no mean.
func TestResultsShowARecusalOnItsNomineeOnly(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		jo := f.person(t, "Jo Judge", "Legal")
		ann, bo, di := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Di Deep", "Legal")
		f.judge(t, f.cat, jo)
		toAnn, toBo := f.nominate(t, f.cat, di, ann, goodStory), f.nominate(t, f.cat, di, bo, goodStory)
		f.score(t, jo, toAnn, "4", "4", "4")
		if err := models.Recuse(ctx, db, f.summit.ID, jo.ID, toBo.ID, "Bo is my brother.", awardNow); err != nil {
			t.Fatal(err)
		}
		_, rows, err := models.Results(ctx, db, f.summit.ID, f.cat.ID)
		if err != nil {
			t.Fatal(err)
		}
		recusals := map[string]string{}
		for _, r := range rows {
			for _, n := range r.Notes {
				if n.Recusal != "" {
					recusals[r.Nominee.Name] += n.Judge + ": " + n.Recusal
				}
			}
		}
		if len(recusals) != 1 || recusals["Bo Bright"] != "Jo Judge: Bo is my brother." {
			t.Fatalf("recusals on the results: %v", recusals)
		}
		// Bo, whom nobody scored, comes after Ann with no mean.
		if len(rows) != 2 || rows[0].Nominee.ID != ann.ID || rows[0].Mean != 4 || rows[1].Nominee.ID != bo.ID || rows[1].Scores != 0 || rows[1].Mean != 0 || rows[1].Rank != 2 {
			t.Fatalf("results: %+v", rows)
		}
	})
}
