package models_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// ideaNow is inside the idea window every ideas fixture opens.
var ideaNow = time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)

type ideaFixture struct {
	summit   *models.Summit
	workshop *models.Session
	db       *gorm.DB
}

func newIdeaFixture(t *testing.T, db *gorm.DB, budget int) *ideaFixture {
	t.Helper()
	s := newSummit(t, db)
	tracks, err := models.ListTracks(ctx, db, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	var strat uint
	for _, tr := range tracks {
		if tr.Pillar == models.PillarStrategize {
			strat = tr.ID
		}
	}
	res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Strategy workshop: the year ahead", Kind: models.KindPanel,
		Day: "2027-03-11", StartTime: "14:00", EndTime: "15:30", TrackID: itoa(strat)}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.SetIdeaSettings(ctx, db, models.Actor{Name: "test"}, s.ID, models.IdeaSettingsInput{OpensDay: "2027-01-10", OpensTime: "09:00",
		ClosesDay: "2027-03-11", ClosesTime: "14:00", Budget: fmt.Sprint(budget)}, ideaNow); err != nil {
		t.Fatal(err)
	}
	return &ideaFixture{summit: s, workshop: res.Session, db: db}
}

func (f *ideaFixture) person(t *testing.T, name, dept string) *models.Person {
	t.Helper()
	p, err := models.CreatePerson(ctx, f.db, models.ActorOf(nil, ""), models.PersonInput{Name: name, Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com",
		Department: dept, Role: models.RoleStaff, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (f *ideaFixture) idea(t *testing.T, author *models.Person, title string, anonymous bool) *models.Idea {
	t.Helper()
	i, err := models.SubmitIdea(ctx, f.db, models.ActorOf(author, "10.0.0.9"), f.summit.ID, author.ID, models.IdeaInput{Title: title,
		Change: "Callers reach a person who can decide, not a queue.", Helps: models.HelpsCustomers, Anonymous: anonymous}, ideaNow)
	if err != nil {
		t.Fatal(err)
	}
	return i
}

func votesOf(t *testing.T, db *gorm.DB, personID uint) int64 {
	t.Helper()
	var n int64
	if err := db.Raw("SELECT COUNT(*) FROM idea_votes WHERE person_id = ?", personID).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Ideas open and close with the organiser's window; input gets field
// messages; a vote is refused past the budget, twice for one idea, on a
// hidden idea and after voting closes; taking one back frees it.
func TestIdeasWindowInputAndBudget(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSummitYear(t, db, 2031)
		ann := (&ideaFixture{db: db}).person(t, "Ann Able", "Support")
		_, err := models.SubmitIdea(ctx, db, models.ActorOf(ann, ""), s.ID, ann.ID, models.IdeaInput{Title: "A", Change: "B", Helps: models.HelpsTeam}, ideaNow)
		fieldErr(t, err, "idea", "not opened ideas")
		_, err = models.SetIdeaSettings(ctx, db, models.Actor{Name: "test"}, s.ID, models.IdeaSettingsInput{OpensDay: "2027-03-12", OpensTime: "09:00", ClosesDay: "2027-03-11", ClosesTime: "09:00", Budget: "0"}, ideaNow)
		fieldErr(t, err, "closes_day", "after they open")
		fieldErr(t, err, "budget", "between 1 and")

		f := newIdeaFixture(t, db, 2)
		ann = f.person(t, "Ann Other", "Support")
		_, err = models.SubmitIdea(ctx, db, models.ActorOf(ann, ""), f.summit.ID, ann.ID, models.IdeaInput{Title: "Two\nlines", Change: " ", Helps: "everyone"}, ideaNow)
		fieldErr(t, err, "title", "one line")
		fieldErr(t, err, "change", "required")
		fieldErr(t, err, "helps", "from the list")
		a, b, c := f.idea(t, ann, "Call back within a day", false), f.idea(t, ann, "One number for every question", false), f.idea(t, ann, "Ask the caller's name", false)
		for _, i := range []*models.Idea{a, b} {
			if err := models.Vote(ctx, db, f.summit.ID, i.ID, ann.ID, ideaNow); err != nil {
				t.Fatal(err)
			}
		}
		fieldErr(t, models.Vote(ctx, db, f.summit.ID, a.ID, ann.ID, ideaNow), "vote", "already voted")
		fieldErr(t, models.Vote(ctx, db, f.summit.ID, c.ID, ann.ID, ideaNow), "vote", "used all 2")
		if err := models.Unvote(ctx, db, f.summit.ID, a.ID, ann.ID, ideaNow); err != nil {
			t.Fatal(err)
		}
		if err := models.Vote(ctx, db, f.summit.ID, c.ID, ann.ID, ideaNow); err != nil {
			t.Fatalf("a vote taken back is free again: %v", err)
		}
		closed := time.Date(2027, 3, 11, 13, 0, 0, 0, time.UTC)
		fieldErr(t, models.Unvote(ctx, db, f.summit.ID, c.ID, ann.ID, closed), "vote", "closed")
		fieldErr(t, models.Vote(ctx, db, f.summit.ID, a.ID, ann.ID, closed), "vote", "closed")

		if err := models.HideIdea(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, c.ID, " ", ideaNow); err == nil {
			t.Fatal("hidden without a reason")
		}
		if err := models.HideIdea(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, c.ID, "Names a colleague unkindly", ideaNow); err != nil {
			t.Fatal(err)
		}
		if n := votesOf(t, db, ann.ID); n != 1 {
			t.Fatalf("votes after hiding: %d, want the hidden idea's vote given back", n)
		}
		fieldErr(t, models.Vote(ctx, db, f.summit.ID, c.ID, ann.ID, ideaNow), "vote", "no longer takes votes")
		ev, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "idea.hide"})
		if err != nil || len(ev) != 1 || ev[0].ActorName != "Olga" || !strings.Contains(ev[0].Summary, "Names a colleague unkindly") || !strings.Contains(ev[0].AfterJSON, "Names a colleague unkindly") {
			t.Fatalf("hiding is audited with the reason: %+v %v", ev, err)
		}
		bo := f.person(t, "Bo Bright", "Finance")
		if _, err := models.GetIdea(ctx, db, f.summit.ID, c.ID, bo.ID, false); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("a hidden idea for staff: %v", err)
		}
		if p, err := models.GetIdea(ctx, db, f.summit.ID, c.ID, ann.ID, false); err != nil || p.Row.HiddenReason == "" {
			t.Fatalf("its author sees it hidden with the reason: %+v %v", p, err)
		}
	})
}

