package app

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// --- The door: walk-ins and one-row answers for htmx ---

// maxWalkInCandidates bounds the directory matches the door offers.
const maxWalkInCandidates = 8

// isHTMX reports whether htmx sent the request (it then swaps in a part of
// the page instead of following a redirect).
func isHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// CheckinWalkIn adds someone from the directory who did not register to the
// session and checks them in, in one step (audited). A walk-in takes no
// seat. It returns to the door at the new row.
func (a *App) CheckinWalkIn(c echo.Context) error {
	s, sid, err := a.orgSummitAndID(c, "session")
	if err != nil {
		return err
	}
	q := checkinSearch(c.FormValue("q"))
	pid, perr := strconv.ParseUint(c.FormValue("person_id"), 10, 32)
	if perr != nil || pid == 0 {
		return a.renderCheckin(c, s, sid, q, http.StatusUnprocessableEntity, "Choose the person to add from the directory list below the search.")
	}
	r, err := models.AddWalkIn(c.Request().Context(), a.DB, actor(c), s.ID, sid, uint(pid), a.Now())
	if err != nil {
		if msg := models.RefusalMessage(err); msg != "" {
			return a.renderCheckin(c, s, sid, q, http.StatusUnprocessableEntity, msg)
		}
		return err
	}
	return a.redirect(c, checkinReturn(s.ID, sid, q)+"#reg-"+itoa(r.ID),
		r.Person.Name+" is added as a walk-in and checked in.")
}

// renderCheckinCard answers htmx with one row of the door (the registration
// as it is now, or as given), the new count and a message for screen readers,
// so the page does not reload and the organiser keeps their place.
func (a *App) renderCheckinCard(c echo.Context, s *models.Summit, sessionID, regID uint, card *models.Registration, q string, code int, msg, said string) error {
	r, err := models.GetRoster(c.Request().Context(), a.DB, s.ID, sessionID)
	if err != nil {
		return err
	}
	if card == nil {
		for _, list := range [][]models.Registration{r.Confirmed, r.WalkIns, r.Waitlist} {
			for i := range list {
				if list[i].ID == regID {
					card = &list[i]
				}
			}
		}
	}
	if card == nil { // no longer on the session's list
		card = &models.Registration{ID: regID, Status: models.RegCancelled}
	}
	p := a.page(c, "Check-in · "+r.Session.Title)
	p.Summit = s
	p.Data = CheckinView{SummitView: summitView(s), Roster: r, Query: q, Error: msg, Card: card, Said: said}
	var buf bytes.Buffer
	if err := a.pages["registrations_checkin"].ExecuteTemplate(&buf, "checkin_fragment", p); err != nil {
		return fmt.Errorf("app: render check-in row: %w", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(code, buf.Bytes())
}
