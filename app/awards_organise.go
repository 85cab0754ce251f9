package app

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// --- Organisers ---

// AwardsOrgView is the organiser's awards overview.
type AwardsOrgView struct {
	SummitView
	Now         time.Time
	Progress    []models.CategoryProgress
	Suggestions []models.SuggestedCategory
	Hidden      map[uint]bool // categories whose outcome is kept from the viewer (they are nominated in them)
}

// AwardsOrganise lists categories with judging progress, and suggestions.
func (a *App) AwardsOrganise(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	v := AwardsOrgView{SummitView: summitView(s), Now: a.Now()}
	if v.Progress, err = models.JudgingProgress(c.Request().Context(), a.DB, s.ID); err != nil {
		return err
	}
	cats := make([]models.AwardCategory, len(v.Progress))
	for i := range v.Progress {
		cats[i] = v.Progress[i].Category
	}
	v.Suggestions = models.SuggestionsFor(cats)
	hidden, err := models.HiddenOutcomes(c.Request().Context(), a.DB, currentPerson(c).ID, v.Now)
	if err != nil {
		return err
	}
	v.Hidden = map[uint]bool{}
	for _, cat := range cats {
		if hidden[cat.ID] {
			v.Hidden[cat.ID] = true
		}
	}
	p := a.page(c, "Awards · "+s.Title)
	p.Section, p.Summit, p.Data = "organise", s, v
	return a.render(c, http.StatusOK, "awards_org", p)
}

func categoryForm(s *models.Summit, action, cancel string) *FormView {
	loc := s.Location().String()
	return &FormView{
		Action: action, Cancel: cancel, Back: cancel,
		Fields: []Field{
			{Name: "name", Label: "Name", Type: "text", Required: true},
			{Name: "trait", Label: "Service trait it honours", Type: "text", Help: "For example patience, kindness or damage control."},
			{Name: "description", Label: "Description", Type: "textarea", Hinted: true},
			{Name: "criteria", Label: "Scoring criteria, one per line (each scored 1–5)", Type: "textarea", Help: "Leave empty for the three defaults: " + strings.Join(models.DefaultCriteria, ", ") + "."},
			{Name: "winners", Label: "Number of winners", Type: "number", Attrs: map[string]string{"min": "1", "max": "10"}},
			{Name: "opens_day", Label: "Nominations open: day", Type: "date", Required: true, Help: "In " + loc + "."},
			{Name: "opens_time", Label: "Nominations open: time", Type: "time", Required: true},
			{Name: "closes_day", Label: "Nominations close: day", Type: "date", Required: true},
			{Name: "closes_time", Label: "Nominations close: time", Type: "time", Required: true},
			{Name: "announce_day", Label: "Announcement: day", Type: "date", Help: "Leave empty to announce at the start of the ceremony session. An announcement at the ceremony's start moves with it when the agenda changes."},
			{Name: "announce_time", Label: "Announcement: time", Type: "time"},
			{Name: "judging_day", Label: "Judging closes: day", Type: "date", Help: "Leave empty to close judging at the announcement."},
			{Name: "judging_time", Label: "Judging closes: time", Type: "time"},
			{Name: "allow_self", Label: "People may nominate themselves", Type: "checkbox"},
			{Name: "show_nominator", Label: "Judges see who wrote each nomination (judging is blind otherwise)", Type: "checkbox"},
		},
	}
}

func categoryInput(form map[string]string) models.CategoryInput {
	return models.CategoryInput{Name: form["name"], Trait: form["trait"], Description: form["description"], Criteria: form["criteria"],
		Winners: form["winners"], OpensDay: form["opens_day"], OpensTime: form["opens_time"], ClosesDay: form["closes_day"], ClosesTime: form["closes_time"],
		AnnounceDay: form["announce_day"], AnnounceTime: form["announce_time"], JudgingDay: form["judging_day"], JudgingTime: form["judging_time"],
		AllowSelf: form["allow_self"] != "", ShowNominator: form["show_nominator"] != ""}
}

func setValues(fv *FormView, vals map[string]string) {
	for i := range fv.Fields {
		if v, ok := vals[fv.Fields[i].Name]; ok {
			fv.Fields[i].Value = v
		}
	}
}

