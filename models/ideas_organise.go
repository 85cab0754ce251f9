package models

// Organising ideas: merging duplicates, themes, hiding, shortlisting into
// strategy sessions, and who contributes per department.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// idea that is itself merged or hidden).
var ErrIdeaMerge = errors.New("models: ideas cannot be merged so")

// MergeIdeas merges a duplicate into another idea of the same summit: its
// votes move (a person who voted for both keeps one vote, and gets the other
// back), its comments move, and it is kept as "merged into" the other.
// Audited. Returns how many votes moved.
func MergeIdeas(ctx context.Context, db *gorm.DB, who Actor, summitID, fromID, intoID uint, now time.Time) (int, error) {
	if fromID == intoID {
		return 0, FieldErrors{"into_id": "Choose another idea to merge this one into."}
	}
	moved := 0
	err := inTx(ctx, db, "merge ideas", func(tx *gorm.DB) error {
		// Lock both in id order, so two merges never wait on each other in a circle.
		first, second := fromID, intoID
		if second < first {
			first, second = second, first
		}
		a, err := lockIdea(tx, summitID, first, "UPDATE")
		if err != nil {
			return err
		}
		b, err := lockIdea(tx, summitID, second, "UPDATE")
		if err != nil {
			return err
		}
		from, into := a, b
		if from.ID != fromID {
			from, into = b, a
		}
		if !from.Open() {
			return FieldErrors{"into_id": "This idea is already merged or hidden."}
		}
		if !into.Open() {
			return FieldErrors{"into_id": "The idea to merge into is itself merged or hidden; choose another."}
		}
		if err := tx.Exec("DELETE FROM idea_votes WHERE idea_id = ? AND person_id IN (SELECT person_id FROM idea_votes WHERE idea_id = ?)", from.ID, into.ID).Error; err != nil {
			return err
		}
		res := tx.Exec("UPDATE idea_votes SET idea_id = ? WHERE idea_id = ?", into.ID, from.ID)
		if res.Error != nil {
			return res.Error
		}
		moved = int(res.RowsAffected)
		if err := tx.Exec("UPDATE idea_comments SET idea_id = ? WHERE idea_id = ?", into.ID, from.ID).Error; err != nil {
			return err
		}
		themes := joinThemes(append(splitThemes(into.Themes), splitThemes(from.Themes)...))
		if err := tx.Model(&Idea{}).Where("id = ?", into.ID).Updates(map[string]any{"themes": themes, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		if err := tx.Model(&Idea{}).Where("id = ?", from.ID).Updates(map[string]any{"merged_into_id": into.ID, "session_id": nil, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.merge", "idea", from.ID, fmt.Sprintf("merged %q into %q (%d votes moved)", from.Title, into.Title, moved), ideaAudit(from), ideaAudit(into))
	})
	return moved, err
}

func splitThemes(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		t = strings.Join(strings.Fields(t), " ")
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	return out
}

func joinThemes(list []string) string {
	return strings.Join(splitThemes(strings.Join(list, ",")), ", ")
}

// TagIdea sets an idea's themes (comma-separated), audited.
func TagIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, ideaID uint, themes string, now time.Time) error {
	f := FieldErrors{}
	themes = checkLine(f, "themes", "Themes", themes, false, 200)
	if err := f.Err(); err != nil {
		return err
	}
	return inTx(ctx, db, "tag an idea", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "UPDATE")
		if err != nil {
			return err
		}
		before := ideaAudit(idea)
		idea.Themes = joinThemes(splitThemes(themes))
		if err := tx.Model(&Idea{}).Where("id = ?", idea.ID).Updates(map[string]any{"themes": idea.Themes, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.themes", "idea", idea.ID, "themes of "+idea.Title+": "+idea.Themes, before, ideaAudit(idea))
	})
}

// HideIdea hides an abusive idea with a reason (required), audited. Its
// votes are given back to the people who gave them, and it leaves any
// session's shortlist.
func HideIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, ideaID uint, reason string, now time.Time) error {
	f := FieldErrors{}
	reason = checkLine(f, "reason", "Reason", reason, true, 300)
	if err := f.Err(); err != nil {
		return err
	}
	return inTx(ctx, db, "hide an idea", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "UPDATE")
		if err != nil {
			return err
		}
		if idea.Hidden() {
			return FieldErrors{"reason": "This idea is already hidden."}
		}
		res := tx.Exec("DELETE FROM idea_votes WHERE idea_id = ?", idea.ID)
		if res.Error != nil {
			return res.Error
		}
		t := now.UTC()
		if err := tx.Model(&Idea{}).Where("id = ?", idea.ID).Updates(map[string]any{"hidden_at": t, "hidden_reason": reason, "session_id": nil, "updated_at": t}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.hide", "idea", idea.ID, fmt.Sprintf("hid %q: %s (%d votes given back)", idea.Title, reason, res.RowsAffected), ideaAudit(idea), map[string]any{"reason": reason})
	})
}

// UnhideIdea shows a hidden idea again (its votes stay given back), audited.
func UnhideIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, ideaID uint, now time.Time) error {
	return inTx(ctx, db, "show an idea again", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "UPDATE")
		if err != nil {
			return err
		}
		if !idea.Hidden() {
			return nil
		}
		if err := tx.Model(&Idea{}).Where("id = ?", idea.ID).Updates(map[string]any{"hidden_at": nil, "hidden_reason": "", "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.unhide", "idea", idea.ID, "showed "+idea.Title+" again", map[string]any{"reason": idea.HiddenReason}, nil)
	})
}

