package models_test

import (
	"errors"
	"fmt"
	"strings"
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

// A database fault while storing a score or a recusal reaches the caller as
// an error (a 500 with its request id), never as success nor as a message
// about the judge's input, and nothing is half done: the recusal's removal
// of the earlier score is rolled back with it. The fault is a trigger that
// refuses every insert into the table.
func TestJudgingWritesReportADatabaseFault(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		a, b, j := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Jo Judge", "Legal")
		f.judge(t, f.cat, j)
		scored := f.nominate(t, f.cat, a, b, goodStory)
		f.score(t, j, scored, "4", "4", "4")
		other := f.nominate(t, f.cat, b, a, goodStory)
		fault := func(table string) {
			t.Helper()
			stmts := []string{"CREATE TRIGGER fault_" + table + " BEFORE INSERT ON " + table + " BEGIN SELECT RAISE(ABORT, 'the disk is full'); END"}
			if models.IsPostgres(db) {
				stmts = []string{
					"CREATE OR REPLACE FUNCTION fault_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the disk is full'; END $$",
					"CREATE TRIGGER fault_" + table + " BEFORE INSERT ON " + table + " FOR EACH ROW EXECUTE FUNCTION fault_insert()",
				}
			}
			for _, s := range stmts {
				if err := db.Exec(s).Error; err != nil {
					t.Fatalf("fault on %s: %v", table, err)
				}
			}
		}
		isFault := func(what string, err error) {
			t.Helper()
			var fe models.FieldErrors
			if err == nil || errors.As(err, &fe) || !strings.Contains(err.Error(), "the disk is full") {
				t.Fatalf("%s: %v; want the database's error", what, err)
			}
		}
		count := func(table string, nominationID uint) int64 {
			var n int64
			if err := db.Table(table).Where("nomination_id = ? AND judge_id = ?", nominationID, j.ID).Count(&n).Error; err != nil {
				t.Fatal(err)
			}
			return n
		}

		fault("award_scores")
		_, err := models.SaveScore(ctx, db, f.summit.ID, j.ID, other.ID, models.ScoreInput{Points: []string{"5", "5", "5"}}, awardNow)
		isFault("a new score", err)
		if n := count("award_scores", other.ID); n != 0 {
			t.Fatalf("%d scores stored despite the fault", n)
		}

		fault("award_recusals")
		isFault("a recusal", models.Recuse(ctx, db, f.summit.ID, j.ID, scored.ID, "I work with Bo every day.", awardNow))
		if n := count("award_recusals", scored.ID); n != 0 {
			t.Fatalf("%d recusals stored despite the fault", n)
		}
		if n := count("award_scores", scored.ID); n != 1 {
			t.Fatalf("the earlier score is gone (%d left) although the recusal failed", n)
		}
	})
}

