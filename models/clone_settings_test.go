package models_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// settingsSummit is a summit (2027-03-11, Amsterdam) whose organisers set
// when feedback closes (feedbackDay feedbackTime, 7 answers), the ideas
// window (2027-01-10 09:00 to the workshop, 3 votes each) and one word of
// their own for the hints.
func settingsSummit(t *testing.T, db *gorm.DB, feedbackDay, feedbackTime string) *models.Summit {
	t.Helper()
	s := newSummit(t, db)
	who := models.Actor{Name: "test"}
	if _, err := models.SetFeedbackSettings(ctx, db, who, s.ID, models.FeedbackSettingsInput{ClosesDay: feedbackDay, ClosesTime: feedbackTime, MinAnswers: "7"}, ideaNow); err != nil {
		t.Fatal(err)
	}
	if _, err := models.SetIdeaSettings(ctx, db, who, s.ID, models.IdeaSettingsInput{OpensDay: "2027-01-10", OpensTime: "09:00", ClosesDay: "2027-03-11", ClosesTime: "14:00", Budget: "3"}, ideaNow); err != nil {
		t.Fatal(err)
	}
	if _, err := models.AddHintWord(ctx, db, who, s.ID, "headcount", "people", ideaNow); err != nil {
		t.Fatal(err)
	}
	return s
}

func localAt(t *testing.T, at time.Time, s *models.Summit) string {
	t.Helper()
	return at.In(s.Location()).Format("2006-01-02 15:04")
}

// Copying a summit with its settings carries when feedback closes and its
// threshold, the ideas window and vote budget — shifted to the same local
// times on the shifted days, here across the change to summer time — and
// the organisers' own hint words; copying without the settings part leaves
// the new edition with the defaults and no words. The preview says so.
func TestCloneCarriesFeedbackIdeasAndWordSettings(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		from := settingsSummit(t, db, "2027-03-19", "17:00")
		// 2027-03-11 (before summer time) → 2028-04-06 (after): 392 days.
		in := models.CloneInput{Title: "Service Summit 2028", StartDate: "2028-04-06", Parts: models.CloneParts}
		plan, err := models.PreviewClone(ctx, db, from.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if sum := plan.CloneSummary(); !strings.Contains(sum, "the feedback settings") || !strings.Contains(sum, "the ideas window") || !strings.Contains(sum, "1 hint word") {
			t.Fatalf("preview summary: %s", sum)
		}
		to, _, err := models.CloneSummit(ctx, db, models.ActorOf(nil, ""), from.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		fw, err := models.GetFeedbackWindow(ctx, db, to)
		if err != nil || !fw.Set || fw.MinAnswers != 7 || localAt(t, fw.ClosesAt, to) != "2028-04-14 17:00" {
			t.Fatalf("feedback window of the copy: %+v (%s) %v", fw, localAt(t, fw.ClosesAt, to), err)
		}
		iw, err := models.GetIdeaWindow(ctx, db, to)
		if err != nil || !iw.Set || iw.Budget != 3 || localAt(t, iw.OpensAt, to) != "2028-02-06 09:00" || localAt(t, iw.ClosesAt, to) != "2028-04-06 14:00" {
			t.Fatalf("ideas window of the copy: %+v (%s – %s) %v", iw, localAt(t, iw.OpensAt, to), localAt(t, iw.ClosesAt, to), err)
		}
		if !iw.Open(time.Date(2028, 3, 1, 12, 0, 0, 0, time.UTC)) {
			t.Fatal("the copy does not take ideas inside its shifted window")
		}
		words, err := models.SummitHintWords(ctx, db, to.ID)
		if err != nil || len(words) != 1 || words[0].Word != "headcount" || words[0].Suggestion != "people" {
			t.Fatalf("hint words of the copy: %+v %v", words, err)
		}
		if hints := models.FindHints("our headcount", mustRules(t, db, to.ID)); len(hints) == 0 {
			t.Fatal("the copied word gives no hint in the new edition")
		}
		// The source keeps its own settings and words.
		if w, _ := models.SummitHintWords(ctx, db, from.ID); len(w) != 1 {
			t.Fatalf("the source lost its words: %+v", w)
		}

		// Without the settings part: defaults, no words.
		bare, _, err := models.CloneSummit(ctx, db, models.ActorOf(nil, ""), from.ID, models.CloneInput{Title: "Service Summit 2028 bis", StartDate: "2028-04-06", Parts: []string{models.PartRooms}})
		if err != nil {
			t.Fatal(err)
		}
		if fw, _ := models.GetFeedbackWindow(ctx, db, bare); fw.Set {
			t.Fatalf("feedback settings copied without the part: %+v", fw)
		}
		if iw, _ := models.GetIdeaWindow(ctx, db, bare); iw.Set {
			t.Fatalf("ideas window copied without the part: %+v", iw)
		}
		if w, _ := models.SummitHintWords(ctx, db, bare.ID); len(w) != 0 {
			t.Fatalf("words copied without the part: %+v", w)
		}
	})
}