// ShortlistIdea puts an idea on a strategy session's shortlist (sessionID
// 0 takes it off), audited. The session must be on a strategize track of
// the same summit.
func ShortlistIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, ideaID, sessionID uint, now time.Time) error {
	return inTx(ctx, db, "shortlist an idea", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "UPDATE")
		if err != nil {
			return err
		}
		if !idea.Open() {
			return FieldErrors{"session_id": "A hidden or merged idea cannot be shortlisted."}
		}
		var sid *uint
		summary := "took " + idea.Title + " off the shortlist"
		if sessionID != 0 {
			list, err := StrategySessions(ctx, tx, summitID)
			if err != nil {
				return err
			}
			for _, s := range list {
				if s.ID == sessionID {
					id := s.ID
					sid = &id
					summary = "shortlisted " + idea.Title + " into " + s.Title
				}
			}
			if sid == nil {
				return FieldErrors{"session_id": "Choose a session of this summit's strategize track."}
			}
		}
		before := ideaAudit(idea)
		idea.SessionID = sid
		if err := tx.Model(&Idea{}).Where("id = ?", idea.ID).Updates(map[string]any{"session_id": sid, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.shortlist", "idea", idea.ID, summary, before, ideaAudit(idea))
	})
}

// SessionIdeas returns the ideas shortlisted into a session (titles and
// whom they help; never authors), most votes first.
func SessionIdeas(ctx context.Context, db *gorm.DB, sessionID uint) ([]Idea, error) {
	var out []Idea
	err := withCtx(ctx, db).Select("id, summit_id, title, helps, themes, session_id").
		Where("session_id = ? AND hidden_at IS NULL AND merged_into_id IS NULL", sessionID).
		Order("title, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: ideas of session %d: %w", sessionID, err)
	}
	return out, nil
}

// IdeaDepartment is how many ideas and votes came from one department.
type IdeaDepartment struct {
	Department string
	Ideas      int
	Votes      int // votes given by its people
}

// IdeaCoverage says which departments contributed ideas or votes (everyone
// serves: is every department taking part?). Ideas posted without a name
// are counted apart, never by department: in a small department that would
// name the author.
type IdeaCoverage struct {
	Departments []IdeaDepartment // every directory department, most ideas first
	Anonymous   int
	Silent      []string // departments with neither an idea nor a vote
}

// GetIdeaCoverage counts a summit's ideas and votes per department.
func GetIdeaCoverage(ctx context.Context, db *gorm.DB, summitID uint) (*IdeaCoverage, error) {
	tx := withCtx(ctx, db)
	depts, err := Departments(ctx, db)
	if err != nil {
		return nil, err
	}
	type row struct {
		Department string
		N          int
	}
	var ideas, votes []row
	if err := tx.Raw("SELECT people.department, COUNT(*) AS n FROM ideas JOIN people ON people.id = ideas.author_id WHERE ideas.summit_id = ? AND NOT ideas.anonymous AND ideas.hidden_at IS NULL GROUP BY people.department", summitID).Scan(&ideas).Error; err != nil {
		return nil, err
	}
	if err := tx.Raw("SELECT people.department, COUNT(*) AS n FROM idea_votes JOIN people ON people.id = idea_votes.person_id WHERE idea_votes.summit_id = ? GROUP BY people.department", summitID).Scan(&votes).Error; err != nil {
		return nil, err
	}
	anon, err := scalar(tx, "SELECT COUNT(*) FROM ideas WHERE summit_id = ? AND anonymous AND hidden_at IS NULL", summitID)
	if err != nil {
		return nil, err
	}
	by := map[string]*IdeaDepartment{}
	out := &IdeaCoverage{Anonymous: int(anon)}
	for _, d := range depts {
		by[d] = &IdeaDepartment{Department: d}
	}
	get := func(d string) *IdeaDepartment {
		if d == "" {
			d = "(no department)"
		}
		if by[d] == nil {
			by[d] = &IdeaDepartment{Department: d}
		}
		return by[d]
	}
	for _, r := range ideas {
		get(r.Department).Ideas += r.N
	}
	for _, r := range votes {
		get(r.Department).Votes += r.N
	}
	for _, d := range by {
		out.Departments = append(out.Departments, *d)
		if d.Ideas == 0 && d.Votes == 0 {
			out.Silent = append(out.Silent, d.Department)
		}
	}
	sort.Slice(out.Departments, func(i, j int) bool {
		a, b := out.Departments[i], out.Departments[j]
		if a.Ideas != b.Ideas {
			return a.Ideas > b.Ideas
		}
		if a.Votes != b.Votes {
			return a.Votes > b.Votes
		}
		return a.Department < b.Department
	})
	sort.Strings(out.Silent)
	return out, nil
}
