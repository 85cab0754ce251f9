package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/models"
	"summit/models/export/exporttest"
)

// The organiser moves a session with people in it: the form first shows who
// is affected, by name, and saves nothing; confirming saves and tells them.
// Cancelling it likewise shows who would lose a seat first.
func TestMovingASessionShowsWhoIsAffectedFirst(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newRegWorld(t, ta.DB, 5)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		ida := ta.addPerson(t, "Ida Lund", "ida@example.com", models.RoleStaff)
		ben := ta.addPerson(t, "Ben Okoro", "ben@example.com", models.RoleStaff)
		for _, p := range []*models.Person{ida, ben} {
			if _, err := models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, p.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		ta.DB.Where("1 = 1").Delete(&models.Notice{})
		edit := fmt.Sprintf("/organise/summits/%d/sessions/%d/edit", w.summit.ID, w.training.ID)
		form := url.Values{"title": {"Patience is a skill"}, "kind": {"training"}, "day": {"2030-05-06"}, "start_time": {"11:00"}, "end_time": {"12:00"}, "capacity": {"5"}}
		res := org.post(edit, form)
		page := text(res.Body)
		if res.Code != http.StatusOK || !strings.Contains(page, "This change affects 2 people") || !strings.Contains(page, "Ida Lund (confirmed seat)") ||
			!strings.Contains(page, "Ben Okoro (confirmed seat)") || !strings.Contains(page, "Confirm and tell 2 people") || !strings.Contains(page, "11:00–12:00") {
			t.Fatalf("preview: %d %s", res.Code, page)
		}
		if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, w.training.ID); !s.StartsAt.Equal(w.training.StartsAt) {
			t.Fatal("the preview saved the move")
		}
		form.Set("confirm", "1")
		res = org.post(edit, form)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("confirm: %d %s", res.Code, text(res.Body))
		}
		if next := text(org.get(res.Header.Get("Location")).Body); !strings.Contains(next, "2 people were told in Notices.") {
			t.Fatalf("after confirming: %s", next)
		}
		if s, _ := models.GetSession(ctx, ta.DB, w.summit.ID, w.training.ID); s.StartsAt.Equal(w.training.StartsAt) {
			t.Fatal("the confirmed move was not saved")
		}
		idaC := ta.client(t)
		idaC.signIn(ida.Email)
		if res := idaC.get("/notices"); !strings.Contains(res.Body, `aria-label="1 unread"`) || !strings.Contains(text(res.Body), "“Patience is a skill” moved") {
			t.Fatalf("Ida's notices: %s", text(res.Body))
		}
		// A change of the title only tells nobody and needs no confirmation.
		form.Del("confirm")
		form.Set("title", "Patience is a skill (level 1)")
		if res := org.post(edit, form); res.Code != http.StatusSeeOther {
			t.Fatalf("rename: %d %s", res.Code, text(res.Body))
		}
		// Cancelling: who would lose a seat, then confirm.
		del := fmt.Sprintf("/organise/summits/%d/sessions/%d/delete", w.summit.ID, w.training.ID)
		res = org.post(del, url.Values{})
		page = text(res.Body)
		if res.Code != http.StatusOK || !strings.Contains(page, "Would lose their seat") || !strings.Contains(page, "Ida Lund") || !strings.Contains(page, "Ben Okoro") {
			t.Fatalf("cancel preview: %d %s", res.Code, page)
		}
		if _, err := models.GetSession(ctx, ta.DB, w.summit.ID, w.training.ID); err != nil {
			t.Fatal("the cancel preview deleted the session")
		}
		if res := org.post(del, url.Values{"confirm": {"1"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", res.Code)
		}
		if _, err := models.GetSession(ctx, ta.DB, w.summit.ID, w.training.ID); err == nil {
			t.Fatal("the confirmed cancellation did not delete")
		}
		if res := idaC.get("/notices"); !strings.Contains(res.Body, `aria-label="2 unread"`) || !strings.Contains(text(res.Body), "is cancelled") {
			t.Fatalf("Ida's notices after the cancellation: %s", text(res.Body))
		}
	})
}

// A speaker's own talk is on their agenda page, their PDF and their calendar
// feed, marked "You speak"; registering for a session over it is refused,
// naming the talk.
func TestSpeakersSeeTheirTalksInTheirAgenda(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newRegWorld(t, ta.DB, 5)
		c, me := ta.signedIn(t, models.RoleStaff)
		sp, err := models.SaveSpeaker(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, 0, models.SpeakerInput{PersonID: itoa(me.ID)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, 0, models.SessionInput{Title: "Serving with boundaries", Kind: models.KindPanel,
			Day: "2030-05-06", StartTime: "10:30", EndTime: "11:30", SpeakerIDs: []string{itoa(sp.ID)}}, time.Now()); err != nil {
			t.Fatal(err)
		}
		q := fmt.Sprintf("?summit=%d", w.summit.ID)
		if page := text(c.get("/my/agenda" + q).Body); !strings.Contains(page, "Serving with boundaries You speak") {
			t.Fatalf("my agenda: %s", page)
		}
		if flat := exporttest.Flat(exporttest.PDFText(t, []byte(c.get("/my/agenda.pdf"+q).Body))); !strings.Contains(flat, "You speak") || !strings.Contains(flat, "Serving with boundaries") {
			t.Fatalf("PDF: %s", flat)
		}
		feed := regexp.MustCompile(`http://[^"<\s]+(/cal/[A-Za-z0-9_-]+\.ics)`).FindStringSubmatch(c.post("/my/calendar", nil).Body)
		if feed == nil {
			t.Fatal("no calendar feed")
		}
		if cal := ta.client(t).get(feed[1]).Body; !strings.Contains(cal, "SUMMARY:You speak: Serving with boundaries") {
			t.Fatalf("calendar: %s", cal)
		}
		res := c.post(w.sessionPath(w.training)+"/register", url.Values{})
		if !strings.Contains(text(res.Body)+text(c.get(w.sessionPath(w.training)).Body), "You speak in “Serving with boundaries”") {
			t.Fatalf("register over the talk: %d %s", res.Code, text(res.Body))
		}
		if reg, _ := models.MyRegistration(ctx, ta.DB, w.training.ID, me.ID); reg != nil {
			t.Fatal("registered over the talk")
		}
	})
}
