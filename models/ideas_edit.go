package models

// Changing an idea after it is posted: its author may reword the title and
// the text while ideas are open (not after: by then people voted for what it
// said); organisers may change any idea at any time, to moderate it. Both
// are audited with the text before and after; an anonymous author's change
// is audited without an actor, like the idea itself (see ideas.go).

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// IdeaEditInput is what may be changed of an idea: its title and text.
type IdeaEditInput struct {
	Title, Change string
}

// IdeaEditRefused says why a person may not change an idea; its text is
// for that person.
type IdeaEditRefused struct{ Reason string }

// Error returns the reason, for the person.
func (e IdeaEditRefused) Error() string { return e.Reason }

// MayEditIdea is the one rule of who changes an idea: organisers any idea,
// whenever (moderation); its author while ideas are open and the idea is
// neither hidden nor merged; nobody else. It returns nil or an
// IdeaEditRefused.
func MayEditIdea(idea *Idea, w IdeaWindow, editor *Person, now time.Time) error {
	switch {
	case editor == nil:
		return IdeaEditRefused{"Sign in to change your ideas."}
	case editor.IsOrganiser():
		return nil
	case idea.AuthorID != editor.ID:
		return IdeaEditRefused{"Only its author can change this idea."}
	case idea.MergedIntoID != nil:
		return IdeaEditRefused{"This idea was merged into another one, so it can no longer be changed."}
	case idea.Hidden():
		return IdeaEditRefused{"The organisers hid this idea, so it can no longer be changed."}
	case !w.Open(now):
		return IdeaEditRefused{"Ideas can be changed only while they are open. " + w.Describe(now)}
	}
	return nil
}

// auditIdeaText is what an idea's edit records: its words, never its author.
type auditIdeaText struct {
	ID            uint
	Title, Change string
	Anonymous     bool
}

// EditIdea changes an idea's title and text, if MayEditIdea lets editorID
// do it now, audited in the same transaction ("idea.edit" by its author,
// "idea.moderate" by an organiser changing someone else's idea).
func EditIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, ideaID, editorID uint, in IdeaEditInput, now time.Time) (*Idea, error) {
	f := FieldErrors{}
	title := checkLine(f, "title", "Title", in.Title, true, MaxIdeaTitle)
	change := checkText(f, "change", "What would change", in.Change, true, MaxIdeaChange)
	var out *Idea
	err := inTx(ctx, db, "edit an idea", func(tx *gorm.DB) error {
		s, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		var editor Person
		if err := tx.First(&editor, editorID).Error; err != nil {
			return notFound(err)
		}
		idea, err := lockIdea(tx, s.ID, ideaID, "UPDATE")
		if err != nil {
			return err
		}
		w, err := GetIdeaWindow(ctx, tx, s)
		if err != nil {
			return err
		}
		if err := MayEditIdea(idea, w, &editor, now); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		before := auditIdeaText{ID: idea.ID, Title: idea.Title, Change: idea.Change, Anonymous: idea.Anonymous}
		idea.Title, idea.Change, idea.UpdatedAt = title, change, now.UTC()
		if err := tx.Model(&Idea{}).Where("id = ?", idea.ID).Updates(map[string]any{"title": title, "change": change, "updated_at": idea.UpdatedAt}).Error; err != nil {
			return fmt.Errorf("models: edit idea %d: %w", idea.ID, err)
		}
		out = idea
		action, summary := "idea.edit", "changed idea: "+title
		if idea.AuthorID != editor.ID {
			action, summary = "idea.moderate", "changed someone's idea (moderation): "+title
		} else if idea.Anonymous {
			who = Actor{Name: "anonymous"}
		}
		return Audit(ctx, tx, who, action, "idea", idea.ID, summary, before, auditIdeaText{ID: idea.ID, Title: title, Change: change, Anonymous: idea.Anonymous})
	})
	return out, err
}
