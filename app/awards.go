package app

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// Awards: staff nominate, judges score, organisers choose winners, everyone
// sees the honorees after each category's announcement. Every rule lives in
// models/; these handlers parse, call and render.

func actor(c echo.Context) models.Actor { return models.ActorOf(currentPerson(c), c.RealIP()) }

func awardsURL(summitID uint) string { return "/summits/" + itoa(summitID) + "/awards" }

func orgAwardsURL(summitID uint) string { return "/organise/summits/" + itoa(summitID) + "/awards" }

// --- Staff ---

// AwardsStaffView is the staff awards page.
type AwardsStaffView struct {
	Summit     *models.Summit
	Loc        *time.Location
	Now        time.Time
	Categories []models.AwardCategory
	Mine       []models.Nomination
	Judging    []models.AwardCategory
	Announced  bool // some category has been announced
}

// AwardsHome sends a signed-in person to the awards of the current summit.
func (a *App) AwardsHome(c echo.Context) error {
	s, err := models.CurrentSummit(c.Request().Context(), a.DB, a.Now())
	if errors.Is(err, models.ErrNotFound) {
		return a.redirect(c, "/summits", "There is no summit with awards yet; the organisers will announce it.")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, awardsURL(s.ID))
}

// AwardsStaff lists a summit's award categories with their windows, the
// person's own nominations and the categories they judge. No counts.
func (a *App) AwardsStaff(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	me := currentPerson(c)
	v := AwardsStaffView{Summit: s, Loc: s.Location(), Now: a.Now()}
	if v.Categories, err = models.ListCategories(ctx, a.DB, s.ID); err != nil {
		return err
	}
	for _, cat := range v.Categories {
		v.Announced = v.Announced || cat.Announced(v.Now)
	}
	if v.Mine, err = models.MyNominations(ctx, a.DB, s.ID, me.ID); err != nil {
		return err
	}
	if v.Judging, err = models.JudgeCategories(ctx, a.DB, s.ID, me.ID); err != nil {
		return err
	}
	p := a.page(c, "Awards · "+s.Title)
	p.Section, p.Summit, p.Data = "awards", s, v
	return a.render(c, http.StatusOK, "awards_staff", p)
}

// NominateView is the nominate (or edit) form.
type NominateView struct {
	Summit     *models.Summit
	Loc        *time.Location
	Now        time.Time
	Categories []models.AwardCategory
	People     []models.Person
	Picks      []PickOption
	Editing    *models.Nomination
	Served     [][2]string
	Action     string
}

func personLabel(p *models.Person) string {
	if p.Department == "" {
		return p.Name
	}
	return p.Name + " (" + p.Department + ")"
}

// PickOption is one entry of the colleague picker's list.
type PickOption struct {
	ID          uint
	Label, Hint string
}

// pickOptions labels people "Name (Department)"; two people who would share
// a label get their email added, so that picking one never means the other.
func pickOptions(people []models.Person) []PickOption {
	count := map[string]int{}
	for i := range people {
		count[strings.ToLower(personLabel(&people[i]))]++
	}
	out := make([]PickOption, len(people))
	for i := range people {
		p := &people[i]
		l := personLabel(p)
		if count[strings.ToLower(l)] > 1 {
			if p.Department == "" {
				l = p.Name + " (" + p.Email + ")"
			} else {
				l = p.Name + " (" + p.Department + ", " + p.Email + ")"
			}
		}
		out[i] = PickOption{ID: p.ID, Label: l, Hint: p.JobTitle}
	}
	return out
}

// resolveNominee turns what was typed in the colleague picker (a label from
// the list, or a name alone when only one person has it) into a person id,
// or "" when it names nobody or more than one person.
func resolveNominee(people []models.Person, typed string) string {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return ""
	}
	var byName []models.Person
	for _, o := range pickOptions(people) {
		if strings.EqualFold(o.Label, typed) {
			return itoa(o.ID)
		}
	}
	for i := range people {
		if strings.EqualFold(people[i].Name, typed) {
			byName = append(byName, people[i])
		}
	}
	if len(byName) == 1 {
		return itoa(byName[0].ID)
	}
	return ""
}

