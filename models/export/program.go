package export

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"summit/models"
)

// Program is the data a printed program is made of; models.LoadProgram
// gathers it, this package only writes it.
type Program = models.Program

// AnnounceText says when winners are announced, in the summit's time zone:
// "Winners announced at the ceremony, Friday 12 March 16:00".
func AnnounceText(at time.Time, loc *time.Location) string {
	return "Winners announced at the ceremony, " + at.In(loc).Format("Monday 2 January 15:04") + " (" + loc.String() + ")"
}

func kindLabel(k models.SessionKind) string {
	if k == "" {
		return ""
	}
	return strings.ToUpper(string(k[:1])) + string(k[1:])
}

func speakerNames(s *models.Session) string {
	names := make([]string, len(s.Speakers))
	for i, sp := range s.Speakers {
		names[i] = sp.Name
	}
	return strings.Join(names, ", ")
}

// sessionMeta is the line under a session's title: room, track, kind, seats.
func sessionMeta(s *models.Session) string {
	var parts []string
	if s.Room != nil {
		parts = append(parts, s.Room.Name)
	}
	if s.Track != nil {
		parts = append(parts, s.Track.Name)
	}
	parts = append(parts, kindLabel(s.Kind))
	if s.Capacity != nil {
		parts = append(parts, strconv.Itoa(*s.Capacity)+" seats")
	}
	return strings.Join(parts, " · ")
}

// WriteProgramPDF renders the printed program on paper (PaperA4 or
// PaperLetter).
func WriteProgramPDF(w io.Writer, p *Program, paper string) error {
	d, err := newDoc("P", paper)
	if err != nil {
		return err
	}
	s := p.Summit
	d.header = Clean(fmt.Sprintf("%s · %s · Program", s.Title, s.DateRange(true)))
	d.pdf.SetTitle(Clean(s.Title+" — Program"), true)
	d.pdf.SetAuthor("Summit", true)
	d.pdf.SetCreator("Summit", true)

	d.numberedPages = false // the cover has no page number (it still counts)
	programCover(d, p)
	d.showHeader = true
	d.page()
	d.numberedPages = true
	programPillars(d, p)
	programAgenda(d, p)
	programTraining(d, p)
	programSpeakers(d, p)
	programAwards(d, p)
	programPromised(d, p)
	return d.output(w)
}

// pillarColor is the colour of a pillar's first track, grey without one.
func pillarColor(p *Program, pillar models.Pillar) string {
	for i := range p.Tracks {
		if p.Tracks[i].Pillar == pillar {
			return p.Tracks[i].Color
		}
	}
	return "#9ca3af"
}

// lines prints up to max wrapped lines of s at x, w wide, from y; the last
// one shortened with an ellipsis when the text is longer. It returns the y
// below the text. For the cover, which must stay one page.
func (d *doc) lines(x, y, w, lineH float64, style string, size float64, s string, max int) float64 {
	d.font(style, size)
	ls := d.wrap(Clean(s), w)
	if len(ls) > max {
		ls = append(ls[:max-1], d.fit(strings.Join(ls[max-1:], " "), w))
	}
	for _, l := range ls {
		d.pdf.SetXY(x, y)
		d.pdf.CellFormat(w, lineH, l, "", 0, "L", false, 0, "")
		y += lineH
	}
	return y
}

