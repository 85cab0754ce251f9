package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Demo feedback settings: the organiser chose when the coming summit's
// feedback closes and how many answers a result needs, so the summit's
// feedback settings show a choice rather than the defaults and "Start next
// year from this one" shows both carried to the next edition.
const (
	demoFeedbackDaysAfter  = 7       // closes a week after the last day …
	demoFeedbackClosesTime = "17:00" // … at the end of the working day
	demoFeedbackMinAnswers = "5"
)

// seedDemoFeedbackSettings stores the demo's feedback settings for current
// as its organiser, from the summit's dates alone (deterministic).
func seedDemoFeedbackSettings(ctx context.Context, db *gorm.DB, current *Summit, organiser *Person) error {
	end, err := time.Parse(DateLayout, current.EndDate)
	if err != nil {
		return fmt.Errorf("demo feedback settings: %w", err)
	}
	in := FeedbackSettingsInput{ClosesDay: end.AddDate(0, 0, demoFeedbackDaysAfter).Format(DateLayout),
		ClosesTime: demoFeedbackClosesTime, MinAnswers: demoFeedbackMinAnswers}
	if _, err := SetFeedbackSettings(ctx, db, ActorOf(organiser, ""), current.ID, in, Now()); err != nil {
		return fmt.Errorf("demo feedback settings: %w", err)
	}
	return nil
}
