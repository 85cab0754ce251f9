package app_test

import (
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/app"
	"summit/models"
	"summit/models/modelstest"
)

// regWorld is a published summit (6–7 May 2030, Warsaw) whose registration
// window is open now, with a few sessions.
type regWorld struct {
	summit   *models.Summit
	base     string // /summits/N
	training *models.Session
	keynote  *models.Session
}

func newRegWorld(t *testing.T, db *gorm.DB, capacity int) *regWorld {
	t.Helper()
	s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2030", StartDate: "2030-05-06", EndDate: "2030-05-07", TimeZone: "Europe/Warsaw"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), s.ID, models.StatusPublished); err != nil {
		t.Fatal(err)
	}
	yesterday := time.Now().In(s.Location()).AddDate(0, 0, -1).Format(models.DateLayout)
	if _, err := models.SetRegistrationWindow(ctx, db, models.ActorOf(nil, ""), s.ID, models.RegistrationWindowInput{
		OpensDay: yesterday, OpensTime: "09:00", ClosesDay: "2030-05-06", ClosesTime: "08:00"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	w := &regWorld{summit: s, base: "/summits/" + itoa(s.ID)}
	w.training = w.session(t, db, "Patience is a skill", "10:00", "11:00", capacity)
	w.keynote = w.session(t, db, "Everyone serves", "09:00", "09:45", 0)
	return w
}

func (w *regWorld) session(t *testing.T, db *gorm.DB, title, start, end string, capacity int) *models.Session {
	t.Helper()
	in := models.SessionInput{Title: title, Kind: models.KindKeynote, Day: "2030-05-06", StartTime: start, EndTime: end}
	if capacity > 0 {
		in.Kind, in.Capacity = models.KindTraining, fmt.Sprint(capacity)
	}
	res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), w.summit.ID, 0, in, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return res.Session
}

func (w *regWorld) sessionPath(s *models.Session) string { return w.base + "/sessions/" + itoa(s.ID) }

// fastUser is a person signed in without hashing a password: a login
// session made directly, its token sent as the cookie.
type fastUser struct {
	ID    uint
	Token string
}

