package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

const tooLarge = "That file is larger than 5 MB. Split the directory into smaller files (the import updates people by email, so several files add up) and upload them one by one."

// ImportView is the directory import page: the upload form and, after an
// upload, the preview with every problem.
type ImportView struct {
	Preview   *models.ImportPreview
	Created   int
	Updated   int
	Unchanged int
	Columns   []string
	Error     string
}

// ImportForm shows the upload form.
func (a *App) ImportForm(c echo.Context) error {
	return a.renderImport(c, http.StatusOK, &ImportView{})
}

func (a *App) renderImport(c echo.Context, code int, v *ImportView) error {
	v.Columns = models.DirectoryColumns
	if v.Preview != nil {
		v.Created, v.Updated, v.Unchanged = v.Preview.Counts()
	}
	p := a.page(c, "Import the directory")
	p.Section = "admin"
	p.Data = v
	return a.render(c, code, "accounts_import", p)
}

// ImportUpload reads a CSV file and stores a preview; nothing is written to
// the directory yet.
func (a *App) ImportUpload(c echo.Context) error {
	data, name, problem, err := readCSVUpload(c, tooLarge, "That file is empty. Choose the CSV file with the directory.")
	if err != nil {
		return err
	}
	if problem != "" {
		return a.renderImport(c, http.StatusUnprocessableEntity, &ImportView{Error: problem})
	}
	pv, err := models.CreateImportPreview(c.Request().Context(), a.DB, currentPerson(c).ID, name, data)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, peopleImportPreviewURL(pv.ID))
}

// readCSVUpload reads the uploaded CSV file of a form (field "file"), at most
// models.MaxImportBytes: a larger one is a 413 with tooLargeMsg, a missing or
// empty one a problem to show with the form (emptyMsg).
func readCSVUpload(c echo.Context, tooLargeMsg, emptyMsg string) (data []byte, name, problem string, err error) {
	if c.Request().ContentLength > models.MaxImportBytes+64<<10 {
		return nil, "", "", echo.NewHTTPError(http.StatusRequestEntityTooLarge, tooLargeMsg)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) || strings.Contains(err.Error(), "too large") {
			return nil, "", "", echo.NewHTTPError(http.StatusRequestEntityTooLarge, tooLargeMsg)
		}
		return nil, "", "Choose a CSV file to upload.", nil
	}
	if fh.Size > models.MaxImportBytes {
		return nil, "", "", echo.NewHTTPError(http.StatusRequestEntityTooLarge, tooLargeMsg)
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", "", err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, models.MaxImportBytes+1))
	if err != nil {
		return nil, "", "", err
	}
	if len(data) > models.MaxImportBytes {
		return nil, "", "", echo.NewHTTPError(http.StatusRequestEntityTooLarge, tooLargeMsg)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, "", emptyMsg, nil
	}
	return data, fh.Filename, "", nil
}

// ImportShow shows a stored preview: what would change and every problem.
func (a *App) ImportShow(c echo.Context) error {
	id, err := idParam(c, "import")
	if err != nil {
		return err
	}
	pv, err := models.GetImportPreview(c.Request().Context(), a.DB, id)
	if err != nil {
		return err
	}
	return a.renderImport(c, http.StatusOK, &ImportView{Preview: pv})
}

