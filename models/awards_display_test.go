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

// What a judge reads of a category and its nominations: the organiser's own
// criteria (blank lines dropped), who was served in words, the story's
// beginning in the queue and a score out of 5 per criterion.
func TestAwardJudgeReadsCriteriaServedExcerptAndScore(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		listening := f.category(t, "Listening Award", models.CategoryInput{Criteria: "Listens first\n\n   Follows up  \n"})
		if got := strings.Join(listening.CriteriaList(), " | "); got != "Listens first | Follows up" {
			t.Fatalf("the organiser's criteria: %s", got)
		}
		if got := strings.Join(f.cat.CriteriaList(), " | "); got != strings.Join(models.DefaultCriteria, " | ") {
			t.Fatalf("a category with no criteria typed: %s", got)
		}

		jo, ann, bo := f.person(t, "Jo Judge", "Legal"), f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		f.judge(t, listening, jo)
		byCustomer := f.nominate(t, listening, bo, ann, goodStory)
		byColleague, err := models.Nominate(ctx, db, f.summit.ID, ann.ID, models.NominationInput{CategoryID: fmt.Sprint(listening.ID), NomineeID: fmt.Sprint(bo.ID), Story: goodStory, Served: models.ServedColleague}, awardNow)
		if err != nil {
			t.Fatal(err)
		}
		if a, b := byCustomer.ServedText(), byColleague.ServedText(); a != "An external customer" || b != "A colleague" {
			t.Fatalf("who was served: %q and %q", a, b)
		}

		sc, err := models.SaveScore(ctx, db, f.summit.ID, jo.ID, byCustomer.ID, models.ScoreInput{Points: []string{"4", "3"}}, awardNow)
		if err != nil {
			t.Fatal(err)
		}
		if sc.Total != 7 || sc.Max() != 10 {
			t.Fatalf("a score of 4 and 3 on two criteria: %d of %d", sc.Total, sc.Max())
		}

		// The queue's excerpt: a story of up to 90 characters whole (spaces
		// collapsed); a longer one cut at its last space after the 40th
		// character, trailing punctuation dropped, and marked "…"; without
		// such a space, cut at 90.
		ninety := strings.Repeat("x", 44) + "  " + strings.Repeat("y", 45)
		for story, want := range map[string]string{
			ninety: strings.Repeat("x", 44) + " " + strings.Repeat("y", 45),
			"She listened. " + strings.Repeat("Then she listened again, ", 5): "She listened. Then she listened again, Then she listened again, Then she listened again…",
			strings.Repeat("a", 40) + " " + strings.Repeat("b", 60):           strings.Repeat("a", 40) + " " + strings.Repeat("b", 49) + "…",
		} {
			if got := (&models.Nomination{Story: story}).Excerpt(); got != want {
				t.Errorf("excerpt of %q:\n got %q\nwant %q", story, got, want)
			}
		}
	})
}

// The suggested categories leave out those whose name or trait the summit
// already uses, whatever the case and spacing; each is found by its key.
func TestAwardSuggestionsLeaveOutWhatASummitHas(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)                                            // "Patience Award", trait Patience
		kind := f.category(t, "  the KINDNESS award ", models.CategoryInput{}) // by name only: its trait is Patience too
		var keys []string
		for _, sg := range models.SuggestionsFor([]models.AwardCategory{*f.cat, *kind}) {
			keys = append(keys, sg.Key)
		}
		got := " " + strings.Join(keys, " ") + " "
		if strings.Contains(got, " patience ") || strings.Contains(got, " kindness ") || !strings.Contains(got, " positivity ") || len(keys) != len(models.SuggestedCategories)-2 {
			t.Fatalf("suggestions beside a patience and a kindness award: %s", got)
		}
		// An organiser adds a suggestion by its key.
		if sg := models.Suggestion("kindness"); sg == nil || sg.Name != "The Kindness Award" || sg.Trait != "Kindness" {
			t.Fatalf("the kindness suggestion: %+v", sg)
		}
		if sg := models.Suggestion("no-such-award"); sg != nil {
			t.Fatalf("an unknown suggestion: %+v", sg)
		}
	})
}

// A story of exactly the shortest length allowed (StoryMin characters,
// counted in characters) is taken.
func TestNominationStoryOfTheShortestLengthIsTaken(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		ann, bo := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		story := strings.Repeat("é", models.StoryMin)
		if n := f.nominate(t, f.cat, ann, bo, story); n.Story != story {
			t.Fatalf("the story stored: %q", n.Story)
		}
	})
}

// Who was served must be one of the choices and the category one of the
// summit's; anything else (a tampered form) gets the message next to the
// field and stores nothing.
func TestNominationServedMustBeOneOfTheChoices(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		ann, bo := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		_, err := models.Nominate(ctx, db, f.summit.ID, ann.ID, models.NominationInput{CategoryID: fmt.Sprint(f.cat.ID), NomineeID: fmt.Sprint(bo.ID), Story: goodStory, Served: "shareholders"}, awardNow)
		fieldErr(t, err, "served", "Say who was served")
		_, err = models.Nominate(ctx, db, f.summit.ID, ann.ID, models.NominationInput{CategoryID: "999999", NomineeID: fmt.Sprint(bo.ID), Story: goodStory, Served: models.ServedTeam}, awardNow)
		fieldErr(t, err, "category_id", "Choose an award category.")
		var n int64
		if err := db.Model(&models.Nomination{}).Count(&n).Error; err != nil || n != 0 {
			t.Fatalf("%d nominations stored: %v", n, err)
		}
	})
}

// Only the nominator withdraws a nomination, and only while the window is
// open: anyone else is told it is not found, a late withdrawal is refused,
// and the nomination stays active.
func TestWithdrawRefusalsReachTheCaller(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		ann, bo, cy := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "Sales")
		n := f.nominate(t, f.cat, ann, bo, goodStory)
		if err := models.WithdrawNomination(ctx, db, f.summit.ID, cy.ID, n.ID, awardNow); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("someone else withdraws: %v", err)
		}
		if err := models.WithdrawNomination(ctx, db, f.summit.ID, ann.ID, n.ID, f.cat.ClosesAt.Add(time.Hour)); err == nil {
			t.Fatal("a withdrawal after the window closed was accepted")
		}
		var status string // Pluck fills a plain string, not a named one
		if err := db.Model(&models.Nomination{}).Where("id = ?", n.ID).Pluck("status", &status).Error; err != nil || models.NominationStatus(status) != models.NominationActive {
			t.Fatalf("status %q %v", status, err)
		}
	})
}
