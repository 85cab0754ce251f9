package export

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"summit/models"
)

// agendaPages makes the agenda's page breaks readable: a page that starts in
// the middle of a day says which day it continues, repeats the time of the
// slot it is in (in grey), and names the session whose text continues.
type agendaPages struct {
	d       *doc
	timeCol float64
	day     string // day heading in force, "" outside a day
	slot    string // time of the slot in force, "" between slots
}

func (a *agendaPages) install() {
	d := a.d
	d.onPage = func() {
		if a.day == "" {
			return
		}
		d.font("B", 9)
		d.pdf.SetTextColor(grey[0], grey[1], grey[2])
		d.pdf.SetX(d.margin)
		d.pdf.CellFormat(d.width(), 5, d.fit(a.day+" (continued)", d.width()), "", 1, "L", false, 0, "")
		d.pdf.Ln(1.5)
		y := d.pdf.GetY()
		if a.slot != "" {
			d.font("B", 9.5)
			d.pdf.SetXY(d.margin, y)
			d.pdf.CellFormat(a.timeCol, 5.2, a.slot, "", 0, "L", false, 0, "")
		}
		if d.continued != "" {
			x := d.margin + a.timeCol + 5
			d.font("", 8)
			d.pdf.SetXY(x, y)
			d.pdf.CellFormat(d.pageW-d.margin-x, 5.2, d.fit("(continued) "+d.continued, d.pageW-d.margin-x), "", 1, "L", false, 0, "")
		}
		d.pdf.SetTextColor(0, 0, 0)
		if d.continued == "" {
			d.pdf.SetY(y) // the next session's title goes beside the time
		}
	}
}

// timeLabel prints a slot's time in the time column at the cursor's line.
func (a *agendaPages) timeLabel(label string) {
	d := a.d
	d.font("B", 9.5)
	y := d.pdf.GetY()
	d.pdf.SetXY(d.margin, y)
	d.pdf.CellFormat(a.timeCol, 5.2, label, "", 0, "L", false, 0, "")
	d.pdf.SetXY(d.margin+a.timeCol, y)
}

func slotText(s *models.Session, loc *time.Location) string {
	return s.StartsAt.In(loc).Format("15:04") + "–" + s.EndsAt.In(loc).Format("15:04")
}

func programAgenda(d *doc, p *Program) {
	d.page()
	d.heading(18, "Agenda", 20)
	if len(p.Sessions) == 0 {
		d.text(d.margin, d.width(), 5, "", 10, "The agenda is not published yet.")
		return
	}
	ap := &agendaPages{d: d, timeCol: 27}
	ap.install()
	defer func() { d.onPage = nil }()
	curDay := ""
	var curSlot time.Time
	for i := range p.Sessions {
		s := &p.Sessions[i]
		day := s.StartsAt.In(p.Loc).Format(models.DateLayout)
		if day != curDay {
			if curDay != "" {
				d.pdf.Ln(3)
			}
			curDay = day
			curSlot = time.Time{}
			ap.day, ap.slot = "", ""
			d.heading(14, dayTitle(day), 20)
			ap.day = dayTitle(day)
		}
		if !s.StartsAt.Equal(curSlot) {
			curSlot = s.StartsAt
			ap.slot = ""
			d.ensure(18)
			d.pdf.SetDrawColor(220, 220, 220)
			d.pdf.Line(d.margin, d.pdf.GetY(), d.pageW-d.margin, d.pdf.GetY())
			d.pdf.Ln(1.5)
			ap.slot = slotText(s, p.Loc)
			ap.timeLabel(ap.slot)
		}
		sessionBlock(d, p, s, d.margin+ap.timeCol, "", true)
	}
	d.pdf.SetX(d.margin)
}

func programTraining(d *doc, p *Program) {
	var list []*models.Session
	for i := range p.Sessions {
		if p.Sessions[i].Kind == models.KindTraining || p.Sessions[i].Capacity != nil {
			list = append(list, &p.Sessions[i])
		}
	}
	d.pdf.Ln(4)
	d.heading(18, "Training sessions", 40)
	if len(list) == 0 {
		d.text(d.margin, d.width(), 5, "", 10, "No training sessions yet.")
		return
	}
	d.text(d.margin, d.width(), 4.8, "", 9.5, "Training sessions have a limited number of seats. Register on the agenda page; when a session is full you join its waitlist and move up automatically.")
	d.pdf.Ln(2)
	for _, s := range list {
		seats := "no registration needed"
		if s.Capacity != nil {
			seats = fmt.Sprintf("%d seats, %d left when printed", *s.Capacity, s.SeatsLeft())
			if s.SeatsLeft() <= 0 {
				seats = fmt.Sprintf("%d seats, full when printed — join the waitlist", *s.Capacity)
			}
		}
		when := s.StartsAt.In(p.Loc).Format("Mon 2 Jan 15:04") + "–" + s.EndsAt.In(p.Loc).Format("15:04")
		d.ensure(14)
		color := "#9ca3af"
		if s.Track != nil {
			color = s.Track.Color
		}
		d.swatch(d.margin, d.pdf.GetY()+1.2, 3.2, color)
		d.text(d.margin+5, d.width()-5, 5.2, "B", 10.5, s.Title)
		room := ""
		if s.Room != nil {
			room = " · " + s.Room.Name
		}
		d.pdf.SetTextColor(70, 70, 70)
		d.text(d.margin+5, d.width()-5, 4.4, "", 8.5, when+room+" · "+seats)
		d.pdf.SetTextColor(0, 0, 0)
		d.pdf.Ln(2)
	}
}

