package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// Issue 10, item 13: visitors find the honorees page from the public agenda,
// but only once the summit's first announcement has passed. A minute before
// it, no page of the agenda (any day, either view) links it or names it; at
// the moment and after, the link is there and works. A summit without award
// categories never shows it.
func TestAgendaLinksHonoreesOnlyAfterTheFirstAnnouncement(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		if _, _, err := models.SeedDemo(ctx, ta.DB, 2027); err != nil {
			t.Fatal(err)
		}
		s, err := models.CurrentSummit(ctx, ta.DB, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		cats, err := models.ListCategories(ctx, ta.DB, s.ID)
		if err != nil || len(cats) < 2 {
			t.Fatalf("demo categories: %d %v", len(cats), err)
		}
		// Two announcements a day apart: the link follows the first one.
		later := cats[0].AnnounceAt.Add(24 * time.Hour)
		if err := ta.DB.Model(&models.AwardCategory{}).Where("id = ?", cats[1].ID).Update("announce_at", later).Error; err != nil {
			t.Fatal(err)
		}
		first := later
		for _, c := range cats {
			if c.ID != cats[1].ID && c.AnnounceAt.Before(first) {
				first = c.AnnounceAt
			}
		}
		visitor := ta.client(t)
		agenda := "/summits/" + itoa(s.ID)
		honorees := agenda + "/honorees"
		pages := []string{agenda}
		for _, d := range s.Days() {
			pages = append(pages, agenda+"?day="+d, agenda+"?day="+d+"&view=list")
		}
		at := func(now time.Time, want bool) {
			t.Helper()
			ta.App.Now = func() time.Time { return now }
			for _, p := range pages {
				res := visitor.get(p)
				if res.Code != http.StatusOK {
					t.Fatalf("%s at %s: %d", p, now, res.Code)
				}
				has := strings.Contains(res.Body, `href="`+honorees+`"`)
				named := strings.Contains(strings.ToLower(text(res.Body)), "honoree")
				if has != want || named != want {
					t.Fatalf("%s at %s (first announcement %s): link %v, named %v; want %v", p, now, first, has, named, want)
				}
			}
		}
		at(first.Add(-time.Minute), false)
		at(first.Add(-time.Second), false)
		at(first, true)
		at(first.Add(time.Hour), true)
		if res := visitor.get(honorees); res.Code != http.StatusOK {
			t.Fatalf("the linked honorees page answers %d", res.Code)
		}

		// A summit with no award categories never links it.
		other, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "No awards", StartDate: "2031-05-06", EndDate: "2031-05-06", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), other.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		ta.App.Now = func() time.Time { return time.Date(2040, 1, 1, 0, 0, 0, 0, time.UTC) }
		if res := visitor.get("/summits/" + itoa(other.ID)); res.Code != http.StatusOK || strings.Contains(res.Body, "/honorees") {
			t.Fatalf("a summit without awards links honorees: %d", res.Code)
		}
	})
}
