package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"summit/models"
)

// Colours of the report: changes the way a measure wants in green, the
// other way in red.
var (
	better = [3]int{21, 128, 61}
	worse  = [3]int{185, 28, 28}
)

// reportBestSessions is how many best-rated sessions the report lists.
const reportBestSessions = 5

// WriteReportPDF renders the summit report for leadership: the edition's
// figures against the previous edition, a chart of every measure across the
// editions so far, the best-rated sessions and the overall feedback (only
// where at least the threshold of people answered), and how far recognition
// reached. No answer is tied to a person anywhere in it.
func WriteReportPDF(w io.Writer, r *models.SummitReport, paper string) error {
	d, err := newDoc("P", paper)
	if err != nil {
		return err
	}
	s := r.Summit
	d.header = Clean(fmt.Sprintf("%s · Summit report", s.Title))
	d.pdf.SetTitle(Clean(s.Title+" — Summit report"), true)
	d.pdf.SetAuthor("Summit", true)
	d.pdf.SetCreator("Summit", true)
	d.showHeader = true
	d.page()
	reportIntro(d, r)
	reportFigures(d, r)
	reportCharts(d, r)
	reportFeedback(d, r)
	reportCoverage(d, r)
	return d.output(w)
}

func reportIntro(d *doc, r *models.SummitReport) {
	s := r.Summit
	d.color(grey)
	d.text(d.margin, d.width(), 5, "B", 9, "SUMMIT REPORT · "+strconv.Itoa(s.Year))
	d.color(navy)
	d.text(d.margin, d.width(), 9, "B", 20, s.Title)
	d.color([3]int{30, 30, 30})
	line := s.DateRange(true)
	if s.Venue != "" {
		line += " · " + s.Venue
	}
	d.text(d.margin, d.width(), 5.5, "", 11, line)
	if s.Theme != "" {
		d.text(d.margin, d.width(), 5.5, "", 11, "Theme: "+s.Theme)
	}
	d.color(grey)
	cmp := "This is the first edition in Summit, so there is nothing to compare with yet."
	if r.Previous != nil {
		cmp = "Changes are against the previous edition, " + r.Previous.Title + " (" + r.Previous.EditionLabel() + ")."
	}
	d.text(d.margin, d.width(), 4.6, "", 9, "Prepared "+r.Now.In(s.Location()).Format("2 January 2006")+". "+cmp)
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.Ln(4)
}

// reportFigures is the table of every measure: this edition, the previous
// one and the change in words.
func reportFigures(d *doc, r *models.SummitReport) {
	d.heading(14, "Key figures", 20)
	i := r.Index()
	cols := []float64{d.width() * 0.36, d.width() * 0.18, d.width() * 0.18, d.width() * 0.28}
	prevHead := "Previous"
	if r.Previous != nil {
		prevHead = r.Previous.EditionLabel()
	}
	row := func(style string, size float64, cells []string, colour *[3]int) {
		d.font(style, size)
		wrapped := make([][]string, len(cells))
		n := 1
		for k, c := range cells {
			wrapped[k] = d.wrap(Clean(c), cols[k]-2)
			if len(wrapped[k]) > n {
				n = len(wrapped[k])
			}
		}
		h := float64(n)*4.4 + 1.6
		d.ensure(h)
		y := d.pdf.GetY()
		x := d.margin
		for k := range cells {
			if k == 3 && colour != nil {
				d.color(*colour)
			}
			for j, l := range wrapped[k] {
				d.pdf.SetXY(x, y+0.8+float64(j)*4.4)
				d.pdf.CellFormat(cols[k]-2, 4.4, l, "", 0, "L", false, 0, "")
			}
			d.pdf.SetTextColor(0, 0, 0)
			x += cols[k]
		}
		d.pdf.SetDrawColor(220, 220, 220)
		d.pdf.Line(d.margin, y+h, d.margin+d.width(), y+h)
		d.pdf.SetXY(d.margin, y+h)
	}
	row("B", 9, []string{"Measure", r.Summit.EditionLabel(), prevHead, "Change"}, nil)
	for _, ms := range reportSeries(r) {
		m := ms.Measure
		cur, prev := "—", "—"
		if p := ms.Points[i]; p.Has {
			cur = m.Format(p.Value)
		}
		if i > 0 && ms.Points[i-1].Has {
			prev = m.Format(ms.Points[i-1].Value)
		}
		c := ms.ChangeAt(i)
		var colour *[3]int
		if c.Better {
			colour = &better
		} else if c.Worse {
			colour = &worse
		}
		change := c.Describe(&m)
		if change == "" {
			change = "—"
		}
		row("", 9, []string{m.Name, cur, prev, change}, colour)
	}
	d.pdf.Ln(5)
}

