package app

import (
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// IdeasHome sends staff to the ideas of the summit being planned.
func (a *App) IdeasHome(c echo.Context) error {
	s, err := models.OrganisingSummit(c.Request().Context(), a.DB, a.Now())
	if errors.Is(err, models.ErrNotFound) {
		s, err = models.CurrentSummit(c.Request().Context(), a.DB, a.Now())
	}
	if errors.Is(err, models.ErrNotFound) {
		return a.redirect(c, summitsURL(), "There is no summit taking ideas yet; the organisers will announce it.")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, ideasURL(s.ID))
}

// IdeasView is the staff list of a summit's ideas.
type IdeasView struct {
	SummitView
	Now    time.Time
	Window models.IdeaWindow
	Open   bool
	Budget models.IdeaBudget
	Rows   []models.IdeaRow
	Themes []string
	Theme  string
	Sort   string
}

// IdeasList shows a summit's ideas, most votes first (or newest), with the
// person's votes left.
func (a *App) IdeasList(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	me := currentPerson(c)
	v := IdeasView{SummitView: summitView(s), Now: a.Now(), Theme: strings.TrimSpace(c.QueryParam("theme")), Sort: c.QueryParam("sort")}
	if v.Sort != "new" {
		v.Sort = ""
	}
	if v.Window, err = models.GetIdeaWindow(ctx, a.DB, s); err != nil {
		return err
	}
	v.Open = v.Window.Open(v.Now)
	if v.Budget, err = models.GetIdeaBudget(ctx, a.DB, s, me.ID); err != nil {
		return err
	}
	all, err := models.ListIdeas(ctx, a.DB, s.ID, models.IdeaFilter{ViewerID: me.ID, Sort: v.Sort})
	if err != nil {
		return err
	}
	v.Themes = themesOf(all)
	for _, r := range all {
		if v.Theme == "" || hasTheme(r, v.Theme) {
			v.Rows = append(v.Rows, r)
		}
	}
	p := a.page(c, "Ideas for "+s.Title)
	p.Section, p.Summit, p.Data = "ideas", s, v
	return a.render(c, http.StatusOK, "ideas_list", p)
}

func themesOf(rows []models.IdeaRow) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rows {
		for _, t := range r.ThemeList() {
			if !seen[strings.ToLower(t)] {
				seen[strings.ToLower(t)] = true
				out = append(out, t)
			}
		}
	}
	sort.Strings(out)
	return out
}

func hasTheme(r models.IdeaRow, theme string) bool {
	for _, t := range r.ThemeList() {
		if strings.EqualFold(t, theme) {
			return true
		}
	}
	return false
}

func ideaForm(s *models.Summit, w models.IdeaWindow, now time.Time) *FormView {
	helps := []Option{{Value: "", Label: "Choose…"}}
	for _, h := range models.HelpsOptions {
		helps = append(helps, Option{Value: h, Label: models.HelpsLabel(h)})
	}
	return &FormView{
		Heading: "Share an idea for serving better", Action: newIdeaURL(s.ID), Submit: "Submit idea", Cancel: ideasURL(s.ID),
		Intro: w.Describe(now) + " Everyone can read and comment on ideas; the organisers take the most supported ones into the strategy workshop.",
		Fields: []Field{
			{Name: "title", Label: "Your idea in one line", Type: "text", Required: true, Attrs: map[string]string{"maxlength": "120"}},
			{Name: "change", Label: "What would change", Type: "textarea", Required: true, Hinted: true,
				Help: "What would people notice? Who would do what differently?"},
			{Name: "helps", Label: "Whom it helps", Type: "select", Required: true, Options: helps},
			{Name: "department", Label: "Department it concerns (optional)", Type: "text"},
			{Name: "anonymous", Label: "Post without my name (nobody sees who wrote it; only the stored record knows, for moderation)", Type: "checkbox"},
		},
	}
}

// IdeaNew shows the form for a new idea.
func (a *App) IdeaNew(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	w, err := models.GetIdeaWindow(c.Request().Context(), a.DB, s)
	if err != nil {
		return err
	}
	if !w.Open(a.Now()) {
		return a.redirect(c, ideasURL(s.ID), w.Describe(a.Now()))
	}
	return a.renderForm(c, ideaForm(s, w, a.Now()), nil)
}