// CategoryNew shows the new-category form, prefilled from a suggestion.
func (a *App) CategoryNew(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	fv := categoryForm(s, orgNewCategoryURL(s.ID), orgAwardsURL(s.ID))
	fv.Heading, fv.Submit = "New award category", "Create category"
	vals := map[string]string{"winners": "1", "criteria": strings.Join(models.DefaultCriteria, "\n")}
	opens, closes, err := models.DefaultNominationWindow(c.Request().Context(), a.DB, s, a.Now())
	if err != nil {
		return err
	}
	loc := s.Location()
	vals["opens_day"], vals["opens_time"] = opens.In(loc).Format(models.DateLayout), opens.In(loc).Format("15:04")
	vals["closes_day"], vals["closes_time"] = closes.In(loc).Format(models.DateLayout), closes.In(loc).Format("15:04")
	if sg := models.Suggestion(c.QueryParam("suggest")); sg != nil {
		vals["name"], vals["trait"], vals["description"] = sg.Name, sg.Trait, sg.Description
		fv.Intro = "Started from the suggested category “" + sg.Name + "”. Change anything you like."
	}
	setValues(fv, vals)
	return a.renderForm(c, fv, nil)
}

// CategoryCreate creates a category.
func (a *App) CategoryCreate(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	cat, err := models.SaveCategory(c.Request().Context(), a.DB, actor(c), s.ID, 0, categoryInput(formValues(c)), a.Now())
	if err != nil {
		fv := categoryForm(s, orgNewCategoryURL(s.ID), orgAwardsURL(s.ID))
		fv.Heading, fv.Submit = "New award category", "Create category"
		return a.renderForm(c, fv, err)
	}
	return a.redirect(c, orgJudgesURL(s.ID, cat.ID), a.withHints(c, s.ID, "“"+cat.Name+"” is created. Now assign its judges.", cat.Description))
}

// categoryValues fills the edit form. Derived moments stay empty, as they
// were entered: an announcement at the ceremony's start (so it keeps
// following the ceremony) and a judging close at the announcement (so moving
// the announcement moves it too, instead of blocking the move).
func categoryValues(cat *models.AwardCategory, loc *time.Location, ceremony *time.Time) map[string]string {
	day := func(t time.Time) string { return t.In(loc).Format(models.DateLayout) }
	hm := func(t time.Time) string { return t.In(loc).Format("15:04") }
	v := map[string]string{"name": cat.Name, "trait": cat.Trait, "description": cat.Description, "criteria": cat.Criteria,
		"winners": itoa(uint(cat.Winners)), "opens_day": day(cat.OpensAt), "opens_time": hm(cat.OpensAt), "closes_day": day(cat.ClosesAt),
		"closes_time": hm(cat.ClosesAt), "announce_day": day(cat.AnnounceAt), "announce_time": hm(cat.AnnounceAt),
		"judging_day": day(cat.JudgingClosesAt), "judging_time": hm(cat.JudgingClosesAt)}
	if ceremony != nil && cat.AnnounceAt.Equal(*ceremony) {
		v["announce_day"], v["announce_time"] = "", ""
	}
	if cat.JudgingClosesAt.Equal(cat.AnnounceAt) {
		v["judging_day"], v["judging_time"] = "", ""
	}
	if cat.AllowSelf {
		v["allow_self"] = "1"
	}
	if !cat.Blind {
		v["show_nominator"] = "1"
	}
	return v
}

func (a *App) orgCategory(c echo.Context) (*models.Summit, *models.AwardCategory, error) {
	s, id, err := a.orgSummitAndID(c, "category")
	if err != nil {
		return nil, nil, err
	}
	cat, err := models.GetCategory(c.Request().Context(), a.DB, s.ID, id)
	if err != nil {
		return nil, nil, err
	}
	// Every page and action of one category: a nominee may not run it.
	if err := models.MaySeeOutcome(c.Request().Context(), a.DB, cat, currentPerson(c).ID, a.Now()); err != nil {
		return nil, nil, outcomeRefused(err)
	}
	return s, cat, nil
}