// reportSeries are the measures with a value in at least one edition; a
// measure nobody has recorded yet says nothing to leadership.
func reportSeries(r *models.SummitReport) []models.MeasureSeries {
	var out []models.MeasureSeries
	for _, ms := range r.Figures.Series {
		if ms.Values() > 0 {
			out = append(out, ms)
		}
	}
	return out
}

// reportCharts draws every measure across the editions, two charts a row.
func reportCharts(d *doc, r *models.SummitReport) {
	series := reportSeries(r)
	if len(series) == 0 {
		return
	}
	d.heading(14, "Year over year", 62)
	d.color(grey)
	d.text(d.margin, d.width(), 4.4, "", 8.5, "Each chart starts at zero. A dash marks an edition without a value.")
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.Ln(2)
	gap := 8.0
	cw := (d.width() - gap) / 2
	ch := 46.0
	for k := 0; k < len(series); k += 2 {
		d.ensure(ch + 14)
		y := d.pdf.GetY()
		for j := 0; j < 2 && k+j < len(series); j++ {
			reportChart(d, series[k+j], d.margin+float64(j)*(cw+gap), y, cw, ch)
		}
		d.pdf.SetXY(d.margin, y+ch+12)
	}
}

// chartValues turns a series into chart columns labelled by edition.
func chartValues(ms models.MeasureSeries) []ChartValue {
	out := make([]ChartValue, len(ms.Points))
	for i, p := range ms.Points {
		out[i] = ChartValue{Label: p.Edition.EditionLabel(), Value: p.Value, Has: p.Has}
		if p.Has {
			out[i].Text = models.FmtNumber(p.Value)
		}
	}
	return out
}

// reportChart draws one measure's columns at (x, y), w by h millimetres,
// with its name above and the latest change below.
func reportChart(d *doc, ms models.MeasureSeries, x, y, w, h float64) {
	m := ms.Measure
	pdf := d.pdf
	d.font("B", 9)
	title := m.Name
	if m.Unit != "" {
		title += " (" + m.Unit + ")"
	}
	pdf.SetXY(x, y)
	pdf.CellFormat(w, 4.5, d.fit(Clean(title), w), "", 0, "L", false, 0, "")
	c := LayoutBars(chartValues(ms), ChartBox{W: w, H: h - 6, Left: 9, Right: 2, Top: 5, Bottom: 6})
	oy := y + 6
	pdf.SetDrawColor(225, 225, 225)
	pdf.SetLineWidth(0.15)
	d.font("", 6)
	pdf.SetTextColor(grey[0], grey[1], grey[2])
	for _, t := range c.Ticks {
		pdf.Line(x+c.Box.Left, oy+t.Y, x+c.PlotRight(), oy+t.Y)
		pdf.SetXY(x, oy+t.Y-1.5)
		pdf.CellFormat(c.Box.Left-1, 3, d.fit(t.Label, c.Box.Left-1), "", 0, "R", false, 0, "")
	}
	pdf.SetDrawColor(120, 120, 120)
	pdf.Line(x+c.Box.Left, oy+c.Baseline, x+c.PlotRight(), oy+c.Baseline)
	for _, b := range c.Bars {
		if b.Has {
			if b.Latest {
				pdf.SetFillColor(navy[0], navy[1], navy[2])
			} else {
				pdf.SetFillColor(150, 170, 205)
			}
			if b.H > 0 {
				pdf.Rect(x+b.X, oy+b.Y, b.W, b.H, "F")
			}
		}
		text := b.Text
		if !b.Has {
			text = "—"
		}
		if b.ShowValue || !b.Has {
			d.font("", 6)
			pdf.SetTextColor(40, 40, 40)
			vy := oy + b.ValueY - 3.2
			if b.Negative {
				vy = oy + b.ValueY + 0.4
			}
			pdf.SetXY(x+b.CenterX-8, vy)
			pdf.CellFormat(16, 3, text, "", 0, "C", false, 0, "")
		}
		if b.ShowLabel {
			d.font("", 6)
			pdf.SetTextColor(grey[0], grey[1], grey[2])
			pdf.SetXY(x+b.CenterX-8, oy+c.Box.H-c.Box.Bottom+1)
			pdf.CellFormat(16, 3, Clean(b.Label), "", 0, "C", false, 0, "")
		}
	}
	ch := ms.Latest()
	if txt := ch.Describe(&m); txt != "" {
		switch {
		case ch.Better:
			d.color(better)
		case ch.Worse:
			d.color(worse)
		default:
			d.color(grey)
		}
		d.font("", 7.5)
		pdf.SetXY(x, y+h+0.5)
		pdf.CellFormat(w, 4, d.fit(Clean(txt), w), "", 0, "L", false, 0, "")
	}
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFillColor(255, 255, 255)
	pdf.SetLineWidth(0.2)
}

