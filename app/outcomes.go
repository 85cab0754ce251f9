package app

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"summit/models"
	"summit/models/export"
)

// chartBox is the size of a year-over-year chart on a page (SVG units).
var chartBox = export.ChartBox{W: 360, H: 190, Left: 44, Right: 8, Top: 22, Bottom: 28}

// ChartView is one measure's chart: the laid-out columns, the change against
// the previous edition, and the rows of the data table screen readers read.
type ChartView struct {
	ID         string
	Series     models.MeasureSeries
	Chart      *export.BarChart
	Bars       []ChartBarView
	Ticks      []ChartTickView
	Change     models.Change
	ChangeText string
	Rows       []ChartRow
}

// ChartBarView is a column with where its texts go.
type ChartBarView struct {
	export.ChartBar
	TextY, LabelY float64
}

// ChartTickView is a grid line with where its value goes.
type ChartTickView struct {
	export.ChartTick
	TextX, TextY float64
}

// ChartRow is one edition in a chart's data table.
type ChartRow struct {
	Edition, Title, Value, Change string
}

// chartView lays out a measure's series as an SVG chart with its table.
func chartView(ms models.MeasureSeries) ChartView {
	m := ms.Measure
	vals := make([]export.ChartValue, len(ms.Points))
	v := ChartView{ID: m.Key(), Series: ms, Change: ms.Latest()}
	v.ChangeText = v.Change.Describe(&m)
	for i, p := range ms.Points {
		vals[i] = export.ChartValue{Label: p.Edition.EditionLabel(), Value: p.Value, Has: p.Has}
		row := ChartRow{Edition: p.Edition.EditionLabel(), Title: p.Edition.Title, Value: "no value"}
		if p.Has {
			vals[i].Text = models.FmtNumber(p.Value)
			row.Value = m.Format(p.Value)
		}
		row.Change = ms.ChangeAt(i).Describe(&m)
		v.Rows = append(v.Rows, row)
	}
	v.Chart = export.LayoutBars(vals, chartBox)
	for _, t := range v.Chart.Ticks {
		v.Ticks = append(v.Ticks, ChartTickView{ChartTick: t, TextX: chartBox.Left - 5, TextY: t.Y + 3.5})
	}
	for _, b := range v.Chart.Bars {
		bv := ChartBarView{ChartBar: b, TextY: b.ValueY - 4, LabelY: chartBox.H - 10}
		if b.Negative {
			bv.TextY = b.ValueY + 12
		}
		v.Bars = append(v.Bars, bv)
	}
	return v
}

func chartViews(f *models.EditionFigures) []ChartView {
	out := make([]ChartView, len(f.Series))
	for i, s := range f.Series {
		out[i] = chartView(s)
	}
	return out
}

// CompareRow is one measure of the two-edition comparison.
type CompareRow struct {
	Measure models.OutcomeMeasure
	A, B    string
	Change  string
	Better  bool
	Worse   bool
}

// OutcomesView is the organisers' year-over-year page.
type OutcomesView struct {
	Editions []models.Summit
	Summits  []models.Summit // every summit, drafts too, for entering values
	Charts   []ChartView
	Measures []models.OutcomeMeasure
	Growth   *models.GrowthPage
	// GrowthForm is what the "How we grew" form shows: the saved settings,
	// or what was typed when the save was refused.
	GrowthForm GrowthForm
	A, B       *models.Summit
	Compare    []CompareRow
}

// OutcomesOverview shows every measure across every edition as a chart with
// its change, a comparison of two chosen editions (the latest two unless
// ?a= and ?b= name others), the measures, and the "How we grew" settings.
func (a *App) OutcomesOverview(c echo.Context) error {
	return a.renderOutcomes(c, nil)
}

// GrowthForm is the state of the "How we grew" form.
type GrowthForm struct {
	Intro     string
	Published bool
	Chosen    map[string]bool // measure keys (models.OutcomeMeasure.Key) ticked
}

