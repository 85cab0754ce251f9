package app_test

import (
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"summit/models"
	"summit/models/export/exporttest"
)

// The organiser's Exports page lists the ideas CSV and the sessions in the
// import format, each with a line saying what it is, for a draft as well as
// a published summit; following each link downloads that file.
func TestExportsPageListsTheIdeasAndSessionsImportCSV(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		for year, draft := range map[int]bool{2027: false, 2028: true} {
			f := exporttest.Build(t, ta.DB, year, draft)
			res := org.get("/organise/summits/" + itoa(f.Summit.ID) + "/exports")
			if res.Code != http.StatusOK {
				t.Fatalf("draft=%v exports page: %d", draft, res.Code)
			}
			for _, want := range []struct{ label, describes, file, header string }{
				{"Ideas (CSV)", "every idea with its votes", "/ideas.csv", "idea,what would change,"},
				{"Sessions in the import format (CSV)", "upload the file again", "/sessions/import/sessions.csv", strings.Join(models.SessionColumns, ",")},
			} {
				m := regexp.MustCompile(`<li><a href="([^"]+)" download>` + regexp.QuoteMeta(want.label) + `</a> — ([^<]+)`).FindStringSubmatch(res.Body)
				if m == nil || !strings.HasSuffix(m[1], want.file) || !strings.Contains(html.UnescapeString(m[2]), want.describes) {
					t.Fatalf("draft=%v: no %q line with a description: %.3000s", draft, want.label, text(res.Body))
				}
				file := org.get(m[1])
				if file.Code != http.StatusOK || !strings.HasPrefix(file.Header.Get("Content-Type"), "text/csv") ||
					!strings.HasPrefix(strings.TrimPrefix(file.Body, "\ufeff"), want.header) {
					t.Fatalf("draft=%v GET %s: %d %q %.200q", draft, m[1], file.Code, file.Header.Get("Content-Type"), file.Body)
				}
			}
		}
	})
}