// One person's 50 parallel votes never exceed the budget; two people voting
// for the same idea at once never lose a vote. 10 rounds each.
func TestVoteBudgetHoldsUnderConcurrency(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		author := f.person(t, "Ida Author", "Support")
		ideas := make([]*models.Idea, 12)
		for i := range ideas {
			ideas[i] = f.idea(t, author, fmt.Sprintf("Idea number %d", i), false)
		}
		for round := 0; round < 10; round++ {
			p := f.person(t, fmt.Sprintf("Voter %d", round), "Finance")
			const n = 50
			errs := make([]error, n)
			modelstest.Together(n, func(i int) {
				errs[i] = models.Vote(ctx, db, f.summit.ID, ideas[i%len(ideas)].ID, p.ID, ideaNow)
			})
			ok := 0
			for _, err := range errs {
				var fe models.FieldErrors
				switch {
				case err == nil:
					ok++
				case errors.As(err, &fe) && (strings.Contains(fe["vote"], "used all") || strings.Contains(fe["vote"], "already voted")):
				default:
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if got := votesOf(t, db, p.ID); ok != 5 || got != 5 {
				t.Fatalf("round %d: %d votes succeeded, %d stored; want exactly the budget, 5", round, ok, got)
			}
			// Two people, one idea, at once.
			x, y := f.person(t, fmt.Sprintf("Xia %d", round), "IT"), f.person(t, fmt.Sprintf("Yusuf %d", round), "Legal")
			target := ideas[round]
			var before int64
			db.Raw("SELECT COUNT(*) FROM idea_votes WHERE idea_id = ?", target.ID).Scan(&before)
			pair := []*models.Person{x, y}
			perrs := make([]error, 2)
			modelstest.Together(2, func(i int) { perrs[i] = models.Vote(ctx, db, f.summit.ID, target.ID, pair[i].ID, ideaNow) })
			var after int64
			db.Raw("SELECT COUNT(*) FROM idea_votes WHERE idea_id = ?", target.ID).Scan(&after)
			if perrs[0] != nil || perrs[1] != nil || after != before+2 {
				t.Fatalf("round %d: two people voting at once: %v %v, votes %d → %d", round, perrs[0], perrs[1], before, after)
			}
		}
	})
}