// renderOutcomes shows the organisers' outcomes page; with field errors
// (a refused "How we grew" save) it answers 422 with the messages next to
// the fields and what was typed kept.
func (a *App) renderOutcomes(c echo.Context, fe models.FieldErrors) error {
	ctx := c.Request().Context()
	eds, err := models.ListEditions(ctx, a.DB, a.Now())
	if err != nil {
		return err
	}
	fig, err := models.YearOverYear(ctx, a.DB, eds, false)
	if err != nil {
		return err
	}
	v := OutcomesView{Editions: eds, Charts: chartViews(fig), Measures: fig.Measures}
	if v.Summits, err = models.ListSummits(ctx, a.DB); err != nil {
		return err
	}
	if v.Growth, err = models.GetGrowthPage(ctx, a.DB); err != nil {
		return err
	}
	v.GrowthForm = GrowthForm{Intro: v.Growth.Intro, Published: v.Growth.Published, Chosen: map[string]bool{}}
	for _, m := range fig.Measures {
		v.GrowthForm.Chosen[m.Key()] = m.OnGrowthPage
	}
	if fe != nil {
		_ = c.Request().ParseForm()
		typed := c.Request().PostForm
		v.GrowthForm = GrowthForm{Intro: typed.Get("intro"), Published: typed.Get("published") != "", Chosen: map[string]bool{}}
		for _, k := range typed["measures"] {
			v.GrowthForm.Chosen[k] = true
		}
	}
	pick := func(q string, def int) int {
		if id, err := strconv.ParseUint(c.QueryParam(q), 10, 32); err == nil {
			for i := range eds {
				if eds[i].ID == uint(id) {
					return i
				}
			}
		}
		return def
	}
	if len(eds) >= 2 {
		ia, ib := pick("a", len(eds)-2), pick("b", len(eds)-1)
		v.A, v.B = &eds[ia], &eds[ib]
		for _, s := range fig.Series {
			m := s.Measure
			pa, pb := s.Points[ia], s.Points[ib]
			row := CompareRow{Measure: m, A: "—", B: "—"}
			if pa.Has {
				row.A = m.Format(pa.Value)
			}
			if pb.Has {
				row.B = m.Format(pb.Value)
			}
			pair := models.MeasureSeries{Measure: m, Points: []models.SeriesPoint{pa, pb}}
			ch := pair.Latest()
			row.Change, row.Better, row.Worse = ch.Describe(&m), ch.Better, ch.Worse
			v.Compare = append(v.Compare, row)
		}
	}
	p := a.page(c, "Outcomes year over year")
	p.Section = "organise"
	p.Data = v
	if fe != nil {
		p.Errors = fe
		return a.render(c, http.StatusUnprocessableEntity, "outcomes_org", p)
	}
	return a.render(c, http.StatusOK, "outcomes_org", p)
}

func measureForm(action, heading string, m *models.OutcomeMeasure) *FormView {
	fv := &FormView{Heading: heading, Action: action, Submit: "Save measure", Cancel: orgOutcomesURL(),
		Intro: "A figure the company follows from year to year, such as customer satisfaction, an engagement score or complaint resolution time. Enter a value per edition afterwards, or import them from a CSV file.",
		Fields: []Field{
			{Name: "name", Label: "Name", Type: "text", Required: true, Help: "For example: Customer satisfaction (CSAT)."},
			{Name: "unit", Label: "Unit", Type: "text", Help: "Shown after each value: %, hours, of 100, people… Leave empty for a plain number."},
			{Name: "higher_is_better", Label: "Higher is better (untick when lower is better, as for a resolution time)", Type: "checkbox", Value: "1"},
			{Name: "description", Label: "What it measures", Type: "textarea", Help: "How the figure is taken, so next year's organisers read it the same way."},
			{Name: "on_growth_page", Label: "Show on “How we grew” (the staff page)", Type: "checkbox"},
		}}
	if m != nil {
		fv.Fields[0].Value, fv.Fields[1].Value, fv.Fields[3].Value = m.Name, m.Unit, m.Description
		fv.Fields[2].Value = boolValue(m.HigherIsBetter)
		fv.Fields[4].Value = boolValue(m.OnGrowthPage)
		if m.IsComputed() {
			fv.Intro = m.Name + " is one of Summit's own measures: Summit works it out for every edition (" + m.Description + "). You can only choose whether staff see it on “How we grew”."
			fv.Fields = fv.Fields[4:]
		}
	}
	return fv
}