// IdeaCreate stores a new idea.
func (a *App) IdeaCreate(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	me := currentPerson(c)
	in := models.IdeaInput{Title: c.FormValue("title"), Change: c.FormValue("change"), Helps: c.FormValue("helps"),
		Department: c.FormValue("department"), Anonymous: c.FormValue("anonymous") != ""}
	idea, err := models.SubmitIdea(ctx, a.DB, actor(c), s.ID, me.ID, in, a.Now())
	if err != nil {
		w, gerr := models.GetIdeaWindow(ctx, a.DB, s)
		if gerr != nil {
			return gerr
		}
		return a.renderForm(c, ideaForm(s, w, a.Now()), err)
	}
	msg := "Thank you — your idea is posted."
	if idea.Anonymous {
		msg = "Thank you — your idea is posted without your name."
	}
	return a.redirect(c, ideaURL(s.ID, idea.ID), a.withHints(c, s.ID, msg, idea.Title, idea.Change))
}

// fieldErrs returns err's field messages (nil for another error).
func fieldErrs(err error) models.FieldErrors {
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return fe
	}
	return nil
}

// IdeaView is one idea's page.
type IdeaView struct {
	SummitView
	Now      time.Time
	Idea     *models.IdeaPage
	Window   models.IdeaWindow
	Open     bool
	Budget   models.IdeaBudget
	Comment  string
	Org      bool
	OrgBase  string
	Sessions []models.Session
	Others   []models.IdeaRow // ideas this one may be merged into
	CanEdit  bool             // models.MayEditIdea lets the viewer change it now
	Hints    []models.Hint    // for the idea's author and organisers
}

// IdeaShow shows one idea with its comments, the vote button and, for
// organisers, themes, shortlist, merge and hide.
func (a *App) IdeaShow(c echo.Context) error { return a.renderIdea(c, http.StatusOK, nil) }

func (a *App) renderIdea(c echo.Context, code int, errs models.FieldErrors) error {
	ctx := c.Request().Context()
	s, id, err := a.publicSummitAndID(c, "idea")
	if err != nil {
		return err
	}
	me := currentPerson(c)
	ip, err := models.GetIdea(ctx, a.DB, s.ID, id, me.ID, me.IsOrganiser())
	if err != nil {
		return err
	}
	v := IdeaView{SummitView: summitView(s), Now: a.Now(), Idea: ip, Org: me.IsOrganiser(), OrgBase: orgIdeaURL(s.ID, id)}
	if v.Window, err = models.GetIdeaWindow(ctx, a.DB, s); err != nil {
		return err
	}
	v.Open = v.Window.Open(a.Now())
	v.CanEdit = models.MayEditIdea(&ip.Row.Idea, v.Window, me, a.Now()) == nil
	if v.Budget, err = models.GetIdeaBudget(ctx, a.DB, s, me.ID); err != nil {
		return err
	}
	if ip.Row.Mine || v.Org {
		if v.Hints, err = a.hintsFor(c, s.ID, ip.Row.Title+"\n"+ip.Row.Change); err != nil {
			return err
		}
	}
	if v.Org {
		if v.Sessions, err = models.StrategySessions(ctx, a.DB, s.ID); err != nil {
			return err
		}
		all, err := models.ListIdeas(ctx, a.DB, s.ID, models.IdeaFilter{Sort: "new"})
		if err != nil {
			return err
		}
		for _, r := range all {
			if r.ID != id && r.Open() {
				v.Others = append(v.Others, r)
			}
		}
	}
	p := a.page(c, ip.Row.Title)
	p.Section, p.Summit, p.Errors = "ideas", s, errs
	if errs != nil {
		v.Comment = c.FormValue("body")
		p.Form = formValues(c)
	}
	p.Data = v
	return a.render(c, code, "ideas_show", p)
}

