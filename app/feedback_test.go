package app_test

import (
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/models"
	"summit/models/modelstest"
)

// fbWorld is a published summit on 6 May 2030 (Amsterdam) with a keynote
// (given by Kai), a panel (given by Paula) and a training, the previous
// edition (2029, archived), a training (given by Tess), an organiser and four staff who answer. Every
// name and comment carries a marker, so a test can look for them anywhere.
type fbWorld struct {
	summit, prev                *models.Summit
	keynote, panel, training    *models.Session
	kai, paula, tess, organiser *models.Person
	respondents                 []*models.Person
	mark                        string
	base                        string
	during, answering, afterEnd time.Time
}

func newFeedbackWorld(t *testing.T, ta *testApp) *fbWorld {
	t.Helper()
	w := &fbWorld{mark: strings.ToUpper(models.RandomToken(5))}
	mk := func(start string, status models.SummitStatus) *models.Summit {
		s, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit " + start[:4], StartDate: start, EndDate: start, TimeZone: "Europe/Amsterdam"})
		if err != nil {
			t.Fatal(err)
		}
		if s, err = models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), s.ID, status); err != nil {
			t.Fatal(err)
		}
		return s
	}
	w.prev = mk("2029-05-07", models.StatusArchived)
	w.summit = mk("2030-05-06", models.StatusPublished)
	w.base = "/summits/" + itoa(w.summit.ID)
	w.kai = ta.addPerson(t, "Kai Keynote", "kai@example.com", models.RoleStaff)
	w.paula = ta.addPerson(t, "Paula Panel", "paula@example.com", models.RoleStaff)
	w.tess = ta.addPerson(t, "Tess Trainer", "tess@example.com", models.RoleStaff)
	w.organiser = ta.addPerson(t, "Olive Organiser", "olive@example.com", models.RoleOrganiser)
	for _, n := range []string{"Rhea", "Ravi", "Rosa", "Rune"} {
		w.respondents = append(w.respondents, ta.addPerson(t, n+" Respondent"+w.mark, strings.ToLower(n+"-"+w.mark)+"@example.com", models.RoleStaff))
	}
	speaker := func(p *models.Person) string {
		sp, err := models.SaveSpeaker(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, 0, models.SpeakerInput{PersonID: itoa(p.ID)})
		if err != nil {
			t.Fatal(err)
		}
		return itoa(sp.ID)
	}
	session := func(title string, kind models.SessionKind, start, end, capacity, sp string) *models.Session {
		in := models.SessionInput{Title: title, Kind: kind, Day: "2030-05-06", StartTime: start, EndTime: end, Capacity: capacity}
		if sp != "" {
			in.SpeakerIDs = []string{sp}
		}
		res, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, 0, in, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return res.Session
	}
	w.keynote = session("Keynote "+w.mark, models.KindKeynote, "09:00", "10:00", "", speaker(w.kai))
	w.training = session("Training "+w.mark, models.KindTraining, "10:30", "11:30", "10", speaker(w.tess))
	w.panel = session("Panel "+w.mark, models.KindPanel, "13:00", "14:00", "", speaker(w.paula))
	loc := w.summit.Location()
	w.during = time.Date(2030, 5, 6, 9, 30, 0, 0, loc)
	w.answering = time.Date(2030, 5, 6, 15, 0, 0, 0, loc)
	w.afterEnd = time.Date(2030, 5, 21, 0, 0, 0, 0, loc) // the default closing moment
	return w
}

// answer gives feedback through the model (as the form would) at w.answering.
func (w *fbWorld) answer(t *testing.T, ta *testApp, sessionID uint, p *models.Person, useful, recommend, comment string) {
	t.Helper()
	if _, err := models.SaveFeedback(ctx, ta.DB, w.summit.ID, sessionID, p.ID, models.FeedbackInput{Useful: useful, Recommend: recommend, Comment: comment}, w.answering); err != nil {
		t.Fatalf("%s answers: %v", p.Name, err)
	}
}

