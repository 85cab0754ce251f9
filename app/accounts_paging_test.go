package app_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"summit/models"
)

var (
	directoryName = regexp.MustCompile(`>(Person \d+)</a>`)
	auditSummary  = regexp.MustCompile(`<br>(Edited room \d+)</td>`)
)

// The directory and the audit log are paged with the shared pager: page 2
// links back to page 1 (no ?page, the search and filters kept), page 1
// links on to page 2, and following the links shows every row once.
func TestDirectoryAndAuditLogPage2LinksBackToPage1(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		c, adm := ta.signedIn(t, models.RoleAdmin)
		var all []string
		for i := 1; i <= 54; i++ {
			name := fmt.Sprintf("Person %02d", i)
			all = append(all, name)
			if _, err := models.CreatePerson(ctx, ta.DB, models.ActorOf(nil, ""), models.PersonInput{Name: name, Email: fmt.Sprintf("p%d@example.com", i), Department: "Finance", Active: true}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := models.CreatePerson(ctx, ta.DB, models.ActorOf(nil, ""), models.PersonInput{Name: "Person 99", Email: "w@example.com", Department: "Warehouse", Active: true}); err != nil {
			t.Fatal(err)
		}

		got, newer, older := pageOf(t, c, "/admin/people?department=Finance&page=2", directoryName)
		if strings.Join(got, ",") != strings.Join(all[50:], ",") || newer != "/admin/people?department=Finance" || older != "" {
			t.Fatalf("directory page 2: %v newer=%q older=%q", got, newer, older)
		}
		if body := c.get("/admin/people?department=Finance&page=2").Body; !strings.Contains(text(body), "← Previous") || !strings.Contains(text(body), "Page 2 of 2") {
			t.Fatalf("directory page 2 pager: %.3000s", text(body))
		}
		got, newer, older = pageOf(t, c, newer, directoryName)
		if strings.Join(got, ",") != strings.Join(all[:50], ",") || newer != "" || older != "/admin/people?department=Finance&page=2" {
			t.Fatalf("directory page 1: %v newer=%q older=%q", got, newer, older)
		}
		if body := text(c.get("/admin/people?department=Finance").Body); !strings.Contains(body, "Next →") || !strings.Contains(body, "Page 1 of 2") {
			t.Fatalf("directory page 1 pager: %.3000s", body)
		}
		if _, newer, older := pageOf(t, c, "/admin/people?department=Warehouse", directoryName); newer != "" || older != "" {
			t.Fatalf("one page has no pager: newer=%q older=%q", newer, older)
		}

		var events []string
		for i := 1; i <= 60; i++ {
			if err := models.Audit(ctx, ta.DB, models.ActorOf(adm, "10.0.0.1"), "room.update", "room", i, fmt.Sprintf("Edited room %d", i), nil, nil); err != nil {
				t.Fatal(err)
			}
			events = append([]string{fmt.Sprintf("Edited room %d", i)}, events...)
		}
		got, newer, older = pageOf(t, c, "/admin/audit?action=room.update&page=2", auditSummary)
		if strings.Join(got, ",") != strings.Join(events[50:], ",") || newer != "/admin/audit?action=room.update" || older != "" {
			t.Fatalf("audit page 2: %v newer=%q older=%q", got, newer, older)
		}
		got, newer, older = pageOf(t, c, newer, auditSummary)
		if strings.Join(got, ",") != strings.Join(events[:50], ",") || newer != "" || older != "/admin/audit?action=room.update&page=2" {
			t.Fatalf("audit page 1: %v newer=%q older=%q", got, newer, older)
		}
		if body := text(c.get(older).Body); !strings.Contains(body, "← Newer") || !strings.Contains(body, "Page 2") {
			t.Fatalf("audit page 2 pager: %.3000s", body)
		}
	})
}
