package app_test

import (
	"encoding/xml"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/models"
	"summit/models/export/exporttest"
)

// An organiser defines a measure, types values (bad ones refused whole with
// what was typed kept), imports more from CSV through a preview, compares
// two editions, publishes "How we grew" for staff and downloads the report.
func TestOutcomesOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newFeedbackWorld(t, ta)
		ta.App.Now = func() time.Time { return w.answering }
		org := w.signIn(t, ta, w.organiser)
		staff := w.signIn(t, ta, w.respondents[0])

		res := org.post("/organise/outcomes/measures/new", url.Values{"name": {""}, "unit": {"%"}, "higher_is_better": {"1"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "Name is required") || !strings.Contains(res.Body, `value="%"`) {
			t.Fatalf("empty name: %d %s", res.Code, text(res.Body))
		}
		res = org.post("/organise/outcomes/measures/new", url.Values{"name": {"Customer satisfaction"}, "unit": {"%"}, "higher_is_better": {"1"}, "on_growth_page": {"1"}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("new measure: %d %s", res.Code, text(res.Body))
		}
		res = org.post("/organise/outcomes/measures/new", url.Values{"name": {"customer satisfaction"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "already a measure") {
			t.Fatalf("duplicate: %d %s", res.Code, text(res.Body))
		}
		ms, _ := models.ListMeasures(ctx, ta.DB)
		csat := ms[0]

		values := "/organise/summits/" + itoa(w.prev.ID) + "/outcomes"
		res = org.post(values, url.Values{csat.Key(): {"eighty"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "is not a number") || !strings.Contains(res.Body, `value="eighty"`) {
			t.Fatalf("bad value: %d %s", res.Code, text(res.Body))
		}
		if res := org.post(values, url.Values{csat.Key(): {"80,5"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("values: %d %s", res.Code, text(res.Body))
		}
		if page := org.get(values); !strings.Contains(page.Body, `value="80.5"`) {
			t.Fatalf("the stored value is not shown:\n%s", text(page.Body))
		}

		// Import: a file with a problem, then a good one.
		res = org.upload("/organise/outcomes/import", "values.csv", []byte("measure,edition,value\nCustomer satisfaction,2030,lots\n"))
		if res.Code != http.StatusSeeOther {
			t.Fatalf("upload: %d %s", res.Code, text(res.Body))
		}
		preview := text(org.get(res.Location).Body)
		if !strings.Contains(preview, "1 problem to fix") || !strings.Contains(preview, "“lots” is not a number") {
			t.Fatalf("preview: %s", preview)
		}
		if res := org.upload("/organise/outcomes/import", "empty.csv", []byte("  \n")); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "That file is empty") {
			t.Fatalf("empty file: %d", res.Code)
		}
		res = org.upload("/organise/outcomes/import", "values.csv", []byte("measure,edition,value,unit,higher_is_better\nCustomer satisfaction,2030,84,,\nResolution time,2029,40,hours,no\nResolution time,2030,36,hours,no\n"))
		loc := res.Location
		preview = text(org.get(loc).Body)
		if !strings.Contains(preview, "3 values read: 3 new, 0 to change, 0 unchanged; 1 new measure to create") {
			t.Fatalf("preview: %s", preview)
		}
		id := regexp.MustCompile(`/(\d+)$`).FindStringSubmatch(loc)[1]
		if res := org.post("/organise/outcomes/import/"+id+"/commit", nil); res.Code != http.StatusSeeOther || res.Location != "/organise/outcomes" {
			t.Fatalf("commit: %d %s", res.Code, res.Location)
		}
		if res := org.post("/organise/outcomes/import/"+id+"/commit", nil); !strings.Contains(res.Location, "/organise/outcomes/import/") {
			t.Fatalf("a second commit: %d %s", res.Code, res.Location)
		}

		// Compare 2029 with 2030.
		page := org.get("/organise/outcomes?a=" + itoa(w.prev.ID) + "&b=" + itoa(w.summit.ID))
		body := text(page.Body)
		for _, want := range []string{"Compare two editions", "Customer satisfaction 80.5 % 84 % ▲ up 3.5 % on 2029", "Resolution time 40 hours 36 hours ▲ down 4 hours (−10 %) on 2029"} {
			if !strings.Contains(body, want) {
				t.Errorf("the comparison lacks %q:\n%s", want, body)
			}
		}
		if !strings.Contains(page.Body, `<svg viewBox="0 0 360 190" class="chart-svg"`) || !strings.Contains(page.Body, "<caption>Customer satisfaction (%) by edition</caption>") {
			t.Fatalf("no SVG chart with a data table")
		}

		// How we grew: unpublished, staff see that it is coming; published, they see the chosen measures.
		if body := text(staff.get("/how-we-grew").Body); !strings.Contains(body, "have not published this page yet") || strings.Contains(body, "Customer satisfaction") {
			t.Fatalf("unpublished page for staff: %s", body)
		}
		if body := text(org.get("/how-we-grew").Body); !strings.Contains(body, "A preview") || !strings.Contains(body, "Customer satisfaction") {
			t.Fatalf("the organiser's preview: %s", body)
		}
		res = org.post("/organise/outcomes/growth", url.Values{"published": {"1"}, "intro": {"Our year in figures."}, "measures": {csat.Key()}})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("publish: %d", res.Code)
		}
		body = text(staff.get("/how-we-grew").Body)
		if !strings.Contains(body, "Our year in figures.") || !strings.Contains(body, "Customer satisfaction") || strings.Contains(body, "Resolution time") || strings.Contains(body, "People registered") {
			t.Fatalf("published page: %s", body)
		}
		// A refused save shows the form again, the message next to its
		// field and what was typed kept (it used to redirect with a flash
		// and lose the introduction).
		res = org.post("/organise/outcomes/growth", url.Values{"published": {"1"}, "intro": {"Kept intro 🎉"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="f-measures-err"`) ||
			!strings.Contains(text(res.Body), "Choose at least one measure") || !strings.Contains(res.Body, ">Kept intro 🎉</textarea>") {
			t.Fatalf("publishing with no measure: %d %s", res.Code, text(res.Body))
		}
		long := strings.Repeat("Lm", 1001)
		res = org.post("/organise/outcomes/growth", url.Values{"intro": {long}, "measures": {csat.Key()}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="f-intro-err"`) || !strings.Contains(text(res.Body), "Introduction is too long: 2002 characters, at most 2000") ||
			!strings.Contains(res.Body, long+"</textarea>") || !strings.Contains(res.Body, `value="`+csat.Key()+`" checked`) {
			t.Fatalf("a long introduction: %d %s", res.Code, text(res.Body))
		}
		if g, _ := models.GetGrowthPage(ctx, ta.DB); !g.Published || g.Intro != "Our year in figures." {
			t.Fatalf("a refused change changed the page: %+v", g)
		}

		// The report for 2030, read back.
		res = org.get("/organise/summits/" + itoa(w.summit.ID) + "/report.pdf")
		if res.Code != 200 || res.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
			t.Fatalf("report: %d %v", res.Code, res.Header)
		}
		flat := strings.Join(strings.Fields(exporttest.PDFText(t, []byte(res.Body))), " ")
		for _, want := range []string{"Service Summit 2030", "Customer satisfaction 84 % 80.5 % up 3.5 % on 2029", "Resolution time 36 hours 40 hours down 4 hours (−10 %) on 2029"} {
			if !strings.Contains(flat, want) {
				t.Errorf("the report lacks %q:\n%s", want, flat)
			}
		}
		if res := staff.get("/organise/summits/" + itoa(w.summit.ID) + "/report.pdf"); res.Code != http.StatusForbidden {
			t.Errorf("staff get the report: %d", res.Code)
		}
	})
}

// The organiser's dashboard, the organise home and every page's footer link
// the outcome pages, so each is reachable.
func TestOutcomePagesAreLinked(t *testing.T) {
	ta := newTestApp(t, "sqlite")
	w := newFeedbackWorld(t, ta)
	org := w.signIn(t, ta, w.organiser)
	dash := org.get("/organise/summits/" + itoa(w.summit.ID) + "/exports").Body
	for _, href := range []string{"/feedback\"", "/outcomes\"", "/report.pdf\"", "\"/organise/outcomes\""} {
		if !strings.Contains(dash, href) {
			t.Errorf("the dashboard has no link to %s", href)
		}
	}
	home := org.get("/organise").Body
	if !strings.Contains(home, `href="/organise/outcomes"`) || !strings.Contains(home, `href="/how-we-grew"`) || !strings.Contains(home, `href="/my/feedback"`) {
		t.Error("the organise home lacks links to the outcome pages")
	}
	fb := org.get("/organise/summits/" + itoa(w.summit.ID) + "/feedback").Body
	for _, href := range []string{"/feedback/settings\"", "/feedback.csv\"", "/report.pdf\""} {
		if !strings.Contains(fb, href) {
			t.Errorf("the feedback page has no link to %s", href)
		}
	}
	out := org.get("/organise/outcomes").Body
	for _, href := range []string{"/organise/outcomes/measures/new\"", "/organise/outcomes/import\"", "/organise/outcomes.csv\"", "/organise/summits/" + itoa(w.prev.ID) + "/outcomes\"", "/measures/"} {
		if !strings.Contains(out, href) {
			t.Errorf("the outcomes page has no link to %s", href)
		}
	}
}

// The year-over-year page draws well-formed SVG charts for 1, 2 and 12
// editions and for missing values, each with a data table that lists every
// edition (with "no value" where there is none) and the change.
func TestOutcomeChartsForOneTwoAndTwelveEditions(t *testing.T) {
	ta := newTestApp(t, "sqlite")
	org, _ := ta.signedIn(t, models.RoleOrganiser)
	sys := models.ActorOf(nil, "")
	m, err := models.SaveMeasure(ctx, ta.DB, sys, 0, models.MeasureInput{Name: "Engagement", Unit: "of 100", HigherIsBetter: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	svgRe := regexp.MustCompile(`(?s)<figure class="outcome-chart" id="chart-` + m.Key() + `">.*?</figure>`)
	for n := 1; n <= 12; n++ {
		year := 2014 + n
		s, err := models.CreateSummit(ctx, ta.DB, models.ActorOf(nil, ""), models.SummitInput{Title: "Summit " + itoa(uint(year)), StartDate: itoa(uint(year)) + "-06-01", EndDate: itoa(uint(year)) + "-06-01", TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.SetSummitStatus(ctx, ta.DB, models.ActorOf(nil, ""), s.ID, models.StatusArchived); err != nil {
			t.Fatal(err)
		}
		if n != 3 && n != 11 { // 2017 and 2025 have no value
			if err := models.SetEditionValues(ctx, ta.DB, sys, s.ID, map[string]string{m.Key(): itoa(uint(60 + n))}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if n != 1 && n != 2 && n != 3 && n != 12 {
			continue
		}
		page := org.get("/organise/outcomes")
		fig := svgRe.FindString(page.Body)
		if fig == "" {
			t.Fatalf("%d editions: no chart for the measure", n)
		}
		svg := fig[strings.Index(fig, "<svg"):]
		svg = svg[:strings.Index(svg, "</svg>")+len("</svg>")]
		if err := xml.Unmarshal([]byte(svg), new(struct{})); err != nil {
			t.Fatalf("%d editions: the SVG is not well-formed: %v\n%s", n, err, svg)
		}
		withValue := n
		if n >= 3 {
			withValue--
		}
		if n >= 11 {
			withValue--
		}
		if got := strings.Count(svg, `<rect `); got != withValue {
			t.Errorf("%d editions: %d columns, want %d", n, got, withValue)
		}
		if got := strings.Count(fig, `<th scope="row">`); got != n {
			t.Errorf("%d editions: the data table has %d rows", n, got)
		}
		table := html.UnescapeString(text(fig[strings.Index(fig, "<table"):]))
		switch n {
		case 1:
			if !strings.Contains(table, "Summit 2015 (2015) 61 of 100") || strings.Contains(fig, `class="change`) {
				t.Errorf("one edition: %s", table)
			}
		case 2:
			if !strings.Contains(table, "Summit 2016 (2016) 62 of 100 up 1 of 100 (+1.6 %) on 2015") || !strings.Contains(html.UnescapeString(text(fig)), "▲ up 1 of 100") {
				t.Errorf("two editions: %s", text(fig))
			}
		case 3:
			if !strings.Contains(table, "Summit 2017 (2017) no value nothing to compare with 2016") || !strings.Contains(svg, ">—</text>") {
				t.Errorf("a missing value: %s", table)
			}
		case 12:
			if !strings.Contains(table, "Summit 2026 (2026) 72 of 100 nothing to compare with 2025") || strings.Count(svg, `class="label"`) != 6 {
				t.Errorf("twelve editions: %s / %d labels", table, strings.Count(svg, `class="label"`))
			}
		}
	}
}
