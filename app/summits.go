package app

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

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
		Heading: heading, Action: action, Submit: "Save summit", Cancel: organiseURL(),
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
	fv := summitForm(orgNewSummitURL(), "New summit")
	fv.Intro = "A summit is one year's edition. It stays a draft — invisible to visitors — until you publish it."
	fv.fill(map[string]string{"time_zone": "Europe/Amsterdam"}, nil, nil)
	return a.renderForm(c, fv, nil)
}

// SummitCreate stores a new summit.
func (a *App) SummitCreate(c echo.Context) error {
	s, err := models.CreateSummit(c.Request().Context(), a.DB, actor(c), summitInput(c))
	if err != nil {
		return a.renderForm(c, summitForm(orgNewSummitURL(), "New summit"), err)
	}
	return a.redirect(c, orgSummitURL(s.ID), "Summit created as a draft. Add rooms, tracks and sessions, then publish it.")
}

// SummitDashboardView is what a summit's organiser pages show: the overview
// and the workspace's pages each fill the parts they need.
type SummitDashboardView struct {
	SummitView
	Rooms    []models.Room
	Tracks   []models.Track
	Speakers []models.Speaker
	Sessions []models.Session
	Warnings map[uint]string
}

// orgPage loads the summit of an organiser page and starts its page.
func (a *App) orgPage(c echo.Context, title string) (*models.Summit, *Page, error) {
	s, err := a.orgSummit(c)
	if err != nil {
		return nil, nil, err
	}
	p := a.organisePage(c, s, title+" · "+s.Title)
	if title == "" {
		p.Title = s.Title
	}
	return s, p, nil
}

// organisePage starts a page of summit s's organiser workspace.
func (a *App) organisePage(c echo.Context, s *models.Summit, title string) *Page {
	p := a.page(c, title)
	p.Section = "organise"
	p.Summit = s
	return p
}

// OverviewView is a summit's overview: counts, the next things to do and
// the pre-publish checklist.
type OverviewView struct {
	SummitView
	Counts     []Count
	Checklist  []models.ChecklistItem
	Open       int
	Next       []Link
	CopiedFrom *models.Summit
}

// Count is a figure on the overview with the page it leads to.
type Count struct {
	N     int64
	Label string
	Href  string
}

// SummitDashboard is a summit's overview: its state, what to do next and
// the pre-publish checklist.
func (a *App) SummitDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	s, p, err := a.orgPage(c, "")
	if err != nil {
		return err
	}
	v := OverviewView{SummitView: summitView(s)}
	if v.Checklist, err = models.PublishChecklist(ctx, a.DB, s, a.Now()); err != nil {
		return err
	}
	v.Open = len(models.OpenItems(v.Checklist))
	counts, err := models.CountSummitParts(ctx, a.DB, s.ID)
	if err != nil {
		return err
	}
	v.Counts = []Count{{counts.Sessions, "sessions", orgAgendaURL(s.ID)}, {counts.Rooms, "rooms", orgRoomsURL(s.ID)}, {counts.Tracks, "tracks", orgRoomsURL(s.ID) + "#tracks"},
		{counts.Speakers, "speakers", orgSpeakersURL(s.ID)}, {counts.Categories, "award categories", orgAwardsURL(s.ID)}}
	if s.CopiedFromID != nil {
		if src, err := models.GetSummit(ctx, a.DB, *s.CopiedFromID); err == nil {
			v.CopiedFrom = src
		}
	}
	v.Next = nextSteps(s, counts, v.Checklist, a.Now())
	p.Data = v
	return a.render(c, http.StatusOK, "summit_dashboard", p)
}