func (a *App) nominateView(c echo.Context, s *models.Summit) (*NominateView, error) {
	ctx := c.Request().Context()
	v := &NominateView{Summit: s, Loc: s.Location(), Now: a.Now(), Served: models.ServedChoices, Action: awardsURL(s.ID) + "/nominate"}
	var err error
	if v.Categories, err = models.ListCategories(ctx, a.DB, s.ID); err != nil {
		return nil, err
	}
	if v.People, err = models.Nominatable(ctx, a.DB); err != nil {
		return nil, err
	}
	v.Picks = pickOptions(v.People)
	return v, nil
}

func (a *App) renderNominate(c echo.Context, v *NominateView, form map[string]string, err error) error {
	code := http.StatusOK
	var fe models.FieldErrors
	if err != nil {
		if !errors.As(err, &fe) {
			return err
		}
		code = http.StatusUnprocessableEntity
	}
	title := "Nominate a colleague"
	if v.Editing != nil {
		title = "Edit your nomination"
	}
	p := a.page(c, title)
	p.Section, p.Summit, p.Data, p.Errors = "awards", v.Summit, v, fe
	if form != nil {
		p.Form = form
	}
	return a.render(c, code, "awards_nominate", p)
}

// NominateForm shows the nominate form.
func (a *App) NominateForm(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	v, err := a.nominateView(c, s)
	if err != nil {
		return err
	}
	form := map[string]string{"category_id": c.QueryParam("category")}
	return a.renderNominate(c, v, form, nil)
}

// Nominate records a nomination by the signed-in person.
func (a *App) Nominate(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	v, err := a.nominateView(c, s)
	if err != nil {
		return err
	}
	form := formValues(c)
	in := models.NominationInput{CategoryID: form["category_id"], NomineeID: resolveNominee(v.People, form["nominee"]),
		Story: form["story"], Served: form["served"], Quotable: form["quotable"] != ""}
	n, err := models.Nominate(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, in, a.Now())
	if err != nil {
		return a.renderNominate(c, v, form, err)
	}
	_ = n
	return a.redirect(c, awardsURL(s.ID)+"#mine", "Thank you — your nomination is in. It stays confidential: only the judges and organisers read it. You can edit or withdraw it until nominations close.")
}

// NominationEdit shows the edit form of one's own nomination.
func (a *App) NominationEdit(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "nomination")
	if err != nil {
		return err
	}
	n, err := models.GetMyNomination(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, id)
	if err != nil {
		return err
	}
	v, err := a.nominateView(c, s)
	if err != nil {
		return err
	}
	v.Editing, v.Action = n, awardsURL(s.ID)+"/nominations/"+itoa(n.ID)+"/edit"
	form := map[string]string{"story": n.Story, "served": n.Served}
	if n.Quotable {
		form["quotable"] = "1"
	}
	return a.renderNominate(c, v, form, nil)
}

// NominationUpdate saves an edited nomination.
func (a *App) NominationUpdate(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "nomination")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	me := currentPerson(c)
	n, err := models.GetMyNomination(ctx, a.DB, s.ID, me.ID, id)
	if err != nil {
		return err
	}
	form := formValues(c)
	in := models.NominationInput{Story: form["story"], Served: form["served"], Quotable: form["quotable"] != ""}
	if _, err := models.UpdateNomination(ctx, a.DB, s.ID, me.ID, id, in, a.Now()); err != nil {
		v, verr := a.nominateView(c, s)
		if verr != nil {
			return verr
		}
		v.Editing, v.Action = n, awardsURL(s.ID)+"/nominations/"+itoa(n.ID)+"/edit"
		return a.renderNominate(c, v, form, err)
	}
	return a.redirect(c, awardsURL(s.ID)+"#mine", "Your nomination is updated.")
}

