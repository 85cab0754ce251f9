package models_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// The demo's organiser set the coming summit's feedback to close a week
// after its last day at 17:00 and to show a result from 5 answers (audited
// as her change), and the preview of next year's copy carries both, the
// closing moved with the dates to the same local time.
func TestDemoFeedbackSettingsAreCarriedToNextYear(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		from := demoForClone(t, db)
		loc := from.Location()
		fw, err := models.GetFeedbackWindow(ctx, db, from)
		if err != nil {
			t.Fatal(err)
		}
		if !fw.Set || fw.MinAnswers != 5 || fw.ClosesAt.In(loc).Format("2006-01-02 15:04") != "2027-03-19 17:00" {
			t.Fatalf("the demo's feedback window: %+v", fw)
		}
		ev, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "summit.feedback", RecordID: itoa(from.ID)})
		if err != nil || len(ev) != 1 || ev[0].ActorName != "Nguyễn Thị Ánh" {
			t.Fatalf("audit of the demo's feedback settings: %v %+v", err, ev)
		}
		plan, err := models.PreviewClone(ctx, db, from.ID, models.CloneInput{Title: "Service Summit 2028", StartDate: "2028-03-09", Parts: models.CloneParts})
		if err != nil {
			t.Fatal(err)
		}
		if plan.Feedback == nil || plan.Feedback.MinAnswers != 5 || plan.Feedback.ClosesAt.In(loc).Format("2006-01-02 15:04") != "2028-03-17 17:00" ||
			!strings.Contains(plan.CloneSummary(), "the feedback settings") {
			t.Fatalf("next year's preview: %+v; %s", plan.Feedback, plan.CloneSummary())
		}
	})
}
