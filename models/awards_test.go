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

// awardFixture is a summit (11–12 March 2027, Amsterdam) with a ceremony on
// the second afternoon and one category whose nomination window is open at
// awardNow (1 Jan – 1 Mar 2027).
type awardFixture struct {
	db     *gorm.DB
	summit *models.Summit
	cat    *models.AwardCategory
	org    models.Actor
}

var awardNow = time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)

const goodStory = "She stayed on the phone for an hour with a customer whose heating failed on a freezing night, and found a fix."

func newAwardFixture(t *testing.T, db *gorm.DB) *awardFixture {
	t.Helper()
	s := newSummit(t, db)
	if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Ceremony", Kind: models.KindCeremony, Day: "2027-03-12", StartTime: "13:30", EndTime: "15:00"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	f := &awardFixture{db: db, summit: s, org: models.Actor{Name: "organiser"}}
	f.cat = f.category(t, "Patience Award", models.CategoryInput{})
	return f
}

func (f *awardFixture) category(t *testing.T, name string, in models.CategoryInput) *models.AwardCategory {
	t.Helper()
	in.Name, in.Trait = name, "Patience"
	in.OpensDay, in.OpensTime, in.ClosesDay, in.ClosesTime = "2027-01-01", "09:00", "2027-03-01", "17:00"
	c, err := models.SaveCategory(ctx, f.db, f.org, f.summit.ID, 0, in, time.Now())
	if err != nil {
		t.Fatalf("category: %v", err)
	}
	return c
}