// programCover is the booklet's first page: a navy band with the title and
// theme, a strip in the three pillars' track colours, the dates and venue,
// and the three pillars at the foot.
func programCover(d *doc, p *Program) {
	s := p.Summit
	d.page()
	pdf := d.pdf
	W, x, w := d.pageW, d.margin, d.width()
	band := d.pageH * 0.45
	pdf.SetFillColor(navy[0], navy[1], navy[2])
	pdf.Rect(0, 0, W, band, "F")
	for i, pl := range models.Pillars {
		r, g, b := parseHex(pillarColor(p, pl))
		pdf.SetFillColor(r, g, b)
		pdf.Rect(W*float64(i)/3, band, W/3+0.1, 3, "F")
	}

	pdf.SetTextColor(175, 198, 232)
	y := d.lines(x, band*0.36, w, 7, "B", 12, fmt.Sprintf("PROGRAM · %d", s.Year), 1)
	// Long titles and themes get a smaller size rather than crowding the band.
	size := 32.0
	if d.font("B", size); len(d.wrap(Clean(s.Title), w)) > 2 {
		size = 25
	}
	pdf.SetTextColor(255, 255, 255)
	y = d.lines(x, y+4, w, size*0.41, "B", size, s.Title, 3)
	if s.Theme != "" {
		size = 16
		if d.font("", size); len(d.wrap(Clean(s.Theme), w)) > 2 {
			size = 13
		}
		pdf.SetTextColor(220, 228, 242)
		d.lines(x, y+3, w, size*0.5, "", size, s.Theme, 3)
	}

	pdf.SetTextColor(navy[0], navy[1], navy[2])
	y = d.lines(x, band+16, w, 8, "B", 16, s.DateRange(true), 1)
	pdf.SetTextColor(30, 30, 30)
	if s.Venue != "" {
		y = d.lines(x, y+1, w, 6.5, "", 12, s.Venue, 2)
	}
	pdf.SetTextColor(grey[0], grey[1], grey[2])
	d.lines(x, y+2, w, 5, "", 9.5, "All times are in "+s.TimeZone+".", 1)

	// The three pillars, side by side at the foot of the page.
	colW, gap := (w-2*8)/3, 8.0
	top := d.bottom - 38
	pdf.SetTextColor(grey[0], grey[1], grey[2])
	d.lines(x, top-9, w, 5, "B", 9, "THE THREE PILLARS", 1)
	for i, pl := range models.Pillars {
		cx := x + float64(i)*(colW+gap)
		r, g, b := parseHex(pillarColor(p, pl))
		pdf.SetFillColor(r, g, b)
		pdf.Rect(cx, top, colW, 1.6, "F")
		name, tagline, _ := strings.Cut(models.PillarLabel(pl), " — ")
		pdf.SetTextColor(20, 20, 20)
		yy := d.lines(cx, top+4, colW, 6, "B", 12, name, 1)
		pdf.SetTextColor(grey[0], grey[1], grey[2])
		d.lines(cx, yy+0.5, colW, 4.4, "", 9, tagline, 4)
	}
	pdf.SetTextColor(0, 0, 0)
	pdf.SetFillColor(255, 255, 255)
}

func programPillars(d *doc, p *Program) {
	d.heading(18, "The three pillars", 20)
	for _, pillar := range models.Pillars {
		d.heading(13, models.PillarLabel(pillar), 14)
		n := 0
		for i := range p.Tracks {
			t := &p.Tracks[i]
			if t.Pillar != pillar {
				continue
			}
			n++
			d.ensure(12)
			y := d.pdf.GetY()
			d.swatch(d.margin, y+1, 3.5, t.Color)
			d.text(d.margin+6, d.width()-6, 5.5, "B", 11, t.Name)
			if strings.TrimSpace(t.Description) != "" {
				d.text(d.margin+6, d.width()-6, 4.8, "", 9.5, t.Description)
			}
			d.pdf.Ln(2)
		}
		if n == 0 {
			d.text(d.margin, d.width(), 5, "", 9.5, "No tracks in this pillar yet.")
		}
		d.pdf.Ln(3)
	}
}

// sessionBlock prints one session: swatch, title, meta, speakers and, when
// withAbstract, its description; the text continues on the next page when it
// does not fit, with a "(continued)" line naming the session.
func sessionBlock(d *doc, p *Program, s *models.Session, x float64, extra string, withAbstract bool) {
	w := d.pageW - d.margin - x
	d.ensure(16)
	y := d.pdf.GetY()
	color := "#9ca3af"
	if s.Track != nil {
		color = s.Track.Color
	}
	d.swatch(x, y+1.2, 3.2, color)
	d.continued = Clean(s.Title)
	defer func() { d.continued = "" }()
	d.text(x+5, w-5, 5.2, "B", 10.5, s.Title)
	meta := sessionMeta(s)
	if extra != "" {
		// A person's standing (personal agenda) stands out in colour:
		// green for a seat, amber for a waitlist place, grey for plenary.
		c := grey
		switch {
		case strings.HasPrefix(extra, "Seat"):
			c = [3]int{21, 128, 61}
		case strings.HasPrefix(extra, "On the waitlist"):
			c = [3]int{180, 83, 9}
		}
		d.color(c)
		d.text(x+5, w-5, 4.6, "B", 8.5, extra)
	}
	d.pdf.SetTextColor(70, 70, 70)
	d.text(x+5, w-5, 4.4, "", 8.5, meta)
	if names := speakerNames(s); names != "" {
		d.text(x+5, w-5, 4.4, "", 8.5, "With "+names)
	}
	d.pdf.SetTextColor(0, 0, 0)
	if withAbstract && strings.TrimSpace(s.Abstract) != "" {
		d.pdf.Ln(0.8)
		d.text(x+5, w-5, 4.4, "", 9, s.Abstract)
	}
	d.pdf.Ln(2.5)
}

func dayTitle(day string) string {
	t, err := time.Parse(models.DateLayout, day)
	if err != nil {
		return day
	}
	return t.Format("Monday 2 January 2006")
}
