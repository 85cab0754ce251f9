package app

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// CommitmentsView is a summit's commitments (staff and organisers).
type CommitmentsView struct {
	SummitView
	Rows []models.CommitmentRow
	Org  bool
}

// CommitmentsList shows what a summit committed to, with owners, due dates
// and last statuses.
func (a *App) CommitmentsList(c echo.Context) error {
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	v := CommitmentsView{SummitView: summitView(s), Org: currentPerson(c).IsOrganiser()}
	if v.Rows, err = models.ListCommitments(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID); err != nil {
		return err
	}
	p := a.page(c, "Commitments of "+s.Title)
	p.Section, p.Summit, p.Data = "ideas", s, v
	return a.render(c, http.StatusOK, "commitments_list", p)
}

// MyCommitments lists the commitments the person owns or follows.
func (a *App) MyCommitments(c echo.Context) error {
	rows, err := models.FollowedCommitments(c.Request().Context(), a.DB, currentPerson(c).ID)
	if err != nil {
		return err
	}
	p := a.page(c, "Commitments I own or follow")
	p.Section, p.Data = "ideas", CommitmentsView{SummitView: SummitView{Loc: time.UTC}, Rows: rows}
	return a.render(c, http.StatusOK, "commitments_list", p)
}

// CommitmentView is one commitment's page.
type CommitmentView struct {
	SummitView
	C        *models.CommitmentPage
	MayPost  bool // the owner or an organiser
	Org      bool
	Statuses []Option
}

// CommitmentShow shows a commitment with its updates, the follow button
// and, for its owner and organisers, the status form.
func (a *App) CommitmentShow(c echo.Context) error {
	return a.renderCommitment(c, http.StatusOK, nil)
}

func (a *App) renderCommitment(c echo.Context, code int, errs models.FieldErrors) error {
	s, id, err := a.publicSummitAndID(c, "commitment")
	if err != nil {
		return err
	}
	me := currentPerson(c)
	cp, err := models.GetCommitment(c.Request().Context(), a.DB, s.ID, id, me.ID)
	if err != nil {
		return err
	}
	v := CommitmentView{SummitView: summitView(s), C: cp, Org: me.IsOrganiser(), MayPost: me.IsOrganiser() || cp.Row.OwnerID == me.ID}
	for _, st := range models.CommitmentStatuses {
		v.Statuses = append(v.Statuses, Option{Value: string(st), Label: models.CommitmentStatusLabel(st)})
	}
	p := a.page(c, cp.Row.What)
	p.Section, p.Summit, p.Errors, p.Data = "ideas", s, errs, v
	p.Form = map[string]string{"status": string(cp.Row.Status)}
	if errs != nil {
		p.Form = formValues(c)
	}
	return a.render(c, code, "commitments_show", p)
}

