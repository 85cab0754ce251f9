package app

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// --- Organisers ---

func windowForm(s *models.Summit) *FormView {
	return &FormView{
		Heading: "Registration window · " + s.Title,
		Intro:   "Sessions with a seat capacity take registrations between these moments. Days and times are in the summit's time zone, " + s.TimeZone + ". Leave all four empty to close registration.",
		Action:  orgRegistrationURL(s.ID), Submit: "Save window", Cancel: orgTrainingURL(s.ID),
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
	w, err := models.SetRegistrationWindow(c.Request().Context(), a.DB, actor(c), s.ID, in, a.Now())
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return err
		}
		return a.renderForm(c, windowForm(s), err)
	}
	return a.redirect(c, orgTrainingURL(s.ID), "Registration window saved. "+w.Describe(a.Now(), s.Location()))
}

// TrainingView is the organiser's overview of all training sessions.
type TrainingView struct {
	SummitView
	Loads      []models.SessionLoad
	WindowText string
	Seats      int
	Taken      int
	Waiting    int
	WalkIns    int // people added at the door, apart from the seats
}

// TrainingOverview shows every session that takes registrations with a
// capacity bar, the waitlist and check-ins.
func (a *App) TrainingOverview(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	v := TrainingView{SummitView: summitView(s)}
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
		v.WalkIns += l.WalkIns
	}
	p := a.organisePage(c, s, "Training · "+s.Title)
	p.Data = v
	return a.render(c, http.StatusOK, "registrations_overview", p)
}

// RosterView is a session's roster page.
type RosterView struct {
	SummitView
	Roster *models.Roster
	Error  string
}

func (a *App) renderRoster(c echo.Context, s *models.Summit, sessionID uint, code int, msg string) error {
	r, err := models.GetRoster(c.Request().Context(), a.DB, s.ID, sessionID)
	if err != nil {
		return err
	}
	p := a.organisePage(c, s, "Roster · "+r.Session.Title)
	p.Data = RosterView{SummitView: summitView(s), Roster: r, Error: msg}
	return a.render(c, code, "registrations_roster", p)
}

// refusedOnRoster shows an organiser's refused move on the session's roster
// (422); any other error goes back as it is.
func (a *App) refusedOnRoster(c echo.Context, s *models.Summit, sessionID uint, err error) error {
	if msg := models.RefusalMessage(err); msg != "" {
		return a.renderRoster(c, s, sessionID, http.StatusUnprocessableEntity, msg)
	}
	return err
}

// RosterShow lists a session's confirmed people, then its waitlist in order.
func (a *App) RosterShow(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "session")
	if err != nil {
		return err
	}
	return a.renderRoster(c, s, id, http.StatusOK, "")
}

// RosterCSV downloads a session's roster as CSV.
func (a *App) RosterCSV(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "session")
	if err != nil {
		return err
	}
	r, err := models.GetRoster(c.Request().Context(), a.DB, s.ID, id)
	if err != nil {
		return err
	}
	return sendCSV(c, fmt.Sprintf("roster-%d-session-%d.csv", s.Year, r.Session.ID), models.RosterCSV(r, s.Location()))
}

// orgRegistrationIDs parses the summit, session and registration of an
// organiser's action on one registration.
func (a *App) orgRegistrationIDs(c echo.Context) (*models.Summit, uint, uint, error) {
	s, sid, err := a.orgSummitAndID(c, "session")
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
	res, err := models.PromoteRegistration(c.Request().Context(), a.DB, actor(c), s.ID, sid, rid, a.Now())
	if err != nil {
		return a.refusedOnRoster(c, s, sid, err)
	}
	msg := "Promoted: their seat is confirmed."
	if res.AddedSeat {
		msg = "Promoted: the session was full, so it now has one more seat."
	}
	return a.redirect(c, rosterURL(s.ID, sid), msg)
}

// RegistrationRemove takes a person off a session by hand (audited).
func (a *App) RegistrationRemove(c echo.Context) error {
	s, sid, rid, err := a.orgRegistrationIDs(c)
	if err != nil {
		return err
	}
	res, err := models.RemoveRegistration(c.Request().Context(), a.DB, actor(c), s.ID, sid, rid, a.Now())
	if err != nil {
		return a.refusedOnRoster(c, s, sid, err)
	}
	msg := "Removed from the session."
	if n := len(res.Promoted); n > 0 {
		msg += fmt.Sprintf(" %d promoted from the waitlist.", n)
	}
	return a.redirect(c, rosterURL(s.ID, sid), msg)
}