func programSpeakers(d *doc, p *Program) {
	d.pdf.Ln(4)
	d.heading(18, "Speakers", 20)
	if len(p.Speakers) == 0 {
		d.text(d.margin, d.width(), 5, "", 10, "Speakers will be announced soon.")
		return
	}
	for i := range p.Speakers {
		sp := &p.Speakers[i]
		d.ensure(12)
		nameAndOrg(d, Clean(sp.Name), Clean(sp.Affiliation()))
		if bio := shortBio(sp.Bio); bio != "" {
			d.text(d.margin, d.width(), 4.6, "", 9, bio)
		}
		d.pdf.Ln(2)
	}
}

// nameAndOrg prints a bold name with the organisation after it in grey on
// the same line, or wrapped below when the two do not fit one line.
func nameAndOrg(d *doc, name, org string) {
	d.font("B", 10.5)
	nw := d.pdf.GetStringWidth(name)
	d.font("", 9.5)
	ow := d.pdf.GetStringWidth("  " + org)
	if org == "" || nw+ow > d.width() {
		d.text(d.margin, d.width(), 5.2, "B", 10.5, name)
		if org != "" {
			d.pdf.SetTextColor(grey[0], grey[1], grey[2])
			d.text(d.margin, d.width(), 4.6, "", 9.5, org)
			d.pdf.SetTextColor(0, 0, 0)
		}
		return
	}
	d.font("B", 10.5)
	d.pdf.SetX(d.margin)
	d.pdf.CellFormat(nw, 5.2, name, "", 0, "L", false, 0, "")
	d.font("", 9.5)
	d.pdf.SetTextColor(grey[0], grey[1], grey[2])
	d.pdf.CellFormat(ow, 5.2, "  "+org, "", 1, "L", false, 0, "")
	d.pdf.SetTextColor(0, 0, 0)
}

// shortBio keeps a bio to about 600 characters, cut at a word.
func shortBio(s string) string {
	s = strings.TrimSpace(s)
	cut, ok := models.CutAtWord(s, 600, 400)
	if !ok {
		return s
	}
	return cut + "…"
}

func programAwards(d *doc, p *Program) {
	if len(p.Awards) == 0 && len(p.Honorees) == 0 {
		return
	}
	d.page()
	d.heading(18, "Awards", 20)
	d.text(d.margin, d.width(), 4.8, "", 9.5, "Colleagues nominate the people whose service they admire; judges score the stories. These are this year's award categories.")
	d.pdf.Ln(2)
	announced := map[string]bool{}
	for _, h := range p.Honorees {
		announced[h.AwardName] = true
	}
	for _, a := range p.Awards {
		d.ensure(14)
		title := awardTitle(a.Name, a.Trait)
		d.text(d.margin, d.width(), 5.2, "B", 10.5, title)
		if a.Description != "" {
			d.text(d.margin, d.width(), 4.6, "", 9, a.Description)
		}
		if !announced[a.Name] && a.AnnounceAt.After(p.Now) {
			d.pdf.SetTextColor(30, 64, 120)
			d.text(d.margin, d.width(), 4.6, "", 9, AnnounceText(a.AnnounceAt, p.Loc))
			d.pdf.SetTextColor(0, 0, 0)
		}
		d.pdf.Ln(2)
	}
	if len(p.Honorees) == 0 {
		return
	}
	d.pdf.Ln(3)
	d.heading(18, "Honorees", 20)
	hs := append([]models.Honoree(nil), p.Honorees...)
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].AwardName < hs[j].AwardName })
	for _, h := range hs {
		d.ensure(18)
		d.color(navy)
		d.text(d.margin, d.width(), 4.6, "B", 8.5, awardTitle(h.AwardName, h.Trait))
		d.pdf.SetTextColor(0, 0, 0)
		nameAndOrg(d, Clean(h.PersonName), Clean(h.Department))
		if h.Quote != "" {
			d.color(grey)
			d.text(d.margin+4, d.width()-4, 4.6, "", 9, "“"+h.Quote+"”")
			d.pdf.SetTextColor(0, 0, 0)
		}
		d.pdf.Ln(3)
	}
}

// awardTitle names an award with its service trait, unless the name already
// says it ("The Kindness Award", not "The Kindness Award — Kindness").
func awardTitle(name, trait string) string {
	if trait == "" || strings.Contains(strings.ToLower(name), strings.ToLower(trait)) {
		return name
	}
	return name + " — " + trait
}

// programPromised is "What we promised last year": every commitment of the
// previous edition with its owner and last status.
func programPromised(d *doc, p *Program) {
	pr := p.Promised
	if pr == nil || len(pr.Items) == 0 {
		return
	}
	d.pdf.Ln(4)
	d.heading(18, "What we promised last year", 24)
	d.text(d.margin, d.width(), 4.8, "", 9.5, fmt.Sprintf("At %s we made %d commitments; %d are done. Each has an owner who reported how it went through the year.",
		pr.Edition.Title, len(pr.Items), pr.Kept()))
	d.pdf.Ln(2)
	for i := range pr.Items {
		c := &pr.Items[i]
		d.ensure(12)
		d.color(navy)
		d.text(d.margin, d.width(), 4.6, "B", 8.5, c.StatusLabel())
		d.pdf.SetTextColor(0, 0, 0)
		d.text(d.margin, d.width(), 5, "B", 10, c.What)
		line := "Owner: " + c.OwnerName() + " · due " + c.DueDate
		if c.StatusNote != "" {
			line += " · " + c.StatusNote
		}
		d.color(grey)
		d.text(d.margin, d.width(), 4.6, "", 9, line)
		d.pdf.SetTextColor(0, 0, 0)
		d.pdf.Ln(2)
	}
}