// nextSteps are the overview's next things to do, most pressing first.
func nextSteps(s *models.Summit, n models.SummitParts, list []models.ChecklistItem, now time.Time) []Link {
	base := orgSummitURL(s.ID)
	var out []Link
	if n.Rooms == 0 {
		out = append(out, Link{orgNewRoomURL(s.ID), "Add the rooms where sessions happen"})
	}
	if n.Sessions == 0 {
		out = append(out, Link{orgNewSessionURL(s.ID), "Put the first session on the agenda"},
			Link{orgSessionsImportURL(s.ID), "Or import the agenda from a spreadsheet (CSV)"})
	}
	open := models.OpenItems(list)
	if now.Before(s.End()) && s.Status != models.StatusArchived {
		for i, it := range open {
			if i == 3 {
				break
			}
			out = append(out, Link{base + it.Href, it.Text})
		}
	}
	switch {
	case s.Status == models.StatusDraft && len(open) == 0 && n.Sessions > 0:
		out = append(out, Link{orgSummitStatusURL(s.ID, string(models.StatusPublished)), "Publish: every item of the checklist is done"})
	case s.Status == models.StatusPublished && now.Before(s.Start()):
		out = append(out, Link{summitURL(s.ID), "Share the agenda's address with staff"})
	case s.Status == models.StatusPublished && !now.Before(s.End()):
		out = append(out, Link{orgSummitStatusURL(s.ID, string(models.StatusArchived)), "Archive it: the summit is over"})
	}
	if s.Status != models.StatusDraft {
		out = append(out, Link{orgNextYearURL(s.ID), "Start next year from this one"})
	}
	return out
}

// SummitAgenda lists a summit's sessions with their warnings.
func (a *App) SummitAgenda(c echo.Context) error {
	ctx := c.Request().Context()
	s, p, err := a.orgPage(c, "Agenda")
	if err != nil {
		return err
	}
	v := SummitDashboardView{SummitView: summitView(s)}
	if v.Rooms, err = models.ListRooms(ctx, a.DB, s.ID); err != nil {
		return err
	}
	if v.Sessions, err = models.ListSessions(ctx, a.DB, s, models.AgendaFilter{Unscheduled: true}); err != nil {
		return err
	}
	if v.Warnings, err = models.SessionWarnings(ctx, a.DB, s.ID); err != nil {
		return err
	}
	p.Data = v
	return a.render(c, http.StatusOK, "summit_agenda", p)
}

// SummitRooms lists a summit's rooms and tracks.
func (a *App) SummitRooms(c echo.Context) error {
	ctx := c.Request().Context()
	s, p, err := a.orgPage(c, "Rooms and tracks")
	if err != nil {
		return err
	}
	v := SummitDashboardView{SummitView: summitView(s)}
	if v.Rooms, err = models.ListRooms(ctx, a.DB, s.ID); err != nil {
		return err
	}
	if v.Tracks, err = models.ListTracks(ctx, a.DB, s.ID); err != nil {
		return err
	}
	p.Data = v
	return a.render(c, http.StatusOK, "summit_rooms", p)
}

// SummitExports lists a summit's files, feedback and outcome pages.
func (a *App) SummitExports(c echo.Context) error {
	return a.summitOnlyPage(c, "Exports", "summit_exports")
}

// SummitSettings shows a summit's details, windows and status.
func (a *App) SummitSettings(c echo.Context) error {
	return a.summitOnlyPage(c, "Settings", "summit_settings")
}

// summitOnlyPage renders an organiser page whose template reads only the
// summit (its links and settings), nothing listed from the database.
func (a *App) summitOnlyPage(c echo.Context, title, tmpl string) error {
	s, p, err := a.orgPage(c, title)
	if err != nil {
		return err
	}
	p.Data = SummitDashboardView{SummitView: summitView(s)}
	return a.render(c, http.StatusOK, tmpl, p)
}

// SummitEdit shows the edit form of a summit.
func (a *App) SummitEdit(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	fv := summitForm(orgSummitEditURL(s.ID), "Edit "+s.Title)
	fv.Cancel = orgSummitURL(s.ID)
	fv.fill(map[string]string{"title": s.Title, "theme": s.Theme, "start_date": s.StartDate, "end_date": s.EndDate, "time_zone": s.TimeZone, "venue": s.Venue}, nil, nil)
	return a.renderForm(c, fv, nil)
}