// CheckinView is the door's check-in page.
type CheckinView struct {
	SummitView
	Sessions []models.SessionLoad
	Roster   *models.Roster
	Query    string
	Hits     []models.Registration
	Error    string
	// Directory lists people matching the search who are on no list of the
	// session, to add as walk-ins.
	Directory []models.Person
	// Card and Said are the one row and the spoken message an htmx check-in
	// answers with (registrations_door.go).
	Card *models.Registration
	Said string
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
	p := a.organisePage(c, s, "Check-in · "+s.Title)
	p.Data = CheckinView{SummitView: summitView(s), Sessions: loads}
	return a.render(c, http.StatusOK, "registrations_checkin", p)
}

func (a *App) renderCheckin(c echo.Context, s *models.Summit, sessionID uint, q string, code int, msg string) error {
	r, err := models.GetRoster(c.Request().Context(), a.DB, s.ID, sessionID)
	if err != nil {
		return err
	}
	v := CheckinView{SummitView: summitView(s), Roster: r, Query: q, Hits: models.SearchRoster(r, q), Error: msg}
	if strings.TrimSpace(q) != "" {
		if v.Directory, err = models.WalkInCandidates(c.Request().Context(), a.DB, sessionID, q, maxWalkInCandidates); err != nil {
			return err
		}
	}
	p := a.organisePage(c, s, "Check-in · "+r.Session.Title)
	p.Data = v
	return a.render(c, code, "registrations_checkin", p)
}

// CheckinShow is the door: search a name, mark people attended.
func (a *App) CheckinShow(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "session")
	if err != nil {
		return err
	}
	return a.renderCheckin(c, s, id, checkinSearch(c.QueryParam("q")), http.StatusOK, "")
}

// maxCheckinSearch bounds the door's search text, in characters.
const maxCheckinSearch = 100

// checkinSearch cleans the door's search text: valid UTF-8, at most
// maxCheckinSearch characters (never cut inside one).
func checkinSearch(q string) string {
	q = strings.ToValidUTF8(q, "")
	if r := []rune(q); len(r) > maxCheckinSearch {
		q = string(r[:maxCheckinSearch])
	}
	return q
}

// checkinReturn is the door's address with the search kept as a proper
// query parameter. It is built here from the ids in the path and the cleaned
// search, never taken from the request, so it always points back to the door.
func checkinReturn(summitID, sessionID uint, q string) string {
	to := checkinURL(summitID, sessionID)
	if q != "" {
		to += "?" + url.Values{"q": {q}}.Encode()
	}
	return to
}

// CheckinMark marks a confirmed person attended (or undoes it, or takes a
// walk-in off the list), audited. Without JavaScript it returns to the door
// at the person's row (#reg-N), so the organiser keeps their place; from htmx
// it answers with just the row (registrations_door.go).
func (a *App) CheckinMark(c echo.Context) error {
	s, sid, rid, err := a.orgRegistrationIDs(c)
	if err != nil {
		return err
	}
	attended := c.FormValue("attended") != "0"
	q := checkinSearch(c.FormValue("q"))
	r, err := models.MarkAttended(c.Request().Context(), a.DB, actor(c), s.ID, sid, rid, attended, a.Now())
	if err != nil {
		if msg := models.RefusalMessage(err); msg != "" {
			if isHTMX(c) {
				return a.renderCheckinCard(c, s, sid, rid, nil, q, http.StatusUnprocessableEntity, msg, msg)
			}
			return a.renderCheckin(c, s, sid, q, http.StatusUnprocessableEntity, msg)
		}
		return err
	}
	msg := r.Person.Name + " is checked in."
	switch {
	case r.Status == models.RegCancelled:
		msg = "Walk-in of " + r.Person.Name + " undone: they are off the list."
	case !attended:
		msg = "Check-in of " + r.Person.Name + " undone."
	}
	if isHTMX(c) {
		return a.renderCheckinCard(c, s, sid, rid, r, q, http.StatusOK, "", msg)
	}
	return a.redirect(c, checkinReturn(s.ID, sid, q)+"#reg-"+itoa(r.ID), msg)
}