func boolValue(b bool) string {
	if b {
		return "1"
	}
	return ""
}

func measureInput(c echo.Context) models.MeasureInput {
	return models.MeasureInput{Name: c.FormValue("name"), Unit: c.FormValue("unit"), Description: c.FormValue("description"),
		HigherIsBetter: c.FormValue("higher_is_better") != "", OnGrowthPage: c.FormValue("on_growth_page") != ""}
}

// MeasureNew shows the form for a company measure.
func (a *App) MeasureNew(c echo.Context) error {
	return a.renderForm(c, measureForm(orgNewMeasureURL(), "New outcome measure", &models.OutcomeMeasure{HigherIsBetter: true}), nil)
}

// MeasureCreate stores a company measure.
func (a *App) MeasureCreate(c echo.Context) error {
	m, err := models.SaveMeasure(c.Request().Context(), a.DB, actor(c), 0, measureInput(c), a.Now())
	if err != nil {
		return a.renderForm(c, measureForm(orgNewMeasureURL(), "New outcome measure", nil), err)
	}
	return a.redirect(c, orgOutcomesURL()+"#chart-"+m.Key(), "“"+m.Name+"” added. Enter its values per edition, or import them from a CSV file.")
}

func (a *App) measureParam(c echo.Context) (*models.OutcomeMeasure, error) {
	id, err := idParam(c, "measure")
	if err != nil {
		return nil, err
	}
	return models.GetMeasure(c.Request().Context(), a.DB, id)
}

func editMeasureForm(m *models.OutcomeMeasure) *FormView {
	base := orgMeasureURL(m.ID)
	fv := measureForm(orgMeasureEditURL(m.ID), "Edit “"+m.Name+"”", m)
	if !m.IsComputed() {
		fv.DeleteAction, fv.DeleteLabel = base+"/delete", "Remove this measure and all its values"
	}
	return fv
}

// MeasureEdit shows a measure's form.
func (a *App) MeasureEdit(c echo.Context) error {
	m, err := a.measureParam(c)
	if err != nil {
		return err
	}
	return a.renderForm(c, editMeasureForm(m), nil)
}

// MeasureUpdate changes a measure.
func (a *App) MeasureUpdate(c echo.Context) error {
	m, err := a.measureParam(c)
	if err != nil {
		return err
	}
	saved, err := models.SaveMeasure(c.Request().Context(), a.DB, actor(c), m.ID, measureInput(c), a.Now())
	if err != nil {
		return a.renderForm(c, editMeasureForm(m), err)
	}
	return a.redirect(c, orgOutcomesURL()+"#chart-"+saved.Key(), "“"+saved.Name+"” saved.")
}

// MeasureDelete removes a company measure with its values.
func (a *App) MeasureDelete(c echo.Context) error {
	m, err := a.measureParam(c)
	if err != nil {
		return err
	}
	if err := models.DeleteMeasure(c.Request().Context(), a.DB, actor(c), m.ID); err != nil {
		var fe models.FieldErrors
		if errors.As(err, &fe) {
			return a.renderForm(c, editMeasureForm(m), err)
		}
		return err
	}
	return a.redirect(c, orgOutcomesURL(), "“"+m.Name+"” and its values are removed.")
}

// EditionValuesView is the page where organisers type one edition's values.
type EditionValuesView struct {
	SummitView
	Company  []models.OutcomeMeasure
	Computed []ComputedRow
	Values   map[string]string // typed or stored, by measure key
	Errors   models.FieldErrors
}

// ComputedRow is one of Summit's own measures for an edition.
type ComputedRow struct {
	Measure models.OutcomeMeasure
	Value   string
}

