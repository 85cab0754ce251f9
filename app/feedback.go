package app

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// FeedbackBox is what a session page says about feedback: nothing before the
// session ends, then a link to the form (or why the person cannot answer).
// It never shows anyone's ratings.
type FeedbackBox struct {
	FormURL  string
	Answered bool
	Open     bool   // the person may answer (or change their answer) now
	Text     string // why not, or until when
	SignIn   bool   // a visitor: sign in to answer
}

// feedbackBox builds the session page's feedback box; nil when there is
// nothing to say (a break, a draft, a session that has not ended).
func (a *App) feedbackBox(c echo.Context, s *models.Summit, sess *models.Session) (*FeedbackBox, error) {
	now := a.Now()
	if sess.Kind == models.KindBreak || !s.IsPublic() || now.Before(sess.EndsAt) {
		return nil, nil
	}
	ctx := c.Request().Context()
	w, err := models.GetFeedbackWindow(ctx, a.DB, s)
	if err != nil {
		return nil, err
	}
	b := &FeedbackBox{FormURL: sessionFeedbackURL(s.ID, sess.ID)}
	me := currentPerson(c)
	if me == nil {
		if w.Closed(now) {
			return nil, nil
		}
		b.SignIn, b.Text = true, w.Describe(now)
		return b, nil
	}
	form, err := models.GetFeedbackForm(ctx, a.DB, s.ID, sess.ID, me.ID, now)
	if err != nil {
		return nil, err
	}
	b.Answered, b.Open = form.Mine != nil, form.Refusal == ""
	b.Text = form.Refusal
	if b.Open {
		b.Text = w.Describe(now)
	}
	return b, nil
}

// FeedbackFormView is the feedback form of a session or the whole summit.
type FeedbackFormView struct {
	SummitView
	Form    *models.FeedbackForm
	Action  string
	Back    string
	Useful  string
	Recomm  string
	Comment string
	Max     int
	Labels  []string // what 1 to 5 mean
	// WindowText says until when answers may change.
	WindowText string
}

// ratingLabels say what each rating means, 1 first.
var ratingLabels = []string{"Not at all", "A little", "Somewhat", "Quite", "Very much"}

// targetIDs reads the summit and (for a session's form) the session from the path.
func targetIDs(c echo.Context) (summitID, sessionID uint, err error) {
	if summitID, err = idParam(c, "summit"); err != nil {
		return 0, 0, err
	}
	if c.Param("session") != "" {
		if sessionID, err = idParam(c, "session"); err != nil {
			return 0, 0, err
		}
	}
	return summitID, sessionID, nil
}

// FeedbackForm shows the signed-in person's feedback form for a session
// (or, without a session in the path, for the whole summit).
func (a *App) FeedbackForm(c echo.Context) error {
	return a.renderFeedbackForm(c, http.StatusOK, nil)
}

func (a *App) renderFeedbackForm(c echo.Context, code int, errs models.FieldErrors) error {
	summitID, sessionID, err := targetIDs(c)
	if err != nil {
		return err
	}
	form, err := models.GetFeedbackForm(c.Request().Context(), a.DB, summitID, sessionID, currentPerson(c).ID, a.Now())
	if err != nil {
		return err
	}
	v := FeedbackFormView{SummitView: summitView(form.Summit), Form: form, Max: models.MaxFeedbackComment, Labels: ratingLabels, WindowText: form.Window.Describe(a.Now()),
		Action: summitFeedbackURL(summitID), Back: summitURL(summitID)}
	title := "Your feedback on " + form.Summit.Title
	if form.Session != nil {
		v.Action, v.Back = sessionFeedbackURL(summitID, sessionID), sessionURL(summitID, sessionID)
		title = "Your feedback on " + form.Session.Title
	}
	if m := form.Mine; m != nil {
		v.Useful, v.Recomm, v.Comment = itoa(uint(m.Useful)), itoa(uint(m.Recommend)), m.Comment
	}
	if errs != nil {
		vals := formValues(c)
		v.Useful, v.Recomm, v.Comment = vals["useful"], vals["recommend"], vals["comment"]
	}
	p := a.page(c, title)
	p.Section = "feedback"
	p.Summit = form.Summit
	p.Errors = errs
	p.Data = v
	return a.render(c, code, "feedback_form", p)
}