func (f *awardFixture) person(t *testing.T, name, dept string) *models.Person {
	t.Helper()
	p, err := models.CreatePerson(ctx, f.db, models.ActorOf(nil, ""), models.PersonInput{Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com", Department: dept, JobTitle: dept + " person", Role: models.RoleStaff, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *awardFixture) nominate(t *testing.T, cat *models.AwardCategory, by, who *models.Person, story string) *models.Nomination {
	t.Helper()
	n, err := models.Nominate(ctx, f.db, f.summit.ID, by.ID, models.NominationInput{CategoryID: fmt.Sprint(cat.ID), NomineeID: fmt.Sprint(who.ID), Story: story, Served: models.ServedCustomer, Quotable: true}, awardNow)
	if err != nil {
		t.Fatalf("nominate %s by %s: %v", who.Name, by.Name, err)
	}
	return n
}

func (f *awardFixture) judge(t *testing.T, cat *models.AwardCategory, p *models.Person) {
	t.Helper()
	if err := models.AddJudge(ctx, f.db, f.org, f.summit.ID, cat.ID, p.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func (f *awardFixture) score(t *testing.T, judge *models.Person, n *models.Nomination, pts ...string) {
	t.Helper()
	if _, err := models.SaveScore(ctx, f.db, f.summit.ID, judge.ID, n.ID, models.ScoreInput{Points: pts}, awardNow); err != nil {
		t.Fatalf("score by %s: %v", judge.Name, err)
	}
}

func TestAwardCategoryDefaults(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		want := time.Date(2027, 3, 12, 12, 30, 0, 0, time.UTC) // 13:30 in Amsterdam
		if !f.cat.AnnounceAt.Equal(want) || !f.cat.JudgingClosesAt.Equal(want) {
			t.Fatalf("announce %v judging %v, want the ceremony start %v", f.cat.AnnounceAt, f.cat.JudgingClosesAt, want)
		}
		if len(f.cat.CriteriaList()) != 3 || f.cat.Winners != 1 || f.cat.AllowSelf {
			t.Fatalf("defaults: %+v", f.cat)
		}
		_, err := models.SaveCategory(ctx, db, f.org, f.summit.ID, 0, models.CategoryInput{Name: "X", OpensDay: "2027-03-02", OpensTime: "09:00", ClosesDay: "2027-03-01", ClosesTime: "09:00"}, time.Now())
		fieldErr(t, err, "closes_day", "close after they open")
		got, err := models.AwardSummaries(ctx, db, f.summit.ID)
		if err != nil || len(got) != 1 || got[0].Name != "Patience Award" {
			t.Fatalf("summaries %v %v", got, err)
		}
	})
}

func TestNominationRefusals(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		ann, bo := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		in := func(who *models.Person, story string) models.NominationInput {
			return models.NominationInput{CategoryID: fmt.Sprint(f.cat.ID), NomineeID: fmt.Sprint(who.ID), Story: story, Served: models.ServedColleague}
		}
		_, err := models.Nominate(ctx, db, f.summit.ID, ann.ID, in(bo, goodStory), time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		fieldErr(t, err, "category_id", "are not open yet")
		_, err = models.Nominate(ctx, db, f.summit.ID, ann.ID, in(bo, goodStory), time.Date(2027, 3, 2, 0, 0, 0, 0, time.UTC))
		fieldErr(t, err, "category_id", "closed on")
		_, err = models.Nominate(ctx, db, f.summit.ID, ann.ID, in(ann, goodStory), awardNow)
		fieldErr(t, err, "nominee_id", "cannot nominate yourself")
		_, err = models.Nominate(ctx, db, f.summit.ID, ann.ID, in(bo, strings.Repeat("é", 49)), awardNow)
		fieldErr(t, err, "story", "too short: 49 characters")
		// 3000 characters of two bytes each is fine: counted in characters.
		if _, err := models.Nominate(ctx, db, f.summit.ID, ann.ID, in(bo, strings.Repeat("é", 3000)), awardNow); err != nil {
			t.Fatalf("3000 characters: %v", err)
		}
		_, err = models.Nominate(ctx, db, f.summit.ID, ann.ID, in(bo, goodStory), awardNow)
		fieldErr(t, err, "nominee_id", "already nominated Bo Bright")
		cy := f.person(t, "Cy Gone", "IT")
		cyIn := models.PersonInput{Name: cy.Name, Email: cy.Email, Department: "IT", Role: models.RoleStaff, Active: false}
		if _, err := models.UpdatePerson(ctx, db, models.ActorOf(nil, ""), cy.ID, cyIn); err != nil {
			t.Fatal(err)
		}
		_, err = models.Nominate(ctx, db, f.summit.ID, ann.ID, in(cy, goodStory), awardNow)
		fieldErr(t, err, "nominee_id", "no longer active")
		_, err = models.Nominate(ctx, db, f.summit.ID, ann.ID, in(f.person(t, "Dee Dee", "IT"), strings.Repeat("x", 3001)), awardNow)
		fieldErr(t, err, "story", "too long: 3001")
		// Self-nomination where the category allows it.
		self := f.category(t, "Open Mind Award", models.CategoryInput{AllowSelf: true})
		f.nominate(t, self, ann, ann, goodStory)
	})
}

func TestEditWithdrawUntilClose(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		ann, bo := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		n := f.nominate(t, f.cat, ann, bo, goodStory)
		edit := models.NominationInput{Story: goodStory + " Twice.", Served: models.ServedTeam}
		if _, err := models.UpdateNomination(ctx, db, f.summit.ID, bo.ID, n.ID, edit, awardNow); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("someone else edits: %v", err)
		}
		if _, err := models.UpdateNomination(ctx, db, f.summit.ID, ann.ID, n.ID, edit, awardNow); err != nil {
			t.Fatal(err)
		}
		late := time.Date(2027, 3, 5, 0, 0, 0, 0, time.UTC)
		_, err := models.UpdateNomination(ctx, db, f.summit.ID, ann.ID, n.ID, edit, late)
		fieldErr(t, err, "nomination", "can no longer be changed")
		if err := models.WithdrawNomination(ctx, db, f.summit.ID, ann.ID, n.ID, awardNow); err != nil {
			t.Fatal(err)
		}
		mine, _ := models.MyNominations(ctx, db, f.summit.ID, ann.ID)
		if len(mine) != 0 {
			t.Fatalf("withdrawn still listed: %v", mine)
		}
		// Withdrawn ones do not block nominating again.
		f.nominate(t, f.cat, ann, bo, goodStory)
	})
}

