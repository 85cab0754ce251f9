package app

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"summit/models"
	"summit/models/export"
)

// exportSummit loads the summit named in the path for an export. Exports are
// for published (or archived) summits only: a draft is a 404 for everyone,
// organisers included, so nothing unpublished leaves the building in a file.
func (a *App) exportSummit(c echo.Context) (*models.Summit, error) {
	id, err := idParam(c, "summit")
	if err != nil {
		return nil, err
	}
	return models.GetPublicSummit(c.Request().Context(), a.DB, id)
}

var unsafeFileChars = regexp.MustCompile(`[^a-z0-9]+`)

// fileName makes a download name like "service-summit-2027-program.pdf".
func fileName(s *models.Summit, what, ext string) string {
	base := strings.Trim(unsafeFileChars.ReplaceAllString(strings.ToLower(s.Title), "-"), "-")
	if base == "" {
		base = fmt.Sprintf("summit-%d", s.Year)
	}
	if len(base) > 60 {
		base = strings.Trim(base[:60], "-")
	}
	return base + "-" + what + "." + ext
}

// sendFile answers with a rendered export; inline files open in the browser
// (PDF), attachments download (CSV, calendar).
func sendFile(c echo.Context, contentType, name string, inline bool, body []byte) error {
	disp := "attachment"
	if inline {
		disp = "inline"
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", disp+`; filename="`+name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	return c.Blob(http.StatusOK, contentType, body)
}

// ProgramPDF is the printed program of a published summit, A4 unless
// ?paper=letter.
func (a *App) ProgramPDF(c echo.Context) error {
	s, err := a.exportSummit(c)
	if err != nil {
		return err
	}
	p, err := export.LoadProgram(c.Request().Context(), a.DB, s, a.Now())
	if err != nil {
		return err
	}
	paper := export.ParsePaper(c.QueryParam("paper"))
	var buf bytes.Buffer
	if err := export.WriteProgramPDF(&buf, p, paper); err != nil {
		return err
	}
	suffix := "program"
	if paper == export.PaperLetter {
		suffix = "program-letter"
	}
	return sendFile(c, "application/pdf", fileName(s, suffix, "pdf"), true, buf.Bytes())
}