// Merging moves votes and comments; a person who voted for both keeps one
// vote on the merged idea (and gets the other back); the duplicate says
// where it went and takes no more votes.
func TestMergeKeepsEachVoteOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		ann, bo, cy := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clear", "IT")
		keep, dup := f.idea(t, ann, "Call customers back within a day", false), f.idea(t, bo, "Callback in 24 hours", false)
		for _, v := range []struct {
			p *models.Person
			i *models.Idea
		}{{ann, keep}, {ann, dup}, {bo, dup}, {cy, keep}} {
			if err := models.Vote(ctx, db, f.summit.ID, v.i.ID, v.p.ID, ideaNow); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := models.CommentOnIdea(ctx, db, f.summit.ID, dup.ID, cy.ID, "Yes, and say when we will call.", ideaNow); err != nil {
			t.Fatal(err)
		}
		if err := models.TagIdea(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, dup.ID, "response time, callbacks", ideaNow); err != nil {
			t.Fatal(err)
		}
		if _, err := models.MergeIdeas(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, dup.ID, dup.ID, ideaNow); err == nil {
			t.Fatal("merged into itself")
		}
		moved, err := models.MergeIdeas(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, dup.ID, keep.ID, ideaNow)
		if err != nil || moved != 1 {
			t.Fatalf("merge: %d moved, %v", moved, err)
		}
		p, err := models.GetIdea(ctx, db, f.summit.ID, keep.ID, ann.ID, false)
		if err != nil || p.Row.Votes != 3 || len(p.Comments) != 1 || !strings.Contains(p.Row.Themes, "callbacks") {
			t.Fatalf("merged idea: votes %d (want 3: Ann once, Bo, Cy), comments %d, themes %q, %v", p.Row.Votes, len(p.Comments), p.Row.Themes, err)
		}
		var dupes int64
		db.Raw("SELECT COUNT(*) FROM (SELECT person_id FROM idea_votes GROUP BY idea_id, person_id HAVING COUNT(*) > 1) d").Scan(&dupes)
		if n := votesOf(t, db, ann.ID); n != 1 || dupes != 0 {
			t.Fatalf("Ann holds %d votes (want 1) and %d people hold two votes on one idea", n, dupes)
		}
		fieldErr(t, models.Vote(ctx, db, f.summit.ID, dup.ID, cy.ID, ideaNow), "vote", "no longer takes votes")
		list, err := models.ListIdeas(ctx, db, f.summit.ID, models.IdeaFilter{ViewerID: ann.ID})
		if err != nil || len(list) != 1 {
			t.Fatalf("staff list after the merge: %+v %v", list, err)
		}
		all, _ := models.ListIdeas(ctx, db, f.summit.ID, models.IdeaFilter{IncludeHidden: true})
		for _, r := range all {
			if r.ID == dup.ID && r.MergedIntoTitle != keep.Title {
				t.Fatalf("the duplicate does not say where it went: %+v", r)
			}
		}
	})
}

// An idea without a name names nobody: not in its rows, not in JSON, not in
// the audit trail (no actor, no address), not in the department counts; the
// row still knows (for admins).
func TestAnonymousIdeaNamesNobody(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		nell := f.person(t, "Nell Nameless", "Tiny Team")
		i := f.idea(t, nell, "Let the night shift choose its own breaks", true)
		var stored models.Idea
		if err := db.First(&stored, i.ID).Error; err != nil || stored.AuthorID != nell.ID {
			t.Fatalf("the row keeps the author for moderation: %+v %v", stored, err)
		}
		list, err := models.ListIdeas(ctx, db, f.summit.ID, models.IdeaFilter{IncludeHidden: true})
		if err != nil || len(list) != 1 || list[0].AuthorName != "" || list[0].AuthorDepartment != "" || list[0].Mine {
			t.Fatalf("anonymous row: %+v %v", list, err)
		}
		b, _ := json.Marshal(list)
		if strings.Contains(string(b), fmt.Sprint(`"AuthorID":`)) || strings.Contains(string(b), "Nell") {
			t.Fatalf("JSON names the author: %s", b)
		}
		ev, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "idea."})
		for _, e := range ev {
			if e.ActorID != nil || e.IP != "" || strings.Contains(e.ActorName+e.Summary+e.BeforeJSON+e.AfterJSON, "Nell") {
				t.Fatalf("the audit names the author: %+v", e)
			}
		}
		cov, err := models.GetIdeaCoverage(ctx, db, f.summit.ID)
		if err != nil || cov.Anonymous != 1 {
			t.Fatalf("coverage: %+v %v", cov, err)
		}
		for _, d := range cov.Departments {
			if d.Department == "Tiny Team" && d.Ideas != 0 {
				t.Fatalf("the anonymous idea is counted for its author's department: %+v", d)
			}
		}
		if own, _ := models.ListIdeas(ctx, db, f.summit.ID, models.IdeaFilter{ViewerID: nell.ID}); len(own) != 1 || !own[0].Mine {
			t.Fatalf("its author finds it as theirs: %+v", own)
		}
	})
}

