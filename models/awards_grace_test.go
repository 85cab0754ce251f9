package models_test

import (
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// An organiser who announces chosen winners "now", typing the current
// minute a little after it began, is not refused; a moment ten minutes
// past is (it would reveal the winners at once by mistake).
func TestAwardAnnouncementTypedAsNowIsAllowed(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		l := newLiveCeremony(t, db)
		in := models.CategoryInput{Name: "Patience Award", OpensDay: l.day(-10), OpensTime: "09:00", ClosesDay: l.day(-3), ClosesTime: "17:00",
			AnnounceDay: l.day(0), AnnounceTime: "09:00"}
		_, err := models.SaveCategory(ctx, db, l.org, l.summit.ID, l.cat.ID, in, l.at(0, "09:10"))
		fieldErr(t, err, "announce_day", "already past")
		c, err := models.SaveCategory(ctx, db, l.org, l.summit.ID, l.cat.ID, in, l.at(0, "09:02"))
		if err != nil {
			t.Fatalf("announcing at the minute just begun: %v", err)
		}
		if !c.AnnounceAt.Equal(l.at(0, "09:00")) {
			t.Fatalf("announcement at %v", c.AnnounceAt.In(l.loc))
		}
	})
}
