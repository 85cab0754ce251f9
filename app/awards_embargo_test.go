package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// canaryRole is someone the embargo canary walks every route as.
type canaryRole struct {
	name           string
	c              *client
	never          []string // story markers that must appear in no answer
	outsideJudging []string // story markers that may appear only on the judge's own pages
	names          []string // names (a nominator's, a hidden category's judge's) that must appear nowhere but the directory's type-ahead list
	organiser      bool     // POST only to award routes: their POSTs elsewhere would change the world under the walk
	directory      bool     // names may appear on the directory's own pages and pickers (/admin/people…, the speaker form's person list)
	winners        []string // winners this role may not learn of; nil: the walk's winner
}

// judgingPage reports whether a path is one of a judge's pages (queue, score).
func judgingPage(path string) bool {
	return strings.Contains(path, "/awards/judging/") || strings.Contains(path, "/awards/score/")
}

// winnerNearRe matches a winner's name near winner words, in the singular
// ("Winners are announced on …" is fine).
func winnerNearRe(name string) *regexp.Regexp {
	n := regexp.QuoteMeta(name)
	return regexp.MustCompile(`(?is)(\bwinner\b|\bhonoree\b|congratulat|\bwon\b|\bwinning\b).{0,80}` + n + `|` + n + `.{0,80}(\bwinner\b|\bhonoree\b|congratulat|\bwon\b|\bwinning\b)`)
}

// walkCanary requests every route of ta.Routes() (so routes added later are
// covered too) as each role — GETs in format variants, as JSON and as htmx fragments, POSTs
// empty and filled — and fails on a 5xx, on a marker or name the role may
// not read, and on the winner's name near winner words (in PDFs too). ids
// fills the routes' parameters; any other parameter is 1. A walk after the
// announcement passes winner "" and no role winners: then only the markers
// and names are checked.
func walkCanary(t *testing.T, ta *testApp, ids map[string]string, winner string, roles []canaryRole) {
	t.Helper()
	winnerNear := winnerNearRe(winner)
	if winner == "" {
		winnerNear = nil
	}
	// The fixture's people were added through models, audited as the system
	// ("Added <name> … as staff"): directory data, like the People pages the
	// directory roles may read anyway. Those rows go, so the walk checks that
	// nothing else in the audit log names them.
	if err := ta.DB.Where("action = ? AND actor_id IS NULL", "person.create").Delete(&models.AuditEvent{}).Error; err != nil {
		t.Fatal(err)
	}
	// Notices and the outbox are walked like every page, full: the worker's
	// periodic check runs first at the app's clock (before the
	// announcement), and its mail is handled. Nothing of it, in the database
	// either, may name the winner or thank a nominator.
	if _, err := models.PeriodicNotices(ctx, ta.DB, ta.Now()); err != nil {
		t.Fatal(err)
	}
	deliverAll(t, ta)
	var said []string
	var notices []models.Notice
	var mails []models.OutboxMail
	ta.DB.Find(&notices)
	ta.DB.Find(&mails)
	for _, n := range notices {
		said = append(said, n.Subject+" "+n.Body)
	}
	for _, m := range mails {
		said = append(said, m.Subject+" "+m.Body)
	}
	for _, x := range said {
		if winnerNear == nil {
			break
		}
		if winnerNear.MatchString(x) || strings.Contains(x, "recognised") || strings.Contains(x, "Thank you for nominating") {
			t.Errorf("a notice or mail tells of the award before the announcement: %q", x)
		}
	}
	param := regexp.MustCompile(`:[a-z_]+`)
	check := func(role canaryRole, what, path string, res *response) {
		t.Helper()
		if res.Code >= 500 {
			t.Errorf("%s %s: %d", role.name, what, res.Code)
		}
		markers := role.never
		if !judgingPage(path) {
			markers = append(append([]string{}, role.never...), role.outsideJudging...)
		}
		body := text(res.Body)
		// readable: PDF text (exporttest.PDFText fails the test when
		// pdftotext is missing under CI or cannot read the file, so an empty
		// text never passes), or the page without the type-ahead list.
		read := readable(t, res)
		for _, m := range markers {
			if strings.Contains(res.Body, m) || strings.Contains(body, m) || strings.Contains(res.Location, m) || strings.Contains(read, m) {
				t.Errorf("%s %s: the story marked %s leaks before the announcement", role.name, what, m)
			}
		}
		for _, n := range role.names {
			if role.directory && (strings.HasPrefix(path, "/admin/people") || strings.Contains(path, "/speakers/")) {
				break
			}
			if strings.Contains(read, n) || strings.Contains(res.Location, n) {
				t.Errorf("%s %s: the name %s (a nominator or judge kept from them) leaks", role.name, what, n)
			}
		}
		winners := role.winners
		if winners == nil && winner != "" {
			winners = []string{winner}
		}
		for _, wn := range winners {
			near := winnerNear
			if wn != winner {
				near = winnerNearRe(wn)
			}
			if near.MatchString(body) {
				t.Errorf("%s %s: the winner's name is revealed before the announcement: %q", role.name, what, near.FindString(body))
			}
			if strings.Contains(res.Header.Get("Content-Type"), "pdf") && res.Code == http.StatusOK && strings.Contains(read, wn) && strings.Contains(strings.ToLower(read), "winner") {
				t.Errorf("%s %s: the PDF text reveals the winner %s", role.name, what, wn)
			}
		}
	}
	routes := ta.Routes()
	if len(routes) < 20 {
		t.Fatalf("only %d routes", len(routes))
	}
	variants := []string{"", ".json", ".csv", ".pdf", ".ics", ".xml", "?format=json", "?format=csv", "?format=pdf", "?format=ics"}
	for _, role := range roles {
		for _, r := range routes {
			if strings.Contains(r.Path, "signout") || strings.Contains(r.Path, "/static") {
				continue
			}
			path := param.ReplaceAllStringFunc(r.Path, func(p string) string {
				if v, ok := ids[p[1:]]; ok {
					return v
				}
				return "1"
			})
			if r.Method == http.MethodPost {
				if role.organiser && !strings.Contains(path, "/awards") {
					continue
				}
				// An empty form and one naming the nomination: refusals and re-rendered forms must not leak either.
				check(role, "POST "+path, path, role.c.post(path, url.Values{}))
				check(role, "POST "+path+" (filled)", path, role.c.post(path, url.Values{"nomination_id": {ids["nomination"]}, "category_id": {ids["category"]}, "c0": {"9"}}))
				continue
			}
			for _, v := range variants {
				if strings.HasPrefix(v, "?") && strings.Contains(path, "?") {
					continue
				}
				check(role, "GET "+path+v, path, role.c.get(path+v))
			}
			req, _ := http.NewRequest(http.MethodGet, ta.Server.URL+path, nil)
			req.Header.Set("Accept", "application/json")
			check(role, "GET "+path+" (JSON)", path, role.c.do(req))
			// As htmx asks for a fragment.
			req, _ = http.NewRequest(http.MethodGet, ta.Server.URL+path, nil)
			req.Header.Set("HX-Request", "true")
			check(role, "GET "+path+" (htmx)", path, role.c.do(req))
		}
	}
}