// makeUsers inserts n staff people and signs each in.
func makeUsers(t *testing.T, db *gorm.DB, n int, prefix string) []fastUser {
	t.Helper()
	people := make([]models.Person, n)
	for i := range people {
		people[i] = models.Person{Name: fmt.Sprintf("%s %03d", prefix, i), Email: fmt.Sprintf("%s%03d@example.com", strings.ToLower(prefix), i),
			Department: "Customer Support", Role: models.RoleStaff, Active: true}
	}
	if err := db.CreateInBatches(&people, 200).Error; err != nil {
		t.Fatal(err)
	}
	out := make([]fastUser, n)
	err := db.Transaction(func(tx *gorm.DB) error {
		for i, p := range people {
			tok, err := models.StartLoginSession(ctx, tx, p.ID, "127.0.0.1", "load test")
			if err != nil {
				return err
			}
			out[i] = fastUser{ID: p.ID, Token: tok}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const loadCSRF = "load-test-csrf-token-0123456789abcdef"

var loadClient = &http.Client{
	Transport:     &http.Transport{MaxIdleConns: 600, MaxIdleConnsPerHost: 300},
	Timeout:       60 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// postAs submits a form as a fast user (CSRF token in cookie and form).
func postAs(ta *testApp, u fastUser, path string, form url.Values) (int, string, error) {
	if form == nil {
		form = url.Values{}
	}
	form.Set("_csrf", loadCSRF)
	req, err := http.NewRequest(http.MethodPost, ta.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "summit_session", Value: u.Token})
	req.AddCookie(&http.Cookie{Name: "summit_csrf", Value: loadCSRF})
	res, err := loadClient.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), nil
}

// sessionState reads a session's registrations in one consistent snapshot and
// returns a description of any broken rule ("" when all hold).
func sessionState(db *gorm.DB, sessionID uint) (confirmed, waiting int, problem string) {
	opts := &sql.TxOptions{}
	if models.IsPostgres(db) {
		opts.Isolation = sql.LevelRepeatableRead
	}
	err := db.Transaction(func(tx *gorm.DB) error {
		var s models.Session
		if err := tx.First(&s, sessionID).Error; err != nil {
			return err
		}
		var regs []models.Registration
		if err := tx.Where("session_id = ? AND status IN ?", sessionID, []models.RegStatus{models.RegConfirmed, models.RegWaitlisted}).Order("position, id").Find(&regs).Error; err != nil {
			return err
		}
		seen := map[uint]bool{}
		for _, r := range regs {
			if seen[r.PersonID] {
				problem = fmt.Sprintf("person %d holds two active registrations", r.PersonID)
			}
			seen[r.PersonID] = true
			if r.Status == models.RegConfirmed {
				confirmed++
				continue
			}
			waiting++
			if r.Position != waiting {
				problem = fmt.Sprintf("waitlist place %d holds position %d: positions must be 1…N without gaps", waiting, r.Position)
			}
		}
		switch {
		case s.SeatsTaken != confirmed:
			problem = fmt.Sprintf("seats_taken %d but %d confirmed", s.SeatsTaken, confirmed)
		case confirmed > *s.Capacity:
			problem = fmt.Sprintf("%d confirmed in %d seats", confirmed, *s.Capacity)
		case waiting > 0 && confirmed < *s.Capacity:
			problem = fmt.Sprintf("a seat is empty (%d of %d) while %d wait", confirmed, *s.Capacity, waiting)
		}
		return nil
	}, opts)
	if err != nil {
		problem = "read state: " + err.Error()
	}
	return confirmed, waiting, problem
}

func TestRegisterWaitlistPromotionOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newRegWorld(t, ta.DB, 1)
		clash := w.session(t, ta.DB, "Damage control", "10:30", "11:30", 5)
		ana, pAna := ta.signedIn(t, models.RoleStaff)
		ben, pBen := ta.signedIn(t, models.RoleStaff)
		path := w.sessionPath(w.training)

		page := ana.get(path)
		if !strings.Contains(text(page.Body), "1 of 1 seats left") || !strings.Contains(page.Body, ">Register</button>") {
			t.Fatalf("session page before registering: %s", text(page.Body))
		}
		r := ana.post(path+"/register", nil)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("register: %d %s", r.Code, text(r.Body))
		}
		page = ana.get(path)
		if body := text(page.Body); !strings.Contains(body, "Your seat in “Patience is a skill” is confirmed") || !strings.Contains(body, "Your seat is confirmed") {
			t.Fatalf("after registering: %s", body)
		}
		// Full: the agenda (grid and list) says so, and Ben joins the waitlist.
		agenda := ben.get(w.base + "?day=2030-05-06")
		if n := strings.Count(agenda.Body, "Full — join the waitlist"); n != 2 {
			t.Fatalf("agenda shows “Full — join the waitlist” %d times, want 2 (grid and list)", n)
		}
		if !strings.Contains(agenda.Body, "5 of 5 seats left") {
			t.Fatal("agenda does not show seats left of an empty session")
		}
		r = ben.post(path+"/register", nil)
		if r.Code != http.StatusSeeOther {
			t.Fatalf("waitlist: %d %s", r.Code, text(r.Body))
		}
		if body := text(ben.get(path).Body); !strings.Contains(body, "you are on the waitlist: you are 1st in line") {
			t.Fatalf("waitlisted page: %s", body)
		}
		// Refusals: already registered, no registration needed, a clash naming the other session.
		r = ben.post(path+"/register", nil)
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "already on the waitlist") {
			t.Fatalf("twice: %d %s", r.Code, text(r.Body))
		}
		r = ben.post(w.sessionPath(w.keynote)+"/register", nil)
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "needs no registration") {
			t.Fatalf("keynote: %d %s", r.Code, text(r.Body))
		}
		r = ben.post(w.sessionPath(clash)+"/register", nil)
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "You already hold a waitlist place in “Patience is a skill”") {
			t.Fatalf("clash: %d %s", r.Code, text(r.Body))
		}
		// Ana cancels; Ben is promoted in the same transaction and sees it on his agenda.
		if r := ana.post(path+"/cancel", nil); r.Code != http.StatusSeeOther {
			t.Fatalf("cancel: %d %s", r.Code, text(r.Body))
		}
		my := text(ben.get("/my/agenda").Body)
		if !strings.Contains(my, "Seat confirmed") || !strings.Contains(my, "Patience is a skill") || !strings.Contains(my, "Everyone serves") {
			t.Fatalf("Ben's agenda: %s", my)
		}
		if strings.Index(my, "Everyone serves") > strings.Index(my, "Patience is a skill") {
			t.Fatal("my agenda is not in time order")
		}
		if my := text(ana.get("/my/agenda").Body); strings.Contains(my, "Patience is a skill") {
			t.Fatalf("Ana still sees the session she cancelled: %s", my)
		}
		if reg, _ := models.MyRegistration(ctx, ta.DB, w.training.ID, pBen.ID); reg == nil || reg.Status != models.RegConfirmed {
			t.Fatalf("Ben's registration %+v", reg)
		}
		if reg, _ := models.MyRegistration(ctx, ta.DB, w.training.ID, pAna.ID); reg != nil {
			t.Fatalf("Ana still registered: %+v", reg)
		}
		if page := text(ana.get("/my/agenda").Body); !strings.Contains(page, "My agenda") {
			t.Fatal("nav/my agenda missing")
		}
	})
}