func (a *App) renderEditionValues(c echo.Context, s *models.Summit, code int, typed map[string]string, errs models.FieldErrors) error {
	ctx := c.Request().Context()
	measures, err := models.ListMeasures(ctx, a.DB)
	if err != nil {
		return err
	}
	stored, err := models.EditionValues(ctx, a.DB, s.ID)
	if err != nil {
		return err
	}
	computed, err := models.ComputeEdition(ctx, a.DB, s)
	if err != nil {
		return err
	}
	v := EditionValuesView{SummitView: summitView(s), Values: map[string]string{}, Errors: errs}
	for _, m := range measures {
		if m.IsComputed() {
			row := ComputedRow{Measure: m, Value: "—"}
			if x, ok := computed[m.Computed]; ok {
				row.Value = m.Format(x)
			}
			v.Computed = append(v.Computed, row)
			continue
		}
		v.Company = append(v.Company, m)
		if x, ok := stored[m.ID]; ok {
			v.Values[m.Key()] = strconv.FormatFloat(x, 'f', -1, 64)
		}
		if t, ok := typed[m.Key()]; ok {
			v.Values[m.Key()] = t
		}
	}
	p := a.organisePage(c, s, "Outcome values · "+s.Title)
	p.Errors = errs
	p.Data = v
	return a.render(c, code, "outcomes_edition", p)
}

// EditionValuesEdit shows one edition's values: the company's to type, and
// Summit's own as worked out.
func (a *App) EditionValuesEdit(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	return a.renderEditionValues(c, s, http.StatusOK, nil, nil)
}

// EditionValuesUpdate stores the typed values of one edition, all or none.
func (a *App) EditionValuesUpdate(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	typed := map[string]string{}
	for k, v := range formValues(c) {
		if strings.HasPrefix(k, "m") {
			typed[k] = v
		}
	}
	err = models.SetEditionValues(c.Request().Context(), a.DB, actor(c), s.ID, typed, a.Now())
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return a.renderEditionValues(c, s, http.StatusUnprocessableEntity, typed, fe)
	}
	if err != nil {
		return err
	}
	return a.redirect(c, orgOutcomesURL(), "Values of "+s.Title+" saved.")
}

// GrowthUpdate publishes (or withdraws) "How we grew" with its introduction
// and chosen measures.
func (a *App) GrowthUpdate(c echo.Context) error {
	_ = c.Request().ParseForm()
	in := models.GrowthPageInput{Published: c.FormValue("published") != "", Intro: c.FormValue("intro"), Measures: c.Request().PostForm["measures"]}
	err := models.SetGrowthPage(c.Request().Context(), a.DB, actor(c), in, a.Now())
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return a.renderOutcomes(c, fe)
	}
	if err != nil {
		return err
	}
	msg := "“How we grew” is saved but not published; staff do not see it."
	if in.Published {
		msg = "“How we grew” is published: every signed-in person can read it."
	}
	return a.redirect(c, orgOutcomesURL()+"#growth", msg)
}

// GrowthView is the staff page "How we grew".
type GrowthView struct {
	Page    *models.GrowthPage
	Charts  []ChartView
	Preview bool // an organiser looking at an unpublished page
}

// HowWeGrew is the staff page: the chosen measures across editions, once
// organisers have published it. Organisers see a preview before that.
func (a *App) HowWeGrew(c echo.Context) error {
	ctx := c.Request().Context()
	g, err := models.GetGrowthPage(ctx, a.DB)
	if err != nil {
		return err
	}
	v := GrowthView{Page: g, Preview: !g.Published && currentPerson(c).IsOrganiser()}
	if g.Published || v.Preview {
		eds, err := models.ListEditions(ctx, a.DB, a.Now())
		if err != nil {
			return err
		}
		fig, err := models.YearOverYear(ctx, a.DB, eds, true)
		if err != nil {
			return err
		}
		v.Charts = chartViews(fig)
	}
	p := a.page(c, "How we grew")
	p.Section = "grew"
	p.Data = v
	return a.render(c, http.StatusOK, "outcomes_growth", p)
}

// SummitReportPDF is the summit report for leadership: figures against the
// previous edition, charts, best-rated sessions and recognition coverage.
func (a *App) SummitReportPDF(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	r, err := models.LoadSummitReport(c.Request().Context(), a.DB, s, a.Now())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteReportPDF(&buf, r, export.ParsePaper(c.QueryParam("paper"))); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return sendFile(c, "application/pdf", fileName(s, "report", "pdf"), true, buf.Bytes())
}
