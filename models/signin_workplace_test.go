package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// At sign-in a judge is taken to the nominations still waiting for their
// score (not scored, not stepped back from) while judging is open in a
// published summit, starting with the first category (by name) where work
// waits; an organiser to the summit they are working on; staff to neither.
func TestSignInWorkplaceOfJudgesAndOrganisers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		timely := f.category(t, "Timeliness Award", models.CategoryInput{})
		jo := f.person(t, "Jo Judge", "Legal")
		ann, bo, cy := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "Sales")
		f.judge(t, f.cat, jo)
		f.judge(t, timely, jo)
		patient := []*models.Nomination{f.nominate(t, f.cat, bo, ann, goodStory), f.nominate(t, f.cat, ann, cy, goodStory)}
		f.nominate(t, timely, cy, bo, goodStory)

		work := func(p *models.Person, now time.Time) *models.Workplace {
			t.Helper()
			w, err := models.WorkFor(ctx, db, p, now)
			if err != nil || w == nil {
				t.Fatalf("work for %s: %v %v", p.Name, w, err)
			}
			return w
		}
		if w := work(jo, awardNow); w.Unscored != 0 || w.JudgeCategory != nil {
			t.Fatalf("a draft summit's judging is waiting: %+v", w)
		}
		if _, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		w := work(jo, awardNow)
		if w.Unscored != 3 || w.JudgeCategory == nil || w.JudgeCategory.ID != f.cat.ID || w.JudgeSummit == nil || w.JudgeSummit.ID != f.summit.ID {
			t.Fatalf("three nominations wait, the first in %q: %+v", f.cat.Name, w)
		}
		f.score(t, jo, patient[0], "4", "4", "4")
		if err := models.Recuse(ctx, db, f.summit.ID, jo.ID, patient[1].ID, "Cy is my neighbour.", awardNow); err != nil {
			t.Fatal(err)
		}
		w = work(jo, awardNow)
		if w.Unscored != 1 || w.JudgeCategory == nil || w.JudgeCategory.ID != timely.ID {
			t.Fatalf("after a score and a recusal one nomination waits, in %q: %+v", timely.Name, w)
		}
		if w := work(jo, timely.JudgingClosesAt); w.Unscored != 0 || w.JudgeCategory != nil {
			t.Fatalf("judging has closed, yet work waits: %+v", w)
		}

		if w.Organise != nil {
			t.Fatalf("a judge who is staff is sent to organise %q", w.Organise.Title)
		}
		org := account(t, db, "Olga Organiser", models.RoleOrganiser)
		if w := work(org, awardNow); w.Organise == nil || w.Organise.ID != f.summit.ID || w.Unscored != 0 {
			t.Fatalf("the organiser's workplace: %+v", w)
		}
	})
}