// NominationWithdraw withdraws one's own nomination.
func (a *App) NominationWithdraw(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	id, err := idParam(c, "nomination")
	if err != nil {
		return err
	}
	if err := models.WithdrawNomination(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, id, a.Now()); err != nil {
		if msg := models.RefusalMessage(err); msg != "" {
			return a.redirect(c, awardsURL(s.ID)+"#mine", msg)
		}
		return err
	}
	return a.redirect(c, awardsURL(s.ID)+"#mine", "Your nomination is withdrawn.")
}

// --- Judges ---

// JudgingView is a judge's list for one category.
type JudgingView struct {
	Summit   *models.Summit
	Loc      *time.Location
	Now      time.Time
	Category *models.AwardCategory
	Items    []models.JudgeItem
	Done     int
}

// JudgingQueue lists the nominations a judge may score in a category.
func (a *App) JudgingQueue(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	cid, err := idParam(c, "category")
	if err != nil {
		return err
	}
	cat, items, err := models.JudgeQueue(c.Request().Context(), a.DB, s.ID, cid, currentPerson(c).ID)
	if err != nil {
		return err
	}
	v := JudgingView{Summit: s, Loc: s.Location(), Now: a.Now(), Category: cat, Items: items}
	for _, it := range items {
		if it.MyScore != nil || it.Recusal != nil {
			v.Done++
		}
	}
	p := a.page(c, "Judging · "+cat.Name)
	p.Section, p.Summit, p.Data = "awards", s, v
	return a.render(c, http.StatusOK, "awards_judging", p)
}

// ScoreView is the score form of one nomination.
type ScoreView struct {
	Summit   *models.Summit
	Loc      *time.Location
	Now      time.Time
	Item     *models.JudgeItem
	Category *models.AwardCategory
	Criteria []ScoreCriterion
	Scale    []string
}

// ScoreCriterion is one criterion row of the score form.
type ScoreCriterion struct {
	Field, Name, Value string
}

func (a *App) renderScore(c echo.Context, s *models.Summit, it *models.JudgeItem, form map[string]string, err error) error {
	code := http.StatusOK
	var fe models.FieldErrors
	if err != nil {
		if !errors.As(err, &fe) {
			return err
		}
		code = http.StatusUnprocessableEntity
	}
	cat := it.Nomination.Category
	v := ScoreView{Summit: s, Loc: s.Location(), Now: a.Now(), Item: it, Category: cat, Scale: []string{"1", "2", "3", "4", "5"}}
	var pts []int
	if it.MyScore != nil {
		pts = it.MyScore.PointList()
	}
	for i, name := range cat.CriteriaList() {
		sc := ScoreCriterion{Field: "c" + itoa(uint(i)), Name: name}
		if i < len(pts) {
			sc.Value = itoa(uint(pts[i]))
		}
		if fv, ok := form[sc.Field]; ok {
			sc.Value = fv
		}
		v.Criteria = append(v.Criteria, sc)
	}
	p := a.page(c, "Score a nomination")
	p.Section, p.Summit, p.Data, p.Errors = "awards", s, v, fe
	if form != nil {
		p.Form = form
	} else if it.MyScore != nil {
		p.Form["comment"] = it.MyScore.Comment
	}
	return a.render(c, code, "awards_score", p)
}

func (a *App) judgeItem(c echo.Context) (*models.Summit, *models.JudgeItem, error) {
	s, err := a.publicSummit(c)
	if err != nil {
		return nil, nil, err
	}
	id, err := idParam(c, "nomination")
	if err != nil {
		return nil, nil, err
	}
	it, err := models.GetJudgeItem(c.Request().Context(), a.DB, s.ID, id, currentPerson(c).ID)
	return s, it, err
}

// ScoreForm shows a nomination to its judge with their own score.
func (a *App) ScoreForm(c echo.Context) error {
	s, it, err := a.judgeItem(c)
	if err != nil {
		return err
	}
	return a.renderScore(c, s, it, nil, nil)
}

