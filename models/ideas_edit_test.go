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

func storedIdea(t *testing.T, db *gorm.DB, id uint) models.Idea {
	t.Helper()
	var i models.Idea
	if err := db.First(&i, id).Error; err != nil {
		t.Fatal(err)
	}
	return i
}

func refusedEdit(t *testing.T, err error, want string) {
	t.Helper()
	var no models.IdeaEditRefused
	if !errors.As(err, &no) || !strings.Contains(no.Reason, want) {
		t.Fatalf("want a refusal saying %q, got %v", want, err)
	}
}

// An idea's author changes its title and text while ideas are open (bad
// input gets field messages), never after, never someone else's, never a
// hidden or merged one; an organiser changes any idea at any time, and the
// change is audited with the text before and after — an anonymous author's
// without a name or address. A refused change leaves the row and the audit
// log as they were.
func TestEditIdeaByItsAuthorWhileOpenAndByOrganisers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		ada := f.person(t, "Ada Author", "Support")
		bob := f.person(t, "Bob Bystander", "Billing")
		olga, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Olga Organiser", Email: "olga@example.com", Role: models.RoleOrganiser, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		mine := f.idea(t, ada, "Call back within a day", false)
		anon := f.idea(t, ada, "Let the night shift choose breaks", true)
		edits := func() int {
			ev, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "idea.edit"})
			if err != nil {
				t.Fatal(err)
			}
			mod, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "idea.moderate"})
			return len(ev) + len(mod)
		}

		// Bad input: messages beside the fields, nothing stored.
		_, err = models.EditIdea(ctx, db, models.ActorOf(ada, "10.0.0.1"), f.summit.ID, mine.ID, ada.ID, models.IdeaEditInput{Title: " ", Change: strings.Repeat("x", models.MaxIdeaChange+1)}, ideaNow)
		fieldErr(t, err, "title", "required")
		fieldErr(t, err, "change", "too long")
		// Someone else's idea.
		_, err = models.EditIdea(ctx, db, models.ActorOf(bob, ""), f.summit.ID, mine.ID, bob.ID, models.IdeaEditInput{Title: "Bob's now", Change: "Mine."}, ideaNow)
		refusedEdit(t, err, "Only its author")
		if got := storedIdea(t, db, mine.ID); got.Title != "Call back within a day" || edits() != 0 {
			t.Fatalf("a refused change touched the idea or the audit log: %+v, %d events", got, edits())
		}

		// The author, while open.
		got, err := models.EditIdea(ctx, db, models.ActorOf(ada, "10.0.0.1"), f.summit.ID, mine.ID, ada.ID, models.IdeaEditInput{Title: "Call every caller back within a day", Change: "Promises kept, counted."}, ideaNow)
		if err != nil || got.Title != "Call every caller back within a day" {
			t.Fatalf("author's edit: %+v %v", got, err)
		}
		if s := storedIdea(t, db, mine.ID); s.Title != "Call every caller back within a day" || s.Change != "Promises kept, counted." || s.AuthorID != ada.ID {
			t.Fatalf("stored: %+v", s)
		}
		ev, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "idea.edit", RecordID: itoa(mine.ID)})
		if len(ev) != 1 || ev[0].ActorID == nil || *ev[0].ActorID != ada.ID || !strings.Contains(ev[0].BeforeJSON, "Call back within a day") || !strings.Contains(ev[0].AfterJSON, "Promises kept") {
			t.Fatalf("author's edit audit: %+v", ev)
		}

		// Anonymous: audited without a name or address.
		if _, err := models.EditIdea(ctx, db, models.ActorOf(ada, "10.0.0.1"), f.summit.ID, anon.ID, ada.ID, models.IdeaEditInput{Title: "Let each shift choose its breaks", Change: "Nights too."}, ideaNow); err != nil {
			t.Fatal(err)
		}
		ev, _ = models.ListAudit(ctx, db, models.AuditFilter{Action: "idea.edit", RecordID: itoa(anon.ID)})
		if len(ev) != 1 || ev[0].ActorID != nil || ev[0].IP != "" || strings.Contains(ev[0].ActorName+ev[0].Summary+ev[0].BeforeJSON+ev[0].AfterJSON, "Ada") {
			t.Fatalf("anonymous edit audit names its author: %+v", ev)
		}

		// After ideas close: the author is refused, an organiser moderates.
		closed := time.Date(2027, 3, 12, 9, 0, 0, 0, time.UTC)
		_, err = models.EditIdea(ctx, db, models.ActorOf(ada, ""), f.summit.ID, mine.ID, ada.ID, models.IdeaEditInput{Title: "Too late", Change: "Too late."}, closed)
		refusedEdit(t, err, "only while they are open")
		if _, err := models.EditIdea(ctx, db, models.ActorOf(olga, "10.0.0.2"), f.summit.ID, anon.ID, olga.ID, models.IdeaEditInput{Title: "Let each shift choose its breaks", Change: "Nights too. [insult removed]"}, closed); err != nil {
			t.Fatalf("organiser's moderation after closing: %v", err)
		}
		mod, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "idea.moderate"})
		if len(mod) != 1 || mod[0].ActorID == nil || *mod[0].ActorID != olga.ID || !strings.Contains(mod[0].BeforeJSON, "Nights too.") || !strings.Contains(mod[0].AfterJSON, "[insult removed]") || strings.Contains(mod[0].BeforeJSON+mod[0].AfterJSON, "Ada") {
			t.Fatalf("moderation audit: %+v", mod)
		}

		// Hidden or merged: its author may not change it any more.
		other := f.idea(t, ada, "A duplicate", false)
		if _, err := models.MergeIdeas(ctx, db, models.ActorOf(olga, ""), f.summit.ID, other.ID, mine.ID, ideaNow); err != nil {
			t.Fatal(err)
		}
		_, err = models.EditIdea(ctx, db, models.ActorOf(ada, ""), f.summit.ID, other.ID, ada.ID, models.IdeaEditInput{Title: "x", Change: "y"}, ideaNow)
		refusedEdit(t, err, "merged")
		if err := models.HideIdea(ctx, db, models.ActorOf(olga, ""), f.summit.ID, mine.ID, "test", ideaNow); err != nil {
			t.Fatal(err)
		}
		_, err = models.EditIdea(ctx, db, models.ActorOf(ada, ""), f.summit.ID, mine.ID, ada.ID, models.IdeaEditInput{Title: "x", Change: "y"}, ideaNow)
		refusedEdit(t, err, "hid")
		// Another summit's idea is not found through this one.
		s2, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Other summit", StartDate: "2027-06-01", EndDate: "2027-06-02", TimeZone: "Europe/Amsterdam"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.EditIdea(ctx, db, models.ActorOf(olga, ""), s2.ID, anon.ID, olga.ID, models.IdeaEditInput{Title: "x", Change: "y"}, ideaNow); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("idea through another summit: %v", err)
		}
	})
}

