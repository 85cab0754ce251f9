package export

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"summit/models"
)

// Program is everything the printed program shows, read in one go.
type Program struct {
	Summit   *models.Summit
	Loc      *time.Location
	Tracks   []models.Track
	Sessions []models.Session
	Speakers []models.Speaker
	Awards   []models.AwardSummary
	Honorees []models.Honoree // empty before the announcement
	Now      time.Time
}

// LoadProgram reads a summit's program as it stands at now. Winners come only
// through models.Honorees, which returns none before the announcement.
func LoadProgram(ctx context.Context, db *gorm.DB, s *models.Summit, now time.Time) (*Program, error) {
	p := &Program{Summit: s, Loc: s.Location(), Now: now}
	var err error
	if p.Sessions, err = models.ListSessions(ctx, db, s, models.AgendaFilter{}); err != nil {
		return nil, err
	}
	if p.Tracks, err = models.ListTracks(ctx, db, s.ID); err != nil {
		return nil, fmt.Errorf("export: tracks: %w", err)
	}
	if p.Speakers, err = models.ListSpeakers(ctx, db, s.ID); err != nil {
		return nil, fmt.Errorf("export: speakers: %w", err)
	}
	if p.Awards, err = models.AwardSummaries(ctx, db, s.ID); err != nil {
		return nil, err
	}
	if p.Honorees, err = models.Honorees(ctx, db, s.ID, now); err != nil {
		return nil, err
	}
	return p, nil
}

// DateRange writes a summit's dates the way people read them.
func DateRange(s *models.Summit) string {
	a, err1 := time.Parse(models.DateLayout, s.StartDate)
	b, err2 := time.Parse(models.DateLayout, s.EndDate)
	switch {
	case err1 != nil || err2 != nil:
		return s.StartDate + " – " + s.EndDate
	case a.Equal(b):
		return a.Format("Monday 2 January 2006")
	case a.Month() == b.Month() && a.Year() == b.Year():
		return fmt.Sprintf("%d–%d %s", a.Day(), b.Day(), b.Format("January 2006"))
	}
	return a.Format("2 January") + " – " + b.Format("2 January 2006")
}

// AnnounceText says when winners are announced, in the summit's time zone:
// "Winners announced at the ceremony, Friday 12 March 16:00".
func AnnounceText(at time.Time, loc *time.Location) string {
	return "Winners announced at the ceremony, " + at.In(loc).Format("Monday 2 January 15:04") + " (" + loc.String() + ")"
}

func kindLabel(k string) string {
	if k == "" {
		return ""
	}
	return strings.ToUpper(k[:1]) + k[1:]
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
	d.header = Clean(fmt.Sprintf("%s · %s · Program", s.Title, DateRange(s)))
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
	return d.output(w)
}

// pillarColor is the colour of a pillar's first track, grey without one.
func pillarColor(p *Program, pillar string) string {
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
	y = d.lines(x, band+16, w, 8, "B", 16, DateRange(s), 1)
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
		nameAndOrg(d, Clean(sp.Name), Clean(sp.Organisation))
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
	r := []rune(s)
	if len(r) <= 600 {
		return s
	}
	cut := string(r[:600])
	if i := strings.LastIndex(cut, " "); i > 400 {
		cut = cut[:i]
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
