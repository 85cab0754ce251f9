package models

// Voting for ideas and commenting on them.

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// lockVote locks the voter, then the idea (shared), and reads the summit's
// idea window: the start of every change to a vote.
func lockVote(ctx context.Context, tx *gorm.DB, summitID, ideaID, personID uint) (*Idea, IdeaWindow, error) {
	if err := lockRow(tx, "people", personID); err != nil {
		return nil, IdeaWindow{}, err
	}
	s, err := loadSummit(tx, summitID)
	if err != nil {
		return nil, IdeaWindow{}, err
	}
	idea, err := lockIdea(tx, summitID, ideaID, "SHARE")
	if err != nil {
		return nil, IdeaWindow{}, err
	}
	w, err := GetIdeaWindow(ctx, tx, s)
	return idea, w, err
}

// Vote gives an idea one of the person's votes while voting is open. It
// refuses (FieldErrors "vote") when the person has no vote left, already
// voted for it, or the idea is hidden or merged.
func Vote(ctx context.Context, db *gorm.DB, summitID, ideaID, personID uint, now time.Time) error {
	return inTx(ctx, db, "vote", func(tx *gorm.DB) error {
		idea, w, err := lockVote(ctx, tx, summitID, ideaID, personID)
		if err != nil {
			return err
		}
		if !w.Open(now) {
			return refuseIdea("%s", w.Describe(now))
		}
		if !idea.Open() {
			return refuseIdea("This idea no longer takes votes.")
		}
		var mine int64
		if err := tx.Raw("SELECT COUNT(*) FROM idea_votes WHERE idea_id = ? AND person_id = ?", ideaID, personID).Scan(&mine).Error; err != nil {
			return err
		}
		if mine > 0 {
			return refuseIdea("You already voted for this idea.")
		}
		used, err := scalar(tx, "SELECT COUNT(*) FROM idea_votes WHERE summit_id = ? AND person_id = ?", summitID, personID)
		if err != nil {
			return err
		}
		if int(used) >= w.Budget {
			return refuseIdea("You have used all %d of your votes. Take one back from another idea to vote for this one.", w.Budget)
		}
		if err := tx.Exec("INSERT INTO idea_votes (idea_id, person_id, summit_id, created_at) VALUES (?, ?, ?, ?)", ideaID, personID, summitID, now.UTC()).Error; err != nil {
			return fmt.Errorf("models: vote for idea %d: %w", ideaID, err)
		}
		return nil
	})
}

// Unvote takes a person's vote back from an idea while voting is open.
func Unvote(ctx context.Context, db *gorm.DB, summitID, ideaID, personID uint, now time.Time) error {
	return inTx(ctx, db, "take back a vote", func(tx *gorm.DB) error {
		_, w, err := lockVote(ctx, tx, summitID, ideaID, personID)
		if err != nil {
			return err
		}
		if !w.Open(now) {
			return refuseIdea("%s Votes can no longer be moved.", w.Describe(now))
		}
		res := tx.Exec("DELETE FROM idea_votes WHERE idea_id = ? AND person_id = ?", ideaID, personID)
		if res.Error != nil {
			return fmt.Errorf("models: take back vote for idea %d: %w", ideaID, res.Error)
		}
		if res.RowsAffected == 0 {
			return refuseIdea("You had not voted for this idea.")
		}
		return nil
	})
}

// CommentOnIdea adds a person's comment to an idea that is not hidden.
func CommentOnIdea(ctx context.Context, db *gorm.DB, summitID, ideaID, personID uint, body string, now time.Time) (*IdeaComment, error) {
	f := FieldErrors{}
	body = checkText(f, "body", "Comment", body, true, MaxIdeaComment)
	var out *IdeaComment
	err := inTx(ctx, db, "comment on an idea", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "SHARE")
		if err != nil {
			return err
		}
		if !idea.Open() {
			f.Add("body", "This idea no longer takes comments.")
		}
		if err := f.Err(); err != nil {
			return err
		}
		c := IdeaComment{IdeaID: idea.ID, AuthorID: personID, Body: body, CreatedAt: now.UTC()}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("models: comment on idea %d: %w", ideaID, err)
		}
		out = &c
		return nil
	})
	return out, err
}

// ErrIdeaMerge is a merge that cannot be done (into itself, or into an
