package app

import (
	"errors"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// Changing an idea (its author while ideas are open, organisers to moderate)
// and the organisers' CSV of every idea. The rule is models.MayEditIdea.

func ideaEditForm(s *models.Summit, i *models.IdeaRow, mine bool) *FormView {
	intro := "You can change your idea while ideas are open. People who voted keep their votes, so keep its meaning."
	if !mine {
		intro = "You are changing someone else's idea as an organiser (moderation): the change is kept in the audit log with the text before and after."
	}
	return &FormView{
		Heading: "Change the idea", Action: ideaEditURL(s.ID, i.ID), Submit: "Save changes", Cancel: ideaURL(s.ID, i.ID), Intro: intro,
		Fields: []Field{
			{Name: "title", Label: "Your idea in one line", Type: "text", Required: true, Value: i.Title, Attrs: map[string]string{"maxlength": "120"}},
			{Name: "change", Label: "What would change", Type: "textarea", Required: true, Hinted: true, Value: i.Change,
				Help: "What would people notice? Who would do what differently?"},
		},
	}
}

// editableIdea loads the idea of the path for the signed-in person and says
// whether they may change it now ("") or why not.
func (a *App) editableIdea(c echo.Context) (s *models.Summit, row *models.IdeaRow, refused string, err error) {
	ctx := c.Request().Context()
	s, id, err := a.publicSummitAndID(c, "idea")
	if err != nil {
		return nil, nil, "", err
	}
	me := currentPerson(c)
	ip, err := models.GetIdea(ctx, a.DB, s.ID, id, me.ID, me.IsOrganiser())
	if err != nil {
		return nil, nil, "", err
	}
	w, err := models.GetIdeaWindow(ctx, a.DB, s)
	if err != nil {
		return nil, nil, "", err
	}
	if no := models.MayEditIdea(&ip.Row.Idea, w, me, a.Now()); no != nil {
		refused = no.Error()
	}
	return s, &ip.Row, refused, nil
}

// IdeaEdit shows the form to change an idea, or says on its page why the
// person may not.
func (a *App) IdeaEdit(c echo.Context) error {
	s, row, refused, err := a.editableIdea(c)
	if err != nil {
		return err
	}
	if refused != "" {
		return a.redirect(c, ideaURL(s.ID, row.ID), refused)
	}
	return a.renderForm(c, ideaEditForm(s, row, row.Mine), nil)
}

// IdeaUpdate stores the changed title and text; bad input comes back beside
// the fields, kept.
func (a *App) IdeaUpdate(c echo.Context) error {
	s, row, refused, err := a.editableIdea(c)
	if err != nil {
		return err
	}
	if refused != "" {
		return a.redirect(c, ideaURL(s.ID, row.ID), refused)
	}
	in := models.IdeaEditInput{Title: c.FormValue("title"), Change: c.FormValue("change")}
	idea, err := models.EditIdea(c.Request().Context(), a.DB, actor(c), s.ID, row.ID, currentPerson(c).ID, in, a.Now())
	var no models.IdeaEditRefused
	if errors.As(err, &no) { // the window closed or the idea was hidden meanwhile
		return a.redirect(c, ideaURL(s.ID, row.ID), no.Error())
	}
	if err != nil {
		return a.renderForm(c, ideaEditForm(s, row, row.Mine), err)
	}
	return a.redirect(c, ideaURL(s.ID, idea.ID), a.withHints(c, s.ID, "Your changes are saved.", idea.Title, idea.Change))
}

// IdeasCSV downloads every idea of a summit with its votes, state,
// shortlist and commitments (organisers; anonymous ideas name nobody).
func (a *App) IdeasCSV(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	rows, err := models.IdeasCSV(c.Request().Context(), a.DB, s)
	if err != nil {
		return err
	}
	return sendCSV(c, fileName(s, "ideas", "csv"), rows)
}
