package app

import (
	"errors"
	"fmt"
	"net/http"

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

// refusedOnSession shows a refused registration or cancellation on the
// session page (renderSessionRefused); any other error goes back as it is.
func (a *App) refusedOnSession(c echo.Context, s *models.Summit, sessionID uint, err error) error {
	if msg := models.RefusalMessage(err); msg != "" {
		return a.renderSessionRefused(c, s, sessionID, msg)
	}
	return err
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
	v := sessionView(s, sess)
	v.Reg = box
	p.Data = v
	return a.render(c, http.StatusUnprocessableEntity, "session", p)
}

// backTo is where a registration form asked to return to: the session page
// unless it named My agenda.
func backTo(c echo.Context, summitID, sessionID uint) string {
	if c.FormValue("back") == "agenda" {
		return myAgendaURL(summitID)
	}
	return sessionURL(summitID, sessionID) + "#registration"
}

// RegistrationCreate registers the signed-in person for a session: a seat if
// one is left, else a place at the end of the waitlist. Only the path names
// what to register for; any person or position in the form is ignored.
func (a *App) RegistrationCreate(c echo.Context) error {
	s, id, err := a.publicSummitAndID(c, "session")
	if err != nil {
		return err
	}
	me := currentPerson(c)
	r, err := models.Register(c.Request().Context(), a.DB, s.ID, id, me.ID, a.Now())
	if err != nil {
		return a.refusedOnSession(c, s, id, err)
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
	s, id, err := a.publicSummitAndID(c, "session")
	if err != nil {
		return err
	}
	me := currentPerson(c)
	res, err := models.CancelRegistration(c.Request().Context(), a.DB, s.ID, id, me.ID, a.Now())
	if err != nil {
		return a.refusedOnSession(c, s, id, err)
	}
	msg := "You left the waitlist of “" + a.sessionTitle(c, s.ID, id) + "”."
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
	SummitView
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
	v := MyAgendaView{SummitView: summitView(s)}
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
	return a.visibleSummit(c, q, true)
}

// sessionTitle names a session in a message, or says "the session" when it
// cannot be read.
func (a *App) sessionTitle(c echo.Context, summitID, sessionID uint) string {
	if s, err := models.GetSession(c.Request().Context(), a.DB, summitID, sessionID); err == nil {
		return s.Title
	}
	return "the session"
}
