package models_test

import (
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// The results page marks the chosen winner on that nominee's row and on no
// other, whatever the ranking (the runner-up by score is chosen here). Found
// by the mutation run: no test asserted which row carries Winner.
func TestResultsMarkTheChosenWinnerOnItsOwnRow(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		a, b, c, j := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "Sales"), f.person(t, "Jo Judge", "Legal")
		f.judge(t, f.cat, j)
		f.score(t, j, f.nominate(t, f.cat, a, b, goodStory), "5", "5", "5")
		f.score(t, j, f.nominate(t, f.cat, a, c, goodStory), "3", "3", "3")
		if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{c.ID}, "The panel's choice", awardNow); err != nil {
			t.Fatal(err)
		}
		_, rows, err := models.Results(ctx, db, f.summit.ID, f.cat.ID)
		if err != nil || len(rows) != 2 {
			t.Fatalf("results: %d rows, %v", len(rows), err)
		}
		if rows[0].Nominee.ID != b.ID || rows[1].Nominee.ID != c.ID {
			t.Fatalf("ranking: %s then %s, want Bo (5) then Cy (3)", rows[0].Nominee.Name, rows[1].Nominee.Name)
		}
		if rows[0].Winner != nil {
			t.Fatalf("Bo, not chosen, is marked as winner: %+v", rows[0].Winner)
		}
		if w := rows[1].Winner; w == nil || w.NomineeID != c.ID || w.Place != 1 {
			t.Fatalf("Cy, the chosen winner, is not marked: %+v", w)
		}
	})
}

// Editing a nomination answers with the nomination as saved (the handler
// shows it), and the row holds the same.
func TestUpdateNominationReturnsWhatItSaved(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		a, b := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		n := f.nominate(t, f.cat, a, b, goodStory)
		story := goodStory + " She called back the next morning too."
		got, err := models.UpdateNomination(ctx, db, f.summit.ID, a.ID, n.ID, models.NominationInput{Story: story, Served: models.ServedColleague, Quotable: false}, awardNow)
		if err != nil {
			t.Fatal(err)
		}
		if got == nil || got.ID != n.ID || got.Story != story || got.Served != models.ServedColleague || got.Quotable {
			t.Fatalf("returned %+v, want the edited nomination", got)
		}
		var row models.Nomination
		if err := db.First(&row, n.ID).Error; err != nil {
			t.Fatal(err)
		}
		if row.Story != story || row.Served != models.ServedColleague || row.Quotable {
			t.Fatalf("stored %q %q %v", row.Story, row.Served, row.Quotable)
		}
	})
}