// The coverage page's bars: nominations counted per nominee department, job
// title and whom they served; each bar's width a share of the longest;
// departments by count then name, with the ones nobody nominated flagged
// (and only those); withdrawn nominations left out.
func TestCoverageBarsCountShareAndOrder(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		ann, bo, cy, di := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "Warehouse"), f.person(t, "Di Dale", "Finance")
		ed := f.person(t, "Ed Earl", "Support")
		for p, title := range map[*models.Person]string{bo: "Analyst", di: "Analyst", cy: "", ed: "Clerk"} {
			if err := db.Model(&models.Person{}).Where("id = ?", p.ID).Update("job_title", title).Error; err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Model(&models.Person{}).Where("id = ?", ed.ID).Update("department", "").Error; err != nil {
			t.Fatal(err)
		}
		// Before any nomination: every bar empty, every department unreached.
		empty, err := models.AwardCoverage(ctx, db, f.summit.ID)
		if err != nil || empty.Total != 0 || len(empty.Departments) == 0 || len(empty.Unreached) != len(empty.Departments) {
			t.Fatalf("no nominations: %+v %v", empty, err)
		}
		for _, b := range append(empty.Departments, empty.Served...) {
			if b.Count != 0 || b.Percent != 0 {
				t.Fatalf("no nominations, yet a bar: %+v", b)
			}
		}
		f.nominate(t, f.cat, ann, bo, goodStory) // a customer served
		f.nominate(t, f.cat, bo, cy, goodStory)  // a customer served
		f.nominate(t, f.cat, bo, ed, goodStory)  // a customer served
		if _, err := models.Nominate(ctx, db, f.summit.ID, ann.ID, models.NominationInput{CategoryID: fmt.Sprint(f.cat.ID), NomineeID: fmt.Sprint(di.ID), Story: goodStory, Served: models.ServedColleague}, awardNow); err != nil {
			t.Fatal(err)
		}
		gone := f.nominate(t, f.cat, cy, ann, goodStory)
		if err := models.WithdrawNomination(ctx, db, f.summit.ID, cy.ID, gone.ID, awardNow); err != nil {
			t.Fatal(err)
		}
		cov, err := models.AwardCoverage(ctx, db, f.summit.ID)
		if err != nil {
			t.Fatal(err)
		}
		show := func(bars []models.Bar) string {
			var b strings.Builder
			for _, x := range bars {
				fmt.Fprintf(&b, "%s=%d/%d%%", x.Label, x.Count, x.Percent)
				if x.Zero {
					b.WriteString("!")
				}
				b.WriteString(" ")
			}
			return strings.TrimSpace(b.String())
		}
		if cov.Total != 4 {
			t.Fatalf("total %d, want 4 (the withdrawn one left out)", cov.Total)
		}
		// Departments: Finance 2, then the ones with 1 by name (a nominee
		// without a department counts too), then every department nobody
		// reached, by name (Support's only nomination was withdrawn).
		depts := show(cov.Departments)
		if !strings.HasPrefix(depts, "Finance=2/100% (no department)=1/50% Warehouse=1/50% ") || !strings.Contains(depts, " Support=0/0%!") {
			t.Fatalf("departments: %s", depts)
		}
		for i := 3; i < len(cov.Departments); i++ {
			d := cov.Departments[i]
			if d.Count != 0 || !d.Zero || (i > 3 && cov.Departments[i-1].Label > d.Label) {
				t.Fatalf("departments after the reached ones are the unreached by name: %s", depts)
			}
		}
		if un := strings.Join(cov.Unreached, ","); strings.Contains(un, "Finance") || strings.Contains(un, "Warehouse") || strings.Contains(un, "(no department)") || !strings.Contains(un, "Support") || len(cov.Unreached) != len(cov.Departments)-3 {
			t.Fatalf("unreached %v of %s", cov.Unreached, depts)
		}
		if got := show(cov.Roles); got != "Analyst=2/100% (no job title)=1/50% Clerk=1/50%" {
			t.Fatalf("job titles: %s", got)
		}
		// Whom they served, in the form's order; a choice nobody made is not
		// flagged (only departments are).
		if got := show(cov.Served); got != "An external customer=3/100% A colleague=1/33% A team=0/0% The community=0/0%" {
			t.Fatalf("served: %s", got)
		}
	})
}

// Every column of the organisers' nominations CSV says what it heads, times
// in the summit's zone; withdrawn nominations are listed as such; a viewer
// nominated in a category does not get that category's rows.
func TestNominationsCSVRowsSayEverything(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		ann, bo, cy := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "Warehouse")
		f.nominate(t, f.cat, ann, bo, goodStory)
		n, err := models.Nominate(ctx, db, f.summit.ID, cy.ID, models.NominationInput{CategoryID: fmt.Sprint(f.cat.ID), NomineeID: fmt.Sprint(ann.ID), Story: goodStory, Served: models.ServedColleague, Quotable: false}, awardNow)
		if err != nil {
			t.Fatal(err)
		}
		if err := models.WithdrawNomination(ctx, db, f.summit.ID, cy.ID, n.ID, awardNow); err != nil {
			t.Fatal(err)
		}
		loc := f.summit.Location()
		rows, err := models.NominationsCSV(ctx, db, f.summit.ID, loc, 0, awardNow)
		if err != nil || len(rows) != 3 {
			t.Fatalf("%d rows, %v", len(rows), err)
		}
		at := awardNow.In(loc).Format("2006-01-02 15:04")
		want := []string{
			"category,nominee,nominee department,nominator,nominator department,served,may be quoted,status,submitted,story",
			"Patience Award,Bo Bright,Finance,Ann Able,Support,An external customer,yes,active," + at + "," + goodStory,
			"Patience Award,Ann Able,Support,Cy Clear,Warehouse,A colleague,no,withdrawn," + at + "," + goodStory,
		}
		for i, w := range want {
			if got := strings.Join(rows[i], ","); got != w {
				t.Errorf("row %d:\n got %s\nwant %s", i, got, w)
			}
		}
		if at == awardNow.UTC().Format("2006-01-02 15:04") {
			t.Fatalf("the summit's zone is UTC at %v; the test cannot tell the zones apart", awardNow)
		}
		// Bo, nominated in the category, sees none of its rows.
		rows, err = models.NominationsCSV(ctx, db, f.summit.ID, loc, bo.ID, awardNow)
		if err != nil || len(rows) != 1 {
			t.Fatalf("as a nominee of the category: %d rows, %v", len(rows), err)
		}
	})
}