// SummitUpdate saves a summit's details.
func (a *App) SummitUpdate(c echo.Context) error {
	id, err := idParam(c, "summit")
	if err != nil {
		return err
	}
	s, err := models.UpdateSummit(c.Request().Context(), a.DB, actor(c), id, summitInput(c), a.Now())
	if err != nil {
		fv := summitForm(orgSummitEditURL(id), "Edit summit")
		fv.Cancel = orgSummitURL(id)
		return a.renderForm(c, fv, err)
	}
	return a.redirect(c, orgSummitURL(s.ID), "Summit saved.")
}

// StatusView is the confirmation before a summit's status changes.
type StatusView struct {
	SummitView
	To      models.SummitStatus
	Verb    string
	Effects []string
	Open    []models.ChecklistItem
	Error   string
}

var statusVerbs = map[models.SummitStatus]string{models.StatusPublished: "Publish", models.StatusDraft: "Unpublish", models.StatusArchived: "Archive"}

// statusView fills the confirmation of a move to status to.
func (a *App) statusView(c echo.Context, s *models.Summit, to models.SummitStatus) (*StatusView, error) {
	ctx := c.Request().Context()
	v := &StatusView{SummitView: summitView(s), To: to, Verb: statusVerbs[to]}
	if s.Status == models.StatusArchived && to == models.StatusPublished {
		v.Verb = "Re-publish"
	}
	var err error
	if v.Effects, err = models.StatusEffects(ctx, a.DB, s, to); err != nil {
		return nil, err
	}
	if to == models.StatusPublished {
		list, err := models.PublishChecklist(ctx, a.DB, s, a.Now())
		if err != nil {
			return nil, err
		}
		v.Open = models.OpenItems(list)
	}
	return v, nil
}

// SummitStatusConfirm asks before publishing, unpublishing or archiving,
// saying what changes for people and, before publishing, what is still open.
func (a *App) SummitStatusConfirm(c echo.Context) error {
	s, p, err := a.orgPage(c, "Status")
	if err != nil {
		return err
	}
	to := models.SummitStatus(c.QueryParam("to"))
	if _, ok := statusVerbs[to]; !ok {
		to = models.StatusPublished
		if s.Status == models.StatusPublished {
			to = models.StatusDraft
		}
	}
	v, err := a.statusView(c, s, to)
	if err != nil {
		return err
	}
	p.Title = v.Verb + " " + s.Title
	p.Data = v
	return a.render(c, http.StatusOK, "summit_status", p)
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
	to := models.SummitStatus(c.FormValue("status"))
	if _, ok := statusVerbs[to]; ok && to != before.Status {
		v, err := a.statusView(c, before, to)
		if err != nil {
			return err
		}
		switch {
		case c.FormValue("confirm") != "yes":
			v.Error = "Confirm to go ahead."
		case len(v.Open) > 0 && c.FormValue("accept_open") != "yes":
			v.Error = "Tick the box to publish with these items still open, or fix them first."
		}
		if v.Error != "" {
			p := a.page(c, v.Verb+" "+before.Title)
			p.Section, p.Summit, p.Data = "organise", before, v
			return a.render(c, http.StatusUnprocessableEntity, "summit_status", p)
		}
	}
	s, err := models.SetSummitStatus(c.Request().Context(), a.DB, actor(c), id, to)
	if err != nil {
		if fe, ok := err.(models.FieldErrors); ok {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, fe["status"])
		}
		return err
	}
	msg := map[models.SummitStatus]string{models.StatusPublished: "Published: visitors can now read the agenda.",
		models.StatusDraft: "Back to draft: visitors no longer see this summit.", models.StatusArchived: "Archived."}[s.Status]
	return a.redirect(c, orgSummitURL(s.ID), msg)
}
