package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// seedDemoNotices gives the demo people something on their Notices page and
// the admin an outbox with each kind of row. The seat confirmations come
// from the demo registrations themselves (Register notifies); here: José
// (the staff demo account) hears that registration is open, and of the
// queued mails one is marked sent and one not sent (no mail server), as an
// Outbox shows them after a while. The rest wait for the worker: with
// docker compose they arrive in Mailpit.
func seedDemoNotices(ctx context.Context, tx *gorm.DB, summit *Summit) error {
	jose, err := PersonByEmail(ctx, tx, DemoEmail(demoPeople[1][1]))
	if err != nil {
		return err
	}
	now := Now()
	if _, err := Notify(tx, now, NoticeInput{PersonID: jose.ID, SummitID: summit.ID, Kind: NoticeRegistration,
		OnceKey: OnceKeyFor(NoticeRegistration, jose.ID, fmt.Sprintf("summit:%d:open", summit.ID)),
		Subject: "Registration for training at " + summit.Title + " is open",
		Body:    "Registration for the training sessions is open. Seats go first come, first served; a full session has a fair waitlist.",
		Link:    fmt.Sprintf("/summits/%d", summit.ID)}); err != nil {
		return err
	}
	var first []OutboxMail
	if err := tx.Order("id").Limit(2).Find(&first).Error; err != nil {
		return err
	}
	if len(first) < 2 {
		return fmt.Errorf("models: seed notices: %d demo mails queued, want at least 2", len(first))
	}
	if err := tx.Model(&OutboxMail{}).Where("id = ?", first[0].ID).
		Updates(map[string]any{"status": MailSent, "attempts": 1, "sent_at": now}).Error; err != nil {
		return err
	}
	return tx.Model(&OutboxMail{}).Where("id = ?", first[1].ID).
		Updates(map[string]any{"status": MailUnsent, "last_error": MailUnsentNoServer}).Error
}
