package app

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// RegistrationBox is what the session page shows about registering: seats
// left, the signed-in person's seat or place in line, and what they can do.
type RegistrationBox struct {
	SummitID   uint
	Session    *models.Session
	Waiting    int
	Mine       *models.Registration
	Open       bool   // the window is open and the summit published
	WindowText string // why registration is (not) open
	Started    bool
	Error      string // a refused registration or cancellation
}

// registrationBox builds the session page's registration box; nil when the
// session needs no registration.
func (a *App) registrationBox(c echo.Context, s *models.Summit, sess *models.Session) (*RegistrationBox, error) {
	if sess.Capacity == nil {
		return nil, nil
	}
	ctx := c.Request().Context()
	now := a.Now()
	b := &RegistrationBox{SummitID: s.ID, Session: sess, Started: !now.Before(sess.StartsAt)}
	var err error
	if b.Waiting, err = models.WaitlistLength(ctx, a.DB, sess.ID); err != nil {
		return nil, err
	}
	if me := currentPerson(c); me != nil {
		if b.Mine, err = models.MyRegistration(ctx, a.DB, sess.ID, me.ID); err != nil {
			return nil, err
		}
	}
	w, err := models.GetRegistrationWindow(ctx, a.DB, s.ID)
	if err != nil {
		return nil, err
	}
	switch {
	case models.SummitRegistrationRefusal(s) != "":
		b.WindowText = models.SummitRegistrationRefusal(s)
	case b.Started:
		b.WindowText = "This session has started; registration is closed."
	default:
		b.WindowText = w.Describe(now, s.Location())
		b.Open = w.State(now) == models.WindowOpen
	}
	return b, nil
}

// renderSessionRefused shows the session page again with a refusal message
// in its registration box (422), so the person sees why and nothing changed.
func (a *App) renderSessionRefused(c echo.Context, s *models.Summit, sessionID uint, msg string) error {
	sess, err := models.GetSession(c.Request().Context(), a.DB, s.ID, sessionID)
	if err != nil {
		return err
	}
	box, err := a.registrationBox(c, s, sess)
	if err != nil {
		return err
	}
	if box == nil {
		box = &RegistrationBox{SummitID: s.ID, Session: sess}
	}
	box.Error = msg
	p := a.page(c, sess.Title)
	p.Summit = s
	p.Data = SessionView{Summit: s, Loc: s.Location(), Session: sess, Day: sess.StartsAt.In(s.Location()).Format(models.DateLayout), Reg: box}
	return a.render(c, http.StatusUnprocessableEntity, "session", p)
}

func sessionURL(summitID, sessionID uint) string {
	return "/summits/" + itoa(summitID) + "/sessions/" + itoa(sessionID)
}

// backTo is where a registration form asked to return to: the session page
// unless it named My agenda.
func backTo(c echo.Context, summitID, sessionID uint) string {
	if c.FormValue("back") == "agenda" {
		return "/my/agenda?summit=" + itoa(summitID)
	}
	return sessionURL(summitID, sessionID) + "#registration"
}

// RegistrationCreate registers the signed-in person for a session: a seat if
// one is left, else a place at the end of the waitlist. Only the path names
// what to register for; any person or position in the form is ignored.
func (a *App) RegistrationCreate(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "session")
	if err != nil {
		return err
	}
	me := currentPerson(c)
	r, err := models.Register(c.Request().Context(), a.DB, s.ID, id, me.ID, a.Now())
	if err != nil {
		if msg := models.RefusalMessage(err); msg != "" {
			return a.renderSessionRefused(c, s, id, msg)
		}
		return err
	}
	title := r.Session.Title
	msg := "Your seat in “" + title + "” is confirmed. It is on your agenda."
	if r.Status == models.RegWaitlisted {
		msg = fmt.Sprintf("“%s” is full, so you are on the waitlist: you are %s. When someone cancels you move up automatically, and your agenda shows it.", title, r.PositionText())
	}
	return a.redirect(c, backTo(c, s.ID, id), msg)
}

// RegistrationCancel gives up the signed-in person's seat or waitlist place.
func (a *App) RegistrationCancel(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "session")
	if err != nil {
		return err
	}
	me := currentPerson(c)
	res, err := models.CancelRegistration(c.Request().Context(), a.DB, s.ID, id, me.ID, a.Now())
	if err != nil {
		if msg := models.RefusalMessage(err); msg != "" {
			return a.renderSessionRefused(c, s, id, msg)
		}
		return err
	}
	msg := "You left the waitlist of “" + sessionTitle(c, a, s.ID, id) + "”."
	if res.Was == models.RegConfirmed {
		msg = "Your seat is cancelled; thank you for freeing it."
		if len(res.Promoted) > 0 {
			msg += " The first person in line has it now."
		}
	}
	return a.redirect(c, backTo(c, s.ID, id), msg)
}

