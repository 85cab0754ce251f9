package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"summit/models"
)

// WriteAgendaPDF renders a person's agenda for a summit: their confirmed
// seats, their waitlist places and the plenary sessions, day by day.
func WriteAgendaPDF(w io.Writer, s *models.Summit, personName string, entries []models.AgendaEntry, paper string) error {
	d, err := newDoc("P", paper)
	if err != nil {
		return err
	}
	loc := s.Location()
	d.header = Clean(fmt.Sprintf("%s · My agenda · %s", s.Title, personName))
	d.showHeader = true
	d.pdf.SetTitle(Clean(s.Title+" — agenda of "+personName), true)
	d.page()
	d.heading(18, "My agenda — "+personName, 10)
	d.text(d.margin, d.width(), 5, "", 10, fmt.Sprintf("%s · %s · times in %s", s.Title, s.DateRange(true), s.TimeZone))
	d.pdf.Ln(3)
	if len(entries) == 0 {
		d.text(d.margin, d.width(), 5, "", 10, "Nothing on this agenda yet.")
	}
	p := &Program{Summit: s, Loc: loc}
	ap := &agendaPages{d: d, timeCol: 27}
	ap.install()
	curDay := ""
	for i := range entries {
		e := &entries[i]
		day := e.Session.StartsAt.In(loc).Format(models.DateLayout)
		if day != curDay {
			curDay = day
			ap.day, ap.slot = "", ""
			d.pdf.Ln(2)
			d.heading(14, dayTitle(day), 20)
			ap.day = dayTitle(day)
		}
		status := "" // plenary: everyone attends, nothing to point out
		switch e.Status {
		case models.RegConfirmed:
			status = "Seat confirmed"
		case models.RegWaitlisted:
			status = "On the waitlist, " + e.PositionText()
		case models.AgendaSpeaker:
			status = "You speak"
		}
		ap.slot = ""
		d.ensure(18)
		ap.slot = slotText(&e.Session, loc)
		ap.timeLabel(ap.slot)
		sessionBlock(d, p, &e.Session, d.margin+ap.timeCol, status, false)
	}
	return d.output(w)
}

// WriteCertificatesPDF renders one landscape certificate per honoree. With
// no honorees (before the announcement) it renders a single page saying
// when certificates become available — and no names.
func WriteCertificatesPDF(w io.Writer, s *models.Summit, honorees []models.Honoree, awards []models.AwardSummary, now time.Time) error {
	d, err := newDoc("L", PaperA4)
	if err != nil {
		return err
	}
	d.numberedPages = false
	loc := s.Location()
	d.pdf.SetTitle(Clean(s.Title+" — award certificates"), true)
	if len(honorees) == 0 {
		d.page()
		d.color(navy)
		d.centred(d.pageH*0.32, "B", 11, 8, strings.ToUpper(s.Title), d.width())
		d.pdf.SetTextColor(0, 0, 0)
		d.centred(d.pageH*0.32+12, "B", 22, 14, "Certificates are not available yet", d.width())
		d.pdf.SetY(d.pageH*0.32 + 28)
		msg := "Award certificates become available once the winners have been announced at the ceremony."
		var next time.Time
		for _, a := range awards {
			if a.AnnounceAt.After(now) && (next.IsZero() || a.AnnounceAt.Before(next)) {
				next = a.AnnounceAt
			}
		}
		if !next.IsZero() {
			msg = "Award certificates become available after the announcement at the ceremony, " +
				next.In(loc).Format("Monday 2 January 2006 at 15:04") + " (" + loc.String() + ")."
		}
		d.font("", 13)
		d.color(grey)
		for _, line := range d.wrap(Clean(msg), d.width()-40) {
			d.pdf.SetX(d.margin + 20)
			d.pdf.CellFormat(d.width()-40, 7, line, "", 1, "C", false, 0, "")
		}
		return d.output(w)
	}
	for i := range honorees {
		certificate(d, s, &honorees[i], now)
	}
	return d.output(w)
}

// Colours of the certificates: navy frame and text, a warm gold accent.
var (
	navy = [3]int{30, 64, 120}
	gold = [3]int{184, 142, 58}
	grey = [3]int{95, 95, 95}
)