// One nominator sends the same nomination eight times at once (released
// together by a start barrier), in ten rounds with a new nominee each: every
// round stores exactly one, the others are told it exists. Without the
// award_nominations_once unique index some round stores two.
func TestConcurrentDuplicateNominationsMakeOne(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		ann := f.person(t, "Ann Able", "Support")
		const rounds, n = 10, 8
		for round := 0; round < rounds; round++ {
			bo := f.person(t, fmt.Sprintf("Bo Bright %d", round), "Finance")
			errs := make([]error, n)
			modelstest.Together(n, func(i int) {
				_, errs[i] = models.Nominate(ctx, db, f.summit.ID, ann.ID, models.NominationInput{CategoryID: fmt.Sprint(f.cat.ID), NomineeID: fmt.Sprint(bo.ID), Story: goodStory, Served: models.ServedCustomer}, awardNow)
			})
			ok := 0
			for _, err := range errs {
				if err == nil {
					ok++
				} else {
					fieldErr(t, err, "nominee_id", "already nominated")
				}
			}
			var rows int64
			if err := db.Model(&models.Nomination{}).Where("nominee_id = ?", bo.ID).Count(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if ok != 1 || rows != 1 {
				t.Fatalf("round %d: %d succeeded, %d rows; want exactly one", round, ok, rows)
			}
		}
	})
}

func TestJudgeNeverSeesOwnConflicts(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		j, a, b, c := f.person(t, "Jo Judge", "Legal"), f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "IT")
		f.judge(t, f.cat, j)
		about := f.nominate(t, f.cat, a, j, goodStory)   // about the judge
		clean := f.nominate(t, f.cat, a, b, goodStory)   // no conflict
		byJudge := f.nominate(t, f.cat, j, c, goodStory) // written by the judge, after assignment
		other := f.nominate(t, f.cat, b, c, goodStory)   // about someone the judge nominated
		_, items, err := models.JudgeQueue(ctx, db, f.summit.ID, f.cat.ID, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 1 || items[0].Nomination.ID != clean.ID {
			t.Fatalf("judge sees %d items, want only the clean one", len(items))
		}
		if items[0].Nomination.Nominator != nil {
			t.Fatal("blind judging shows the nominator")
		}
		for _, n := range []*models.Nomination{about, byJudge, other} {
			if _, err := models.SaveScore(ctx, db, f.summit.ID, j.ID, n.ID, models.ScoreInput{Points: []string{"5", "5", "5"}}, awardNow); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("score of conflicted nomination %d: %v", n.ID, err)
			}
			if _, err := models.GetJudgeItem(ctx, db, f.summit.ID, n.ID, j.ID); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("judge opens conflicted nomination %d: %v", n.ID, err)
			}
			if err := models.Recuse(ctx, db, f.summit.ID, j.ID, n.ID, "why not", awardNow); !errors.Is(err, models.ErrNotFound) {
				t.Fatalf("recuse conflicted %d: %v", n.ID, err)
			}
		}
		// A conflict that appears after scoring: the earlier score stops counting.
		f.score(t, j, clean, "5", "5", "5")
		f.nominate(t, f.cat, j, b, goodStory)
		if _, err := models.GetJudgeItem(ctx, db, f.summit.ID, clean.ID, j.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("after the judge nominated Bo, Bo's nomination is still visible: %v", err)
		}
		_, rows, err := models.Results(ctx, db, f.summit.ID, f.cat.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Scores != 0 {
				t.Fatalf("conflicted score counts for %s", r.Nominee.Name)
			}
		}
		// Not a judge of the category: nothing.
		if _, _, err := models.JudgeQueue(ctx, db, f.summit.ID, f.cat.ID, a.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("non-judge queue: %v", err)
		}
	})
}