// ScoreSave records or changes the judge's score.
func (a *App) ScoreSave(c echo.Context) error {
	s, it, err := a.judgeItem(c)
	if err != nil {
		return err
	}
	form := formValues(c)
	in := models.ScoreInput{Comment: form["comment"]}
	for i := range it.Nomination.Category.CriteriaList() {
		in.Points = append(in.Points, form["c"+itoa(uint(i))])
	}
	if _, err := models.SaveScore(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, it.Nomination.ID, in, a.Now()); err != nil {
		return a.renderScore(c, s, it, form, err)
	}
	return a.redirect(c, awardsURL(s.ID)+"/judging/"+itoa(it.Nomination.CategoryID), "Your score is saved. You can change it until judging closes.")
}

// ScoreRecuse records that the judge steps back from a nomination.
func (a *App) ScoreRecuse(c echo.Context) error {
	s, it, err := a.judgeItem(c)
	if err != nil {
		return err
	}
	form := formValues(c)
	if err := models.Recuse(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, it.Nomination.ID, form["reason"], a.Now()); err != nil {
		return a.renderScore(c, s, it, form, err)
	}
	return a.redirect(c, awardsURL(s.ID)+"/judging/"+itoa(it.Nomination.CategoryID), "You stepped back from that nomination; the organisers see your reason.")
}

// --- After the announcement ---

// HonoreesView is the public honorees page.
type HonoreesView struct {
	Summit    *models.Summit
	Loc       *time.Location
	Honorees  []models.Honoree
	Upcoming  []models.AwardSummary // categories not yet announced
	MyAwards  map[string]bool       // award names the signed-in person won
	Recognise bool                  // the My recognition page
}

// Honorees shows a summit's announced winners; before an announcement, only
// when it will be.
func (a *App) Honorees(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	now := a.Now()
	v := HonoreesView{Summit: s, Loc: s.Location(), MyAwards: map[string]bool{}}
	if v.Honorees, err = models.Honorees(ctx, a.DB, s.ID, now); err != nil {
		return err
	}
	sums, err := models.AwardSummaries(ctx, a.DB, s.ID)
	if err != nil {
		return err
	}
	for _, sm := range sums {
		if now.Before(sm.AnnounceAt) {
			v.Upcoming = append(v.Upcoming, sm)
		}
	}
	if me := currentPerson(c); me != nil {
		mine, err := models.MyRecognition(ctx, a.DB, me.ID, now)
		if err != nil {
			return err
		}
		for _, h := range mine {
			v.MyAwards[h.AwardName+"\x00"+h.PersonName] = true
		}
	}
	p := a.page(c, "Honorees · "+s.Title)
	p.Section, p.Summit, p.Data = "summits", s, v
	return a.render(c, http.StatusOK, "awards_honorees", p)
}

// MyRecognition shows the signed-in person's announced awards.
func (a *App) MyRecognition(c echo.Context) error {
	me := currentPerson(c)
	list, err := models.MyRecognition(c.Request().Context(), a.DB, me.ID, a.Now())
	if err != nil {
		return err
	}
	v := HonoreesView{Honorees: list, Recognise: true, Loc: time.UTC, MyAwards: map[string]bool{}}
	for _, h := range list {
		v.MyAwards[h.AwardName+"\x00"+h.PersonName] = true
	}
	p := a.page(c, "My recognition")
	p.Section, p.Data = "awards", v
	return a.render(c, http.StatusOK, "awards_honorees", p)
}

// --- Organisers ---

// AwardsOrgView is the organiser's awards overview.
type AwardsOrgView struct {
	Summit      *models.Summit
	Loc         *time.Location
	Now         time.Time
	Progress    []models.CategoryProgress
	Suggestions []models.SuggestedCategory
}