func (d *doc) color(c [3]int) { d.pdf.SetTextColor(c[0], c[1], c[2]) }

// centred prints one line centred on the page, shrinking the font (down to
// min) until it fits the width, then cutting with an ellipsis.
func (d *doc) centred(y float64, style string, size, min float64, text string, w float64) {
	text = Clean(text)
	d.font(style, size)
	for size > min && d.pdf.GetStringWidth(text) > w {
		size -= 1
		d.font(style, size)
	}
	d.pdf.SetXY((d.pageW-w)/2, y)
	d.pdf.CellFormat(w, size*0.45, d.fit(text, w), "", 0, "C", false, 0, "")
}

// certificate draws one landscape certificate: a double frame with corner
// marks, the summit, the title, the winner's name large in the middle, the
// award and its service trait, and the date and signature lines at the foot.
func certificate(d *doc, s *models.Summit, h *models.Honoree, now time.Time) {
	pdf := d.pdf
	d.page()
	W, H := d.pageW, d.pageH
	pdf.SetDrawColor(navy[0], navy[1], navy[2])
	pdf.SetLineWidth(1.6)
	pdf.Rect(10, 10, W-20, H-20, "D")
	pdf.SetDrawColor(gold[0], gold[1], gold[2])
	pdf.SetLineWidth(0.5)
	pdf.Rect(14, 14, W-28, H-28, "D")
	// Corner marks inside the gold frame.
	pdf.SetFillColor(gold[0], gold[1], gold[2])
	for _, c := range [][2]float64{{14, 14}, {W - 14, 14}, {14, H - 14}, {W - 14, H - 14}} {
		pdf.Rect(c[0]-2.5, c[1]-2.5, 5, 5, "F")
	}
	inner := W - 70

	d.color(navy)
	d.centred(34, "B", 11, 8, strings.ToUpper(s.Title), inner)
	d.color([3]int{20, 20, 20})
	d.centred(48, "B", 30, 20, "Certificate of Recognition", inner)
	pdf.SetDrawColor(gold[0], gold[1], gold[2])
	pdf.SetLineWidth(0.8)
	pdf.Line(W/2-30, 66, W/2+30, 66)

	d.color(grey)
	d.centred(76, "", 13, 10, "This certificate is presented to", inner)
	d.color(navy)
	d.centred(90, "B", 36, 18, h.PersonName, inner)
	d.color(grey)
	if h.Department != "" {
		d.centred(110, "", 13, 10, h.Department, inner)
	}
	d.centred(120, "", 13, 10, "in recognition of their service, with", inner)
	d.color([3]int{20, 20, 20})
	d.centred(130, "B", 22, 14, h.AwardName, inner)
	if h.Trait != "" && !strings.Contains(strings.ToLower(h.AwardName), strings.ToLower(h.Trait)) {
		d.color(grey)
		d.centred(142, "", 12, 9, "Service trait: "+h.Trait, inner)
	}

	// Foot: the date on the left, a signature line on the right.
	date := h.Announced
	if date.IsZero() {
		date = now
	}
	lineY, colW := H-44, 80.0
	left, right := 40.0, W-40-colW
	pdf.SetDrawColor(80, 80, 80)
	pdf.SetLineWidth(0.3)
	pdf.Line(left, lineY, left+colW, lineY)
	pdf.Line(right, lineY, right+colW, lineY)
	d.color([3]int{20, 20, 20})
	d.font("", 12)
	pdf.SetXY(left, lineY-8)
	pdf.CellFormat(colW, 6, Clean(date.In(s.Location()).Format("2 January 2006")), "", 0, "C", false, 0, "")
	d.color(grey)
	d.font("", 9)
	pdf.SetXY(left, lineY+1.5)
	pdf.CellFormat(colW, 5, "Date", "", 0, "C", false, 0, "")
	pdf.SetXY(right, lineY+1.5)
	pdf.CellFormat(colW, 5, "For the organisers", "", 0, "C", false, 0, "")
	summitLine := s.Title
	if s.Venue != "" {
		summitLine += " · " + s.Venue
	}
	d.centred(H-30, "", 9, 7, summitLine, inner)
	pdf.SetTextColor(0, 0, 0)
	pdf.SetLineWidth(0.2)
}