func TestRegistrationBadInputChangesNothing(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newRegWorld(t, ta.DB, 2)
		other, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Other", StartDate: "2031-05-06", EndDate: "2031-05-06", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), other.ID, models.StatusPublished)
		staff, me := ta.signedIn(t, models.RoleStaff)
		victim := ta.addPerson(t, "Victim", "victim@example.com", models.RoleStaff)
		path := w.sessionPath(w.training)

		for _, p := range []string{w.base + "/sessions/999999/register", "/summits/" + itoa(other.ID) + "/sessions/" + itoa(w.training.ID) + "/register",
			w.base + "/sessions/abc/register", "/summits/999/sessions/" + itoa(w.training.ID) + "/register"} {
			if r := staff.post(p, nil); r.Code != http.StatusNotFound {
				t.Fatalf("%s: %d", p, r.Code)
			}
		}
		// Tampered fields: someone else's id and a waitlist position are ignored.
		r := staff.post(path+"/register", url.Values{"person_id": {itoa(victim.ID)}, "position": {"1"}, "status": {"confirmed"}})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("register: %d", r.Code)
		}
		if reg, _ := models.MyRegistration(ctx, ta.DB, w.training.ID, victim.ID); reg != nil {
			t.Fatal("a tampered person_id registered someone else")
		}
		if reg, _ := models.MyRegistration(ctx, ta.DB, w.training.ID, me.ID); reg == nil {
			t.Fatal("the signed-in person was not registered")
		}
		if r := staff.post(path+"/cancel", url.Values{"person_id": {itoa(victim.ID)}}); r.Code != http.StatusSeeOther {
			t.Fatalf("cancel: %d", r.Code)
		}
		if r := staff.post(path+"/cancel", nil); r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "nothing to cancel") {
			t.Fatalf("cancel twice: %d %s", r.Code, text(r.Body))
		}
		// Visitors must sign in; staff may not use organiser actions.
		if r := ta.client(t).post(path+"/register", nil); r.Code != http.StatusUnauthorized {
			t.Fatalf("visitor register: %d", r.Code)
		}
		victimReg, err := models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, victim.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		org := "/organise/summits/" + itoa(w.summit.ID) + "/sessions/" + itoa(w.training.ID)
		if r := staff.post(org+"/registrations/"+itoa(victimReg.ID)+"/remove", nil); r.Code != http.StatusForbidden {
			t.Fatalf("staff remove: %d", r.Code)
		}
		if r := staff.get(org + "/roster"); r.Code != http.StatusForbidden {
			t.Fatalf("staff roster: %d", r.Code)
		}
		// An organiser's registration id through another session, or another summit, is not found.
		orgC, _ := ta.signedIn(t, models.RoleOrganiser)
		second := w.session(t, ta.DB, "Other training", "14:00", "15:00", 3)
		for _, p := range []string{
			"/organise/summits/" + itoa(w.summit.ID) + "/sessions/" + itoa(second.ID) + "/registrations/" + itoa(victimReg.ID) + "/remove",
			"/organise/summits/" + itoa(other.ID) + "/sessions/" + itoa(w.training.ID) + "/registrations/" + itoa(victimReg.ID) + "/remove",
			org + "/registrations/999999/attend",
		} {
			if r := orgC.post(p, nil); r.Code != http.StatusNotFound {
				t.Fatalf("%s: %d", p, r.Code)
			}
		}
		if reg, _ := models.MyRegistration(ctx, ta.DB, w.training.ID, victim.ID); reg == nil || reg.Status != models.RegConfirmed {
			t.Fatal("a refused request changed the victim's registration")
		}
		if _, _, problem := sessionState(ta.DB, w.training.ID); problem != "" {
			t.Fatal(problem)
		}
	})
}

