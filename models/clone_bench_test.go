package models_test

import (
	"fmt"
	"testing"

	"summit/models"
	"summit/models/modelstest"
)

// BenchmarkCloneDemo copies the demo summit (33 sessions, 27 speakers, 4
// award categories with judges): the preview alone, and the whole copy in
// its transaction (each iteration a new edition, a week later than the last).
func BenchmarkCloneDemo(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			db := modelstest.Open(b, d)
			if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
				b.Fatal(err)
			}
			var from models.Summit
			if err := db.Where("year = 2027").First(&from).Error; err != nil {
				b.Fatal(err)
			}
			in := models.CloneInput{Title: "Service Summit 2028", StartDate: "2028-03-09", Parts: models.CloneParts}
			b.Run("preview", func(b *testing.B) {
				for b.Loop() {
					if _, err := models.PreviewClone(ctx, db, from.ID, in); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("copy", func(b *testing.B) {
				i := 0
				for b.Loop() {
					i++
					in := models.CloneInput{Title: fmt.Sprintf("Service Summit copy %d", i), StartDate: "2028-03-09", Parts: models.CloneParts}
					if _, _, err := models.CloneSummit(ctx, db, models.ActorOf(nil, ""), from.ID, in); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