// reportFeedback lists the best-rated sessions and the overall feedback,
// only where enough people answered.
func reportFeedback(d *doc, r *models.SummitReport) {
	f := r.Feedback
	min := strconv.Itoa(f.Window.MinAnswers)
	d.heading(14, "Best-rated sessions", 30)
	d.color(grey)
	d.text(d.margin, d.width(), 4.4, "", 8.5, "Ratings are 1 to 5 for “useful for my work” and “I would recommend it”. Results count only where at least "+
		min+" people answered; no answer can be traced to a person.")
	d.pdf.SetTextColor(0, 0, 0)
	d.pdf.Ln(2)
	best := f.Best(reportBestSessions)
	if len(best) == 0 {
		d.text(d.margin, d.width(), 5, "", 10, "No session has "+min+" or more answers yet.")
	}
	loc := r.Summit.Location()
	for k, b := range best {
		d.ensure(16)
		d.text(d.margin, d.width(), 5.2, "B", 10.5, fmt.Sprintf("%d. %s", k+1, b.Session.Title))
		d.color(grey)
		meta := b.Session.StartsAt.In(loc).Format("Mon 2 Jan 15:04")
		if names := speakerNames(&b.Session); names != "" {
			meta += " · with " + names
		}
		d.text(d.margin+5, d.width()-5, 4.4, "", 8.5, meta)
		d.pdf.SetTextColor(0, 0, 0)
		d.text(d.margin+5, d.width()-5, 4.6, "", 9.5, fmt.Sprintf("Useful %s · Would recommend %s · %d answers",
			models.FmtRating(b.Result.Useful), models.FmtRating(b.Result.Recommend), b.Result.Answers))
		d.pdf.Ln(2)
	}
	d.pdf.Ln(2)
	d.heading(12, "The summit as a whole", 14)
	if o := f.Overall; o.Shown {
		d.text(d.margin, d.width(), 5, "", 10, fmt.Sprintf("Useful %s · Would recommend %s · %d answers",
			models.FmtRating(o.Useful), models.FmtRating(o.Recommend), o.Answers))
	} else {
		d.text(d.margin, d.width(), 5, "", 10, "Fewer than "+min+" people have answered about the whole summit, so nothing is shown.")
	}
	d.pdf.Ln(4)
}

// reportCoverage shows nominations per department and the departments
// recognition has not reached (counts only, never names).
func reportCoverage(d *doc, r *models.SummitReport) {
	c := r.Coverage
	d.heading(14, "Recognition coverage", 30)
	if c == nil || c.Total == 0 {
		d.text(d.margin, d.width(), 5, "", 10, "No nominations in this edition.")
		return
	}
	d.text(d.margin, d.width(), 5, "", 10, fmt.Sprintf("%d nominations reached %d of %d departments.", c.Total, len(c.Departments)-len(c.Unreached), len(c.Departments)))
	d.pdf.Ln(1.5)
	labelW, barMax := d.width()*0.35, d.width()*0.5
	for _, b := range c.Departments {
		d.ensure(5.5)
		y := d.pdf.GetY()
		d.font("", 9)
		d.pdf.SetXY(d.margin, y)
		d.pdf.CellFormat(labelW-2, 4.6, d.fit(Clean(b.Label), labelW-2), "", 0, "L", false, 0, "")
		if b.Count > 0 {
			d.pdf.SetFillColor(150, 170, 205)
			d.pdf.Rect(d.margin+labelW, y+0.9, barMax*float64(b.Percent)/100+0.4, 2.8, "F")
		}
		d.pdf.SetXY(d.margin+labelW+barMax+2, y)
		txt := strconv.Itoa(b.Count)
		if b.Zero {
			txt = "0 — not reached"
		}
		d.pdf.CellFormat(d.width()-labelW-barMax-2, 4.6, txt, "", 1, "L", false, 0, "")
	}
	d.pdf.SetFillColor(255, 255, 255)
	if len(c.Unreached) > 0 {
		d.pdf.Ln(2)
		d.color(worse)
		d.text(d.margin, d.width(), 4.8, "", 9.5, "Not reached yet: "+strings.Join(c.Unreached, ", ")+".")
		d.pdf.SetTextColor(0, 0, 0)
	}
}