// AwardsOrganise lists categories with judging progress, and suggestions.
func (a *App) AwardsOrganise(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	v := AwardsOrgView{Summit: s, Loc: s.Location(), Now: a.Now(), Suggestions: models.SuggestedCategories}
	if v.Progress, err = models.JudgingProgress(c.Request().Context(), a.DB, s.ID); err != nil {
		return err
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
			{Name: "description", Label: "Description", Type: "textarea"},
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
	fv := categoryForm(s, orgAwardsURL(s.ID)+"/new", orgAwardsURL(s.ID))
	fv.Heading, fv.Submit = "New award category", "Create category"
	vals := map[string]string{"winners": "1", "criteria": strings.Join(models.DefaultCriteria, "\n")}
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
	cat, err := models.SaveCategory(c.Request().Context(), a.DB, actor(c), s.ID, 0, categoryInput(formValues(c)))
	if err != nil {
		fv := categoryForm(s, orgAwardsURL(s.ID)+"/new", orgAwardsURL(s.ID))
		fv.Heading, fv.Submit = "New award category", "Create category"
		return a.renderForm(c, fv, err)
	}
	return a.redirect(c, orgAwardsURL(s.ID)+"/"+itoa(cat.ID)+"/judges", "“"+cat.Name+"” is created. Now assign its judges.")
}

func categoryValues(cat *models.AwardCategory, loc *time.Location) map[string]string {
	day := func(t time.Time) string { return t.In(loc).Format(models.DateLayout) }
	hm := func(t time.Time) string { return t.In(loc).Format("15:04") }
	v := map[string]string{"name": cat.Name, "trait": cat.Trait, "description": cat.Description, "criteria": cat.Criteria,
		"winners": itoa(uint(cat.Winners)), "opens_day": day(cat.OpensAt), "opens_time": hm(cat.OpensAt), "closes_day": day(cat.ClosesAt),
		"closes_time": hm(cat.ClosesAt), "announce_day": day(cat.AnnounceAt), "announce_time": hm(cat.AnnounceAt),
		"judging_day": day(cat.JudgingClosesAt), "judging_time": hm(cat.JudgingClosesAt)}
	if cat.AllowSelf {
		v["allow_self"] = "1"
	}
	if !cat.Blind {
		v["show_nominator"] = "1"
	}
	return v
}

func (a *App) orgCategory(c echo.Context) (*models.Summit, *models.AwardCategory, error) {
	s, err := a.orgSummit(c)
	if err != nil {
		return nil, nil, err
	}
	id, err := idParam(c, "category")
	if err != nil {
		return nil, nil, err
	}
	cat, err := models.GetCategory(c.Request().Context(), a.DB, s.ID, id)
	return s, cat, err
}

func editCategoryForm(s *models.Summit, cat *models.AwardCategory) *FormView {
	base := orgAwardsURL(s.ID) + "/" + itoa(cat.ID)
	fv := categoryForm(s, base+"/edit", orgAwardsURL(s.ID))
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
	setValues(fv, categoryValues(cat, s.Location()))
	return a.renderForm(c, fv, nil)
}

// CategoryUpdate saves a category.
func (a *App) CategoryUpdate(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	if _, err := models.SaveCategory(c.Request().Context(), a.DB, actor(c), s.ID, cat.ID, categoryInput(formValues(c))); err != nil {
		return a.renderForm(c, editCategoryForm(s, cat), err)
	}
	return a.redirect(c, orgAwardsURL(s.ID), "“"+cat.Name+"” is saved.")
}

// CategoryDelete deletes a category.
func (a *App) CategoryDelete(c echo.Context) error {
	s, cat, err := a.orgCategory(c)
	if err != nil {
		return err
	}
	if err := models.DeleteCategory(c.Request().Context(), a.DB, actor(c), s.ID, cat.ID, formValues(c)["confirm"]); err != nil {
		if models.RefusalMessage(err) == "" {
			return err
		}
		// Nominations would be lost: ask for the name, without JavaScript too.
		base := orgAwardsURL(s.ID) + "/" + itoa(cat.ID)
		fv := &FormView{Heading: "Delete “" + cat.Name + "”?", Action: base + "/delete", Cancel: base + "/edit", Back: base + "/edit",
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
	Summit    *models.Summit
	Category  *models.AwardCategory
	Judges    []models.Person
	People    []models.Person
	Picks     []PickOption
	Nominated map[uint]bool // judges nominated in this category
	Progress  *models.CategoryProgress
}

func (a *App) renderJudges(c echo.Context, s *models.Summit, cat *models.AwardCategory, form map[string]string, err error) error {
	ctx := c.Request().Context()
	code := http.StatusOK
	var fe models.FieldErrors
	if err != nil {
		if !errors.As(err, &fe) {
			return err
		}
		code = http.StatusUnprocessableEntity
	}
	v := JudgesView{Summit: s, Category: cat}
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
	pid := parseUint(resolveNominee(people, form["person"]))
	if err := models.AddJudge(ctx, a.DB, actor(c), s.ID, cat.ID, pid); err != nil {
		return a.renderJudges(c, s, cat, form, err)
	}
	return a.redirect(c, orgAwardsURL(s.ID)+"/"+itoa(cat.ID)+"/judges", "Judge added.")
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
	if err := models.RemoveJudge(c.Request().Context(), a.DB, actor(c), s.ID, cat.ID, pid); err != nil {
		return err
	}
	return a.redirect(c, orgAwardsURL(s.ID)+"/"+itoa(cat.ID)+"/judges", "Judge removed; their scores no longer count.")
}

// ResultsView is a category's ranking for organisers.
type ResultsView struct {
	Summit   *models.Summit
	Loc      *time.Location
	Now      time.Time
	Category *models.AwardCategory
	Rows     []models.ResultRow
}

func (a *App) renderResults(c echo.Context, s *models.Summit, cat *models.AwardCategory, form map[string]string, err error) error {
	code := http.StatusOK
	var fe models.FieldErrors
	if err != nil {
		if !errors.As(err, &fe) {
			return err
		}
		code = http.StatusUnprocessableEntity
	}
	_, rows, rerr := models.Results(c.Request().Context(), a.DB, s.ID, cat.ID)
	if rerr != nil {
		return rerr
	}
	p := a.page(c, "Results · "+cat.Name)
	p.Section, p.Summit, p.Errors = "organise", s, fe
	p.Data = ResultsView{Summit: s, Loc: s.Location(), Now: a.Now(), Category: cat, Rows: rows}
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
		if n := parseUint(v); n != 0 {
			ids = append(ids, n)
		}
	}
	form := formValues(c)
	if err := models.ChooseWinners(c.Request().Context(), a.DB, actor(c), s.ID, cat.ID, ids, form["reason"], a.Now()); err != nil {
		return a.renderResults(c, s, cat, form, err)
	}
	return a.redirect(c, orgAwardsURL(s.ID)+"/"+itoa(cat.ID)+"/results", "Winners of “"+cat.Name+"” are chosen. They stay secret until the announcement.")
}

// CoverageView is the coverage chart page.
type CoverageView struct {
	Summit   *models.Summit
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
	p.Section, p.Summit, p.Data = "organise", s, CoverageView{Summit: s, Coverage: cov}
	return a.render(c, http.StatusOK, "awards_coverage", p)
}

// NominationsCSV downloads every nomination of a summit, for organisers.
func (a *App) NominationsCSV(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	rows, err := models.NominationsCSV(c.Request().Context(), a.DB, s.ID, s.Location())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="nominations-`+itoa(s.ID)+`.csv"`)
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

func parseUint(s string) uint {
	var n uint
	for _, r := range strings.TrimSpace(s) {
		if r < '0' || r > '9' || n > 1<<31 {
			return 0
		}
		n = n*10 + uint(r-'0')
	}
	return n
}