// Shortlisting takes strategize sessions of the same summit only, and the
// session lists its ideas.
func TestShortlistIntoStrategySession(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		ann := f.person(t, "Ann Able", "Support")
		i := f.idea(t, ann, "Call back within a day", false)
		other, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SessionInput{Title: "Lunch", Kind: models.KindBreak, Day: "2027-03-11", StartTime: "12:00", EndTime: "13:00"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		fieldErr(t, models.ShortlistIdea(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, i.ID, other.Session.ID, ideaNow), "session_id", "strategize")
		if err := models.ShortlistIdea(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, i.ID, f.workshop.ID, ideaNow); err != nil {
			t.Fatal(err)
		}
		list, err := models.SessionIdeas(ctx, db, f.workshop.ID)
		if err != nil || len(list) != 1 || list[0].Title != i.Title {
			t.Fatalf("session ideas: %+v %v", list, err)
		}
		if at, _ := models.DefaultIdeasClose(ctx, db, f.summit); !at.Equal(f.workshop.StartsAt) {
			t.Fatalf("ideas close by default at %v, want the workshop's start %v", at, f.workshop.StartsAt)
		}
	})
}

// The demo shows the feature at once: ideas with votes and comments, one
// without a name, one hidden, one merged, one shortlisted into the strategy
// workshop; the previous edition's commitments (one carried from the one
// before) with their statuses, for the coming summit's "What we promised
// last year"; and a "Commitments kept" series.
func TestDemoHasIdeasAndCommitments(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		cur, err := models.CurrentSummit(ctx, db, now)
		if err != nil {
			t.Fatal(err)
		}
		all, err := models.ListIdeas(ctx, db, cur.ID, models.IdeaFilter{IncludeHidden: true})
		if err != nil {
			t.Fatal(err)
		}
		var anon, hidden, merged, shortlisted, comments, votes int
		for _, r := range all {
			votes += r.Votes
			comments += r.Comments
			if r.Anonymous {
				anon++
			}
			if r.Hidden() {
				hidden++
			}
			if r.MergedIntoID != nil {
				merged++
			}
			if r.SessionID != nil && strings.Contains(r.SessionTitle, "workshop") {
				shortlisted++
			}
		}
		if anon != 1 || hidden != 1 || merged != 1 || shortlisted < 1 || comments < 3 || votes < 20 {
			t.Fatalf("demo ideas: %d anonymous, %d hidden, %d merged, %d shortlisted, %d comments, %d votes", anon, hidden, merged, shortlisted, comments, votes)
		}
		p, err := models.PromisedLastYear(ctx, db, cur)
		if err != nil || p == nil || p.Edition.Year != 2026 || len(p.Items) < 4 {
			t.Fatalf("promised last year: %+v %v", p, err)
		}
		statuses := map[models.CommitmentStatus]bool{}
		carried := false
		for _, c := range p.Items {
			statuses[c.Status] = true
			carried = carried || c.CarriedFromID != nil
		}
		if !statuses[models.CommitDone] || !statuses[models.CommitAtRisk] || !statuses[models.CommitDropped] || !carried {
			t.Fatalf("the previous edition's commitments: statuses %v, carried %v", statuses, carried)
		}
		eds, err := models.ListEditions(ctx, db, now)
		if err != nil {
			t.Fatal(err)
		}
		fig, err := models.YearOverYear(ctx, db, eds, false)
		if err != nil {
			t.Fatal(err)
		}
		kept := series(t, fig, "Commitments kept")
		if kept.Points[0].Has || !kept.Points[1].Has || !kept.Points[2].Has {
			t.Fatalf("commitments kept: %+v", kept.Points)
		}
	})
}
