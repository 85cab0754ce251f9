package app

// Sessions from a CSV file: upload, preview (every problem by line and
// column, what will be created and updated, who will be told), commit; the
// template and the current sessions in the same format.

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// SessionsImportView is the sessions import page of a summit: the upload
// form and, after an upload, the preview.
type SessionsImportView struct {
	SummitView
	Preview *models.SessionImport
	Counts  models.SessionImportCounts
	Columns []string
	Error   string
	// Head and Cells are the file's lines as the preview's table shows them.
	Head  []string
	Cells [][]string
}

func (a *App) renderSessionsImport(c echo.Context, s *models.Summit, code int, v *SessionsImportView) error {
	v.SummitView, v.Columns = summitView(s), models.SessionColumns
	if v.Preview != nil {
		v.Counts = v.Preview.Counts()
		v.Head = []string{"Line", "Key", "Title", "Kind", "When", "Room", "Speakers", "Change"}
		for _, r := range v.Preview.Rows {
			change := r.Action
			if change == "new" {
				change = "create"
			}
			v.Cells = append(v.Cells, []string{strconv.Itoa(r.Line), r.Key, r.Title, r.Kind, r.Day + " " + r.Start + "–" + r.End, r.Room, r.Speakers, change})
		}
	}
	p := a.organisePage(c, s, "Import sessions · "+s.Title)
	p.Data = v
	return a.render(c, code, "sessions_import", p)
}

// SessionsImportForm shows the upload form.
func (a *App) SessionsImportForm(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	return a.renderSessionsImport(c, s, http.StatusOK, &SessionsImportView{})
}

// SessionsImportUpload reads a sessions file, checks every line against the
// summit and stores the preview; nothing else changes yet.
func (a *App) SessionsImportUpload(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	data, name, problem, err := readCSVUpload(c, "That file is larger than 5 MB; a sessions file is a line per session. Check that you chose the right file, or split it (importing again updates sessions by key).",
		"That file is empty. Choose the CSV file with the sessions.")
	if err != nil {
		return err
	}
	if problem != "" {
		return a.renderSessionsImport(c, s, http.StatusUnprocessableEntity, &SessionsImportView{Error: problem})
	}
	pv, err := models.CreateSessionImport(c.Request().Context(), a.DB, actor(c), s.ID, name, data, a.Now())
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, orgSessionsImportPreviewURL(s.ID, pv.ID))
}

// SessionsImportShow shows a stored preview.
func (a *App) SessionsImportShow(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "sessions_import")
	if err != nil {
		return err
	}
	pv, err := models.GetSessionImport(c.Request().Context(), a.DB, s.ID, id)
	if err != nil {
		return err
	}
	return a.renderSessionsImport(c, s, http.StatusOK, &SessionsImportView{Preview: pv})
}

// SessionsImportCommit imports a preview without problems, all or nothing.
// When the agenda changed since the upload, the problems found now are
// shown and nothing is written.
func (a *App) SessionsImportCommit(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "sessions_import")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	back := orgSessionsImportPreviewURL(s.ID, id)
	res, err := models.CommitSessionImport(ctx, a.DB, actor(c), s.ID, id, a.Now())
	var probs models.ImportProblems
	switch {
	case errors.Is(err, models.ErrImportCommitted):
		return a.redirect(c, back, "This file was already imported (from another tab, or by another organiser); nothing was imported twice.")
	case errors.Is(err, models.ErrImportHasProblems):
		return a.redirect(c, back, "Nothing was imported: the file has problems. Fix them and upload it again.")
	case errors.As(err, &probs):
		pv, gerr := models.GetSessionImport(ctx, a.DB, s.ID, id)
		if gerr != nil {
			return gerr
		}
		pv.Problems = probs
		return a.renderSessionsImport(c, s, http.StatusUnprocessableEntity, &SessionsImportView{Preview: pv,
			Error: "Nothing was imported: the agenda changed since the file was checked. Fix these lines and upload the file again."})
	case err != nil:
		return err
	}
	msg := fmt.Sprintf("Sessions imported: %d new, %d updated, %d unchanged.", res.Created, res.Updated, res.Unchanged)
	if n := len(res.Changes); n > 0 {
		msg += fmt.Sprintf(" People in %d moved %s were told in Notices.", n, plural(n, "session", "sessions"))
	}
	return a.redirect(c, orgAgendaURL(s.ID), msg)
}

// SessionsImportTemplate downloads an example file in the import format,
// with the summit's own days, rooms and tracks.
func (a *App) SessionsImportTemplate(c echo.Context) error {
	return a.summitCSV(c, a.orgSummit, "sessions-template", models.SessionsTemplateCSV)
}

// SessionsImportExport downloads the summit's sessions in the import
// format, to edit and import again.
func (a *App) SessionsImportExport(c echo.Context) error {
	return a.summitCSV(c, a.orgSummit, "sessions-import", models.SessionsImportCSV)
}
