package export

import (
	"math"
	"strconv"
)

// ChartValue is one column of a bar chart: an edition and its value.
type ChartValue struct {
	Label string // edition, e.g. "2026"
	Text  string // the value as people read it, e.g. "82 %"
	Value float64
	Has   bool // false: no value for this edition
}

// ChartBox is the size of a chart and the room kept around the plot for
// labels, in whatever unit the renderer uses (SVG pixels, PDF millimetres).
type ChartBox struct {
	W, H                     float64
	Left, Right, Top, Bottom float64
}

// ChartBar is a laid-out column.
type ChartBar struct {
	ChartValue
	X, Y, W, H float64 // the bar's rectangle (H may be 0)
	CenterX    float64
	ValueY     float64 // the bar's outer end: its top, or its bottom when Negative
	Negative   bool
	Latest     bool // the last edition, drawn stronger
	ShowLabel  bool // crowded charts label every other edition
	ShowValue  bool // crowded charts label only the latest value
}

// ChartTick is a horizontal grid line with its value.
type ChartTick struct {
	Y     float64
	Label string
}

// BarChart is a measure across editions laid out as columns from zero, so
// differences are never exaggerated; missing values leave an empty slot.
type BarChart struct {
	Box      ChartBox
	Baseline float64 // y of zero
	Bars     []ChartBar
	Ticks    []ChartTick
	Empty    bool // no edition has a value
}

// PlotRight is the x where the plot ends.
func (c *BarChart) PlotRight() float64 { return c.Box.W - c.Box.Right }

// niceStep rounds a raw tick step up to 1, 2, 2.5 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	if raw <= 0 || math.IsNaN(raw) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw-1e-12 {
			return m * p
		}
	}
	return 10 * p
}

// tickLabel writes a tick value without float noise.
func tickLabel(v float64) string {
	if math.Abs(v) < 1e-9 {
		return "0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// LayoutBars lays out values (oldest first) in box: one slot per edition,
// the y axis from zero (or below, for negative values) to a round number
// above the largest value, with about four grid lines.
func LayoutBars(values []ChartValue, box ChartBox) *BarChart {
	c := &BarChart{Box: box, Empty: true}
	lo, hi := 0.0, 0.0
	whole := true
	for _, v := range values {
		if !v.Has {
			continue
		}
		c.Empty = false
		lo, hi = math.Min(lo, v.Value), math.Max(hi, v.Value)
		whole = whole && v.Value == math.Trunc(v.Value)
	}
	if hi-lo < 1e-12 {
		hi = lo + 1
	}
	step := niceStep((hi - lo) / 4)
	if whole && step < 1 {
		step = 1 // counts get whole grid lines
	}
	lo = math.Floor(lo/step+1e-9) * step
	hi = math.Ceil(hi/step-1e-9) * step
	if hi <= lo {
		hi = lo + step
	}
	plotTop, plotH := box.Top, box.H-box.Top-box.Bottom
	y := func(v float64) float64 { return plotTop + (hi-v)/(hi-lo)*plotH }
	c.Baseline = y(0)
	for v := lo; v <= hi+step/2; v += step {
		c.Ticks = append(c.Ticks, ChartTick{Y: y(v), Label: tickLabel(math.Round(v/step) * step)})
	}
	n := len(values)
	if n == 0 {
		return c
	}
	slot := (box.W - box.Left - box.Right) / float64(n)
	barW := math.Min(slot*0.64, (box.W-box.Left-box.Right)*0.22)
	every := 1
	if n > 8 {
		every = 2
	}
	for i, v := range values {
		cx := box.Left + slot*(float64(i)+0.5)
		b := ChartBar{ChartValue: v, CenterX: cx, X: cx - barW/2, W: barW, Latest: i == n-1}
		b.ShowLabel = (n-1-i)%every == 0
		b.ShowValue = n <= 8 || b.Latest
		if v.Has {
			top, bottom := y(math.Max(v.Value, 0)), y(math.Min(v.Value, 0))
			b.Y, b.H = top, bottom-top
			b.ValueY = top
			if v.Value < 0 {
				b.ValueY, b.Negative = bottom, true
			}
		} else {
			b.Y, b.H, b.ValueY = c.Baseline, 0, c.Baseline
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}
