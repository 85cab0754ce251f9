package models_test

import (
	"testing"
	"time"

	"summit/models"
	"summit/models/modelstest"
)

// BenchmarkRevisionRead is the read every cached public request makes: the
// summit's revision alone, and with the seat counts of a day.
func BenchmarkRevisionRead(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			db := modelstest.Open(b, d)
			if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
				b.Fatal(err)
			}
			s, err := models.CurrentSummit(ctx, db, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			r := models.NewRevisionReader(db)
			b.Run("revision", func(b *testing.B) {
				for b.Loop() {
					if _, err := r.Revision(ctx, s.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("revision+seats", func(b *testing.B) {
				for b.Loop() {
					if _, _, err := r.RevisionAndSeats(ctx, s.ID, s.Start(), s.Start().AddDate(0, 0, 1)); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