func (w *fbWorld) signIn(t *testing.T, ta *testApp, p *models.Person) *client {
	c := ta.client(t)
	c.signIn(p.Email)
	return c
}

// A person gives feedback through the form: the session page offers it
// once the session has ended, bad input gets field messages with the
// choices kept (422), a good answer is saved and can be changed, someone who
// was not there is told why (422), and visitors are asked to sign in.
func TestFeedbackFormOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newFeedbackWorld(t, ta)
		now := w.during
		ta.App.Now = func() time.Time { return now }
		rhea := w.signIn(t, ta, w.respondents[0])
		keynote := w.base + "/sessions/" + itoa(w.keynote.ID)

		if res := rhea.get(keynote); res.Code != 200 || strings.Contains(res.Body, `id="feedback"`) {
			t.Fatalf("the session page offers feedback before the session ends: %d", res.Code)
		}
		res := rhea.post(keynote+"/feedback", url.Values{"useful": {"5"}, "recommend": {"5"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Feedback opens when the session ends") {
			t.Fatalf("feedback during the session: %d %s", res.Code, text(res.Body))
		}

		now = w.answering
		page := rhea.get(keynote)
		if !strings.Contains(page.Body, `id="feedback-link"`) || !strings.Contains(text(page.Body), "Give feedback") {
			t.Fatalf("no feedback link after the session:\n%s", text(page.Body))
		}
		form := rhea.get(keynote + "/feedback")
		if form.Code != 200 || !strings.Contains(text(form.Body), "Your name is never shown with your answer") {
			t.Fatalf("form: %d %s", form.Code, text(form.Body))
		}
		res = rhea.post(keynote+"/feedback", url.Values{"useful": {"7"}, "comment": {"Kept text " + w.mark}})
		body := text(res.Body)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose how useful it was") || !strings.Contains(body, "Choose how much you would recommend it") ||
			!strings.Contains(res.Body, "Kept text "+w.mark) {
			t.Fatalf("bad input: %d %s", res.Code, body)
		}
		res = rhea.post(keynote+"/feedback", url.Values{"useful": {"4"}, "recommend": {"3"}, "comment": {"Good start"}})
		if res.Code != http.StatusSeeOther || res.Location != "/my/feedback" {
			t.Fatalf("good answer: %d %s", res.Code, res.Location)
		}
		form = rhea.get(keynote + "/feedback")
		if !strings.Contains(form.Body, `id="f-useful-4" name="useful" value="4" checked`) || !strings.Contains(form.Body, "Good start") || !strings.Contains(text(form.Body), "Save my changes") {
			t.Fatalf("the form does not show the answer given:\n%s", form.Body)
		}
		rhea.post(keynote+"/feedback", url.Values{"useful": {"5"}, "recommend": {"5"}, "comment": {"Even better on reflection"}})
		var n int64
		ta.DB.Model(&models.Feedback{}).Count(&n)
		if n != 1 {
			t.Fatalf("changing an answer made %d answers", n)
		}
		mine := text(rhea.get("/my/feedback").Body)
		if !strings.Contains(mine, "Keynote "+w.mark) || !strings.Contains(mine, "Answered — you can change it") || strings.Contains(mine, "Training "+w.mark) {
			t.Fatalf("My feedback: %s", mine)
		}
		// Not seated in the training: refused with the reason.
		res = rhea.post(w.base+"/sessions/"+itoa(w.training.ID)+"/feedback", url.Values{"useful": {"5"}, "recommend": {"5"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "had a seat in it") {
			t.Fatalf("a person without a seat: %d %s", res.Code, text(res.Body))
		}
		// Kai does not rate his own keynote.
		kai := w.signIn(t, ta, w.kai)
		if res := kai.get(keynote); !strings.Contains(text(res.Body), "Speakers do not rate their own session") {
			t.Fatalf("the speaker's session page: %s", text(res.Body))
		}
		// Visitors are asked to sign in; the page never shows a rating.
		visitor := ta.client(t)
		page = visitor.get(keynote)
		if !strings.Contains(text(page.Body), "Sign in to give feedback") || strings.Contains(page.Body, "Useful for my work:") || strings.Contains(page.Body, "Even better") {
			t.Fatalf("visitor's session page: %s", text(page.Body))
		}
		if res := visitor.get(keynote + "/feedback"); res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/signin") {
			t.Fatalf("a visitor opening the form: %d %s", res.Code, res.Location)
		}
		// After closing nothing changes, and the form says so.
		now = w.afterEnd
		res = rhea.post(keynote+"/feedback", url.Values{"useful": {"1"}, "recommend": {"1"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Feedback closed on") {
			t.Fatalf("after closing: %d %s", res.Code, text(res.Body))
		}
		// Drafts: 404.
		if _, err := models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, models.StatusDraft); err != nil {
			t.Fatal(err)
		}
		if res := rhea.get(keynote + "/feedback"); res.Code != http.StatusNotFound {
			t.Fatalf("a draft's feedback form: %d", res.Code)
		}
	})
}

// Organisers set the closing moment and threshold through a form that keeps
// what they typed on errors (never below 3), and close feedback at once.
func TestFeedbackSettingsOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newFeedbackWorld(t, ta)
		ta.App.Now = func() time.Time { return w.answering }
		org := w.signIn(t, ta, w.organiser)
		base := "/organise/summits/" + itoa(w.summit.ID) + "/feedback"
		res := org.post(base+"/settings", url.Values{"closes_day": {"2030-05-20"}, "closes_time": {"18:00"}, "min_answers": {"2"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "At least 3 answers, never fewer") || !strings.Contains(res.Body, `value="2030-05-20"`) {
			t.Fatalf("threshold 2: %d %s", res.Code, text(res.Body))
		}
		res = org.post(base+"/settings", url.Values{"closes_day": {"2030-05-20"}, "closes_time": {"18:00"}, "min_answers": {"4"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("settings: %d %s", res.Code, text(res.Body))
		}
		if page := text(org.get(base).Body); !strings.Contains(page, "Feedback is open until Mon 20 May 2030 at 18:00") || !strings.Contains(page, "at least 4 people answered") {
			t.Fatalf("feedback page: %s", page)
		}
		if res := org.post(base+"/close", nil); res.Code != http.StatusSeeOther {
			t.Fatalf("close: %d", res.Code)
		}
		if page := text(org.get(base).Body); !strings.Contains(page, "Feedback closed on Mon 6 May 2030 at 15:00") || strings.Contains(page, "Close feedback now") {
			t.Fatalf("after closing: %s", page)
		}
	})
}

var digitsRe = regexp.MustCompile(`Useful for my work: [0-9]`)

// directoryPage reports pages that list the whole staff directory (admin
// pages, pickers for speakers, judges and nominees): everyone's name is on
// them, whoever answered or not.
func directoryPage(path string) bool {
	if strings.Contains(path, "/commitments/") && (strings.HasSuffix(path, "/new") || strings.HasSuffix(path, "/edit")) {
		return true // the commitment owner's picker
	}
	for _, p := range []string{"/admin/", "/speakers/", "/awards/nominate", "/judges"} {
		if strings.Contains(path, p) {
			return true
		}
	}
	return false
}

// No figure or comment from fewer than 3 answers, and no identity of anyone
// who answered, appears on any page, export or report, for any role, before
// or after feedback closes; comments above the threshold reach organisers
// and (after closing) the speaker only; the public agenda never shows a
// rating; and answering leaves nothing in the audit log.
func TestFeedbackPrivacyCanary(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newFeedbackWorld(t, ta)
		above, below := "ABOVE-"+w.mark, "BELOW-"+w.mark
		for i, p := range w.respondents[:3] {
			w.answer(t, ta, w.keynote.ID, p, "5", []string{"4", "5", "4"}[i], above+" keynote comment "+itoa(uint(i)))
		}
		w.answer(t, ta, w.panel.ID, w.respondents[0], "1", "2", below+" panel comment one")
		w.answer(t, ta, w.panel.ID, w.respondents[3], "2", "1", below+" panel comment two")
		overallAt := time.Date(2030, 5, 6, 18, 0, 0, 0, w.summit.Location())
		for _, p := range w.respondents[:2] {
			if _, err := models.SaveFeedback(ctx, ta.DB, w.summit.ID, 0, p.ID, models.FeedbackInput{Useful: "3", Recommend: "3", Comment: below + " overall"}, overallAt); err != nil {
				t.Fatal(err)
			}
		}

		pdftotext, _ := exec.LookPath("pdftotext")
		if os.Getenv("CI") != "" && pdftotext == "" {
			t.Fatal("pdftotext is needed to read the report back")
		}
		var identities []string
		for _, p := range w.respondents {
			identities = append(identities, p.Name, p.Email, strings.Split(p.Email, "@")[0])
		}
		read := func(res *response) string {
			if strings.Contains(res.Header.Get("Content-Type"), "pdf") && pdftotext != "" {
				in := filepath.Join(t.TempDir(), "x.pdf")
				_ = os.WriteFile(in, []byte(res.Body), 0o600)
				out, err := exec.Command(pdftotext, in, "-").Output()
				if err != nil {
					t.Fatalf("pdftotext: %v", err)
				}
				return string(out)
			}
			return res.Body + " " + text(res.Body)
		}
		type role struct {
			name       string
			c          *client
			seesAbove  func(path string, closed bool) bool
			staffLevel bool
		}
		orgOnly := func(path string, closed bool) bool {
			return strings.HasPrefix(path, "/organise/summits/"+itoa(w.summit.ID)+"/feedback") || strings.HasSuffix(path, "feedback.csv")
		}
		roles := []role{
			{"visitor", ta.client(t), func(string, bool) bool { return false }, false},
			{"staff", w.signIn(t, ta, ta.addPerson(t, "Stan Staff", "stan@example.com", models.RoleStaff)), func(string, bool) bool { return false }, true},
			{"panel speaker", w.signIn(t, ta, w.paula), func(string, bool) bool { return false }, true},
			{"keynote speaker", w.signIn(t, ta, w.kai), func(path string, closed bool) bool { return closed && path == "/my/feedback" }, true},
			{"organiser", w.signIn(t, ta, w.organiser), orgOnly, true},
			{"admin", w.signIn(t, ta, ta.addPerson(t, "Ada Admin", "ada@example.com", models.RoleAdmin)), orgOnly, true},
		}
		ids := routeParams(t, ta, w.summit)
		ids["session"] = itoa(w.keynote.ID)
		param := regexp.MustCompile(`:[a-z_]+`)
		var paths []string
		for _, r := range ta.Routes() {
			if r.Method != http.MethodGet || strings.Contains(r.Path, "/static") {
				continue
			}
			paths = append(paths, param.ReplaceAllStringFunc(r.Path, func(p string) string {
				if v, ok := ids[p[1:]]; ok {
					return v
				}
				return "1"
			}))
		}
		paths = append(paths, w.base+"/sessions/"+itoa(w.panel.ID), w.base+"/sessions/"+itoa(w.panel.ID)+"/feedback",
			"/organise/summits/"+itoa(w.summit.ID)+"/feedback.csv", "/organise/summits/"+itoa(w.summit.ID)+"/report.pdf",
			"/summits/"+itoa(w.summit.ID)+"/program.pdf", "/summits/"+itoa(w.summit.ID)+"/schedule.json", "/summits/"+itoa(w.summit.ID)+"/schedule.xml")
		sawAbove := map[string]bool{}
		for _, closed := range []bool{false, true} {
			now := w.answering.Add(4 * time.Hour)
			if closed {
				now = w.afterEnd.Add(time.Hour)
			}
			ta.App.Now = func() time.Time { return now }
			for _, r := range roles {
				for _, path := range paths {
					res := r.c.get(path)
					where := r.name + " GET " + path
					if res.Code >= 500 {
						t.Errorf("%s: %d", where, res.Code)
						continue
					}
					body := read(res)
					if strings.Contains(body, below) {
						t.Errorf("%s: a comment from fewer than 3 answers appears", where)
					}
					if !directoryPage(path) {
						for _, id := range identities {
							if strings.Contains(body, id) {
								t.Errorf("%s: %q, who answered, appears", where, id)
							}
						}
					}
					if strings.Contains(body, above) {
						sawAbove[r.name] = true
						if !r.seesAbove(path, closed) {
							t.Errorf("%s (closed=%v): a comment reaches someone who may not read it", where, closed)
						}
					}
					if strings.HasPrefix(path, "/summits/") && (digitsRe.MatchString(body) || strings.Contains(body, "Would recommend:")) {
						t.Errorf("%s: the public agenda shows a rating", where)
					}
					// The panel's two answers leave no figure where the panel is listed.
					if i := strings.Index(body, `id="feedback-session-`+itoa(w.panel.ID)+`"`); i >= 0 {
						block := body[i:]
						if j := strings.Index(block, "</article>"); j > 0 {
							block = block[:j]
						}
						if digitsRe.MatchString(block) || !strings.Contains(block, "Fewer than 3 answers") {
							t.Errorf("%s: the panel's block shows figures: %s", where, text(block))
						}
					}
					if strings.Contains(path, "feedback.csv") && strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") && (strings.Count(body, "Panel "+w.mark) != 2 || !strings.Contains(res.Body, "Panel "+w.mark+",2030-05-06 13:00,,,(fewer than 3 answers: not shown)")) {
						t.Errorf("%s: the CSV lists more of the panel than that it is not shown:\n%s", where, res.Body)
					}
					if strings.HasSuffix(path, "report.pdf") && r.staffLevel && r.name != "organiser" && r.name != "admin" && res.Code == 200 {
						t.Errorf("%s: the report reaches staff", where)
					}
				}
			}
		}
		for _, who := range []string{"organiser", "keynote speaker"} {
			if !sawAbove[who] {
				t.Errorf("the %s never saw the comments above the threshold: the test proves nothing", who)
			}
		}
		// The organiser's page lists the keynote's results and the panel as hidden.
		org := roles[4].c
		page := text(org.get("/organise/summits/" + itoa(w.summit.ID) + "/feedback").Body)
		if !strings.Contains(page, "Useful for my work: 5.0 · Would recommend: 4.3 (out of 5, 3 answers)") {
			t.Errorf("organiser's results: %s", page)
		}
		// Answering left no trace in the audit log.
		var n int64
		ta.DB.Model(&models.AuditEvent{}).Where("action NOT LIKE ?", "signin%").Where("actor_id IN ?", []uint{w.respondents[0].ID, w.respondents[1].ID, w.respondents[2].ID, w.respondents[3].ID}).Count(&n)
		if n != 0 {
			t.Errorf("the audit log holds %d events by people who answered", n)
		}
	})
}

// One person sending their answer 30 times at once through two app
// instances (on Postgres) keeps exactly one answer: one of those sent.
func TestFeedbackFromTwoInstancesKeepsOneAnswer(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			w := newFeedbackWorld(t, apps[0])
			var clients []*client
			for _, ta := range apps {
				ta.App.Now = func() time.Time { return w.answering }
				clients = append(clients, w.signIn(t, ta, w.respondents[0]))
			}
			path := w.base + "/sessions/" + itoa(w.keynote.ID) + "/feedback"
			codes := make([]int, 30)
			fire(30, func(i int) {
				res := clients[i%len(clients)].post(path, url.Values{"useful": {itoa(uint(1 + i%5))}, "recommend": {"3"}, "comment": {"try " + itoa(uint(i))}})
				codes[i] = res.Code
			})
			for i, c := range codes {
				if c != http.StatusSeeOther {
					t.Errorf("answer %d: %d", i, c)
				}
			}
			var rows []models.Feedback
			if err := apps[0].DB.Find(&rows).Error; err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1 || !strings.HasPrefix(rows[0].Comment, "try ") || rows[0].PersonID != w.respondents[0].ID {
				t.Fatalf("30 answers from one person on %d instances stored %+v", len(apps), rows)
			}
		})
	}
}