// FeedbackSave stores (or changes) the signed-in person's answer. Only the
// path says what it is about; the person is always the one signed in.
func (a *App) FeedbackSave(c echo.Context) error {
	summitID, sessionID, err := targetIDs(c)
	if err != nil {
		return err
	}
	in := models.FeedbackInput{Useful: c.FormValue("useful"), Recommend: c.FormValue("recommend"), Comment: c.FormValue("comment")}
	_, err = models.SaveFeedback(c.Request().Context(), a.DB, summitID, sessionID, currentPerson(c).ID, in, a.Now())
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return a.renderFeedbackForm(c, http.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	return a.redirect(c, myFeedbackURL(), "Thank you — your feedback is saved. Your name is never shown with it; you can change it until feedback closes.")
}

// MyFeedbackView is the My feedback page: what the person can still answer,
// and the results of the sessions they spoke at.
type MyFeedbackView struct {
	Tasks    []models.FeedbackTask
	Speaking []models.SpeakerSession
}

// MyFeedback lists the sessions (and summits) the signed-in person can give
// feedback on now, and their own sessions' results once feedback has closed.
func (a *App) MyFeedback(c echo.Context) error {
	ctx := c.Request().Context()
	me, now := currentPerson(c), a.Now()
	var v MyFeedbackView
	var err error
	if v.Tasks, err = models.FeedbackTasks(ctx, a.DB, me.ID, now); err != nil {
		return err
	}
	if v.Speaking, err = models.SpeakerResults(ctx, a.DB, me.ID, now); err != nil {
		return err
	}
	p := a.page(c, "My feedback")
	p.Section = "feedback"
	p.Data = v
	return a.render(c, http.StatusOK, "feedback_mine", p)
}

// FeedbackResultsView is the organisers' feedback page of a summit.
type FeedbackResultsView struct {
	SummitView
	Results *models.FeedbackResults
	Open    bool
	Now     time.Time
}

// FeedbackResults shows organisers every session's distribution, means and
// comments — only where enough people answered, never who.
func (a *App) FeedbackResults(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	res, err := models.GetFeedbackResults(c.Request().Context(), a.DB, s)
	if err != nil {
		return err
	}
	now := a.Now()
	p := a.organisePage(c, s, "Feedback · "+s.Title)
	p.Data = FeedbackResultsView{SummitView: summitView(s), Results: res, Open: !res.Window.Closed(now), Now: now}
	return a.render(c, http.StatusOK, "feedback_org", p)
}

func feedbackSettingsForm(s *models.Summit, w models.FeedbackWindow) *FormView {
	closes := w.ClosesAt.In(s.Location())
	fv := &FormView{
		Heading: "Feedback settings", Action: orgFeedbackSettingsURL(s.ID), Submit: "Save settings", Cancel: orgFeedbackURL(s.ID),
		Intro: "Sessions take feedback from their end until the closing moment; speakers see their results after it. Results show only where enough people answered, so nobody can tell who said what.",
		Fields: []Field{
			{Name: "closes_day", Label: "Feedback closes on", Type: "date", Required: true, Value: closes.Format(models.DateLayout)},
			{Name: "closes_time", Label: "at", Type: "time", Required: true, Value: closes.Format("15:04"), Help: "In " + s.TimeZone + "."},
			{Name: "min_answers", Label: "Answers needed before a result shows", Type: "number", Required: true, Value: itoa(uint(w.MinAnswers)),
				Help: "At least 3, never fewer: with fewer, people could tell who said what.", Attrs: map[string]string{"min": "3", "max": "100"}},
		},
	}
	return fv
}

// FeedbackSettingsEdit shows the feedback window and threshold form.
func (a *App) FeedbackSettingsEdit(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	w, err := models.GetFeedbackWindow(c.Request().Context(), a.DB, s)
	if err != nil {
		return err
	}
	return a.renderForm(c, feedbackSettingsForm(s, w), nil)
}

// FeedbackSettingsUpdate stores the feedback window and threshold.
func (a *App) FeedbackSettingsUpdate(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	in := models.FeedbackSettingsInput{ClosesDay: c.FormValue("closes_day"), ClosesTime: c.FormValue("closes_time"), MinAnswers: c.FormValue("min_answers")}
	w, err := models.SetFeedbackSettings(c.Request().Context(), a.DB, actor(c), s.ID, in, a.Now())
	if err != nil {
		cur, gerr := models.GetFeedbackWindow(c.Request().Context(), a.DB, s)
		if gerr != nil {
			return gerr
		}
		return a.renderForm(c, feedbackSettingsForm(s, cur), err)
	}
	return a.redirect(c, orgFeedbackURL(s.ID), "Feedback settings saved. "+w.Describe(a.Now()))
}

// FeedbackClose closes a summit's feedback now, so speakers see their results.
func (a *App) FeedbackClose(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	base := orgFeedbackURL(s.ID)
	_, err = models.CloseFeedbackNow(c.Request().Context(), a.DB, actor(c), s.ID, a.Now())
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return a.redirect(c, base, "Feedback stays open: "+firstMessage(fe))
	}
	if err != nil {
		return err
	}
	return a.redirect(c, base, "Feedback is closed. Speakers now see the results of their sessions (where enough people answered).")
}

// FeedbackCSV exports a summit's answers without identities: one row per
// answer, only for results that may be shown.
func (a *App) FeedbackCSV(c echo.Context) error {
	return a.csvExport(c, "feedback", models.FeedbackCSV)
}