// AgendaDay is one day of a personal agenda.
type AgendaDay struct {
	Day     string
	Entries []models.AgendaEntry
}

// MyAgendaView is the data of the My agenda page.
type MyAgendaView struct {
	Summit *models.Summit
	Loc    *time.Location
	Days   []AgendaDay
	Seats  int
	Queued int
}

// MyAgenda shows the signed-in person's seats and waitlist places plus every
// session without registration, by day, in time order.
func (a *App) MyAgenda(c echo.Context) error {
	ctx := c.Request().Context()
	var s *models.Summit
	var err error
	if q := c.QueryParam("summit"); q != "" {
		s, err = a.summitByQuery(c, q)
	} else {
		s, err = models.CurrentSummit(ctx, a.DB, a.Now())
		if errors.Is(err, models.ErrNotFound) {
			p := a.page(c, "My agenda")
			p.Section = "my"
			return a.render(c, http.StatusOK, "registrations_my_agenda", p)
		}
	}
	if err != nil {
		return err
	}
	p := a.page(c, "My agenda")
	p.Section = "my"
	entries, err := models.PersonalAgenda(ctx, a.DB, s, currentPerson(c).ID)
	if err != nil {
		return err
	}
	v := MyAgendaView{Summit: s, Loc: s.Location()}
	for _, e := range entries {
		day := e.Session.StartsAt.In(v.Loc).Format(models.DateLayout)
		if len(v.Days) == 0 || v.Days[len(v.Days)-1].Day != day {
			v.Days = append(v.Days, AgendaDay{Day: day})
		}
		d := &v.Days[len(v.Days)-1]
		d.Entries = append(d.Entries, e)
		switch e.Status {
		case models.RegConfirmed:
			v.Seats++
		case models.RegWaitlisted:
			v.Queued++
		}
	}
	p.Summit = s
	p.Data = v
	return a.render(c, http.StatusOK, "registrations_my_agenda", p)
}

// summitByQuery loads a summit named in a query string if the person may see it.
func (a *App) summitByQuery(c echo.Context, q string) (*models.Summit, error) {
	n, err := strconv.ParseUint(q, 10, 32)
	if err != nil || n == 0 {
		return nil, models.ErrNotFound
	}
	s, err := models.GetSummit(c.Request().Context(), a.DB, uint(n))
	if err != nil {
		return nil, err
	}
	if !s.IsPublic() && !currentPerson(c).IsOrganiser() {
		return nil, models.ErrNotFound
	}
	return s, nil
}

func sessionTitle(c echo.Context, a *App, summitID, sessionID uint) string {
	if s, err := models.GetSession(c.Request().Context(), a.DB, summitID, sessionID); err == nil {
		return s.Title
	}
	return "the session"
}

// --- Organisers ---

func windowForm(s *models.Summit) *FormView {
	return &FormView{
		Heading: "Registration window · " + s.Title,
		Intro:   "Sessions with a seat capacity take registrations between these moments. Days and times are in the summit's time zone, " + s.TimeZone + ". Leave all four empty to close registration.",
		Action:  "/organise/summits/" + itoa(s.ID) + "/registration", Submit: "Save window", Cancel: "/organise/summits/" + itoa(s.ID) + "/training",
		Fields: []Field{
			{Name: "opens_day", Label: "Opens on", Type: "date"},
			{Name: "opens_time", Label: "Opens at", Type: "time"},
			{Name: "closes_day", Label: "Closes on", Type: "date", Help: "At the latest the summit's last day."},
			{Name: "closes_time", Label: "Closes at", Type: "time"},
		},
	}
}

