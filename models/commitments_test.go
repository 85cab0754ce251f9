package models_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

func commit(t *testing.T, db *gorm.DB, s *models.Summit, owner *models.Person, what, due string) *models.Commitment {
	t.Helper()
	c, err := models.SaveCommitment(ctx, db, models.Actor{Name: "Olga"}, s.ID, 0, models.CommitmentInput{What: what, OwnerID: itoa(owner.ID), DueDate: due,
		Success: "Customers tell us in the survey."}, ideaNow)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func init() {
	revisionCommitmentSteps = append(revisionCommitmentSteps, func(t *testing.T, db *gorm.DB, s *models.Summit, owner *models.Person, raises func(string, [3]bool, func() error)) {
		later := [3]bool{false, false, true}
		var c *models.Commitment
		raises("commitment made (later editions show it)", later, func() error {
			var err error
			c, err = models.SaveCommitment(ctx, db, models.Actor{Name: "Olga"}, s.ID, 0, models.CommitmentInput{What: "Call back within a day", OwnerID: itoa(owner.ID), DueDate: "2027-09-01"}, ideaNow)
			return err
		})
		raises("commitment status", later, func() error {
			return models.PostCommitmentUpdate(ctx, db, models.Actor{Name: "Ann"}, s.ID, c.ID, owner.ID, false, models.CommitmentUpdateInput{Status: models.CommitAtRisk, Note: "Short of people in May"}, ideaNow)
		})
		raises("commitment followed", [3]bool{}, func() error { return models.FollowCommitment(ctx, db, s.ID, c.ID, owner.ID, true, ideaNow) })
		raises("owner renamed", later, func() error {
			_, err := models.UpdatePerson(ctx, db, models.ActorOf(nil, ""), owner.ID, models.PersonInput{Name: owner.Name + " Jr", Email: owner.Email, Department: owner.Department, Role: owner.Role, Active: true})
			return err
		})
	})
}

// Commitments: field messages; only the owner or an organiser posts
// updates; dropping needs a reason; the last status is kept with every
// update; followers; the outcome measure "Commitments kept".
func TestCommitmentsLifecycle(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		ann, bo := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		_, err := models.SaveCommitment(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, 0, models.CommitmentInput{What: "Two\nlines", OwnerID: "x", DueDate: "soon"}, ideaNow)
		fieldErr(t, err, "what", "one line")
		fieldErr(t, err, "owner", "")
		fieldErr(t, err, "due_date", "a date like")
		idea := f.idea(t, ann, "Call back within a day", false)
		c, err := models.SaveCommitment(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, 0, models.CommitmentInput{What: "Every caller hears back within a day",
			OwnerID: itoa(ann.ID), DueDate: "2027-12-01", IdeaID: itoa(idea.ID)}, ideaNow)
		if err != nil || c.Status != models.CommitOnTrack {
			t.Fatalf("commitment: %+v %v", c, err)
		}
		other := commit(t, db, f.summit, bo, "A day a quarter on the help desk for every engineer", "2027-10-01")
		fieldErr(t, models.PostCommitmentUpdate(ctx, db, models.Actor{Name: "Bo"}, f.summit.ID, c.ID, bo.ID, false, models.CommitmentUpdateInput{Status: models.CommitDone}, ideaNow), "status", "Only the commitment's owner")
		fieldErr(t, models.PostCommitmentUpdate(ctx, db, models.Actor{Name: "Ann"}, f.summit.ID, c.ID, ann.ID, false, models.CommitmentUpdateInput{Status: models.CommitDropped, Note: " "}, ideaNow), "note", "Say why")
		fieldErr(t, models.PostCommitmentUpdate(ctx, db, models.Actor{Name: "Ann"}, f.summit.ID, c.ID, ann.ID, false, models.CommitmentUpdateInput{Status: "late"}, ideaNow), "status", "Choose a status")
		if err := models.PostCommitmentUpdate(ctx, db, models.Actor{Name: "Ann"}, f.summit.ID, c.ID, ann.ID, false, models.CommitmentUpdateInput{Status: models.CommitAtRisk, Note: "Two people short"}, ideaNow); err != nil {
			t.Fatal(err)
		}
		if err := models.PostCommitmentUpdate(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, c.ID, bo.ID, true, models.CommitmentUpdateInput{Status: models.CommitDone, Note: "Kept since October"}, ideaNow.Add(time.Hour)); err != nil {
			t.Fatalf("an organiser posts an update: %v", err)
		}
		if err := models.FollowCommitment(ctx, db, f.summit.ID, c.ID, bo.ID, true, ideaNow); err != nil {
			t.Fatal(err)
		}
		if err := models.FollowCommitment(ctx, db, f.summit.ID, c.ID, bo.ID, true, ideaNow); err != nil {
			t.Fatalf("following twice: %v", err)
		}
		p, err := models.GetCommitment(ctx, db, f.summit.ID, c.ID, bo.ID)
		if err != nil || p.Row.Status != models.CommitDone || p.Row.StatusNote != "Kept since October" || len(p.Updates) != 2 || p.Updates[0].Status != models.CommitDone ||
			!p.Row.Following || p.Row.Followers != 1 || p.Row.IdeaTitle != idea.Title || p.Row.OwnerName() != "Ann Able" {
			t.Fatalf("commitment page: %+v %v", p, err)
		}
		mine, err := models.FollowedCommitments(ctx, db, bo.ID)
		if err != nil || len(mine) != 2 || mine[0].ID != other.ID {
			t.Fatalf("Bo owns one and follows one: %+v %v", mine, err)
		}
		vals, err := models.ComputeEdition(ctx, db, f.summit)
		if err != nil || vals[models.MeasureCommitmentsKept] != 50 {
			t.Fatalf("commitments kept: %v %v (want 50: one of two done)", vals[models.MeasureCommitmentsKept], err)
		}
		ev, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "commitment."})
		if len(ev) != 4 {
			t.Fatalf("audit: %d commitment events, want 4 (two made, two updates)", len(ev))
		}
	})
}

