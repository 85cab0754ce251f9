package models_test

import (
	"testing"
	"time"

	"summit/models"
	"summit/models/modelstest"
)

// BenchmarkRevisionRead is the read every cached public request makes: the
// summit's revision alone, and with the seat counts of a day, by one caller
// and by 64 at once.
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
			// 64 callers at once (2 per CPU × 32), as under wrk -c64: reads
			// are coalesced, so most callers share one.
			b.Run("revision+seats/parallel", func(b *testing.B) {
				b.SetParallelism(32)
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, _, err := r.RevisionAndSeats(ctx, s.ID, s.Start(), s.Start().AddDate(0, 0, 1)); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		})
	}
}