// outcomeRefused turns the awards embargo's refusal of a nominee into a 403
// page that says why; other errors pass.
func outcomeRefused(err error) error {
	var oh *models.OutcomeHiddenError
	if errors.As(err, &oh) {
		return echo.NewHTTPError(http.StatusForbidden, oh.Error())
	}
	return err
}

func editCategoryForm(s *models.Summit, cat *models.AwardCategory) *FormView {
	base := orgCategoryURL(s.ID, cat.ID)
	fv := categoryForm(s, orgCategoryEditURL(s.ID, cat.ID), orgAwardsURL(s.ID))
	fv.Heading, fv.Submit = "Edit “"+cat.Name+"”", "Save category"
	fv.DeleteAction, fv.DeleteLabel = base+"/delete", "Delete this category and its nominations"
	return fv
}

// CategoryEdit shows a category's form.
func (a *App) CategoryEdit(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	fv := editCategoryForm(s, cat)
	ceremony, err := models.CeremonyStart(c.Request().Context(), a.DB, s.ID)
	if err != nil {
		return err
	}
	setValues(fv, categoryValues(cat, s.Location(), ceremony))
	return a.renderForm(c, fv, nil)
}

// CategoryUpdate saves a category.
func (a *App) CategoryUpdate(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	saved, err := models.SaveCategory(c.Request().Context(), a.DB, actor(c), s.ID, cat.ID, categoryInput(formValues(c)), a.Now())
	if err != nil {
		return a.renderForm(c, editCategoryForm(s, cat), outcomeRefused(err))
	}
	return a.redirect(c, orgAwardsURL(s.ID), a.withHints(c, s.ID, "“"+cat.Name+"” is saved.", saved.Description))
}

// CategoryDelete deletes a category.
func (a *App) CategoryDelete(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	if err := models.DeleteCategory(c.Request().Context(), a.DB, actor(c), s.ID, cat.ID, formValues(c)["confirm"], a.Now()); err != nil {
		if models.RefusalMessage(err) == "" {
			return outcomeRefused(err)
		}
		// Nominations would be lost: ask for the name, without JavaScript too.
		base := orgCategoryURL(s.ID, cat.ID)
		fv := &FormView{Heading: "Delete “" + cat.Name + "”?", Action: base + "/delete", Cancel: orgCategoryEditURL(s.ID, cat.ID), Back: orgCategoryEditURL(s.ID, cat.ID),
			Submit: "Delete the category and its nominations",
			Fields: []Field{{Name: "confirm", Label: "Type the category's name to confirm", Type: "text", Required: true,
				Attrs: map[string]string{"autocomplete": "off"}}}}
		if strings.TrimSpace(formValues(c)["confirm"]) == "" {
			fv.Intro = models.RefusalMessage(err)
			return a.renderForm(c, fv, nil)
		}
		return a.renderForm(c, fv, err)
	}
	return a.redirect(c, orgAwardsURL(s.ID), "“"+cat.Name+"” is deleted.")
}

// JudgesView is the judges page of a category.
type JudgesView struct {
	SummitView
	Category  *models.AwardCategory
	Judges    []models.Person
	People    []models.Person
	Picks     []PickOption
	Nominated map[uint]bool // judges nominated in this category
	Progress  *models.CategoryProgress
}

func (a *App) renderJudges(c echo.Context, s *models.Summit, cat *models.AwardCategory, form map[string]string, err error) error {
	ctx := c.Request().Context()
	code, fe, err := formStatus(err)
	if err != nil {
		return err
	}
	v := JudgesView{SummitView: summitView(s), Category: cat}
	var lerr error
	if v.Judges, lerr = models.ListJudges(ctx, a.DB, cat.ID); lerr != nil {
		return lerr
	}
	if v.People, lerr = models.Nominatable(ctx, a.DB); lerr != nil {
		return lerr
	}
	v.Picks = pickOptions(v.People)
	if v.Nominated, lerr = models.NominatedJudges(ctx, a.DB, cat.ID); lerr != nil {
		return lerr
	}
	prog, lerr := models.JudgingProgress(ctx, a.DB, s.ID)
	if lerr != nil {
		return lerr
	}
	for i := range prog {
		if prog[i].Category.ID == cat.ID {
			v.Progress = &prog[i]
		}
	}
	p := a.page(c, "Judges · "+cat.Name)
	p.Section, p.Summit, p.Data, p.Errors = "organise", s, v, fe
	if form != nil {
		p.Form = form
	}
	return a.render(c, code, "awards_judges", p)
}