func mustRules(t *testing.T, db *gorm.DB, summitID uint) []models.HintRule {
	t.Helper()
	r, err := models.SummitHintRules(ctx, db, summitID)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A feedback close at a time the clocks skip on the shifted day is not
// copied: the preview names it, and the copy takes the default.
func TestCloneSettingsAtASkippedTime(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		// 2027-03-27 02:30 + 365 days = 2028-03-26 02:30, skipped in Amsterdam.
		from := settingsSummit(t, db, "2027-03-27", "02:30")
		in := models.CloneInput{Title: "Service Summit 2028", StartDate: "2028-03-10", Parts: models.CloneParts}
		plan, err := models.PreviewClone(ctx, db, from.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if plan.Feedback != nil || !strings.Contains(strings.Join(plan.Cannot, "\n"), "When feedback closes") {
			t.Fatalf("skipped feedback close: %+v %v", plan.Feedback, plan.Cannot)
		}
		to, _, err := models.CloneSummit(ctx, db, models.ActorOf(nil, ""), from.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if fw, _ := models.GetFeedbackWindow(ctx, db, to); fw.Set {
			t.Fatalf("a skipped close was copied: %+v", fw)
		}
		if iw, _ := models.GetIdeaWindow(ctx, db, to); !iw.Set || iw.Budget != 3 {
			t.Fatalf("the ideas window should still be copied: %+v", iw)
		}
	})
}

// Award categories copied without the texts part keep what judging needs —
// criteria, number of winners, blind judging, self-nominations — and lose
// only their descriptions.
func TestCloneAwardsWithoutTextsKeepTheirRules(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		from := demoForClone(t, db)
		if err := db.Model(&models.AwardCategory{}).Where("summit_id = ?", from.ID).Updates(map[string]any{"allow_self": true, "blind": true}).Error; err != nil {
			t.Fatal(err)
		}
		old, _ := models.ListCategories(ctx, db, from.ID)
		to, _, err := models.CloneSummit(ctx, db, models.ActorOf(nil, ""), from.ID, models.CloneInput{Title: "Service Summit 2028", StartDate: "2028-03-09", Parts: []string{models.PartAwards}})
		if err != nil {
			t.Fatal(err)
		}
		cats, _ := models.ListCategories(ctx, db, to.ID)
		if len(old) == 0 || len(cats) != len(old) {
			t.Fatalf("%d categories of %d", len(cats), len(old))
		}
		byName := map[string]models.AwardCategory{}
		for _, c := range old {
			byName[c.Name] = c
		}
		for _, c := range cats {
			o := byName[c.Name]
			if c.Criteria == "" || c.Criteria != o.Criteria || c.Winners != o.Winners || !c.Blind || !c.AllowSelf || c.Description != "" {
				t.Fatalf("category %q copied without texts: %+v (from %+v)", c.Name, c, o)
			}
		}
	})
}
