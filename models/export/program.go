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

	programCover(d, p)
	d.showHeader = true
	d.page()
	programPillars(d, p)
	programAgenda(d, p)
	programTraining(d, p)
	programSpeakers(d, p)
	programAwards(d, p)
	return d.output(w)
}

func programCover(d *doc, p *Program) {
	s := p.Summit
	d.page()
	pdf := d.pdf
	pdf.SetFillColor(30, 64, 120)
	pdf.Rect(0, 0, d.pageW, 8, "F")
	pdf.SetY(d.pageH * 0.28)
	d.font("B", 13)
	pdf.SetTextColor(30, 64, 120)
	pdf.CellFormat(d.width(), 7, strconv.Itoa(s.Year), "", 1, "L", false, 0, "")
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(2)
	d.text(d.margin, d.width(), 12, "B", 28, s.Title)
	pdf.Ln(4)
	if s.Theme != "" {
		d.text(d.margin, d.width(), 8, "", 16, s.Theme)
		pdf.Ln(6)
	}
	d.text(d.margin, d.width(), 6.5, "B", 12, DateRange(s))
	if s.Venue != "" {
		d.text(d.margin, d.width(), 6.5, "", 12, s.Venue)
	}
	d.text(d.margin, d.width(), 6.5, "", 10, "All times are in "+s.TimeZone+".")
	pdf.SetY(d.bottom - 20)
	d.text(d.margin, d.width(), 5, "", 9, "Celebrate · Train · Strategize — the three pillars of the Service Summit.")
}

func programPillars(d *doc, p *Program) {
	d.heading(18, "The three pillars", 20)
	for _, pillar := range models.Pillars {
		d.heading(13, models.PillarLabel(pillar), 10)
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
		meta = extra + " · " + meta
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

func programAgenda(d *doc, p *Program) {
	d.page()
	d.heading(18, "Agenda", 20)
	if len(p.Sessions) == 0 {
		d.text(d.margin, d.width(), 5, "", 10, "The agenda is not published yet.")
		return
	}
	timeCol := 27.0
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
			d.heading(14, dayTitle(day), 18)
		}
		if !s.StartsAt.Equal(curSlot) {
			curSlot = s.StartsAt
			d.ensure(18)
			d.pdf.SetDrawColor(220, 220, 220)
			d.pdf.Line(d.margin, d.pdf.GetY(), d.pageW-d.margin, d.pdf.GetY())
			d.pdf.Ln(1.5)
			d.font("B", 9.5)
			y := d.pdf.GetY()
			d.pdf.SetXY(d.margin, y)
			d.pdf.CellFormat(timeCol, 5.2, s.StartsAt.In(p.Loc).Format("15:04")+"–"+s.EndsAt.In(p.Loc).Format("15:04"), "", 0, "L", false, 0, "")
			d.pdf.SetXY(d.margin+timeCol, y)
		}
		sessionBlock(d, p, s, d.margin+timeCol, "", true)
	}
}

func programTraining(d *doc, p *Program) {
	var list []*models.Session
	for i := range p.Sessions {
		if p.Sessions[i].Kind == models.KindTraining || p.Sessions[i].Capacity != nil {
			list = append(list, &p.Sessions[i])
		}
	}
	d.pdf.Ln(4)
	d.heading(18, "Training sessions", 20)
	if len(list) == 0 {
		d.text(d.margin, d.width(), 5, "", 10, "No training sessions yet.")
		return
	}
	d.text(d.margin, d.width(), 4.8, "", 9.5, "Training sessions have a limited number of seats. Register on the agenda page; when a session is full you join its waitlist and move up automatically.")
	d.pdf.Ln(2)
	for _, s := range list {
		seats := "no registration needed"
		if s.Capacity != nil {
			seats = fmt.Sprintf("%d seats, %d left", *s.Capacity, s.SeatsLeft())
		}
		when := s.StartsAt.In(p.Loc).Format("Mon 2 Jan 15:04") + "–" + s.EndsAt.In(p.Loc).Format("15:04")
		d.ensure(14)
		d.text(d.margin, d.width(), 5.2, "B", 10.5, s.Title)
		room := ""
		if s.Room != nil {
			room = " · " + s.Room.Name
		}
		d.pdf.SetTextColor(70, 70, 70)
		d.text(d.margin, d.width(), 4.4, "", 8.5, when+room+" · "+seats)
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
		name := sp.Name
		if sp.Organisation != "" {
			name += " — " + sp.Organisation
		}
		d.text(d.margin, d.width(), 5.2, "B", 10.5, name)
		if bio := shortBio(sp.Bio); bio != "" {
			d.text(d.margin, d.width(), 4.6, "", 9, bio)
		}
		d.pdf.Ln(2)
	}
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
		title := a.Name
		if a.Trait != "" && !strings.EqualFold(a.Trait, a.Name) {
			title += " — " + a.Trait
		}
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
		d.ensure(14)
		name := h.PersonName
		if h.Department != "" {
			name += " — " + h.Department
		}
		d.text(d.margin, d.width(), 5.2, "B", 10.5, name)
		award := h.AwardName
		if h.Trait != "" && !strings.EqualFold(h.Trait, h.AwardName) {
			award += " (" + h.Trait + ")"
		}
		d.text(d.margin, d.width(), 4.6, "", 9, award)
		if h.Quote != "" {
			d.text(d.margin+4, d.width()-4, 4.6, "", 9, "“"+h.Quote+"”")
		}
		d.pdf.Ln(2)
	}
}
