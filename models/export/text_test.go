package export_test

import (
	"bytes"
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/export"
	"summit/models/export/exporttest"
	"summit/models/modelstest"
)

// Text stored before input was checked (or typed in a browser, which sends
// CRLF) leaves every export with LF line ends only: no bare CR in the
// iCalendar DESCRIPTION (the file's own CRLF framing aside), the frab XML
// and JSON, the CSV or the PDF's text; and a one-line value holding a line
// break (a title) is one line in the calendar and the schedule.
func TestExportsNormaliseLineEnds(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := exporttest.Build(t, db, 2027, false)
		x := f.Sessions[exporttest.TitleTraining]
		// As an older release stored them: straight into the table.
		if err := db.Exec("UPDATE sessions SET abstract = ?, title = ? WHERE id = ?",
			"First line.\r\nSecond line.\rThird line.", "Calm words\r\nunder pressure", x.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("UPDATE speakers SET bio = ? WHERE id = ?", "Ten years at the desk.\rTrains colleagues.", f.Speakers[1].ID).Error; err != nil {
			t.Fatal(err)
		}
		list, err := models.ListSessions(ctx, db, f.Summit, models.AgendaFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var cal bytes.Buffer
		if err := export.WriteSummitICS(&cal, f.Summit, list, "https://summit.example"); err != nil {
			t.Fatal(err)
		}
		raw := cal.String()
		checkICSText(t, raw)
		unfolded := strings.ReplaceAll(raw, "\r\n ", "")
		if !strings.Contains(unfolded, `DESCRIPTION:First line.\nSecond line.\nThird line.`) || !strings.Contains(unfolded, "SUMMARY:Calm words under pressure\r\n") {
			t.Errorf("calendar text not normalised:\n%s", unfolded)
		}
		xmlDoc, jsonDoc := frabFiles(t, db, f.Summit)
		exporttest.ValidateFrabXML(t, xmlDoc)
		exporttest.ValidateFrabJSON(t, jsonDoc)
		for what, b := range map[string][]byte{"schedule.xml": xmlDoc, "schedule.json": jsonDoc} {
			if bytes.Contains(b, []byte("\r")) || bytes.Contains(b, []byte("&#xD;")) || bytes.Contains(b, []byte(`\r`)) {
				t.Errorf("%s carries a CR", what)
			}
			if !bytes.Contains(b, []byte("Calm words under pressure")) {
				t.Errorf("%s does not put the title on one line", what)
			}
		}
		if !bytes.Contains(jsonDoc, []byte(`"First line.\nSecond line.\nThird line."`)) {
			t.Errorf("schedule.json abstract not normalised")
		}
		rows, err := models.SessionsCSV(ctx, db, f.Summit)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, r := range rows {
			for _, cell := range r {
				if strings.Contains(cell, "\r") {
					t.Errorf("sessions.csv cell %q holds a CR", cell)
				}
				found = found || cell == "First line.\nSecond line.\nThird line."
			}
		}
		if !found {
			t.Error("sessions.csv lacks the normalised abstract")
		}
		if got := export.Clean("one\r\ntwo\rthree\nfour"); got != "one\ntwo\nthree\nfour" {
			t.Errorf("PDF text: Clean gives %q", got)
		}
		p, err := models.LoadProgram(ctx, db, f.Summit, f.Summit.Start())
		if err != nil {
			t.Fatal(err)
		}
		var pdf bytes.Buffer
		if err := export.WriteProgramPDF(&pdf, p, export.PaperA4); err != nil {
			t.Fatal(err)
		}
		if txt := exporttest.PDFText(t, pdf.Bytes()); !strings.Contains(txt, "Second line.\nThird line.") {
			t.Errorf("the program does not print the abstract's lines as lines")
		}
	})
}