// RegistrationWindowEdit shows the form for a summit's registration window.
func (a *App) RegistrationWindowEdit(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	w, err := models.GetRegistrationWindow(c.Request().Context(), a.DB, s.ID)
	if err != nil {
		return err
	}
	fv := windowForm(s)
	vals := map[string]string{}
	loc := s.Location()
	if w.OpensAt != nil && w.ClosesAt != nil {
		vals = map[string]string{"opens_day": w.OpensAt.In(loc).Format(models.DateLayout), "opens_time": w.OpensAt.In(loc).Format("15:04"),
			"closes_day": w.ClosesAt.In(loc).Format(models.DateLayout), "closes_time": w.ClosesAt.In(loc).Format("15:04")}
	}
	fv.fill(vals, nil, nil)
	fv.Warnings = append(fv.Warnings, w.Describe(a.Now(), loc))
	return a.renderForm(c, fv, nil)
}

// RegistrationWindowUpdate saves a summit's registration window.
func (a *App) RegistrationWindowUpdate(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	in := models.RegistrationWindowInput{OpensDay: c.FormValue("opens_day"), OpensTime: c.FormValue("opens_time"),
		ClosesDay: c.FormValue("closes_day"), ClosesTime: c.FormValue("closes_time")}
	w, err := models.SetRegistrationWindow(c.Request().Context(), a.DB, models.ActorOf(currentPerson(c), c.RealIP()), s.ID, in)
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return err
		}
		return a.renderForm(c, windowForm(s), err)
	}
	return a.redirect(c, "/organise/summits/"+itoa(s.ID)+"/training", "Registration window saved. "+w.Describe(a.Now(), s.Location()))
}

// TrainingView is the organiser's overview of all training sessions.
type TrainingView struct {
	Summit     *models.Summit
	Loc        *time.Location
	Loads      []models.SessionLoad
	WindowText string
	Seats      int
	Taken      int
	Waiting    int
}

// TrainingOverview shows every session that takes registrations with a
// capacity bar, the waitlist and check-ins.
func (a *App) TrainingOverview(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	v := TrainingView{Summit: s, Loc: s.Location()}
	if v.Loads, err = models.TrainingOverview(ctx, a.DB, s); err != nil {
		return err
	}
	w, err := models.GetRegistrationWindow(ctx, a.DB, s.ID)
	if err != nil {
		return err
	}
	v.WindowText = w.Describe(a.Now(), v.Loc)
	for _, l := range v.Loads {
		v.Seats += *l.Session.Capacity
		v.Taken += l.Session.SeatsTaken
		v.Waiting += l.Waiting
	}
	p := a.page(c, "Training · "+s.Title)
	p.Section = "organise"
	p.Summit = s
	p.Data = v
	return a.render(c, http.StatusOK, "registrations_overview", p)
}

// RosterView is a session's roster page.
type RosterView struct {
	Summit *models.Summit
	Loc    *time.Location
	Roster *models.Roster
	Error  string
}

func (a *App) renderRoster(c echo.Context, s *models.Summit, sessionID uint, code int, msg string) error {
	r, err := models.GetRoster(c.Request().Context(), a.DB, s.ID, sessionID)
	if err != nil {
		return err
	}
	p := a.page(c, "Roster · "+r.Session.Title)
	p.Section = "organise"
	p.Summit = s
	p.Data = RosterView{Summit: s, Loc: s.Location(), Roster: r, Error: msg}
	return a.render(c, code, "registrations_roster", p)
}

// RosterShow lists a session's confirmed people, then its waitlist in order.
func (a *App) RosterShow(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "session")
	if err != nil {
		return err
	}
	return a.renderRoster(c, s, id, http.StatusOK, "")
}