func TestOrganiserRosterCSVCheckinAndWindow(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newRegWorld(t, ta.DB, 2)
		orgC, _ := ta.signedIn(t, models.RoleOrganiser)
		sb := "/organise/summits/" + itoa(w.summit.ID)
		// The window form takes local times and refuses nonsense, keeping the input.
		r := orgC.post(sb+"/registration", url.Values{"opens_day": {"2030-04-01"}, "opens_time": {"25:00"}, "closes_day": {"2030-05-06"}, "closes_time": {"08:00"}})
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "written like 09:30") || !strings.Contains(r.Body, `value="25:00"`) {
			t.Fatalf("bad window: %d %s", r.Code, text(r.Body))
		}
		yesterday := time.Now().In(w.summit.Location()).AddDate(0, 0, -1).Format(models.DateLayout)
		r = orgC.post(sb+"/registration", url.Values{"opens_day": {yesterday}, "opens_time": {"10:00"}, "closes_day": {"2030-05-06"}, "closes_time": {"08:30"}})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("window: %d %s", r.Code, text(r.Body))
		}
		win, _ := models.GetRegistrationWindow(ctx, ta.DB, w.summit.ID)
		if !win.ClosesAt.Equal(time.Date(2030, 5, 6, 6, 30, 0, 0, time.UTC)) {
			t.Fatalf("closes at %v, want 08:30 Warsaw = 06:30 UTC", win.ClosesAt)
		}

		names := []string{"=HYPERLINK(\"x\")", "Zoë Ølberg", "Kwame Mensah", "Grace Kim"}
		var regs []*models.Registration
		for i, n := range names {
			p := ta.addPerson(t, n, fmt.Sprintf("roster%d@example.com", i), models.RoleStaff)
			reg, err := models.Register(ctx, ta.DB, w.summit.ID, w.training.ID, p.ID, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			regs = append(regs, reg)
		}
		roster := orgC.get(sb + "/sessions/" + itoa(w.training.ID) + "/roster")
		body := text(roster.Body)
		if roster.Code != 200 || !strings.Contains(body, "2 of 2 seats taken") || strings.Index(body, "Zoë Ølberg") > strings.Index(body, "Kwame Mensah") ||
			strings.Index(body, "Waitlist") > strings.Index(body, "Kwame Mensah") {
			t.Fatalf("roster: %d %s", roster.Code, body)
		}
		csvRes := orgC.get(sb + "/sessions/" + itoa(w.training.ID) + "/roster.csv")
		if !strings.HasPrefix(csvRes.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv type %q", csvRes.Header.Get("Content-Type"))
		}
		rows, err := csv.NewReader(strings.NewReader(csvRes.Body)).ReadAll()
		if err != nil || len(rows) != 5 {
			t.Fatalf("csv %v %v", rows, err)
		}
		if rows[1][2] != "'=HYPERLINK(\"x\")" || rows[3][0] != "waitlisted" || rows[3][1] != "1" || rows[4][1] != "2" {
			t.Fatalf("csv rows %v", rows)
		}
		// Lowering the capacity below the confirmed count is refused with a message.
		edit := orgC.post(sb+"/sessions/"+itoa(w.training.ID)+"/edit", url.Values{"title": {"Patience is a skill"}, "kind": {"training"}, "day": {"2030-05-06"},
			"start_time": {"10:00"}, "end_time": {"11:00"}, "capacity": {"1"}})
		if edit.Code != http.StatusUnprocessableEntity || !strings.Contains(text(edit.Body), "cannot go below 2") {
			t.Fatalf("lower capacity: %d %s", edit.Code, text(edit.Body))
		}
		// Promote Grace (2nd in line) by hand: a seat is added, Kwame stays 1st in line.
		p := orgC.post(sb+"/sessions/"+itoa(w.training.ID)+"/registrations/"+itoa(regs[3].ID)+"/promote", url.Values{"position": {"1"}})
		if p.Code != http.StatusSeeOther {
			t.Fatalf("promote: %d %s", p.Code, text(p.Body))
		}
		conf, wait, problem := sessionState(ta.DB, w.training.ID)
		if problem != "" || conf != 3 || wait != 1 {
			t.Fatalf("after promote: %d %d %s", conf, wait, problem)
		}
		again := orgC.post(sb+"/sessions/"+itoa(w.training.ID)+"/registrations/"+itoa(regs[3].ID)+"/promote", nil)
		if again.Code != http.StatusUnprocessableEntity || !strings.Contains(text(again.Body), "not on the waitlist") {
			t.Fatalf("promote twice: %d %s", again.Code, text(again.Body))
		}
		// Remove Zoë: Kwame gets her seat.
		if r := orgC.post(sb+"/sessions/"+itoa(w.training.ID)+"/registrations/"+itoa(regs[1].ID)+"/remove", nil); r.Code != http.StatusSeeOther {
			t.Fatalf("remove: %d", r.Code)
		}
		if _, wait, _ := sessionState(ta.DB, w.training.ID); wait != 0 {
			t.Fatalf("%d still waiting after a removal", wait)
		}
		// The door: search, check in, see it on the overview.
		door := orgC.get(sb + "/sessions/" + itoa(w.training.ID) + "/checkin?q=kwa")
		if body := text(door.Body); !strings.Contains(body, "Kwame Mensah") || strings.Contains(body, "Grace Kim") {
			t.Fatalf("search: %s", body)
		}
		kwame := regs[2]
		if r := orgC.post(sb+"/sessions/"+itoa(w.training.ID)+"/registrations/"+itoa(kwame.ID)+"/attend", url.Values{"q": {"kwa"}}); r.Code != http.StatusSeeOther || !strings.Contains(r.Location, "q=kwa") {
			t.Fatalf("attend: %d %s", r.Code, r.Location)
		}
		if body := text(orgC.get(sb + "/sessions/" + itoa(w.training.ID) + "/checkin?q=kwa").Body); !strings.Contains(body, "Kwame Mensah is checked in") || !strings.Contains(body, "In at") {
			t.Fatalf("after check-in: %s", body)
		}
		over := orgC.get(sb + "/training")
		if over.Code != 200 || !strings.Contains(over.Body, `class="bar full"`) || !strings.Contains(text(over.Body), "3 / 3") {
			t.Fatalf("overview: %d %s", over.Code, text(over.Body))
		}
		ev, _ := models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "registration."})
		if len(ev) != 3 {
			t.Fatalf("%d audit events for promote, remove, attend", len(ev))
		}
		if dash := orgC.get(sb); !strings.Contains(dash.Body, sb+"/training") {
			t.Fatal("dashboard does not link the training overview")
		}
	})
}

