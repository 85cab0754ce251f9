package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/app"
	"summit/models"
	"summit/models/export/exporttest"
)

// nominatorMarker is the nominator's name in the blind-judging tests: nobody
// else in the demo or the test world is called anything like it.
const nominatorMarker = "Zabrowski-Quillfeather"

var datalistRe = regexp.MustCompile(`(?is)<datalist\b.*?</datalist>`)

// readable is what a person can read in a response: the page's text, or a
// PDF's text. The directory's type-ahead suggestions (<datalist>) are left
// out: every member of staff may see who is in the directory; what must stay
// hidden is who wrote a nomination.
func readable(t *testing.T, res *response) string {
	t.Helper()
	if strings.Contains(res.Header.Get("Content-Type"), "pdf") && res.Code == http.StatusOK {
		return exporttest.PDFText(t, []byte(res.Body))
	}
	return datalistRe.ReplaceAllString(res.Body, "")
}

// In a blind category the judge never learns who wrote a nomination: not on
// the queue, the score page, the score page re-rendered after a bad score or
// an empty recusal, after scoring, nor in anything else a judge can open
// (every staff and visitor GET route of the router: pages, PDFs, calendars,
// feeds). The same pages of a category that shows nominators do name them,
// so the check can fail.
func TestBlindJudgingOnEveryJudgeSurface(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		sid := itoa(w.summit.ID)
		nominator := ta.addPerson(t, "Nell "+nominatorMarker, "nell@example.com", models.RoleStaff)
		open, err := models.SaveCategory(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, 0, models.CategoryInput{Name: "The Open Book Award", Trait: "Kindness",
			ShowNominator: true, OpensDay: w.cat.OpensAt.In(w.summit.Location()).Format(models.DateLayout), OpensTime: w.cat.OpensAt.In(w.summit.Location()).Format("15:04"),
			ClosesDay: w.cat.ClosesAt.In(w.summit.Location()).Format(models.DateLayout), ClosesTime: w.cat.ClosesAt.In(w.summit.Location()).Format("15:04"),
			AnnounceDay: w.cat.AnnounceAt.In(w.summit.Location()).Format(models.DateLayout), AnnounceTime: w.cat.AnnounceAt.In(w.summit.Location()).Format("15:04")}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !w.cat.Blind || open.Blind {
			t.Fatalf("blind: %v and %v; want the world's category blind and the open one not", w.cat.Blind, open.Blind)
		}
		judge := w.signIn(t, ta, w.judge)
		var blindNomination uint
		for _, c := range []*models.AwardCategory{w.cat, open} {
			if err := models.AddJudge(ctx, ta.DB, models.Actor{Name: "test"}, w.summit.ID, c.ID, w.judge.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
			nom, err := models.Nominate(ctx, ta.DB, w.summit.ID, nominator.ID, models.NominationInput{CategoryID: itoa(c.ID), NomineeID: itoa(w.nominee.ID),
				Story: "Quentin stayed with a customer through a long outage and kept every promise he made that night.", Served: models.ServedCustomer}, ta.Now())
			if err != nil {
				t.Fatal(err)
			}
			if c.Blind {
				blindNomination = nom.ID
			}
			nid, score := itoa(nom.ID), "/summits/"+sid+"/awards/score/"+itoa(nom.ID)
			look := func(what string, res *response, wantCode int) {
				t.Helper()
				if res.Code != wantCode {
					t.Fatalf("%s of %q: %d, want %d: %.300s", what, c.Name, res.Code, wantCode, text(res.Body))
				}
				body := readable(t, res)
				named := strings.Contains(body, nominatorMarker)
				switch {
				case c.Blind && named:
					t.Errorf("%s of blind %q names the nominator", what, c.Name)
				case c.Blind && strings.Contains(text(body), "nominated by"):
					t.Errorf("%s of blind %q says who nominated", what, c.Name)
				case !c.Blind && !named:
					t.Errorf("%s of %q (nominators shown) does not name the nominator, so this check could not see a leak", what, c.Name)
				}
			}
			look("the judging queue", judge.get("/summits/"+sid+"/awards/judging/"+itoa(c.ID)), http.StatusOK)
			look("the score page", judge.get(score), http.StatusOK)
			look("the score page after a bad score", judge.post(score, url.Values{"c0": {"9"}, "comment": {"Fine"}}), http.StatusUnprocessableEntity)
			look("the score page after an empty recusal", judge.post(score+"/recuse", url.Values{"reason": {""}}), http.StatusUnprocessableEntity)
			if res := judge.post(score, url.Values{"c0": {"5"}, "c1": {"4"}, "c2": {"5"}}); res.Code != http.StatusSeeOther {
				t.Fatalf("score %s: %d %s", nid, res.Code, text(res.Body))
			}
			look("the score page after scoring", judge.get(score), http.StatusOK)
			look("the judging queue after scoring", judge.get("/summits/"+sid+"/awards/judging/"+itoa(c.ID)), http.StatusOK)
		}

		// Everything else a judge can open names nobody as a nominator either.
		ids := routeParams(t, ta, w.summit)
		ids["category"], ids["nomination"] = itoa(w.cat.ID), itoa(blindNomination)
		for _, r := range ta.Routes() {
			if r.Method != http.MethodGet || r.Access > app.AccessStaff {
				continue
			}
			path := fillPath(r.Path, ids)
			res := judge.get(path)
			if res.Code >= 500 {
				t.Errorf("GET %s: %d", path, res.Code)
			}
			if strings.Contains(readable(t, res), nominatorMarker) {
				t.Errorf("GET %s (judge of a blind category): names the nominator", path)
			}
		}
	})
}
