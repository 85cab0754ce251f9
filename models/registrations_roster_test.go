package models_test

import (
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// lastAudit is the newest audit event of an action.
func lastAudit(t *testing.T, db *gorm.DB, action string) models.AuditEvent {
	t.Helper()
	var ev models.AuditEvent
	if err := db.Where("action = ?", action).Order("id DESC").First(&ev).Error; err != nil {
		t.Fatalf("no %s audit event: %v", action, err)
	}
	return ev
}

// The roster CSV lists the confirmed then the waitlist with their names and
// places in line; the organisers' removals and check-ins are audited with
// the person's name, who was promoted, and the attended flag.
func TestRosterCSVAndOrganiserActionsAreAudited(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		s := f.session(t, "Patience is a skill", "2027-03-11", "10:00", "11:00", 1)
		ps := f.people(t, 3)
		var regs []*models.Registration
		for _, p := range ps {
			regs = append(regs, f.register(t, s, p))
		}
		r, err := models.GetRoster(ctx, db, f.summit.ID, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		rows := models.RosterCSV(r, f.summit.Location())
		want := [][2]string{{"confirmed", ""}, {"waitlisted", "1"}, {"waitlisted", "2"}}
		if len(rows) != 4 {
			t.Fatalf("%d rows, want a header and 3", len(rows))
		}
		for i, w := range want {
			row := rows[i+1]
			if row[0] != w[0] || row[1] != w[1] || row[2] != ps[i].Name || row[3] != ps[i].Email {
				t.Errorf("row %d: %q, want %s, place %q, %s <%s>", i+1, row, w[0], w[1], ps[i].Name, ps[i].Email)
			}
		}

		org := models.Actor{Name: "organiser"}
		// Taking the 2nd in line off the waitlist promotes nobody.
		if _, err := models.RemoveRegistration(ctx, db, org, f.summit.ID, s.ID, regs[2].ID, regNow); err != nil {
			t.Fatal(err)
		}
		if ev := lastAudit(t, db, "registration.remove"); !strings.Contains(ev.Summary, "Removed "+ps[2].Name+" (waitlisted)") || strings.Contains(ev.Summary, "promoted") {
			t.Errorf("audit of a waitlist removal: %q", ev.Summary)
		}
		// Removing the seat holder promotes the 1st in line.
		if _, err := models.RemoveRegistration(ctx, db, org, f.summit.ID, s.ID, regs[0].ID, regNow); err != nil {
			t.Fatal(err)
		}
		if ev := lastAudit(t, db, "registration.remove"); !strings.Contains(ev.Summary, "Removed "+ps[0].Name+" (confirmed)") || !strings.Contains(ev.Summary, "; 1 promoted from the waitlist") {
			t.Errorf("audit of a seat removal: %q", ev.Summary)
		}
		_, err = models.RemoveRegistration(ctx, db, org, f.summit.ID, s.ID, regs[0].ID, regNow)
		fieldErr(t, err, "registration_id", ps[0].Name+" already cancelled")

		if _, err := models.MarkAttended(ctx, db, org, f.summit.ID, s.ID, regs[1].ID, true, regNow); err != nil {
			t.Fatal(err)
		}
		ev := lastAudit(t, db, "registration.attend")
		if !strings.Contains(ev.Summary, "Checked in "+ps[1].Name) || !strings.Contains(ev.BeforeJSON, `"attended":false`) || !strings.Contains(ev.AfterJSON, `"attended":true`) {
			t.Errorf("audit of a check-in: %q, before %s, after %s", ev.Summary, ev.BeforeJSON, ev.AfterJSON)
		}
	})
}
