package export_test

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/export"
	"summit/models/export/exporttest"
	"summit/models/modelstest"
)

var box = export.ChartBox{W: 360, H: 180, Left: 40, Right: 10, Top: 20, Bottom: 30}

func values(vs ...any) []export.ChartValue {
	out := make([]export.ChartValue, len(vs))
	for i, v := range vs {
		out[i].Label = fmt.Sprint(2015 + i)
		if f, ok := v.(float64); ok {
			out[i].Value, out[i].Has, out[i].Text = f, true, fmt.Sprint(f)
		}
	}
	return out
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// Charts lay out 1, 2 and 12 editions inside their box, from zero, with
// missing values as empty slots; crowded charts thin their labels but keep
// the latest.
func TestChartLayout(t *testing.T) {
	plotBottom := box.H - box.Bottom
	inside := func(t *testing.T, c *export.BarChart) {
		t.Helper()
		for _, b := range c.Bars {
			if b.X < box.Left-1e-9 || b.X+b.W > box.W-box.Right+1e-9 || b.Y < box.Top-1e-9 || b.Y+b.H > plotBottom+1e-9 || b.H < 0 {
				t.Errorf("bar %s leaves the plot: %+v", b.Label, b)
			}
		}
		for _, tk := range c.Ticks {
			if tk.Y < box.Top-1e-9 || tk.Y > plotBottom+1e-9 {
				t.Errorf("tick %s at %v is outside", tk.Label, tk.Y)
			}
		}
	}
	t.Run("one edition", func(t *testing.T) {
		c := export.LayoutBars(values(84.0), box)
		inside(t, c)
		if len(c.Bars) != 1 || !c.Bars[0].Latest || !c.Bars[0].ShowLabel || !c.Bars[0].ShowValue || c.Empty {
			t.Fatalf("%+v", c.Bars)
		}
		if !near(c.Baseline, plotBottom) || c.Bars[0].H <= 0 || c.Ticks[0].Label != "0" || c.Ticks[len(c.Ticks)-1].Label != "100" {
			t.Fatalf("axis from 0 to 100: baseline %v ticks %+v", c.Baseline, c.Ticks)
		}
	})
	t.Run("two editions", func(t *testing.T) {
		c := export.LayoutBars(values(40.0, 80.0), box)
		inside(t, c)
		a, b := c.Bars[0], c.Bars[1]
		if !near(b.H, 2*a.H) || a.Latest || !b.Latest || b.CenterX <= a.CenterX {
			t.Fatalf("heights must be proportional to values from zero: %+v %+v", a, b)
		}
	})
	t.Run("twelve editions", func(t *testing.T) {
		vs := make([]any, 12)
		for i := range vs {
			vs[i] = float64(10 + i)
		}
		c := export.LayoutBars(values(vs...), box)
		inside(t, c)
		labels, shownValues := 0, 0
		for i, b := range c.Bars {
			if b.ShowLabel {
				labels++
			}
			if b.ShowValue {
				shownValues++
			}
			if i > 0 && b.X < c.Bars[i-1].X+c.Bars[i-1].W {
				t.Fatalf("bars %d and %d overlap", i-1, i)
			}
		}
		last := c.Bars[11]
		if labels != 6 || !last.ShowLabel || !last.ShowValue || shownValues != 1 {
			t.Fatalf("crowded labels: %d labels, %d values, last %+v", labels, shownValues, last)
		}
	})
	t.Run("missing values", func(t *testing.T) {
		c := export.LayoutBars(values(50.0, nil, 70.0, nil), box)
		inside(t, c)
		if c.Bars[1].Has || c.Bars[1].H != 0 || !near(c.Bars[1].Y, c.Baseline) || c.Bars[3].Has || !c.Bars[3].Latest {
			t.Fatalf("missing slots: %+v", c.Bars)
		}
		if empty := export.LayoutBars(values(nil, nil), box); !empty.Empty || len(empty.Bars) != 2 || len(empty.Ticks) < 2 {
			t.Fatalf("no values at all: %+v", empty)
		}
		if none := export.LayoutBars(nil, box); !none.Empty || len(none.Bars) != 0 {
			t.Fatalf("no editions: %+v", none)
		}
	})
	t.Run("negative values", func(t *testing.T) {
		c := export.LayoutBars(values(-20.0, 30.0), box)
		inside(t, c)
		neg, pos := c.Bars[0], c.Bars[1]
		if !neg.Negative || !near(neg.Y, c.Baseline) || !near(pos.Y+pos.H, c.Baseline) || c.Baseline >= plotBottom {
			t.Fatalf("negative bar hangs below zero: %+v %+v baseline %v", neg, pos, c.Baseline)
		}
	})
}

func reportText(t *testing.T, db *gorm.DB, s *models.Summit, now time.Time) string {
	t.Helper()
	r, err := models.LoadSummitReport(ctx, db, s, now)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := export.WriteReportPDF(&buf, r, export.PaperA4); err != nil {
		t.Fatal(err)
	}
	saveArtefact(t, "report.pdf", buf.Bytes())
	if off := exporttest.WordsOffPage(t, buf.Bytes(), 0); len(off) > 0 {
		t.Errorf("words off the page: %v", off)
	}
	return exporttest.Flat(exporttest.PDFText(t, buf.Bytes()))
}

// The demo's 2026 report, read back with pdftotext, holds its figures
// against 2025, the best-rated sessions above the threshold, and the
// recognition coverage — and nothing from the ceremony's two answers.
func TestReportPDFFigures(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
			t.Fatal(err)
		}
		eds, _ := models.ListEditions(ctx, db, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		txt := reportText(t, db, &eds[2], time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		for _, want := range []string{
			"SUMMIT REPORT · 2026", "Service Summit 2026", "Changes are against the previous edition, Service Summit 2025 (2025).",
			"Key figures", "Customer satisfaction (CSAT) 84 % 81 % up 3 % on 2025",
			"Employee engagement 71 of 100 — nothing to compare with 2025",
			"Complaint resolution time 36.5 hours 41 hours down 4.5 hours (−11 %) on 2025",
			"People registered 24 people 16 people up 8 people (+50 %) on 2025",
			"Year over year", "Each chart starts at zero.",
			"Best-rated sessions", "1. ", "Useful ", "Would recommend",
			"The summit as a whole", "Recognition coverage", "11 nominations reached",
		} {
			if !strings.Contains(txt, want) {
				t.Errorf("the report lacks %q\n%s", want, txt)
			}
		}
		if strings.Contains(txt, "Service Awards ceremony") {
			t.Error("the ceremony (two answers) is listed among the best-rated sessions")
		}
		// The strategize feature's measure: 2 of the 5 commitments of 2026
		// (one carried from 2025) are done, against 2 of 3 in 2025.
		if !strings.Contains(txt, "Commitments kept 40 % 66.67 % down 26.67 % on 2025") {
			t.Errorf("the report lacks Commitments kept (40 %% against 66.67 %%):\n%s", txt)
		}
	})
}