// loadApps returns the instances a load test spreads its requests over: on
// Postgres two, each with its own connection pool as two processes would
// have; on SQLite one.
func loadApps(t *testing.T, dialect string) []*testApp {
	t.Helper()
	return loadAppsCfg(t, dialect, app.Config{})
}

// loadAppsCfg is loadApps with a configuration (trusted proxies, say) for
// every instance.
func loadAppsCfg(t *testing.T, dialect string, cfg app.Config) []*testApp {
	t.Helper()
	if dialect != "postgres" {
		return []*testApp{newTestAppCfg(t, modelstest.Open(t, dialect), cfg)}
	}
	dbURL := modelstest.NewPostgresURL(t)
	var apps []*testApp
	for i := 0; i < 2; i++ {
		db, err := models.Open(dbURL, "")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if s, err := db.DB(); err == nil {
				s.Close()
			}
		})
		apps = append(apps, newTestAppCfg(t, db, cfg))
	}
	return apps
}

// fire runs fn for every i in [0, n) at once, after a common start signal.
func fire(n int, fn func(i int)) { modelstest.Together(n, fn) }

func TestFiveHundredConcurrentRegistrations(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			db := apps[0].DB
			w := newRegWorld(t, db, 30)
			const n = 500
			users := makeUsers(t, db, n, "Load")
			path := w.sessionPath(w.training) + "/register"
			codes := make([]int, n)
			errs := make([]string, n)
			began := time.Now()
			fire(n, func(i int) {
				code, body, err := postAs(apps[i%len(apps)], users[i], path, nil)
				codes[i] = code
				if err != nil {
					errs[i] = err.Error()
				} else if code != http.StatusSeeOther {
					errs[i] = text(body)
				}
			})
			t.Logf("%d registrations over %d instance(s) in %v", n, len(apps), time.Since(began))
			for i := range codes {
				if codes[i] != http.StatusSeeOther {
					t.Fatalf("request %d: %d %s", i, codes[i], errs[i])
				}
			}
			conf, wait, problem := sessionState(db, w.training.ID)
			if problem != "" {
				t.Fatal(problem)
			}
			if conf != 30 || wait != n-30 {
				t.Fatalf("%d confirmed and %d waiting, want 30 and %d", conf, wait, n-30)
			}
			var rows int64
			db.Model(&models.Registration{}).Where("session_id = ?", w.training.ID).Count(&rows)
			if rows != n {
				t.Fatalf("%d registration rows for %d people", rows, n)
			}
		})
	}
}