// "What we promised last year": the next edition shows every commitment of
// the previous one with its last status; the first edition shows none.
func TestPromisedLastYear(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		if _, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		next := newSummitYear(t, db, 2028)
		ann := f.person(t, "Ann Able", "Support")
		c := commit(t, db, f.summit, ann, "Every caller hears back within a day", "2027-12-01")
		commit(t, db, f.summit, ann, "Engineers on the help desk", "2027-10-01")
		if err := models.PostCommitmentUpdate(ctx, db, models.Actor{Name: "Ann"}, f.summit.ID, c.ID, ann.ID, false, models.CommitmentUpdateInput{Status: models.CommitDone, Note: "Kept"}, ideaNow); err != nil {
			t.Fatal(err)
		}
		p, err := models.PromisedLastYear(ctx, db, next)
		if err != nil || p == nil || p.Edition.ID != f.summit.ID || len(p.Items) != 2 || p.Kept() != 1 || p.Items[1].Status != models.CommitDone || p.Items[1].OwnerName() != "Ann Able" {
			t.Fatalf("promised last year: %+v %v", p, err)
		}
		if p, err := models.PromisedLastYear(ctx, db, f.summit); err != nil || p != nil {
			t.Fatalf("the first edition: %+v %v", p, err)
		}
	})
}

// CarryOpenCommitments copies the open commitments only, keeping owner,
// what and status, remembering where each came from, with the due date
// moved by the distance between the summits and never before the new
// summit ends; carrying again adds nothing.
func TestCarryOpenCommitments(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		next := newSummitYear(t, db, 2028) // 2028-05-01 … 02; the fixture's summit starts 2027-03-11
		ann, bo := f.person(t, "Ann Able", "Support"), f.person(t, "Bo Bright", "Finance")
		open := commit(t, db, f.summit, ann, "Every caller hears back within a day", "2027-12-01")
		early := commit(t, db, f.summit, bo, "New starters shadow the help desk", "2027-01-01")
		done := commit(t, db, f.summit, ann, "Engineers on the help desk", "2027-10-01")
		dropped := commit(t, db, f.summit, bo, "A new ticket system", "2027-06-01")
		sys := models.Actor{Name: "Olga"}
		for c, st := range map[*models.Commitment]models.CommitmentStatus{done: models.CommitDone, dropped: models.CommitDropped, early: models.CommitAtRisk} {
			if err := models.PostCommitmentUpdate(ctx, db, sys, f.summit.ID, c.ID, ann.ID, true, models.CommitmentUpdateInput{Status: st, Note: "Because"}, ideaNow); err != nil {
				t.Fatal(err)
			}
		}
		var n int
		err := db.Transaction(func(tx *gorm.DB) error {
			var err error
			n, err = models.CarryOpenCommitments(tx, f.summit.ID, next.ID)
			return err
		})
		if err != nil || n != 2 {
			t.Fatalf("carried %d, %v; want the two open ones", n, err)
		}
		rows, err := models.ListCommitments(ctx, db, next.ID, 0)
		if err != nil || len(rows) != 2 {
			t.Fatalf("carried rows: %+v %v", rows, err)
		}
		byFrom := map[uint]models.CommitmentRow{}
		for _, r := range rows {
			if r.CarriedFromID == nil {
				t.Fatalf("a carried commitment forgets where it came from: %+v", r)
			}
			byFrom[*r.CarriedFromID] = r
		}
		a, b := byFrom[open.ID], byFrom[early.ID]
		// 2027-03-11 → 2028-05-01 is 417 days.
		if a.What != open.What || a.OwnerID != ann.ID || a.DueDate != "2029-01-21" || a.Status != models.CommitOnTrack || a.CarriedFrom != f.summit.Title {
			t.Fatalf("carried open commitment: %+v", a)
		}
		if b.OwnerID != bo.ID || b.Status != models.CommitAtRisk || b.DueDate != "2028-05-02" || !strings.Contains(b.StatusNote, "Carried over from") {
			t.Fatalf("carried at-risk commitment (moved by the gap it would fall before the new summit ends, so 2028-05-02): %+v", b)
		}
		err = db.Transaction(func(tx *gorm.DB) error {
			var err error
			n, err = models.CarryOpenCommitments(tx, f.summit.ID, next.ID)
			return err
		})
		if err != nil || n != 0 {
			t.Fatalf("carrying again: %d %v", n, err)
		}
	})
}
