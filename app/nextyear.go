package app

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// NextYearView is the "Start next year from this one" page: the choices, and
// the preview of what they create.
type NextYearView struct {
	SummitView
	In     models.CloneInput
	Chosen map[string]bool
	Parts  []PartChoice
	Plan   *models.ClonePlan
	// Days groups the planned sessions by their new day.
	Days []PlannedDay
	// Opens and Closes are the new registration window, when copied.
	Opens, Closes time.Time
}

// PartChoice is one checkbox of the page.
type PartChoice struct {
	Key, Label string
	Checked    bool
}

// PlannedDay is one day of the new edition's agenda in the preview.
type PlannedDay struct {
	Day      string
	Sessions []models.PlannedSession
}

// cloneInput reads the choices from a query or a form; a first visit gets
// the suggestions and every part. The signed-in organiser is the viewer (the
// judges of a category they are nominated in are left out).
func (a *App) cloneInput(c echo.Context, s *models.Summit, v url.Values) models.CloneInput {
	viewer, now := currentPerson(c).ID, a.Now()
	if _, asked := v["title"]; !asked {
		start := models.NextYearStart(s)
		return models.CloneInput{Title: models.NextYearTitle(s, start), StartDate: start, Parts: models.CloneParts, Viewer: viewer, Now: now}
	}
	in := models.CloneInput{Title: v.Get("title"), StartDate: v.Get("start_date"), EndDate: v.Get("end_date"), Viewer: viewer, Now: now}
	for _, p := range models.CloneParts {
		for _, got := range v["parts"] {
			if got == p {
				in.Parts = append(in.Parts, p)
			}
		}
	}
	return in
}

// renderNextYear shows the choices and, when they are valid, the preview.
func (a *App) renderNextYear(c echo.Context, s *models.Summit, in models.CloneInput, err error) error {
	v := NextYearView{SummitView: summitView(s), In: in, Chosen: map[string]bool{}}
	for _, p := range in.Parts {
		v.Chosen[p] = true
	}
	for _, p := range models.CloneParts {
		v.Parts = append(v.Parts, PartChoice{Key: p, Label: models.ClonePartLabels[p], Checked: v.Chosen[p]})
	}
	code := http.StatusOK
	var fe models.FieldErrors
	if err == nil {
		v.Plan, err = models.PreviewClone(c.Request().Context(), a.DB, s.ID, in)
	}
	if err != nil {
		if !errors.As(err, &fe) {
			return err
		}
		code, v.Plan = http.StatusUnprocessableEntity, nil
	}
	if v.Plan != nil {
		if w := v.Plan.Window; w != nil {
			v.Opens, v.Closes = *w.OpensAt, *w.ClosesAt
		}
		for _, x := range v.Plan.Sessions {
			day := x.StartsAt.In(v.Loc).Format(models.DateLayout)
			if n := len(v.Days); n == 0 || v.Days[n-1].Day != day {
				v.Days = append(v.Days, PlannedDay{Day: day})
			}
			v.Days[len(v.Days)-1].Sessions = append(v.Days[len(v.Days)-1].Sessions, x)
		}
	}
	_, p, perr := a.orgPage(c, "Next year")
	if perr != nil {
		return perr
	}
	p.Errors = fe
	p.Form = map[string]string{"title": in.Title, "start_date": in.StartDate, "end_date": in.EndDate}
	p.Data = v
	return a.render(c, code, "summit_next_year", p)
}

// NextYearForm is "Start next year from this one": a new edition's title,
// first day and parts, with a preview of what will be created and what
// cannot be, before anything is written.
func (a *App) NextYearForm(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	return a.renderNextYear(c, s, a.cloneInput(c, s, c.QueryParams()), nil)
}

// NextYearCreate copies the summit into a new draft as the preview showed.
func (a *App) NextYearCreate(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	in := a.cloneInput(c, s, form)
	to, plan, err := models.CloneSummit(c.Request().Context(), a.DB, actor(c), s.ID, in)
	if err != nil {
		return a.renderNextYear(c, s, in, err)
	}
	msg := "Draft " + to.Title + " created from " + s.Title + ": " + plan.CloneSummary() + ". Work through the checklist, then publish it."
	// What could not be copied, as far as a flash holds it (500 characters).
	if n := len(plan.Cannot); n > 0 {
		more := " Not copied: " + plan.Cannot[0]
		if n > 1 {
			more = fmt.Sprintf(" Not copied (%d things), among them: %s", n, plan.Cannot[0])
		}
		if len(msg)+len(more) > 490 {
			more = fmt.Sprintf(" %d things could not be copied (a judge or speaker who left, or a time that no longer exists).", n)
		}
		msg += more
	}
	return a.redirect(c, orgSummitURL(to.ID), msg)
}