// The organisers' CSV has every idea with its votes, comments, state,
// shortlist and the commitments made from it; an anonymous idea names
// nobody, not even a department.
func TestIdeasCSV(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		ada := f.person(t, "Ada Author", "Support")
		nell := f.person(t, "Nell Nameless", "Tiny Team")
		a := f.idea(t, ada, "Call back within a day", false)
		n := f.idea(t, nell, "Let the night shift choose breaks", true)
		h := f.idea(t, ada, "Something rude", false)
		for _, p := range []*models.Person{ada, nell} {
			if err := models.Vote(ctx, db, f.summit.ID, a.ID, p.ID, ideaNow); err != nil {
				t.Fatal(err)
			}
		}
		if err := models.ShortlistIdea(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, a.ID, f.workshop.ID, ideaNow); err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveCommitment(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, 0, models.CommitmentInput{What: "Every caller hears back within a day", OwnerID: itoa(ada.ID), DueDate: "2027-12-01", IdeaID: itoa(a.ID)}, ideaNow); err != nil {
			t.Fatal(err)
		}
		if err := models.HideIdea(ctx, db, models.Actor{Name: "Olga"}, f.summit.ID, h.ID, "Not kind", ideaNow); err != nil {
			t.Fatal(err)
		}
		rows, err := models.IdeasCSV(ctx, db, f.summit)
		if err != nil || len(rows) != 4 {
			t.Fatalf("rows: %v %v", rows, err)
		}
		head := strings.Join(rows[0], "|")
		if head != "idea|what would change|helps|concerns department|author|author's department|votes|comments|themes|state|shortlisted for|commitments|posted" {
			t.Fatalf("header: %s", head)
		}
		byTitle := map[string][]string{}
		for _, r := range rows[1:] {
			byTitle[r[0]] = r
		}
		first := rows[1]
		if first[0] != a.Title || first[4] != "Ada Author" || first[5] != "Support" || first[6] != "2" || first[9] != "open" ||
			first[10] != f.workshop.Title || first[11] != "Every caller hears back within a day (On track)" {
			t.Fatalf("most voted first, with its shortlist and commitment: %q", first)
		}
		if r := byTitle[n.Title]; r[4] != "(posted without a name)" || r[5] != "" || strings.Contains(strings.Join(r, "|"), "Nell") || strings.Contains(strings.Join(r, "|"), "Tiny Team") {
			t.Fatalf("anonymous row: %q", r)
		}
		if r := byTitle[h.Title]; r[9] != "hidden: Not kind" {
			t.Fatalf("hidden row: %q", r)
		}
	})
}

