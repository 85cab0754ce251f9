package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// seedDemoEditions shows speakers kept across years in the demo: the
// current summit's directory speakers who spoke at an earlier edition carry
// it on (the Speakers page marks them "spoke before"), and last year's
// guest speaker, who is not on this year's agenda yet, is offered under
// "From other editions".
func seedDemoEditions(ctx context.Context, db *gorm.DB, current *Summit) error {
	db = withCtx(ctx, db)
	err := db.Exec(`UPDATE speakers SET kept_from_id = (SELECT e.id FROM speakers e JOIN summits es ON es.id = e.summit_id
  WHERE e.person_id = speakers.person_id AND es.start_date < ? ORDER BY es.start_date DESC, e.id DESC LIMIT 1)
WHERE summit_id = ? AND person_id IS NOT NULL`, current.StartDate, current.ID).Error
	if err != nil {
		return fmt.Errorf("models: demo kept speakers: %w", err)
	}
	var last []Summit
	if err := db.Where("start_date < ? AND status IN ?", current.StartDate, []SummitStatus{StatusPublished, StatusArchived}).
		Order("start_date DESC").Limit(1).Find(&last).Error; err != nil || len(last) == 0 {
		return err
	}
	guest, err := SaveSpeaker(ctx, db, ActorOf(nil, ""), last[0].ID, 0, SpeakerInput{Name: "Marta Kowalczyk", Organisation: "Customer Experience Lab",
		Bio: "Marta studies how front-line teams recover trust after a bad day, and brings her findings back to the people who serve."})
	if err != nil {
		return err
	}
	var first Session
	if err := db.Where("summit_id = ? AND kind <> ?", last[0].ID, KindBreak).Order("starts_at, id").First(&first).Error; err != nil {
		return notFound(err)
	}
	return db.Exec("INSERT INTO session_speakers (session_id, speaker_id, position) VALUES (?, ?, (SELECT COUNT(*) FROM session_speakers WHERE session_id = ?))",
		first.ID, guest.ID, first.ID).Error
}