func TestScoresRecusalsAndJudgingClose(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		cat := f.category(t, "Open Judging", models.CategoryInput{ShowNominator: true, JudgingDay: "2027-03-05", JudgingTime: "12:00"})
		j1, j2, a, b := f.person(t, "Jo Judge", "Legal"), f.person(t, "Kim Judge", "Sales"), f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		f.judge(t, cat, j1)
		f.judge(t, cat, j2)
		n := f.nominate(t, cat, a, b, goodStory)
		_, err := models.SaveScore(ctx, db, f.summit.ID, j1.ID, n.ID, models.ScoreInput{Points: []string{"5", "9", ""}}, awardNow)
		fieldErr(t, err, "c1", "from 1 to 5")
		f.score(t, j1, n, "3", "3", "3")
		f.score(t, j1, n, "4", "4", "4") // changed
		it, err := models.GetJudgeItem(ctx, db, f.summit.ID, n.ID, j2.ID)
		if err != nil {
			t.Fatal(err)
		}
		if it.MyScore != nil {
			t.Fatal("judge 2 sees judge 1's score")
		}
		if it.Nomination.Nominator == nil || it.Nomination.Nominator.Name != "Ann Able" {
			t.Fatal("open judging hides the nominator")
		}
		err = models.Recuse(ctx, db, f.summit.ID, j2.ID, n.ID, " ", awardNow)
		fieldErr(t, err, "reason", "why you step back")
		if err := models.Recuse(ctx, db, f.summit.ID, j2.ID, n.ID, "Bo is my sister", awardNow); err != nil {
			t.Fatal(err)
		}
		_, err = models.SaveScore(ctx, db, f.summit.ID, j2.ID, n.ID, models.ScoreInput{Points: []string{"1", "1", "1"}}, awardNow)
		fieldErr(t, err, "score", "recused")
		late := time.Date(2027, 3, 6, 0, 0, 0, 0, time.UTC)
		_, err = models.SaveScore(ctx, db, f.summit.ID, j1.ID, n.ID, models.ScoreInput{Points: []string{"1", "1", "1"}}, late)
		fieldErr(t, err, "score", "Judging for “Open Judging” closed")
		prog, err := models.JudgingProgress(ctx, db, f.summit.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range prog {
			if p.Category.ID == cat.ID && (p.Nominations != 1 || len(p.Judges) != 2 || p.Percent() != 100) {
				t.Fatalf("progress %+v", p)
			}
		}
	})
}

