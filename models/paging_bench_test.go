package models_test

import (
	"fmt"
	"testing"
	"time"

	"summit/models"
	"summit/models/modelstest"
)

// BenchmarkPagedLists reads the first and the 100th page (50 rows) of a
// person's 5,000 notices and of an outbox of 20,000 mails: the offset
// paging of the Notices and Outbox pages, at its deepest likely page.
//
//	CI=1 go test -run '^$' -bench BenchmarkPagedLists -benchtime 20x ./models/
func BenchmarkPagedLists(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			db := modelstest.Open(b, d)
			p, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Nora Notices", Email: "nora@example.com", Role: models.RoleStaff, Active: true})
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now().UTC().Add(-24 * time.Hour)
			notices := make([]models.Notice, 5000)
			for i := range notices {
				notices[i] = models.Notice{PersonID: p.ID, Kind: models.NoticeSeat, Subject: fmt.Sprintf("Notice %d", i), Body: "b", CreatedAt: start.Add(time.Duration(i) * time.Second)}
			}
			mails := make([]models.OutboxMail, 20000)
			for i := range mails {
				mails[i] = models.OutboxMail{Kind: models.NoticeSeat, ToName: "P", ToAddress: "p@example.com", Subject: fmt.Sprintf("Mail %d", i), Body: "b",
					Status: models.MailSent, NextAttemptAt: start, CreatedAt: start.Add(time.Duration(i) * time.Second)}
			}
			if err := db.CreateInBatches(notices, 500).Error; err != nil {
				b.Fatal(err)
			}
			if err := db.CreateInBatches(mails, 500).Error; err != nil {
				b.Fatal(err)
			}
			for _, page := range []int{1, 100} {
				b.Run(fmt.Sprintf("notices-page-%d", page), func(b *testing.B) {
					for b.Loop() {
						list, _, err := models.NoticesPage(ctx, db, p.ID, models.Paging{Number: page, Per: 50})
						if err != nil || len(list) != 50 {
							b.Fatalf("%d %v", len(list), err)
						}
					}
				})
				b.Run(fmt.Sprintf("outbox-page-%d", page), func(b *testing.B) {
					for b.Loop() {
						pg, err := models.ListOutboxPage(ctx, db, "", models.Paging{Number: page, Per: 50}, 0, time.Time{})
						if err != nil || len(pg.Mails) != 50 {
							b.Fatalf("%v", err)
						}
					}
				})
			}
		})
	}
}