// Reports of the first edition, of the second and of the twelfth, with
// missing values, print every edition they know.
func TestReportPDFEditions(t *testing.T) {
	db := modelstest.Open(t, "sqlite")
	sys := models.ActorOf(nil, "")
	m, err := models.SaveMeasure(ctx, db, sys, 0, models.MeasureInput{Name: "Customer satisfaction", Unit: "%", HigherIsBetter: true}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var eds []*models.Summit
	for i := 0; i < 12; i++ {
		year := 2015 + i
		s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: fmt.Sprintf("Summit %d", year), StartDate: fmt.Sprintf("%d-04-01", year), EndDate: fmt.Sprintf("%d-04-01", year), TimeZone: "UTC"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), s.ID, models.StatusArchived); err != nil {
			t.Fatal(err)
		}
		if i != 2 && i != 5 && i != 8 { // 2017, 2020 and 2023 have no value
			if err := models.SetEditionValues(ctx, db, sys, s.ID, map[string]string{m.Key(): fmt.Sprint(70 + i)}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		eds = append(eds, s)
	}
	now := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	first := reportText(t, db, eds[0], now)
	if !strings.Contains(first, "This is the first edition in Summit") || !strings.Contains(first, "Customer satisfaction 70 % — —") {
		t.Errorf("first edition:\n%s", first)
	}
	second := reportText(t, db, eds[1], now)
	if !strings.Contains(second, "Customer satisfaction 71 % 70 % up 1 % on 2015") || strings.Contains(second, "2016 2017") {
		t.Errorf("second edition:\n%s", second)
	}
	third := reportText(t, db, eds[2], now)
	if !strings.Contains(third, "Customer satisfaction — 71 % nothing to compare with 2016") {
		t.Errorf("an edition without a value:\n%s", third)
	}
	last := reportText(t, db, eds[11], now)
	if !strings.Contains(last, "Customer satisfaction 81 % 80 % up 1 % on 2025") {
		t.Errorf("twelfth edition:\n%s", last)
	}
	// Twelve columns: every other edition is labelled, the latest always.
	for _, year := range []string{"2016", "2018", "2020", "2022", "2024", "2026"} {
		if !strings.Contains(last, year) {
			t.Errorf("the twelve-edition chart lacks the label %s", year)
		}
	}
	if strings.Count(last, "—") < 3 {
		t.Errorf("missing values are not marked:\n%s", last)
	}
}
