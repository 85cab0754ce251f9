package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// A worker that dies mid-send leaves its mail "sending"; once its lease ends
// another worker takes it, and the first one can no longer record a result.
func TestOutboxLeaseEndsForAWorkerThatDied(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now()
		err := db.Transaction(func(tx *gorm.DB) error {
			return models.EnqueueMail(tx, now, &models.OutboxMail{Kind: models.NoticeSeat, ToName: "Ana", ToAddress: "ana@example.com", Subject: "Seat", Body: "Yours."})
		})
		if err != nil {
			t.Fatal(err)
		}
		a, err := models.ClaimMail(ctx, db, "worker-a", now, 10)
		if err != nil || len(a) != 1 || a[0].Attempts != 1 {
			t.Fatalf("claim a: %v %+v", err, a)
		}
		if b, _ := models.ClaimMail(ctx, db, "worker-b", now.Add(time.Minute), 10); len(b) != 0 {
			t.Fatal("a leased mail was claimed twice")
		}
		b, err := models.ClaimMail(ctx, db, "worker-b", now.Add(models.OutboxLease+time.Second), 10)
		if err != nil || len(b) != 1 || b[0].Attempts != 2 {
			t.Fatalf("claim b after the lease: %v %+v", err, b)
		}
		if err := models.MailDelivered(ctx, db, &a[0], "worker-a", now); err == nil {
			t.Fatal("the worker whose lease ended recorded a result")
		}
		if err := models.MailDelivered(ctx, db, &b[0], "worker-b", now); err != nil {
			t.Fatal(err)
		}
		pg, _ := models.ListOutbox(ctx, db, models.MailSent, 10)
		if len(pg.Mails) != 1 || pg.Mails[0].SentAt == nil {
			t.Fatalf("outbox: %+v", pg.Mails)
		}
	})
}