// RosterCSV downloads a session's roster as CSV.
func (a *App) RosterCSV(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "session")
	if err != nil {
		return err
	}
	r, err := models.GetRoster(c.Request().Context(), a.DB, s.ID, id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(models.RosterCSV(r, s.Location())); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="roster-%d-session-%d.csv"`, s.Year, r.Session.ID))
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// orgRegistrationIDs parses the summit, session and registration of an
// organiser's action on one registration.
func (a *App) orgRegistrationIDs(c echo.Context) (*models.Summit, uint, uint, error) {
	s, err := a.orgSummit(c)
	if err != nil {
		return nil, 0, 0, err
	}
	sid, err := idParam(c, "session")
	if err != nil {
		return nil, 0, 0, err
	}
	rid, err := idParam(c, "registration")
	if err != nil {
		return nil, 0, 0, err
	}
	return s, sid, rid, nil
}

// RegistrationPromote gives a waitlisted person a seat by hand (audited).
func (a *App) RegistrationPromote(c echo.Context) error {
	s, sid, rid, err := a.orgRegistrationIDs(c)
	if err != nil {
		return err
	}
	res, err := models.PromoteRegistration(c.Request().Context(), a.DB, models.ActorOf(currentPerson(c), c.RealIP()), s.ID, sid, rid, a.Now())
	if err != nil {
		if msg := models.RefusalMessage(err); msg != "" {
			return a.renderRoster(c, s, sid, http.StatusUnprocessableEntity, msg)
		}
		return err
	}
	msg := "Promoted: their seat is confirmed."
	if res.AddedSeat {
		msg = "Promoted: the session was full, so it now has one more seat."
	}
	return a.redirect(c, "/organise/summits/"+itoa(s.ID)+"/sessions/"+itoa(sid)+"/roster", msg)
}

// RegistrationRemove takes a person off a session by hand (audited).
func (a *App) RegistrationRemove(c echo.Context) error {
	s, sid, rid, err := a.orgRegistrationIDs(c)
	if err != nil {
		return err
	}
	res, err := models.RemoveRegistration(c.Request().Context(), a.DB, models.ActorOf(currentPerson(c), c.RealIP()), s.ID, sid, rid, a.Now())
	if err != nil {
		if msg := models.RefusalMessage(err); msg != "" {
			return a.renderRoster(c, s, sid, http.StatusUnprocessableEntity, msg)
		}
		return err
	}
	msg := "Removed from the session."
	if n := len(res.Promoted); n > 0 {
		msg += fmt.Sprintf(" %d promoted from the waitlist.", n)
	}
	return a.redirect(c, "/organise/summits/"+itoa(s.ID)+"/sessions/"+itoa(sid)+"/roster", msg)
}

// CheckinView is the door's check-in page.
type CheckinView struct {
	Summit   *models.Summit
	Loc      *time.Location
	Sessions []models.SessionLoad
	Roster   *models.Roster
	Query    string
	Hits     []models.Registration
	Error    string
}

// CheckinPick lets the person at the door choose the session.
func (a *App) CheckinPick(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	loads, err := models.TrainingOverview(c.Request().Context(), a.DB, s)
	if err != nil {
		return err
	}
	p := a.page(c, "Check-in · "+s.Title)
	p.Section = "organise"
	p.Summit = s
	p.Data = CheckinView{Summit: s, Loc: s.Location(), Sessions: loads}
	return a.render(c, http.StatusOK, "registrations_checkin", p)
}

func (a *App) renderCheckin(c echo.Context, s *models.Summit, sessionID uint, q string, code int, msg string) error {
	r, err := models.GetRoster(c.Request().Context(), a.DB, s.ID, sessionID)
	if err != nil {
		return err
	}
	v := CheckinView{Summit: s, Loc: s.Location(), Roster: r, Query: q, Hits: models.SearchRoster(r, q), Error: msg}
	p := a.page(c, "Check-in · "+r.Session.Title)
	p.Section = "organise"
	p.Summit = s
	p.Data = v
	return a.render(c, code, "registrations_checkin", p)
}

// CheckinShow is the door: search a name, mark people attended.
func (a *App) CheckinShow(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "session")
	if err != nil {
		return err
	}
	q := c.QueryParam("q")
	if len(q) > 100 {
		q = q[:100]
	}
	return a.renderCheckin(c, s, id, strings.ToValidUTF8(q, ""), http.StatusOK, "")
}

// CheckinMark marks a confirmed person attended (or undoes it), audited.
func (a *App) CheckinMark(c echo.Context) error {
	s, sid, rid, err := a.orgRegistrationIDs(c)
	if err != nil {
		return err
	}
	attended := c.FormValue("attended") != "0"
	q := strings.ToValidUTF8(c.FormValue("q"), "")
	if len(q) > 100 {
		q = q[:100]
	}
	r, err := models.MarkAttended(c.Request().Context(), a.DB, models.ActorOf(currentPerson(c), c.RealIP()), s.ID, sid, rid, attended, a.Now())
	if err != nil {
		if msg := models.RefusalMessage(err); msg != "" {
			return a.renderCheckin(c, s, sid, q, http.StatusUnprocessableEntity, msg)
		}
		return err
	}
	msg := r.Person.Name + " is checked in."
	if !attended {
		msg = "Check-in of " + r.Person.Name + " undone."
	}
	to := "/organise/summits/" + itoa(s.ID) + "/sessions/" + itoa(sid) + "/checkin"
	if q != "" {
		to += "?q=" + url.QueryEscape(q)
	}
	return a.redirect(c, to, msg)
}
