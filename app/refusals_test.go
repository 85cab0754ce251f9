package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// Over HTTP, once a session has started: registering and cancelling are
// refused with the reason (422) and nothing changes. The window stays open
// through the summit, so the session's start is what refuses.
func TestRegisterAndCancelRefusedOnceTheSessionStarted(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newRegWorld(t, ta.DB, 5)
		yesterday := time.Now().In(w.summit.Location()).AddDate(0, 0, -1).Format(models.DateLayout)
		if _, err := models.SetRegistrationWindow(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, models.RegistrationWindowInput{
			OpensDay: yesterday, OpensTime: "09:00", ClosesDay: "2030-05-07", ClosesTime: "18:00"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		early, _ := ta.signedIn(t, models.RoleStaff)
		late, _ := ta.signedIn(t, models.RoleStaff)
		path := w.sessionPath(w.training)
		if r := early.post(path+"/register", nil); r.Code != http.StatusSeeOther {
			t.Fatalf("register before the start: %d %s", r.Code, text(r.Body))
		}
		before := snapshotDB(t, ta.DB)
		for _, at := range []time.Time{w.training.StartsAt, w.training.StartsAt.Add(20 * time.Minute)} {
			ta.App.Now = func() time.Time { return at }
			r := late.post(path+"/register", nil)
			if r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "“Patience is a skill” has already started; registration for it is closed.") {
				t.Fatalf("register at %v: %d %s", at, r.Code, text(r.Body))
			}
			r = early.post(path+"/cancel", nil)
			if r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "“Patience is a skill” has already started; ask an organiser if your plans changed.") {
				t.Fatalf("cancel at %v: %d %s", at, r.Code, text(r.Body))
			}
		}
		if diff := snapshotDiff(before, snapshotDB(t, ta.DB)); diff != "" {
			t.Fatalf("refusals changed the database:\n  %s", diff)
		}
	})
}

// A draft summit is the organisers' preview: a signed-in staff member (not
// only a visitor) gets 404 on its agenda and on its session pages; an
// organiser sees both.
func TestDraftSummitIs404ForSignedInStaff(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Secret Summit 2031", StartDate: "2031-02-03", EndDate: "2031-02-03", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		res, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Unannounced keynote", Kind: models.KindKeynote, Day: "2031-02-03", StartTime: "09:00", EndTime: "10:00"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		pages := []string{"/summits/" + itoa(s.ID), "/summits/" + itoa(s.ID) + "/sessions/" + itoa(res.Session.ID)}
		staff, _ := ta.signedIn(t, models.RoleStaff)
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		for _, p := range pages {
			if r := staff.get(p); r.Code != http.StatusNotFound || strings.Contains(r.Body, "Secret Summit") || strings.Contains(r.Body, "Unannounced") {
				t.Errorf("staff GET %s of a draft: %d, want a plain 404", p, r.Code)
			}
			if r := org.get(p); r.Code != http.StatusOK || !strings.Contains(text(r.Body), "Secret Summit 2031") {
				t.Errorf("organiser GET %s of a draft: %d, want the preview", p, r.Code)
			}
		}
		if _, err := models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), s.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		for _, p := range pages {
			if r := staff.get(p); r.Code != http.StatusOK {
				t.Errorf("staff GET %s once published: %d", p, r.Code)
			}
		}
	})
}