func TestResultsGroupTiesAndWinnersWithReason(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		j1, j2 := f.person(t, "Jo Judge", "Legal"), f.person(t, "Kim Judge", "Sales")
		a, b, c, d := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "IT"), f.person(t, "Di Deep", "IT")
		f.judge(t, f.cat, j1)
		f.judge(t, f.cat, j2)
		b1 := f.nominate(t, f.cat, a, b, goodStory)
		b2 := f.nominate(t, f.cat, c, b, goodStory) // Bo twice: grouped
		cn := f.nominate(t, f.cat, a, c, goodStory)
		dn := f.nominate(t, f.cat, a, d, goodStory)
		f.score(t, j1, b1, "5", "5", "5")
		f.score(t, j2, b2, "4", "4", "4")
		f.score(t, j1, cn, "3", "3", "3")
		f.score(t, j1, dn, "3", "3", "3")
		_, rows, err := models.Results(ctx, db, f.summit.ID, f.cat.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 3 || rows[0].Nominee.ID != b.ID || len(rows[0].Nominations) != 2 || rows[0].Mean != 4.5 || rows[0].Judges != 2 || rows[0].FewScores {
			t.Fatalf("top row %+v", rows[0])
		}
		if !rows[1].Tie || !rows[2].Tie || !rows[1].FewScores || rows[1].Rank != 2 || rows[2].Rank != 2 {
			t.Fatalf("tie rows %+v %+v", rows[1], rows[2])
		}
		err = models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{c.ID}, "", awardNow)
		fieldErr(t, err, "reason", "differs from the ranking")
		if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{c.ID}, "Cy's story was verified by the customer", awardNow); err != nil {
			t.Fatal(err)
		}
		ev, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "award.winners"})
		if len(ev) != 1 || !strings.Contains(ev[0].Summary, "verified by the customer") {
			t.Fatalf("audit %+v", ev)
		}
		if err := models.ChooseWinners(ctx, db, f.org, f.summit.ID, f.cat.ID, []uint{b.ID}, "", awardNow); err != nil {
			t.Fatalf("in order needs no reason: %v", err)
		}
		// Embargo: nothing before the announcement, the winner and quote after it.
		h, err := models.Honorees(ctx, db, f.summit.ID, f.cat.AnnounceAt.Add(-time.Second))
		if err != nil || len(h) != 0 {
			t.Fatalf("honorees before the announcement: %v %v", h, err)
		}
		if mine, _ := models.MyRecognition(ctx, db, b.ID, f.cat.AnnounceAt.Add(-time.Second)); len(mine) != 0 {
			t.Fatal("recognition before the announcement")
		}
		h, err = models.Honorees(ctx, db, f.summit.ID, f.cat.AnnounceAt)
		if err != nil || len(h) != 1 || h[0].PersonName != "Bo Bright" || h[0].Quote != goodStory {
			t.Fatalf("honorees after: %+v %v", h, err)
		}
		if mine, _ := models.MyRecognition(ctx, db, b.ID, f.cat.AnnounceAt); len(mine) != 1 {
			t.Fatal("no recognition after the announcement")
		}
	})
}

func TestCoverageShowsUnreachedDepartments(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		a, b := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		f.person(t, "Cy Clear", "Warehouse")
		f.nominate(t, f.cat, a, b, "=HYPERLINK(\"http://evil\") "+goodStory)
		cov, err := models.AwardCoverage(ctx, db, f.summit.ID)
		if err != nil {
			t.Fatal(err)
		}
		if cov.Total != 1 || cov.Departments[0].Label != "Finance" || cov.Departments[0].Count != 1 {
			t.Fatalf("coverage %+v", cov)
		}
		un := strings.Join(cov.Unreached, ",")
		if !strings.Contains(un, "Warehouse") || !strings.Contains(un, "Support") || strings.Contains(un, "Finance") {
			t.Fatalf("unreached %v", cov.Unreached)
		}
		rows, err := models.NominationsCSV(ctx, db, f.summit.ID, time.UTC, 0, awardNow)
		if err != nil || len(rows) != 2 || rows[1][1] != "Bo Bright" {
			t.Fatalf("csv %v %v", rows, err)
		}
		if story := rows[1][len(rows[1])-1]; strings.HasPrefix(story, "=") {
			t.Fatalf("CSV story cell is a formula: %q", story)
		}
	})
}

func TestDemoHasAwards(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
			t.Fatal(err)
		}
		s, err := models.CurrentSummit(ctx, db, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		cats, err := models.ListCategories(ctx, db, s.ID)
		if err != nil || len(cats) != 4 {
			t.Fatalf("categories %d %v", len(cats), err)
		}
		for _, c := range cats {
			if c.WindowState(time.Now()) != models.WindowOpen {
				t.Fatalf("%s: window not open at seed time", c.Name)
			}
		}
		var n int64
		db.Model(&models.Nomination{}).Count(&n)
		if n < 5 {
			t.Fatalf("only %d nominations", n)
		}
		if h, _ := models.Honorees(ctx, db, s.ID, time.Now()); len(h) != 0 {
			t.Fatal("demo honorees before the ceremony")
		}
	})
}
