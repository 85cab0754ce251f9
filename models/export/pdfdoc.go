package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jung-kurt/gofpdf/v2"
)

// Paper sizes the program and agenda can be printed on.
const (
	PaperA4     = "A4"
	PaperLetter = "Letter"
)

// ParsePaper reads a paper name as typed in a URL: "letter" (any case) is US
// Letter, anything else A4.
func ParsePaper(s string) string {
	if strings.EqualFold(strings.TrimSpace(s), "letter") {
		return PaperLetter
	}
	return PaperA4
}

const family = "DejaVu"

// doc wraps a gofpdf document with the few layout tools the exports need:
// wrapped paragraphs with page breaks of our own (gofpdf's SplitText can
// panic and its SplitLines counts bytes, not characters), a running header
// and page numbers.
type doc struct {
	pdf           *gofpdf.Fpdf
	pageW, pageH  float64
	margin        float64
	bottom        float64 // lowest y text may reach
	header        string  // running header, empty on the cover
	showHeader    bool
	continued     string // printed at the top of a page a block continues on
	numberedPages bool
	// onPage, when set, prints what a new page needs at its top instead of
	// the plain "(continued)" line (the agenda repeats the day and time).
	onPage func()
}

func newDoc(orientation, paper string) (*doc, error) {
	fb, err := fonts()
	if err != nil {
		return nil, err
	}
	pdf := gofpdf.New(orientation, "mm", paper, "")
	// Page streams stay uncompressed: gofpdf makes a new zlib writer per page
	// (about 1 MB of allocation each), which doubled the time of a 200-session
	// program; the web handler gzips the whole file once instead.
	pdf.SetCompression(false)
	pdf.SetAutoPageBreak(false, 0)
	pdf.AddUTF8FontFromBytes(family, "", fb[""])
	pdf.AddUTF8FontFromBytes(family, "B", fb["B"])
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("export: fonts: %w", err)
	}
	w, h := pdf.GetPageSize()
	d := &doc{pdf: pdf, pageW: w, pageH: h, margin: 18, numberedPages: true}
	d.bottom = h - 18
	pdf.SetMargins(d.margin, 20, d.margin)
	pdf.AliasNbPages("{nb}")
	pdf.SetHeaderFuncMode(func() {
		if !d.showHeader || d.header == "" {
			return
		}
		d.font("", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.SetXY(d.margin, 9)
		pdf.CellFormat(d.width(), 4, d.fit(d.header, d.width()), "", 0, "L", false, 0, "")
		pdf.SetDrawColor(200, 200, 200)
		pdf.Line(d.margin, 14, w-d.margin, 14)
		pdf.SetTextColor(0, 0, 0)
		pdf.SetXY(d.margin, 20)
	}, true)
	pdf.SetFooterFunc(func() {
		if !d.numberedPages {
			return
		}
		d.font("", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.SetXY(d.margin, h-12)
		pdf.CellFormat(d.width(), 4, "Page "+strconv.Itoa(pdf.PageNo())+" of {nb}", "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	return d, nil
}

func (d *doc) width() float64 { return d.pageW - 2*d.margin }

func (d *doc) font(style string, size float64) { d.pdf.SetFont(family, style, size) }

// page starts a new page; if a block is being continued, says so at the top.
func (d *doc) page() {
	d.pdf.AddPage()
	d.pdf.SetXY(d.margin, 20)
	if d.onPage != nil {
		d.onPage()
		return
	}
	if d.continued != "" {
		d.font("", 8)
		d.pdf.SetTextColor(110, 110, 110)
		line := d.fit("(continued) "+d.continued, d.width())
		d.pdf.CellFormat(d.width(), 4, line, "", 1, "L", false, 0, "")
		d.pdf.SetTextColor(0, 0, 0)
		d.pdf.SetX(d.margin)
	}
}

// ensure starts a new page unless h millimetres fit below the cursor.
func (d *doc) ensure(h float64) bool {
	if d.pdf.GetY()+h > d.bottom {
		x := d.pdf.GetX()
		d.page()
		d.pdf.SetX(x)
		return true
	}
	return false
}

// fit shortens a line with an ellipsis so it fits w.
func (d *doc) fit(s string, w float64) string {
	if d.pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && d.pdf.GetStringWidth(string(r)+"…") > w {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// wrap breaks cleaned text into lines no wider than w in the current font,
// keeping paragraph breaks; a word longer than a line is cut.
func (d *doc) wrap(text string, w float64) []string {
	var out []string
	space := d.pdf.GetStringWidth(" ")
	for _, para := range strings.Split(text, "\n") {
		words := strings.Fields(para)
		if len(words) == 0 {
			out = append(out, "")
			continue
		}
		var line strings.Builder
		lineW := 0.0
		for _, word := range words {
			ww := d.pdf.GetStringWidth(word)
			for ww > w { // cut a word that is wider than a whole line
				if line.Len() > 0 {
					out = append(out, line.String())
					line.Reset()
					lineW = 0
				}
				r := []rune(word)
				n := len(r)
				for n > 1 && d.pdf.GetStringWidth(string(r[:n])) > w {
					n--
				}
				out = append(out, string(r[:n]))
				word = string(r[n:])
				ww = d.pdf.GetStringWidth(word)
			}
			if word == "" {
				continue
			}
			if line.Len() > 0 && lineW+space+ww > w {
				out = append(out, line.String())
				line.Reset()
				lineW = 0
			}
			if line.Len() > 0 {
				line.WriteByte(' ')
				lineW += space
			}
			line.WriteString(word)
			lineW += ww
		}
		if line.Len() > 0 {
			out = append(out, line.String())
		}
	}
	// Drop trailing empty lines.
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// text prints wrapped text at x, w wide, breaking pages between lines. A
// paragraph that breaks leaves at least two lines on each page when it can:
// no single first line at a page's foot, no single last line at the top of
// the next.
func (d *doc) text(x, w, lineH float64, style string, size float64, s string) {
	d.font(style, size)
	lines := d.wrap(Clean(s), w)
	for i, line := range lines {
		left := len(lines) - i
		room := int((d.bottom-d.pdf.GetY())/lineH + 1e-9)
		orphan := i == 0 && room == 1 && left > 1
		widow := i > 0 && room == 1 && left == 2
		if orphan || widow {
			d.page()
			d.font(style, size)
		} else if d.ensure(lineH) {
			d.font(style, size)
		}
		d.pdf.SetX(x)
		d.pdf.CellFormat(w, lineH, line, "", 1, "L", false, 0, "")
	}
}

// heading prints a section heading, keeping it with at least keep mm below.
func (d *doc) heading(size float64, s string, keep float64) {
	d.ensure(size*0.6 + keep)
	d.font("B", size)
	d.pdf.SetX(d.margin)
	d.pdf.CellFormat(d.width(), size*0.55, d.fit(Clean(s), d.width()), "", 1, "L", false, 0, "")
	d.pdf.Ln(1.5)
}

// swatch draws a small filled square in a #rrggbb colour.
func (d *doc) swatch(x, y, size float64, hex string) {
	r, g, b := parseHex(hex)
	d.pdf.SetFillColor(r, g, b)
	d.pdf.Rect(x, y, size, size, "F")
	d.pdf.SetFillColor(255, 255, 255)
}

func parseHex(hex string) (int, int, int) {
	hex = strings.TrimPrefix(hex, "#")
	if len(hex) != 6 {
		return 150, 150, 150
	}
	n, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return 150, 150, 150
	}
	return int(n >> 16 & 0xff), int(n >> 8 & 0xff), int(n & 0xff)
}

func (d *doc) output(w io.Writer) error {
	if err := d.pdf.Output(w); err != nil {
		return fmt.Errorf("export: write pdf: %w", err)
	}
	return nil
}
