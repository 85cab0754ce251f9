package export

import (
	"fmt"
	"io"
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
	d.text(d.margin, d.width(), 5, "", 10, fmt.Sprintf("%s · %s · times in %s", s.Title, DateRange(s), s.TimeZone))
	d.pdf.Ln(3)
	if len(entries) == 0 {
		d.text(d.margin, d.width(), 5, "", 10, "Nothing on this agenda yet.")
	}
	p := &Program{Summit: s, Loc: loc}
	curDay := ""
	for i := range entries {
		e := &entries[i]
		day := e.Session.StartsAt.In(loc).Format(models.DateLayout)
		if day != curDay {
			curDay = day
			d.pdf.Ln(2)
			d.heading(14, dayTitle(day), 18)
		}
		status := "Plenary"
		switch e.Status {
		case models.RegConfirmed:
			status = "Seat confirmed"
		case models.RegWaitlisted:
			status = "Waitlist, " + e.PositionText()
		}
		d.ensure(18)
		y := d.pdf.GetY()
		d.font("B", 9.5)
		d.pdf.SetXY(d.margin, y)
		d.pdf.CellFormat(27, 5.2, e.Session.StartsAt.In(loc).Format("15:04")+"–"+e.Session.EndsAt.In(loc).Format("15:04"), "", 0, "L", false, 0, "")
		d.pdf.SetXY(d.margin+27, y)
		sessionBlock(d, p, &e.Session, d.margin+27, status, false)
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
		d.pdf.SetY(d.pageH * 0.35)
		d.text(d.margin, d.width(), 10, "B", 22, "Certificates are not available yet")
		d.pdf.Ln(4)
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
		d.text(d.margin, d.width(), 7, "", 13, msg)
		return d.output(w)
	}
	for _, h := range honorees {
		d.page()
		pdf := d.pdf
		pdf.SetDrawColor(30, 64, 120)
		pdf.SetLineWidth(1.2)
		pdf.Rect(10, 10, d.pageW-20, d.pageH-20, "D")
		pdf.SetLineWidth(0.3)
		pdf.Rect(14, 14, d.pageW-28, d.pageH-28, "D")
		center := func(style string, size, lineH float64, text string) {
			d.font(style, size)
			for _, line := range d.wrap(Clean(text), d.width()-20) {
				pdf.SetX(d.margin + 10)
				pdf.CellFormat(d.width()-20, lineH, line, "", 1, "C", false, 0, "")
			}
		}
		pdf.SetY(40)
		pdf.SetTextColor(30, 64, 120)
		center("B", 14, 8, "Certificate of recognition")
		pdf.SetTextColor(0, 0, 0)
		pdf.Ln(8)
		center("", 12, 7, "This certifies that")
		pdf.Ln(3)
		center("B", 30, 14, h.PersonName)
		if h.Department != "" {
			center("", 12, 7, h.Department)
		}
		pdf.Ln(6)
		center("", 12, 7, "is honoured with the award")
		award := h.AwardName
		if h.Trait != "" && h.Trait != h.AwardName {
			award += " — " + h.Trait
		}
		center("B", 18, 10, award)
		pdf.Ln(8)
		date := h.Announced
		if date.IsZero() {
			date = now
		}
		center("", 12, 7, s.Title+" · "+date.In(loc).Format("2 January 2006"))
		if s.Venue != "" {
			center("", 10, 6, s.Venue)
		}
	}
	return d.output(w)
}
