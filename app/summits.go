package app

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// audit records an organiser's change. The change is already committed, so
// a failure to record it is logged for the admins rather than shown as an error.
func (a *App) audit(c echo.Context, action, recordType string, id uint, summary string, before, after any) {
	who := models.ActorOf(currentPerson(c), c.RealIP())
	if err := models.Audit(c.Request().Context(), a.DB, who, action, recordType, id, summary, before, after); err != nil {
		a.Log.Error("audit not recorded", "err", err, "action", action, "record", id,
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID))
	}
}

// OrganiseHome lists every year's summit for organisers.
func (a *App) OrganiseHome(c echo.Context) error {
	list, err := models.ListSummits(c.Request().Context(), a.DB)
	if err != nil {
		return err
	}
	p := a.page(c, "Organise")
	p.Section = "organise"
	p.Data = list
	return a.render(c, http.StatusOK, "organise_home", p)
}

func summitForm(action, heading string) *FormView {
	return &FormView{
		Heading: heading, Action: action, Submit: "Save summit", Cancel: "/organise",
		Fields: []Field{
			{Name: "title", Label: "Title", Type: "text", Required: true, Help: "For example: Service Summit 2027."},
			{Name: "theme", Label: "Theme", Type: "text", Help: "One line that sets the tone, e.g. Everyone serves."},
			{Name: "start_date", Label: "First day", Type: "date", Required: true},
			{Name: "end_date", Label: "Last day", Type: "date", Required: true},
			{Name: "time_zone", Label: "Time zone", Type: "text", Required: true, Help: "Type a city or region and choose its zone from the list, such as Europe/Amsterdam. Agenda times are entered and shown in it.",
				Attrs: map[string]string{"autocomplete": "off", "spellcheck": "false"}, Datalist: models.TimeZones()},
			{Name: "venue", Label: "Venue", Type: "text"},
		},
	}
}

func summitInput(c echo.Context) models.SummitInput {
	return models.SummitInput{Title: c.FormValue("title"), Theme: c.FormValue("theme"), StartDate: c.FormValue("start_date"),
		EndDate: c.FormValue("end_date"), TimeZone: c.FormValue("time_zone"), Venue: c.FormValue("venue")}
}

// SummitNew shows the form for a new summit.
func (a *App) SummitNew(c echo.Context) error {
	fv := summitForm("/organise/summits/new", "New summit")
	fv.Intro = "A summit is one year's edition. It stays a draft — invisible to visitors — until you publish it."
	fv.fill(map[string]string{"time_zone": "Europe/Amsterdam"}, nil, nil)
	return a.renderForm(c, fv, nil)
}

// SummitCreate stores a new summit.
func (a *App) SummitCreate(c echo.Context) error {
	s, err := models.CreateSummit(c.Request().Context(), a.DB, summitInput(c))
	if err != nil {
		return a.renderForm(c, summitForm("/organise/summits/new", "New summit"), err)
	}
	a.audit(c, "summit.create", "summit", s.ID, "Created "+s.Title, nil, s)
	return a.redirect(c, "/organise/summits/"+itoa(s.ID), "Summit created as a draft. Add rooms, tracks and sessions, then publish it.")
}

// SummitDashboardView is the organiser's overview of one summit.
type SummitDashboardView struct {
	Summit   *models.Summit
	Loc      *time.Location
	Rooms    []models.Room
	Tracks   []models.Track
	Speakers []models.Speaker
	Sessions []models.Session
	Warnings map[uint]string
}

// SummitDashboard shows a summit with its rooms, tracks, speakers and sessions.
func (a *App) SummitDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	v := SummitDashboardView{Summit: s, Loc: s.Location()}
	if v.Rooms, err = models.ListRooms(ctx, a.DB, s.ID); err != nil {
		return err
	}
	if v.Tracks, err = models.ListTracks(ctx, a.DB, s.ID); err != nil {
		return err
	}
	if v.Speakers, err = models.ListSpeakers(ctx, a.DB, s.ID); err != nil {
		return err
	}
	if v.Sessions, err = models.ListSessions(ctx, a.DB, s, models.AgendaFilter{}); err != nil {
		return err
	}
	if v.Warnings, err = models.SessionWarnings(ctx, a.DB, s.ID); err != nil {
		return err
	}
	p := a.page(c, s.Title)
	p.Section = "organise"
	p.Summit = s
	p.Data = v
	return a.render(c, http.StatusOK, "summit_dashboard", p)
}

// SummitEdit shows the edit form of a summit.
func (a *App) SummitEdit(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	fv := summitForm("/organise/summits/"+itoa(s.ID)+"/edit", "Edit "+s.Title)
	fv.Cancel = "/organise/summits/" + itoa(s.ID)
	fv.fill(map[string]string{"title": s.Title, "theme": s.Theme, "start_date": s.StartDate, "end_date": s.EndDate, "time_zone": s.TimeZone, "venue": s.Venue}, nil, nil)
	return a.renderForm(c, fv, nil)
}

// SummitUpdate saves a summit's details.
func (a *App) SummitUpdate(c echo.Context) error {
	id, err := idParam(c, "summit")
	if err != nil {
		return err
	}
	before, err := models.GetSummit(c.Request().Context(), a.DB, id)
	if err != nil {
		return err
	}
	s, err := models.UpdateSummit(c.Request().Context(), a.DB, id, summitInput(c))
	if err != nil {
		fv := summitForm("/organise/summits/"+itoa(id)+"/edit", "Edit summit")
		fv.Cancel = "/organise/summits/" + itoa(id)
		return a.renderForm(c, fv, err)
	}
	a.audit(c, "summit.update", "summit", s.ID, "Edited "+s.Title, before, s)
	return a.redirect(c, "/organise/summits/"+itoa(s.ID), "Summit saved.")
}

// SummitStatus publishes, unpublishes or archives a summit.
func (a *App) SummitStatus(c echo.Context) error {
	id, err := idParam(c, "summit")
	if err != nil {
		return err
	}
	before, err := models.GetSummit(c.Request().Context(), a.DB, id)
	if err != nil {
		return err
	}
	s, err := models.SetSummitStatus(c.Request().Context(), a.DB, id, c.FormValue("status"))
	if err != nil {
		if fe, ok := err.(models.FieldErrors); ok {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, fe["status"])
		}
		return err
	}
	a.audit(c, "summit.status", "summit", s.ID, s.Title+": "+before.Status+" → "+s.Status, map[string]string{"status": before.Status}, map[string]string{"status": s.Status})
	msg := map[string]string{models.StatusPublished: "Published: visitors can now read the agenda.",
		models.StatusDraft: "Back to draft: visitors no longer see this summit.", models.StatusArchived: "Archived."}[s.Status]
	return a.redirect(c, "/organise/summits/"+itoa(s.ID), msg)
}
