package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"summit/models"
	"summit/models/export/exporttest"
)

// Over HTTP: an organiser turns an idea into a commitment (bad input gets
// field messages with the input kept), its owner posts updates (dropping
// needs a reason; others may not post), a colleague follows it, and the
// next edition's agenda and program PDF — both cached — show it with its
// last status on the next request.
func TestCommitmentsOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newIdeasWorld(t, ta.DB, 5)
		next, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2031", StartDate: "2031-05-05", EndDate: "2031-05-06", TimeZone: "Europe/Warsaw"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), next.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		owner := ta.addPerson(t, "Omar Owner", "omar@example.com", models.RoleStaff)
		ownerC := ta.client(t)
		ownerC.signIn(owner.Email)
		colleague, _ := ta.signedIn(t, models.RoleStaff)
		idea := w.idea(t, ta.DB, owner, "Call back within a day", false)
		form := org.get(w.org + "/commitments/new?idea=" + itoa(idea.ID))
		if form.Code != http.StatusOK || !strings.Contains(form.Body, `value="Call back within a day"`) || !strings.Contains(form.Body, "Omar Owner (Customer Support)") {
			t.Fatalf("new commitment from an idea: %d %s", form.Code, text(form.Body))
		}
		res := org.post(w.org+"/commitments/new", url.Values{"what": {"Every caller hears back within a day"}, "owner": {"Nobody Known"}, "due_date": {"next year"}, "success": {"We stop counting tickets."}})
		if body := text(res.Body); res.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose the owner") || !strings.Contains(body, "Due must be") && !strings.Contains(body, "Due date must be") ||
			!strings.Contains(res.Body, "We stop counting tickets.") || !strings.Contains(body, "“ticket") {
			t.Fatalf("bad commitment: %d %s", res.Code, body)
		}
		res = org.post(w.org+"/commitments/new", url.Values{"what": {"Every caller hears back within a day"}, "owner": {"Omar Owner (Customer Support)"}, "due_date": {"2030-12-01"},
			"success": {"The survey says people heard back."}, "idea_id": {itoa(idea.ID)}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("commitment: %d %s", res.Code, text(res.Body))
		}
		page := res.Location
		agenda := "/summits/" + itoa(next.ID)
		visitor := ta.client(t)
		if body := text(visitor.get(agenda).Body); !strings.Contains(body, "What we promised last year") || !strings.Contains(body, "On track Every caller hears back within a day") || !strings.Contains(body, "Omar Owner") {
			t.Fatalf("next edition's agenda: %s", body)
		}
		if res := colleague.post(page+"/status", url.Values{"status": {"done"}}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Only the commitment's owner") {
			t.Fatalf("a colleague posts an update: %d %s", res.Code, text(res.Body))
		}
		if res := ownerC.post(page+"/status", url.Values{"status": {"dropped"}, "note": {""}}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Say why it is dropped") {
			t.Fatalf("dropped without a reason: %d %s", res.Code, text(res.Body))
		}
		if res := ownerC.post(page+"/status", url.Values{"status": {"at_risk"}, "note": {"Two people short until June"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("update: %d %s", res.Code, text(res.Body))
		}
		if res := colleague.post(page+"/follow", nil); res.Code != http.StatusSeeOther {
			t.Fatalf("follow: %d", res.Code)
		}
		if body := text(colleague.get("/my/commitments").Body); !strings.Contains(body, "Every caller hears back within a day") || !strings.Contains(body, "At risk") {
			t.Fatalf("my commitments: %s", body)
		}
		if body := text(visitor.get(agenda).Body); !strings.Contains(body, "At risk Every caller hears back within a day") || !strings.Contains(body, "Two people short until June") {
			t.Fatalf("the cached agenda after the update: %s", body)
		}
		pdf := visitor.get(agenda + "/program.pdf")
		flat := strings.Join(strings.Fields(exporttest.PDFText(t, []byte(pdf.Body))), " ")
		if pdf.Code != http.StatusOK || !strings.Contains(flat, "What we promised last year") || !strings.Contains(flat, "Every caller hears back within a day") || !strings.Contains(flat, "At risk") {
			t.Fatalf("program PDF: %d %s", pdf.Code, flat)
		}
		// The summit's own program does not look back on itself.
		if flat := strings.Join(strings.Fields(exporttest.PDFText(t, []byte(visitor.get("/summits/"+itoa(w.summit.ID)+"/program.pdf").Body))), " "); strings.Contains(flat, "What we promised last year") {
			t.Fatalf("the edition's own program lists its promises as last year's: %s", flat)
		}
	})
}
