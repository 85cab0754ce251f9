package models_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// newHiddenJudgesFixture is the award fixture with a second category
// (“Kindness Award”, judged by Kim Judge) and the first judged by Jude Judge,
// in which Nell Nominator nominated the person named nominee.
func newHiddenJudgesFixture(t *testing.T, db *gorm.DB, nominee string) (f *awardFixture, nominated, nell *models.Person) {
	t.Helper()
	f = newAwardFixture(t, db)
	other := f.category(t, "Kindness Award", models.CategoryInput{})
	nominated, nell = f.person(t, nominee, "Events"), f.person(t, "Nell Nominator", "Support")
	jude, kim := f.person(t, "Jude Judge", "Finance"), f.person(t, "Kim Judge", "Sales")
	f.nominate(t, f.cat, nell, nominated, goodStory)
	f.judge(t, f.cat, jude)
	f.judge(t, other, kim)
	return f, nominated, nell
}

// An organiser nominated in a category who starts next year from this one
// learns nothing of its judges: the preview leaves them out and says why,
// and the new edition has none in that category (its judges page would show
// them), while the category they are not nominated in keeps its judge. A
// colleague's copy, and the organiser's own after the announcement, carry
// every judge.
func TestCloneLeavesOutJudgesKeptFromTheCopier(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f, olga, nell := newHiddenJudgesFixture(t, db, "Olga Organiser")
		judgesOf := func(plan *models.ClonePlan) map[string]string {
			out := map[string]string{}
			for _, c := range plan.Categories {
				for _, j := range c.Judges {
					out[c.Name] += j.Name
				}
			}
			return out
		}
		in := models.CloneInput{Title: "Service Summit 2028", StartDate: "2028-03-09", Parts: models.CloneParts, Viewer: olga.ID, Now: awardNow}
		plan, err := models.PreviewClone(ctx, db, f.summit.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		want := "Judges of “Patience Award”: not copied, because you are nominated in it and its judges are kept from you until its announcement. Another organiser can add them to the new edition."
		if got := judgesOf(plan); got["Patience Award"] != "" || got["Kindness Award"] != "Kim Judge" || !strings.Contains(strings.Join(plan.Cannot, "\n"), want) {
			t.Fatalf("preview for the nominee: judges %v, cannot %q", got, plan.Cannot)
		}
		to, _, err := models.CloneSummit(ctx, db, models.ActorOf(olga, ""), f.summit.ID, models.CloneInput{Title: in.Title, StartDate: in.StartDate, Parts: in.Parts, Now: awardNow})
		if err != nil {
			t.Fatal(err)
		}
		var copied []string
		if err := db.Raw("SELECT c.name || ':' || p.name FROM award_judges j JOIN award_categories c ON c.id = j.category_id JOIN people p ON p.id = j.person_id WHERE c.summit_id = ? ORDER BY c.name", to.ID).
			Scan(&copied).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Join(copied, ",") != "Kindness Award:Kim Judge" {
			t.Fatalf("the nominee's copy has judges %v", copied)
		}
		in.Viewer, in.Title = nell.ID, "Service Summit 2028 bis"
		if plan, err = models.PreviewClone(ctx, db, f.summit.ID, in); err != nil || judgesOf(plan)["Patience Award"] != "Jude Judge" {
			t.Fatalf("a colleague's preview: %v %v", judgesOf(plan), err)
		}
		in.Viewer, in.Now = olga.ID, f.cat.AnnounceAt
		if plan, err = models.PreviewClone(ctx, db, f.summit.ID, in); err != nil || judgesOf(plan)["Patience Award"] != "Jude Judge" {
			t.Fatalf("the nominee's preview after the announcement: %v %v", judgesOf(plan), err)
		}
	})
}
