package app_test

import (
	"strings"
	"testing"

	"summit/models/export/exporttest"
)

// The program PDF downloads from the public link: a PDF with every name
// spelled right, A4 by default and US Letter on request.
func TestProgramPDFDownload(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		f := exporttest.Build(t, ta.DB, 2027, false)
		c := ta.client(t)
		res := c.get("/summits/" + itoa(f.Summit.ID) + "/program.pdf")
		if res.Code != 200 || res.Header.Get("Content-Type") != "application/pdf" {
			t.Fatalf("program.pdf: %d %s", res.Code, res.Header.Get("Content-Type"))
		}
		if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "service-summit-2027-program.pdf") {
			t.Errorf("Content-Disposition %q", cd)
		}
		flat := exporttest.Flat(exporttest.PDFText(t, []byte(res.Body)))
		for _, w := range append(exporttest.Names, exporttest.TitleTraining, exporttest.TitlePanel) {
			if !strings.Contains(flat, w) {
				t.Errorf("program lacks %q", w)
			}
		}
		if got := exporttest.PDFInfo(t, []byte(res.Body))["Page size"]; !strings.Contains(got, "595.") {
			t.Errorf("default paper is not A4: %q", got)
		}
		res = c.get("/summits/" + itoa(f.Summit.ID) + "/program.pdf?paper=letter")
		if got := exporttest.PDFInfo(t, []byte(res.Body))["Page size"]; res.Code != 200 || !strings.Contains(got, "612 x 792") {
			t.Errorf("letter: %d %q", res.Code, got)
		}
	})
}
