package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// --- The embargo for nominees who run the awards ---
//
// Organisers and admins see every category's nominations, judges, scores
// and winners, except a category they are nominated in, until its
// announcement: whatever their role, a nominee learns nothing of their own
// category's outcome early, and another organiser looks after it. Every
// organiser page, export and log that shows a category's outcome asks
// MaySeeOutcome (or HiddenOutcomes for lists) first.

// OutcomeHiddenError refuses a person a category's outcome, before its
// announcement, because they are nominated in it.
type OutcomeHiddenError struct {
	Category string
}

func (e *OutcomeHiddenError) Error() string {
	return "You are nominated in “" + e.Category + "”, so until its announcement its nominations, judges, scores and winners are kept from you. Another organiser looks after it."
}

// hiddenOutcomes is the rule as a query: the ids of the categories whose
// outcome is kept from personID at now — those that name them as nominee (in
// any nomination, a withdrawn one too: it still says who nominated them)
// and whose announcement is still to come.
func hiddenOutcomes(tx *gorm.DB, personID uint, now time.Time) *gorm.DB {
	return tx.Model(&AwardCategory{}).Select("award_categories.id").
		Where("award_categories.announce_at > ?", now.UTC()).
		Where("EXISTS (SELECT 1 FROM award_nominations n WHERE n.category_id = award_categories.id AND n.nominee_id = ?)", personID)
}

// HiddenOutcomes lists, by id, the categories (of every summit) whose outcome
// is kept from a person at now. None for person 0 (the system).
func HiddenOutcomes(ctx context.Context, db *gorm.DB, personID uint, now time.Time) (map[uint]bool, error) {
	out := map[uint]bool{}
	if personID == 0 {
		return out, nil
	}
	var ids []uint
	if err := hiddenOutcomes(withCtx(ctx, db), personID, now).Pluck("award_categories.id", &ids).Error; err != nil {
		return nil, fmt.Errorf("models: hidden outcomes of %d: %w", personID, err)
	}
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// MaySeeOutcome decides whether a person may see and administer a category's
// outcome at now: its nominations (and who wrote them), judges, scores,
// comments, results, winners and their trail in the audit log, and its
// settings. Nil when they may; an *OutcomeHiddenError when they are
// nominated in it and its announcement is still to come.
func MaySeeOutcome(ctx context.Context, db *gorm.DB, c *AwardCategory, personID uint, now time.Time) error {
	hidden, err := HiddenOutcomes(ctx, db, personID, now)
	if err != nil {
		return err
	}
	if hidden[c.ID] {
		return &OutcomeHiddenError{Category: c.Name}
	}
	return nil
}