// ImportCommit writes a preview without problems to the directory, all or nothing.
func (a *App) ImportCommit(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c, "import")
	if err != nil {
		return err
	}
	res, err := models.CommitImport(ctx, a.DB, id, actor(c))
	var fe models.FieldErrors
	switch {
	case errors.Is(err, models.ErrImportCommitted):
		return a.redirect(c, peopleImportPreviewURL(id), "This file was already imported (from another tab, or by another admin); nothing was imported twice.")
	case errors.Is(err, models.ErrImportHasProblems):
		return a.redirect(c, peopleImportPreviewURL(id), "Nothing was imported: the file has problems. Fix them and upload it again.")
	case errors.As(err, &fe):
		pv, gerr := models.GetImportPreview(ctx, a.DB, id)
		if gerr != nil {
			return gerr
		}
		return a.renderImport(c, http.StatusUnprocessableEntity, &ImportView{Preview: pv, Error: "Nothing was imported: " + firstMessage(fe)})
	case err != nil:
		return err
	}
	msg := fmt.Sprintf("Directory imported: %d new, %d updated, %d unchanged.", res.Created, res.Updated, res.Unchanged)
	if n, err := models.CountWithoutPassword(c.Request().Context(), a.DB); err == nil && n > 0 {
		// Next step: invite them, from the people list in one step.
		a.flashLink(c, msg+fmt.Sprintf(" %d people cannot sign in yet.", n), &Link{Href: peopleURL() + "#invite-form", Label: "Invite them from the people list"})
		return c.Redirect(http.StatusSeeOther, peopleURL())
	}
	return a.redirect(c, peopleURL(), msg)
}

// PeopleCSV downloads the directory in the import format, with when each
// person was invited and last signed in.
func (a *App) PeopleCSV(c echo.Context) error {
	rows, err := models.DirectoryCSV(c.Request().Context(), a.DB)
	if err != nil {
		return err
	}
	return sendCSV(c, "summit-directory-"+a.Now().UTC().Format("2006-01-02")+".csv", rows)
}

// AuditView is the admin audit log page.
type AuditView struct {
	Events      []models.AuditEvent
	Actors      []models.AuditActorOption
	Actions     []string
	RecordTypes []string
	Actor       string
	Action      string
	RecordType  string
	RecordID    string
	From, To    string
	Pager       Pager
	Error       string
}

const auditPageSize = 50

// AuditLog lists audit events for admins, newest first, with filters.
func (a *App) AuditLog(c echo.Context) error {
	ctx := c.Request().Context()
	v := &AuditView{Actor: c.QueryParam("actor"), Action: c.QueryParam("action"), RecordType: c.QueryParam("record_type"),
		RecordID: strings.TrimSpace(c.QueryParam("record_id")), From: c.QueryParam("from"), To: c.QueryParam("to")}
	pg := models.Paging{Number: pageParam(c), Per: auditPageSize}
	if pg.Number > 100000 {
		pg.Number = 1
	}
	f := models.AuditFilter{Action: v.Action, RecordType: v.RecordType, RecordID: v.RecordID,
		ViewerID: currentPerson(c).ID, Now: a.Now()} // an admin nominated for an award does not read its trail before the announcement
	if v.Actor != "" {
		n, err := strconv.ParseUint(v.Actor, 10, 32)
		if err != nil {
			v.Error = "Pick a person from the list."
		}
		f.ActorID = uint(n)
	}
	if v.From != "" {
		t, err := time.Parse(models.DateLayout, v.From)
		if err != nil {
			v.Error = "Enter the from date as YYYY-MM-DD."
		}
		f.Since = t
	}
	if v.To != "" {
		t, err := time.Parse(models.DateLayout, v.To)
		if err != nil {
			v.Error = "Enter the to date as YYYY-MM-DD."
		} else {
			f.Until = t.AddDate(0, 0, 1)
		}
	}
	var err error
	if v.Actors, v.Actions, v.RecordTypes, err = models.AuditChoices(ctx, a.DB); err != nil {
		return err
	}
	code := http.StatusOK
	if v.Error == "" {
		if v.Events, pg, err = models.AuditPage(ctx, a.DB, f, pg); err != nil {
			return err
		}
		filter := url.Values{"actor": {v.Actor}, "action": {v.Action}, "record_type": {v.RecordType},
			"record_id": {v.RecordID}, "from": {v.From}, "to": {v.To}}
		v.Pager = pagerURLs(pg, func(n uint) string { return auditPageURL(filter, n) })
		v.Pager.Label = fmt.Sprintf("Page %d", pg.Number)
	} else {
		code = http.StatusUnprocessableEntity
	}
	p := a.page(c, "Audit log")
	p.Section = "admin"
	p.Data = v
	return a.render(c, code, "accounts_audit", p)
}
