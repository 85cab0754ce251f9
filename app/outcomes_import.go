package app

// Outcome values from a CSV file: upload, preview, commit; and the same
// format as a download.

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// OutcomeImportView is the outcome values import page: the upload form and,
// after an upload, the preview with every problem.
type OutcomeImportView struct {
	Preview                               *models.OutcomeImport
	Created, Updated, Unchanged, Measures int
	Columns                               []string
	Error                                 string
}

func (a *App) renderOutcomeImport(c echo.Context, code int, v *OutcomeImportView) error {
	v.Columns = models.OutcomeColumns
	if v.Preview != nil {
		v.Created, v.Updated, v.Unchanged, v.Measures = v.Preview.Counts()
	}
	p := a.page(c, "Import outcome values")
	p.Section = "organise"
	p.Data = v
	return a.render(c, code, "outcomes_import", p)
}

// OutcomeImportForm shows the upload form.
func (a *App) OutcomeImportForm(c echo.Context) error {
	return a.renderOutcomeImport(c, http.StatusOK, &OutcomeImportView{})
}

// OutcomeImportUpload reads a CSV file of values and stores a preview;
// nothing else changes yet.
func (a *App) OutcomeImportUpload(c echo.Context) error {
	data, name, problem, err := readCSVUpload(c, "That file is larger than 5 MB; an outcome values file is a few lines per edition. Check that you chose the right file.",
		"That file is empty. Choose the CSV file with the values.")
	if err != nil {
		return err
	}
	if problem != "" {
		return a.renderOutcomeImport(c, http.StatusUnprocessableEntity, &OutcomeImportView{Error: problem})
	}
	pv, err := models.CreateOutcomeImport(c.Request().Context(), a.DB, currentPerson(c).ID, name, data, a.Now())
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, orgOutcomesImportPreviewURL(pv.ID))
}

// OutcomeImportShow shows a stored preview.
func (a *App) OutcomeImportShow(c echo.Context) error {
	id, err := idParam(c, "import")
	if err != nil {
		return err
	}
	pv, err := models.GetOutcomeImport(c.Request().Context(), a.DB, id)
	if err != nil {
		return err
	}
	return a.renderOutcomeImport(c, http.StatusOK, &OutcomeImportView{Preview: pv})
}

// OutcomeImportCommit writes a preview without problems, all or nothing.
func (a *App) OutcomeImportCommit(c echo.Context) error {
	id, err := idParam(c, "import")
	if err != nil {
		return err
	}
	back := orgOutcomesImportPreviewURL(id)
	created, updated, err := models.CommitOutcomeImport(c.Request().Context(), a.DB, actor(c), id, a.Now())
	switch {
	case errors.Is(err, models.ErrImportCommitted):
		return a.redirect(c, back, "This file was already imported; nothing was imported twice.")
	case errors.Is(err, models.ErrImportHasProblems):
		return a.redirect(c, back, "Nothing was imported: the file has problems, or measures and summits changed since it was checked. Upload it again.")
	case err != nil:
		return err
	}
	return a.redirect(c, orgOutcomesURL(), fmt.Sprintf("Outcome values imported: %d new, %d changed.", created, updated))
}

// OutcomesCSV downloads every company value in the import format.
func (a *App) OutcomesCSV(c echo.Context) error {
	rows, err := models.OutcomesCSV(c.Request().Context(), a.DB)
	if err != nil {
		return err
	}
	return sendCSV(c, "outcome-values.csv", rows)
}