// Changes at once: two edits of one idea are serialised (the second's
// "before" in the audit log is the first's result, so no change is lost
// unseen), and an edit racing the organisers' hiding either lands before
// the idea is hidden or is refused — never a change to a hidden idea.
func TestEditIdeaUnderConcurrency(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		ada := f.person(t, "Ada Author", "Support")
		olga, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Olga Organiser", Email: "olga@example.com", Role: models.RoleOrganiser, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		for round := 0; round < 10; round++ {
			i := f.idea(t, ada, fmt.Sprintf("Idea %d", round), false)
			const n = 6
			errs := make([]error, n)
			modelstest.Together(n, func(k int) {
				_, errs[k] = models.EditIdea(ctx, db, models.ActorOf(ada, ""), f.summit.ID, i.ID, ada.ID, models.IdeaEditInput{Title: fmt.Sprintf("Idea %d, wording %d", round, k), Change: "Reworded."}, ideaNow)
			})
			for k, err := range errs {
				if err != nil {
					t.Fatalf("round %d: edit %d: %v", round, k, err)
				}
			}
			ev, _ := models.ListAudit(ctx, db, models.AuditFilter{Action: "idea.edit", RecordID: itoa(i.ID)})
			if len(ev) != n {
				t.Fatalf("round %d: %d edit events", round, len(ev))
			}
			title := func(js string) string {
				var x struct{ Title string }
				if err := json.Unmarshal([]byte(js), &x); err != nil {
					t.Fatalf("audit JSON %q: %v", js, err)
				}
				return x.Title
			}
			// Oldest first, each edit starts from the one before it.
			prev := fmt.Sprintf("Idea %d", round)
			for k := n - 1; k >= 0; k-- {
				if title(ev[k].BeforeJSON) != prev {
					t.Fatalf("round %d: an edit started from %q, not from the last saved %q (edits not serialised)", round, title(ev[k].BeforeJSON), prev)
				}
				prev = title(ev[k].AfterJSON)
			}
			if got := storedIdea(t, db, i.ID); got.Title != prev {
				t.Fatalf("round %d: stored %q is not the last edit %q", round, got.Title, prev)
			}

			// An edit and the hiding at once.
			var editErr, hideErr error
			modelstest.Together(2, func(k int) {
				if k == 0 {
					_, editErr = models.EditIdea(ctx, db, models.ActorOf(ada, ""), f.summit.ID, i.ID, ada.ID, models.IdeaEditInput{Title: "Raced wording", Change: "Raced."}, ideaNow)
				} else {
					hideErr = models.HideIdea(ctx, db, models.ActorOf(olga, ""), f.summit.ID, i.ID, "Off topic", ideaNow)
				}
			})
			if hideErr != nil {
				t.Fatalf("round %d: hide: %v", round, hideErr)
			}
			got := storedIdea(t, db, i.ID)
			var no models.IdeaEditRefused
			switch {
			case editErr == nil && got.Title == "Raced wording": // the edit came first
			case errors.As(editErr, &no) && got.Title != "Raced wording": // the hiding came first
			default:
				t.Fatalf("round %d: edit %v, stored %q (hidden %v)", round, editErr, got.Title, got.Hidden())
			}
		}
	})
}