// ideaAction runs a change on an idea and returns to its page: a refusal is
// shown beside the form it came from (422), anything else is an error.
func (a *App) ideaAction(c echo.Context, back string, do func(s *models.Summit, ideaID uint) (string, error)) error {
	s, id, err := a.publicSummitAndID(c, "idea")
	if err != nil {
		return err
	}
	msg, err := do(s, id)
	if fe := fieldErrs(err); fe != nil {
		return a.renderIdea(c, http.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	if back == "" {
		back = ideaURL(s.ID, id)
	}
	return a.redirect(c, back, msg)
}

// safeBack is where a vote returns to: the list (with its filter) or the
// idea, never another site.
func safeBack(c echo.Context, fallback string) string {
	if b := c.FormValue("back"); b != "" && safeNext(b) == b {
		return b
	}
	return fallback
}

// IdeaVote gives the idea one of the person's votes.
func (a *App) IdeaVote(c echo.Context) error {
	return a.ideaAction(c, safeBack(c, ""), func(s *models.Summit, id uint) (string, error) {
		if err := models.Vote(c.Request().Context(), a.DB, s.ID, id, currentPerson(c).ID, a.Now()); err != nil {
			return "", err
		}
		return a.votesLeft(c, s, "Your vote is in."), nil
	})
}

// IdeaUnvote takes the person's vote back.
func (a *App) IdeaUnvote(c echo.Context) error {
	return a.ideaAction(c, safeBack(c, ""), func(s *models.Summit, id uint) (string, error) {
		if err := models.Unvote(c.Request().Context(), a.DB, s.ID, id, currentPerson(c).ID, a.Now()); err != nil {
			return "", err
		}
		return a.votesLeft(c, s, "Your vote is back with you."), nil
	})
}

func (a *App) votesLeft(c echo.Context, s *models.Summit, msg string) string {
	b, err := models.GetIdeaBudget(c.Request().Context(), a.DB, s, currentPerson(c).ID)
	if err != nil {
		return msg
	}
	return msg + " Votes left: " + itoa(uint(b.Left())) + " of " + itoa(uint(b.Budget)) + "."
}

// IdeaComment adds the person's comment to an idea.
func (a *App) IdeaComment(c echo.Context) error {
	return a.ideaAction(c, "", func(s *models.Summit, id uint) (string, error) {
		_, err := models.CommentOnIdea(c.Request().Context(), a.DB, s.ID, id, currentPerson(c).ID, c.FormValue("body"), a.Now())
		return "Comment posted.", err
	})
}

// --- Organisers ---

// IdeasOrgView is the organisers' list of a summit's ideas.
type IdeasOrgView struct {
	SummitView
	Window   models.IdeaWindow
	Now      time.Time
	Rows     []models.IdeaRow
	Coverage *models.IdeaCoverage
	Sessions []models.Session
}

// IdeasOrganise lists every idea (hidden and merged ones too) with votes,
// authors' departments, themes and shortlist, and which departments have
// not taken part yet.
func (a *App) IdeasOrganise(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	v := IdeasOrgView{SummitView: summitView(s), Now: a.Now()}
	if v.Window, err = models.GetIdeaWindow(ctx, a.DB, s); err != nil {
		return err
	}
	if v.Rows, err = models.ListIdeas(ctx, a.DB, s.ID, models.IdeaFilter{ViewerID: currentPerson(c).ID, IncludeHidden: true}); err != nil {
		return err
	}
	if v.Coverage, err = models.GetIdeaCoverage(ctx, a.DB, s.ID); err != nil {
		return err
	}
	if v.Sessions, err = models.StrategySessions(ctx, a.DB, s.ID); err != nil {
		return err
	}
	p := a.page(c, "Ideas · "+s.Title)
	p.Section, p.Summit, p.Data = "organise", s, v
	return a.render(c, http.StatusOK, "ideas_org", p)
}

func ideaSettingsForm(s *models.Summit, w models.IdeaWindow, defaultClose time.Time) *FormView {
	loc := s.Location()
	opens, closes := w.OpensAt, w.ClosesAt
	if !w.Set {
		opens, closes = time.Now().UTC(), defaultClose
	}
	return &FormView{
		Heading: "Ideas: when and how many votes", Action: orgIdeasSettingsURL(s.ID), Submit: "Save", Cancel: orgIdeasURL(s.ID),
		Intro: "Staff submit ideas and vote from the opening moment until ideas close — normally the start of the strategy workshop. Each person has the same number of votes, at most one per idea, and can move them until voting closes.",
		Fields: []Field{
			{Name: "opens_day", Label: "Ideas open on", Type: "date", Required: true, Value: opens.In(loc).Format(models.DateLayout)},
			{Name: "opens_time", Label: "at", Type: "time", Required: true, Value: opens.In(loc).Format("15:04")},
			{Name: "closes_day", Label: "Ideas and votes close on", Type: "date", Required: true, Value: closes.In(loc).Format(models.DateLayout)},
			{Name: "closes_time", Label: "at", Type: "time", Required: true, Value: closes.In(loc).Format("15:04"), Help: "In " + s.TimeZone + ". Suggested: the start of the strategy workshop."},
			{Name: "budget", Label: "Votes per person", Type: "number", Required: true, Value: itoa(uint(w.Budget)), Attrs: map[string]string{"min": "1", "max": "50"}},
		},
	}
}

// IdeaSettingsEdit shows the ideas window and vote budget form.
func (a *App) IdeaSettingsEdit(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	w, err := models.GetIdeaWindow(ctx, a.DB, s)
	if err != nil {
		return err
	}
	def, err := models.DefaultIdeasClose(ctx, a.DB, s)
	if err != nil {
		return err
	}
	return a.renderForm(c, ideaSettingsForm(s, w, def), nil)
}

// IdeaSettingsUpdate stores the ideas window and vote budget.
func (a *App) IdeaSettingsUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	in := models.IdeaSettingsInput{OpensDay: c.FormValue("opens_day"), OpensTime: c.FormValue("opens_time"),
		ClosesDay: c.FormValue("closes_day"), ClosesTime: c.FormValue("closes_time"), Budget: c.FormValue("budget")}
	w, err := models.SetIdeaSettings(ctx, a.DB, actor(c), s.ID, in, a.Now())
	if err != nil {
		cur, gerr := models.GetIdeaWindow(ctx, a.DB, s)
		if gerr != nil {
			return gerr
		}
		fv := ideaSettingsForm(s, cur, cur.ClosesAt)
		fv.fill(formValues(c), nil, fieldErrs(err))
		return a.renderForm(c, fv, err)
	}
	return a.redirect(c, orgIdeasURL(s.ID), "Saved. "+w.Describe(a.Now()))
}

// IdeaThemes sets an idea's themes.
func (a *App) IdeaThemes(c echo.Context) error {
	return a.ideaAction(c, "", func(s *models.Summit, id uint) (string, error) {
		return "Themes saved.", models.TagIdea(c.Request().Context(), a.DB, actor(c), s.ID, id, c.FormValue("themes"), a.Now())
	})
}

// IdeaHide hides an abusive idea with a reason.
func (a *App) IdeaHide(c echo.Context) error {
	return a.ideaAction(c, "", func(s *models.Summit, id uint) (string, error) {
		return "The idea is hidden; its votes went back to the people who gave them.", models.HideIdea(c.Request().Context(), a.DB, actor(c), s.ID, id, c.FormValue("reason"), a.Now())
	})
}

// IdeaUnhide shows a hidden idea again.
func (a *App) IdeaUnhide(c echo.Context) error {
	return a.ideaAction(c, "", func(s *models.Summit, id uint) (string, error) {
		return "The idea is shown again.", models.UnhideIdea(c.Request().Context(), a.DB, actor(c), s.ID, id, a.Now())
	})
}

// IdeaMerge merges a duplicate into another idea.
func (a *App) IdeaMerge(c echo.Context) error {
	return a.ideaAction(c, "", func(s *models.Summit, id uint) (string, error) {
		into, err := idFormValue(c, "into_id")
		if err != nil {
			return "", models.FieldErrors{"into_id": "Choose the idea to merge this one into."}
		}
		moved, err := models.MergeIdeas(c.Request().Context(), a.DB, actor(c), s.ID, id, into, a.Now())
		return "Merged; " + itoa(uint(moved)) + " votes moved with it.", err
	})
}

// IdeaShortlist puts an idea on a strategy session's shortlist (or takes it off).
func (a *App) IdeaShortlist(c echo.Context) error {
	return a.ideaAction(c, "", func(s *models.Summit, id uint) (string, error) {
		// Empty is "not shortlisted"; anything else must name a session
		// (a tampered "-1" used to take the idea off the shortlist).
		sid, err := idFormValue(c, "session_id")
		if err != nil && strings.TrimSpace(c.FormValue("session_id")) != "" {
			return "", models.FieldErrors{"session_id": "Choose a session of this summit's strategize track."}
		}
		msg := "The idea is off the shortlist."
		if sid != 0 {
			msg = "Shortlisted: the session page lists it."
		}
		return msg, models.ShortlistIdea(c.Request().Context(), a.DB, actor(c), s.ID, id, sid, a.Now())
	})
}