// commitmentAction runs a change on a commitment and returns to its page.
func (a *App) commitmentAction(c echo.Context, do func(s *models.Summit, id uint) (string, error)) error {
	s, id, err := a.publicSummitAndID(c, "commitment")
	if err != nil {
		return err
	}
	msg, err := do(s, id)
	if fe := fieldErrs(err); fe != nil {
		return a.renderCommitment(c, http.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	return a.redirect(c, commitmentURL(s.ID, id), msg)
}

// CommitmentStatus posts a status update (the owner or an organiser).
func (a *App) CommitmentStatus(c echo.Context) error {
	return a.commitmentAction(c, func(s *models.Summit, id uint) (string, error) {
		me := currentPerson(c)
		in := models.CommitmentUpdateInput{Status: models.CommitmentStatus(c.FormValue("status")), Note: c.FormValue("note")}
		return "Update posted: " + models.CommitmentStatusLabel(in.Status) + ".", models.PostCommitmentUpdate(c.Request().Context(), a.DB, actor(c), s.ID, id, me.ID, me.IsOrganiser(), in, a.Now())
	})
}

// CommitmentFollow makes the person follow a commitment.
func (a *App) CommitmentFollow(c echo.Context) error {
	return a.commitmentAction(c, func(s *models.Summit, id uint) (string, error) {
		return "You follow this commitment: it is listed under your commitments.", models.FollowCommitment(c.Request().Context(), a.DB, s.ID, id, currentPerson(c).ID, true, a.Now())
	})
}

// CommitmentUnfollow stops following a commitment.
func (a *App) CommitmentUnfollow(c echo.Context) error {
	return a.commitmentAction(c, func(s *models.Summit, id uint) (string, error) {
		return "You no longer follow this commitment.", models.FollowCommitment(c.Request().Context(), a.DB, s.ID, id, currentPerson(c).ID, false, a.Now())
	})
}

// --- Organisers ---

// CommitmentsOrganise lists a summit's commitments for organisers.
func (a *App) CommitmentsOrganise(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	v := CommitmentsView{SummitView: summitView(s), Org: true}
	if v.Rows, err = models.ListCommitments(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID); err != nil {
		return err
	}
	p := a.page(c, "Commitments · "+s.Title)
	p.Section, p.Summit, p.Data = "organise", s, v
	return a.render(c, http.StatusOK, "commitments_org", p)
}

// commitmentForm is the form for a new or edited commitment; people fill
// the owner picker, ideas the idea choice.
func (a *App) commitmentForm(c echo.Context, s *models.Summit, cur *models.Commitment) (*FormView, []models.Person, error) {
	ctx := c.Request().Context()
	people, err := models.ListPeople(ctx, a.DB, models.PeopleFilter{})
	if err != nil {
		return nil, nil, err
	}
	var active []models.Person
	for _, p := range people {
		if p.Active {
			active = append(active, p)
		}
	}
	ideas, err := models.ListIdeas(ctx, a.DB, s.ID, models.IdeaFilter{})
	if err != nil {
		return nil, nil, err
	}
	ideaOpts := []Option{{Value: "", Label: "None (decided at the workshop)"}}
	for _, i := range ideas {
		ideaOpts = append(ideaOpts, Option{Value: itoa(i.ID), Label: i.Title})
	}
	var labels []string
	for _, o := range pickOptions(active) {
		labels = append(labels, o.Label)
	}
	fv := &FormView{Heading: "A commitment for the year", Action: orgNewCommitmentURL(s.ID), Submit: "Save commitment", Cancel: orgCommitmentsURL(s.ID),
		Intro: "What the summit promises, one person who answers for it, when it is due and how everyone will see it worked. The owner posts status updates through the year; the next summit shows where it ended.",
		Fields: []Field{
			{Name: "what", Label: "What we commit to", Type: "text", Required: true, Attrs: map[string]string{"maxlength": "300"}},
			{Name: "owner", Label: "Owner", Type: "text", Required: true, Datalist: labels, Help: "Start typing a name and pick from the list."},
			{Name: "due_date", Label: "Due", Type: "date", Required: true},
			{Name: "success", Label: "How success will be seen", Type: "textarea", Hinted: true},
			{Name: "idea_id", Label: "From the idea", Type: "select", Options: ideaOpts},
		}}
	if cur != nil {
		fv.Heading, fv.Action = "Edit the commitment", orgCommitmentEditURL(s.ID, cur.ID)
		owner := ""
		for _, o := range pickOptions(active) {
			if o.ID == cur.OwnerID {
				owner = o.Label
			}
		}
		fv.fill(map[string]string{"what": cur.What, "owner": owner, "due_date": cur.DueDate, "success": cur.Success, "idea_id": idstrOf(cur.IdeaID)}, nil, nil)
	} else if id, err := strconv.ParseUint(c.QueryParam("idea"), 10, 32); err == nil {
		for _, i := range ideas {
			if i.ID == uint(id) {
				fv.fill(map[string]string{"what": i.Title, "idea_id": itoa(i.ID)}, nil, nil)
			}
		}
	}
	return fv, active, nil
}

func idstrOf(p *uint) string {
	if p == nil {
		return ""
	}
	return itoa(*p)
}

// CommitmentNew shows the form for a new commitment (?idea= fills it from an idea).
func (a *App) CommitmentNew(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	fv, _, err := a.commitmentForm(c, s, nil)
	if err != nil {
		return err
	}
	return a.renderForm(c, fv, nil)
}

// CommitmentEdit shows the form for an existing commitment.
func (a *App) CommitmentEdit(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "commitment")
	if err != nil {
		return err
	}
	cp, err := models.GetCommitment(c.Request().Context(), a.DB, s.ID, id, 0)
	if err != nil {
		return err
	}
	fv, _, err := a.commitmentForm(c, s, &cp.Row.Commitment)
	if err != nil {
		return err
	}
	return a.renderForm(c, fv, nil)
}

// CommitmentSave stores a new or edited commitment.
func (a *App) CommitmentSave(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	var id uint
	var cur *models.Commitment
	if c.Param("commitment") != "" {
		if id, err = idParam(c, "commitment"); err != nil {
			return err
		}
		cp, err := models.GetCommitment(c.Request().Context(), a.DB, s.ID, id, 0)
		if err != nil {
			return err
		}
		cur = &cp.Row.Commitment
	}
	fv, people, err := a.commitmentForm(c, s, cur)
	if err != nil {
		return err
	}
	in := models.CommitmentInput{What: c.FormValue("what"), OwnerID: resolveNominee(people, c.FormValue("owner")), DueDate: c.FormValue("due_date"),
		Success: c.FormValue("success"), IdeaID: c.FormValue("idea_id")}
	saved, err := models.SaveCommitment(c.Request().Context(), a.DB, actor(c), s.ID, id, in, a.Now())
	if err != nil {
		return a.renderForm(c, fv, err)
	}
	return a.redirect(c, commitmentURL(s.ID, saved.ID), a.withHints(c, s.ID, "Commitment saved; its owner can post updates on this page.", saved.Success))
}
