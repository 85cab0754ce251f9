package app_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// Over HTTP: the idea's author sees an Edit link and changes the idea (bad
// input comes back beside the fields, kept); a colleague sees no link and
// is sent back with the reason; once ideas close the author's link is gone
// and a change is refused, while an organiser still moderates it.
func TestIdeaEditOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newIdeasWorld(t, ta.DB, 3)
		author, me := ta.signedIn(t, models.RoleStaff)
		other, _ := ta.signedIn(t, models.RoleStaff)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		i := w.idea(t, ta.DB, me, "Call back within a day", false)
		page, edit := w.base+"/"+itoa(i.ID), w.base+"/"+itoa(i.ID)+"/edit"

		if !strings.Contains(author.get(page).Body, `href="`+edit+`" id="edit-idea"`) {
			t.Fatal("the author's idea page has no Edit link")
		}
		if strings.Contains(other.get(page).Body, `id="edit-idea"`) {
			t.Fatal("a colleague sees an Edit link on someone else's idea")
		}
		for _, res := range []*response{other.get(edit), other.post(edit, url.Values{"title": {"Mine now"}, "change": {"Mine."}})} {
			if res.Code != http.StatusSeeOther || res.Location != page {
				t.Fatalf("a colleague's edit: %d %s", res.Code, res.Location)
			}
		}
		if !strings.Contains(text(other.get(page).Body), "Only its author can change this idea.") {
			t.Fatal("the colleague is not told why")
		}

		form := author.get(edit)
		if form.Code != http.StatusOK || !strings.Contains(form.Body, `value="Call back within a day"`) || !strings.Contains(form.Body, "People reach someone who can help the first time.") {
			t.Fatalf("edit form: %d %s", form.Code, text(form.Body))
		}
		res := author.post(edit, url.Values{"title": {"Two\nlines"}, "change": {"We count tickets; keep this text."}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "one line") || !strings.Contains(res.Body, "We count tickets; keep this text.") || !strings.Contains(text(res.Body), "“ticket") {
			t.Fatalf("bad edit: %d %s", res.Code, text(res.Body))
		}
		res = author.post(edit, url.Values{"title": {"Call every caller back within a day"}, "change": {"Promises kept, counted."}})
		if res.Code != http.StatusSeeOther || res.Location != page {
			t.Fatalf("good edit: %d %s", res.Code, text(res.Body))
		}
		if body := text(author.get(page).Body); !strings.Contains(body, "Your changes are saved.") || !strings.Contains(body, "Call every caller back within a day") || !strings.Contains(body, "Promises kept, counted.") {
			t.Fatalf("the page after the edit: %s", body)
		}
		if !strings.Contains(text(other.get(w.base).Body), "Call every caller back within a day") {
			t.Fatal("the list does not show the new title")
		}

		// Ideas close: the author may not; an organiser moderates.
		if err := ta.DB.Model(&models.IdeaSettings{}).Where("summit_id = ?", w.summit.ID).Update("closes_at", time.Now().UTC().Add(-time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		if strings.Contains(author.get(page).Body, `id="edit-idea"`) {
			t.Fatal("the Edit link stays after ideas closed")
		}
		if res := author.post(edit, url.Values{"title": {"Too late"}, "change": {"Too late."}}); res.Code != http.StatusSeeOther || !strings.Contains(text(author.get(page).Body), "only while they are open") {
			t.Fatalf("edit after closing: %d", res.Code)
		}
		if !strings.Contains(org.get(page).Body, `id="edit-idea"`) {
			t.Fatal("an organiser has no Edit (moderation) link")
		}
		if res := org.post(edit, url.Values{"title": {"Call every caller back within a day"}, "change": {"Promises kept, counted. [moderated]"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("moderation: %d %s", res.Code, text(res.Body))
		}
		var stored models.Idea
		if err := ta.DB.First(&stored, i.ID).Error; err != nil || stored.Title != "Call every caller back within a day" || stored.Change != "Promises kept, counted. [moderated]" {
			t.Fatalf("stored: %+v %v", stored, err)
		}
	})
}

// The organisers' ideas page links the CSV; it lists every idea with its
// votes and state, names nobody for an anonymous idea, and is for
// organisers only.
func TestIdeasCSVDownload(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newIdeasWorld(t, ta.DB, 3)
		staff, me := ta.signedIn(t, models.RoleStaff)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		named := w.idea(t, ta.DB, me, "Call back within a day", false)
		w.idea(t, ta.DB, me, "Let the night shift choose breaks", true)
		if err := models.Vote(ctx, ta.DB, w.summit.ID, named.ID, me.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		csvPath := w.org + "/ideas.csv"
		if !strings.Contains(org.get(w.org+"/ideas").Body, `href="`+csvPath+`"`) {
			t.Fatal("the organisers' ideas page does not link the CSV")
		}
		if res := staff.get(csvPath); res.Code != http.StatusForbidden {
			t.Fatalf("staff get the ideas CSV: %d", res.Code)
		}
		res := org.get(csvPath)
		if res.Code != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || res.Header.Get("Cache-Control") != "private, no-store" {
			t.Fatalf("CSV: %d %v", res.Code, res.Header)
		}
		rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF"))).ReadAll()
		if err != nil || len(rows) != 3 {
			t.Fatalf("CSV rows: %v %v", rows, err)
		}
		if rows[1][0] != "Call back within a day" || rows[1][4] != me.Name || rows[1][6] != "1" || rows[1][9] != "open" {
			t.Fatalf("named idea: %q", rows[1])
		}
		if rows[2][4] != "(posted without a name)" || strings.Contains(strings.Join(rows[2], "|"), me.Name) {
			t.Fatalf("anonymous idea: %q", rows[2])
		}
	})
}