// Item 1: an organiser nominated in a category, and an admin who judges it
// and is nominated in it too, learn nothing of its outcome before the
// announcement on any route (pages, PDFs, CSV, JSON, the audit log): not the
// winner, not the stories, not who nominated them; they cannot open its
// results, judges or settings, nor change its judges; the nominations CSV
// leaves the category out. A colleague organiser or admin who is not
// nominated sees it all, and after the announcement so do they.
func TestAwardsCanaryNominatedOrganisersLearnNothing(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		mark := func(who string) string { return "CANARY-" + who + "-" + strings.ToUpper(models.RandomToken(6)) }
		marker, markOlga, markOscar := mark("Q"), mark("OLGA"), mark("OSCAR")
		olga := ta.addPerson(t, "Olga Organiser", "olga@example.com", models.RoleOrganiser)
		oscar := ta.addPerson(t, "Oscar Admin", "oscar@example.com", models.RoleAdmin)
		now := time.Now()
		sys := models.Actor{Name: "test"}
		nominate := func(who *models.Person, story string) *models.Nomination {
			t.Helper()
			n, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(who.ID),
				Story: story, Served: models.ServedCustomer, Quotable: true}, now)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		nom := nominate(w.nominee, "Quentin answered every call during the outage with calm and care. "+marker+" The customers still mention it.")
		nominate(olga, "Olga re-planned the whole warehouse rota in one night so nobody missed a delivery. "+markOlga)
		nominate(oscar, "Oscar rebuilt the help pages with the people who read them, one interview at a time. "+markOscar)
		for _, p := range []*models.Person{w.judge, oscar} {
			if err := models.AddJudge(ctx, ta.DB, sys, w.summit.ID, w.cat.ID, p.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := models.SaveScore(ctx, ta.DB, w.summit.ID, w.judge.ID, nom.ID, models.ScoreInput{Points: []string{"5", "5", "5"}, Comment: "Calm all night"}, now); err != nil {
			t.Fatal(err)
		}
		if err := models.ChooseWinners(ctx, ta.DB, sys, w.summit.ID, w.cat.ID, []uint{w.nominee.ID}, "", now); err != nil {
			t.Fatal(err)
		}

		ids := routeParams(t, ta, w.summit)
		ids["category"], ids["nomination"], ids["person"] = itoa(w.cat.ID), itoa(nom.ID), itoa(w.judge.ID)
		olgaC, oscarC := w.signIn(t, ta, olga), w.signIn(t, ta, oscar)
		walkCanary(t, ta, ids, "Quentin Quiet", []canaryRole{
			{name: "nominated organiser", c: olgaC, never: []string{marker, markOlga, markOscar}, organiser: true},
			// Oscar judges the category: like every nominated judge he still
			// reads the others' nominations on his judging pages (hiding them
			// would tell him), never his own.
			{name: "nominated admin and judge", c: oscarC, never: []string{markOscar}, outsideJudging: []string{marker, markOlga}, organiser: true},
		})

		base := "/organise/summits/" + itoa(w.summit.ID) + "/awards"
		cat := base + "/" + itoa(w.cat.ID)
		refusal := "You are nominated in “The Quiet Hero Award”, so until its announcement its nominations, judges, scores and winners are kept from you."
		for _, c := range []*client{olgaC, oscarC} {
			for _, p := range []string{cat + "/results", cat + "/judges", cat + "/edit"} {
				if res := c.get(p); res.Code != http.StatusForbidden || !strings.Contains(text(res.Body), refusal) {
					t.Fatalf("GET %s: %d %s", p, res.Code, text(res.Body))
				}
			}
			res := c.get(base)
			if res.Code != http.StatusOK || !strings.Contains(text(res.Body), "You are nominated in this category") || strings.Contains(res.Body, cat+"/results") {
				t.Fatalf("overview: %d %s", res.Code, text(res.Body))
			}
			res = c.get(base + "/nominations.csv")
			if res.Code != http.StatusOK || strings.Contains(res.Body, "The Quiet Hero Award") || strings.Contains(res.Body, "Nico Nominator") || !strings.Contains(res.Body, "The Patience Award") {
				t.Fatalf("nominations CSV: %d\n%s", res.Code, res.Body)
			}
			if res = c.post(cat+"/judges", url.Values{"person": {"Sam Staff (Customer Support)"}}); res.Code != http.StatusForbidden {
				t.Fatalf("a nominee adds a judge: %d %s", res.Code, text(res.Body))
			}
			if res = c.post(cat+"/judges/"+itoa(w.judge.ID)+"/remove", nil); res.Code != http.StatusForbidden {
				t.Fatalf("a nominee removes a judge: %d %s", res.Code, text(res.Body))
			}
		}
		judges, err := models.ListJudges(ctx, ta.DB, w.cat.ID)
		if err != nil || len(judges) != 2 {
			t.Fatalf("the judges changed: %v %v", judges, err)
		}
		if res := oscarC.get("/admin/audit"); res.Code != http.StatusOK || strings.Contains(text(res.Body), "The Quiet Hero Award") {
			t.Fatalf("the audit log shows a nominated admin their category's trail: %d %s", res.Code, text(res.Body))
		}
		// The rule is about the nominee, not the role: colleagues see it all.
		olive := w.signIn(t, ta, w.organiser)
		if res := olive.get(cat + "/results"); res.Code != http.StatusOK || !strings.Contains(res.Body, markOlga) || !strings.Contains(text(res.Body), "Calm all night") {
			t.Fatalf("a colleague organiser cannot read the results: %d", res.Code)
		}
		if res := olive.get(base + "/nominations.csv"); !strings.Contains(res.Body, markOscar) || !strings.Contains(res.Body, "Nico Nominator") {
			t.Fatalf("a colleague organiser's CSV lacks the category:\n%s", res.Body)
		}
		if res := olive.post(cat+"/judges", url.Values{"person": {"Sam Staff (Customer Support)"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("a colleague organiser adds a judge: %d %s", res.Code, text(res.Body))
		}
		admin, _ := ta.signedIn(t, models.RoleAdmin)
		if res := admin.get("/admin/audit"); !strings.Contains(text(res.Body), "Chose the winners of “The Quiet Hero Award”") {
			t.Fatalf("a colleague admin does not see the category's trail: %s", text(res.Body))
		}
		// After the announcement the nominees may look.
		ta.App.Now = func() time.Time { return w.cat.AnnounceAt.Add(time.Minute) }
		if res := olgaC.get(cat + "/results"); res.Code != http.StatusOK || !strings.Contains(res.Body, markOlga) {
			t.Fatalf("after the announcement: %d %s", res.Code, text(res.Body))
		}
	})
}