func TestDoubleClickGivesOneRegistration(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			db := apps[0].DB
			w := newRegWorld(t, db, 30)
			u := makeUsers(t, db, 1, "Clicker")[0]
			path := w.sessionPath(w.training) + "/register"
			codes := make([]int, 10)
			bodies := make([]string, 10)
			fire(10, func(i int) {
				codes[i], bodies[i], _ = postAs(apps[i%len(apps)], u, path, nil)
			})
			ok := 0
			for i, c := range codes {
				switch {
				case c == http.StatusSeeOther:
					ok++
				case c == http.StatusUnprocessableEntity && strings.Contains(text(bodies[i]), "already registered"):
				default:
					t.Fatalf("click %d: %d %s", i, c, text(bodies[i]))
				}
			}
			var rows int64
			db.Model(&models.Registration{}).Where("person_id = ?", u.ID).Count(&rows)
			if ok != 1 || rows != 1 {
				t.Fatalf("%d successful clicks, %d rows; want 1 and 1", ok, rows)
			}
		})
	}
}

func TestCancellationsRaceRegistrations(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			db := apps[0].DB
			w := newRegWorld(t, db, 30)
			early := makeUsers(t, db, 50, "Early")
			for _, u := range early { // 30 seats taken, 20 waiting
				if _, err := models.Register(ctx, db, w.summit.ID, w.training.ID, u.ID, time.Now()); err != nil {
					t.Fatal(err)
				}
			}
			late := makeUsers(t, db, 40, "Late")
			sp := w.sessionPath(w.training)
			type job struct {
				u    fastUser
				path string
			}
			var jobs []job
			for i := 0; i < 15; i++ { // confirmed people cancel
				jobs = append(jobs, job{early[i*2], sp + "/cancel"})
			}
			for i := 0; i < 10; i++ { // waiting people leave the line
				jobs = append(jobs, job{early[30+i*2], sp + "/cancel"})
			}
			for _, u := range late {
				jobs = append(jobs, job{u, sp + "/register"})
			}
			stop := make(chan struct{})
			var watchErr string
			var watched int
			var watch sync.WaitGroup
			watch.Add(1)
			go func() { // reads consistent snapshots while the race runs
				defer watch.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					if _, _, p := sessionState(db, w.training.ID); p != "" && watchErr == "" {
						watchErr = p
					}
					watched++
				}
			}()
			codes := make([]int, len(jobs))
			bodies := make([]string, len(jobs))
			fire(len(jobs), func(i int) {
				codes[i], bodies[i], _ = postAs(apps[i%len(apps)], jobs[i].u, jobs[i].path, nil)
			})
			close(stop)
			watch.Wait()
			for i, c := range codes {
				if c != http.StatusSeeOther {
					t.Fatalf("%s: %d %s", jobs[i].path, c, text(bodies[i]))
				}
			}
			if watchErr != "" {
				t.Fatalf("during the race (%d snapshots): %s", watched, watchErr)
			}
			conf, wait, problem := sessionState(db, w.training.ID)
			if problem != "" {
				t.Fatal(problem)
			}
			if want := 50 - 25 + 40; conf != 30 || conf+wait != want {
				t.Fatalf("%d confirmed, %d waiting; want 30 and %d", conf, wait, want-30)
			}
			t.Logf("%d snapshots checked during the race", watched)
		})
	}
}

