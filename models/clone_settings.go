package models

// Copying a summit's own settings to the new edition (the "settings" part):
// when feedback closes and how many answers a result needs, when ideas open
// and close and each person's vote budget — both shifted like the other
// moments of the copy — and the words organisers added to the word hints.

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// planSettings adds the source's feedback and ideas settings, shifted by the
// plan's days in the summit's zone, and its hint words to the plan.
func (p *ClonePlan) planSettings(db *gorm.DB, loc *time.Location) error {
	var fb []FeedbackSettings
	if err := db.Where("summit_id = ?", p.From.ID).Limit(1).Find(&fb).Error; err != nil {
		return fmt.Errorf("models: copy feedback settings: %w", err)
	}
	if len(fb) == 1 {
		if at, ok := shiftLocal(fb[0].ClosesAt, loc, p.Days); ok {
			p.Feedback = &FeedbackSettings{ClosesAt: at, MinAnswers: fb[0].MinAnswers}
		} else {
			p.Cannot = append(p.Cannot, "When feedback closes: that time does not exist on the new day (the clocks go forward that night); the new edition takes the default.")
		}
	}
	var is []IdeaSettings
	if err := db.Where("summit_id = ?", p.From.ID).Limit(1).Find(&is).Error; err != nil {
		return fmt.Errorf("models: copy idea settings: %w", err)
	}
	if len(is) == 1 {
		o, ok1 := shiftLocal(is[0].OpensAt, loc, p.Days)
		c, ok2 := shiftLocal(is[0].ClosesAt, loc, p.Days)
		if ok1 && ok2 {
			p.Ideas = &IdeaSettings{OpensAt: o, ClosesAt: c, VoteBudget: is[0].VoteBudget}
		} else {
			p.Cannot = append(p.Cannot, "The ideas window: its opening or closing time does not exist on the new day (the clocks go forward that night).")
		}
	}
	if err := db.Where("summit_id = ?", p.From.ID).Order("id").Find(&p.Words).Error; err != nil {
		return fmt.Errorf("models: copy hint words: %w", err)
	}
	return nil
}

// writeSettings stores the planned settings for the new edition id (in tx).
func (p *ClonePlan) writeSettings(tx *gorm.DB, id uint) error {
	now := Now().UTC()
	if p.Feedback != nil {
		row := *p.Feedback
		row.SummitID, row.ClosesAt, row.UpdatedAt = id, row.ClosesAt.UTC(), now
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	if p.Ideas != nil {
		row := *p.Ideas
		row.SummitID, row.OpensAt, row.ClosesAt, row.UpdatedAt = id, row.OpensAt.UTC(), row.ClosesAt.UTC(), now
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	for _, w := range p.Words {
		w.ID, w.SummitID, w.CreatedAt = 0, id, now
		if err := tx.Create(&w).Error; err != nil {
			return err
		}
	}
	return nil
}

// settingsSummary names the copied settings for CloneSummary.
func (p *ClonePlan) settingsSummary() []string {
	var out []string
	if p.Feedback != nil {
		out = append(out, "the feedback settings")
	}
	if p.Ideas != nil {
		out = append(out, "the ideas window")
	}
	if len(p.Words) > 0 {
		out = append(out, checklistPlural(len(p.Words), "hint word", "hint words"))
	}
	return out
}