// JudgesShow lists a category's judges and their progress.
func (a *App) JudgesShow(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	return a.renderJudges(c, s, cat, nil, nil)
}

// JudgeAdd assigns a judge.
func (a *App) JudgeAdd(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	form := formValues(c)
	people, err := models.Nominatable(ctx, a.DB)
	if err != nil {
		return err
	}
	pid := parseID(strings.TrimSpace(resolveNominee(people, form["person"])))
	if err := models.AddJudge(ctx, a.DB, actor(c), s.ID, cat.ID, pid, a.Now()); err != nil {
		return a.renderJudges(c, s, cat, form, outcomeRefused(err))
	}
	return a.redirect(c, orgJudgesURL(s.ID, cat.ID), "Judge added.")
}

// JudgeRemove takes a judge off a category.
func (a *App) JudgeRemove(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	pid, err := idParam(c, "person")
	if err != nil {
		return err
	}
	if err := models.RemoveJudge(c.Request().Context(), a.DB, actor(c), s.ID, cat.ID, pid, a.Now()); err != nil {
		return outcomeRefused(err)
	}
	return a.redirect(c, orgJudgesURL(s.ID, cat.ID), "Judge removed; their scores no longer count.")
}

// ResultsView is a category's ranking for organisers.
type ResultsView struct {
	SummitView
	Now      time.Time
	Category *models.AwardCategory
	Rows     []models.ResultRow
}

func (a *App) renderResults(c echo.Context, s *models.Summit, cat *models.AwardCategory, form map[string]string, err error) error {
	code, fe, err := formStatus(err)
	if err != nil {
		return err
	}
	_, rows, rerr := models.Results(c.Request().Context(), a.DB, s.ID, cat.ID)
	if rerr != nil {
		return rerr
	}
	p := a.page(c, "Results · "+cat.Name)
	p.Section, p.Summit, p.Errors = "organise", s, fe
	p.Data = ResultsView{SummitView: summitView(s), Now: a.Now(), Category: cat, Rows: rows}
	if form != nil {
		p.Form = form
	}
	return a.render(c, code, "awards_results", p)
}

// ResultsShow shows a category's ranking with the nominations' stories.
func (a *App) ResultsShow(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	return a.renderResults(c, s, cat, nil, nil)
}

// WinnersChoose records the winners of a category.
func (a *App) WinnersChoose(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	_ = c.Request().ParseForm()
	var ids []uint
	for _, v := range c.Request().PostForm["winner"] {
		if n := parseID(strings.TrimSpace(v)); n != 0 {
			ids = append(ids, n)
		}
	}
	form := formValues(c)
	if err := models.ChooseWinners(c.Request().Context(), a.DB, actor(c), s.ID, cat.ID, ids, form["reason"], a.Now()); err != nil {
		return a.renderResults(c, s, cat, form, outcomeRefused(err))
	}
	return a.redirect(c, orgResultsURL(s.ID, cat.ID), "Winners of “"+cat.Name+"” are chosen. They stay secret until the announcement.")
}

// CoverageView is the coverage chart page.
type CoverageView struct {
	SummitView
	Coverage *models.Coverage
}

// AwardsCoverage shows nominations per department, job title and who was served.
func (a *App) AwardsCoverage(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	cov, err := models.AwardCoverage(c.Request().Context(), a.DB, s.ID)
	if err != nil {
		return err
	}
	p := a.page(c, "Recognition coverage · "+s.Title)
	p.Section, p.Summit, p.Data = "organise", s, CoverageView{SummitView: summitView(s), Coverage: cov}
	return a.render(c, http.StatusOK, "awards_coverage", p)
}

// NominationsCSV downloads every nomination of a summit, for organisers.
func (a *App) NominationsCSV(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	rows, err := models.NominationsCSV(c.Request().Context(), a.DB, s.ID, s.Location(), currentPerson(c).ID, a.Now())
	if err != nil {
		return err
	}
	return sendCSV(c, "nominations-"+itoa(s.ID)+".csv", rows)
}