func TestRegistrationWindowAndStatusExplainWhy(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newRegWorld(t, ta.DB, 5)
		if _, err := models.SetRegistrationWindow(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, models.RegistrationWindowInput{
			OpensDay: "2030-04-01", OpensTime: "09:00", ClosesDay: "2030-05-06", ClosesTime: "08:00"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		staff, _ := ta.signedIn(t, models.RoleStaff)
		path := w.sessionPath(w.training)
		page := staff.get(path)
		if body := text(page.Body); !strings.Contains(body, "Registration opens on Mon 1 Apr 2030 at 09:00 (Europe/Warsaw)") || strings.Contains(page.Body, ">Register</button>") {
			t.Fatalf("window not open yet: %s", body)
		}
		r := staff.post(path+"/register", nil)
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "Registration opens on Mon 1 Apr 2030") {
			t.Fatalf("register before the window: %d %s", r.Code, text(r.Body))
		}
		models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), w.summit.ID, models.StatusDraft)
		orgC, _ := ta.signedIn(t, models.RoleOrganiser)
		r = orgC.post(path+"/register", nil)
		if r.Code != http.StatusUnprocessableEntity || !strings.Contains(text(r.Body), "once the summit is published") {
			t.Fatalf("register in a draft: %d %s", r.Code, text(r.Body))
		}
		if r := staff.post(path+"/register", nil); r.Code != http.StatusNotFound {
			t.Fatalf("staff register in a draft they cannot see: %d", r.Code)
		}
		var n int64
		ta.DB.Model(&models.Registration{}).Count(&n)
		if n != 0 {
			t.Fatalf("%d registrations after refusals", n)
		}
	})
}
