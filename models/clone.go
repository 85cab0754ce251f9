package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The parts of a summit that can be copied to a new edition.
const (
	PartRooms        = "rooms"
	PartTracks       = "tracks"
	PartSpeakers     = "speakers"
	PartSessions     = "sessions"
	PartAwards       = "awards"
	PartRegistration = "registration"
	PartTexts        = "texts"
	PartSettings     = "settings" // clone_settings.go
)

// CloneParts lists the parts in the order forms show them.
var CloneParts = []string{PartRooms, PartTracks, PartSpeakers, PartSessions, PartAwards, PartRegistration, PartTexts, PartSettings}

// ClonePartLabels describes each part for the form and the shell's help.
var ClonePartLabels = map[string]string{
	PartRooms:        "Rooms, with their seats and order",
	PartTracks:       "Tracks, with their pillars and colours (else the three pillar tracks)",
	PartSpeakers:     "Speakers — the same directory people and guests, kept from year to year",
	PartSessions:     "Agenda sessions, at the same local times on the shifted days, with seat counts",
	PartAwards:       "Award categories with their criteria, number of winners and judging rules (blind, self-nominations), windows and announcement shifted, and their judges",
	PartRegistration: "The registration window, shifted",
	PartTexts:        "Texts: theme, venue, session abstracts, track descriptions and award descriptions",
	PartSettings:     "Settings: when feedback closes and how many answers a result needs, the ideas window and vote budget (shifted), and the summit's own words for the word hints",
}

// CloneInput is what an organiser chooses for a copy: the new edition's
// title, its first day (and optionally its last; by default it lasts as
// long as the original) and the parts to copy.
type CloneInput struct {
	Title     string
	StartDate string
	EndDate   string
	Parts     []string
	// Viewer is who copies (0: the system; CloneSummit takes its actor's
	// person), at Now: the judges of a category whose outcome is kept from
	// them (MaySeeOutcome) are neither shown nor copied, or the new
	// edition's judges page would tell them.
	Viewer uint
	Now    time.Time
}

// ClonePlan is what a copy will create, worked out before anything is
// written: the preview shows it, and CloneSummit carries it out.
type ClonePlan struct {
	From       *Summit
	To         Summit // the new edition, not yet stored
	Days       int    // how many days later it starts
	Parts      map[string]bool
	Rooms      []Room
	Tracks     []Track
	Speakers   []Speaker
	Sessions   []PlannedSession
	Categories []PlannedCategory
	Window     *RegistrationWindow
	Feedback   *FeedbackSettings // the settings part (clone_settings.go)
	Ideas      *IdeaSettings
	Words      []HintWord
	// Cannot lists what will not be copied, and why.
	Cannot []string
	// Notes explain choices the copy makes (tracks by pillar, say).
	Notes []string
	// Commitments is how many open commitments carry over (every copy
	// carries them: a promise not yet kept goes on into the next edition).
	Commitments int
}

// PlannedSession is a session of the new edition.
type PlannedSession struct {
	Session
	FromID   uint
	RoomName string
	Speakers []uint // source speaker ids
}

// PlannedCategory is an award category of the new edition.
type PlannedCategory struct {
	AwardCategory
	Judges []Person
}

// NextYearStart suggests the new edition's first day: the same weekday 52
// weeks later.
func NextYearStart(s *Summit) string {
	d, err := time.Parse(DateLayout, s.StartDate)
	if err != nil {
		return ""
	}
	return d.AddDate(0, 0, 364).Format(DateLayout)
}

// NextYearTitle suggests the new edition's title: the old one with its year
// replaced (or the year added).
func NextYearTitle(s *Summit, start string) string {
	d, err := time.Parse(DateLayout, start)
	if err != nil {
		return s.Title
	}
	old, next := strconv.Itoa(s.Year), strconv.Itoa(d.Year())
	if strings.Contains(s.Title, old) {
		return strings.ReplaceAll(s.Title, old, next)
	}
	return strings.TrimSpace(s.Title) + " " + next
}

// ParseCloneParts reads a comma-separated list of parts; empty means all.
func ParseCloneParts(s string) ([]string, error) {
	if strings.TrimSpace(s) == "" || strings.TrimSpace(s) == "all" {
		return CloneParts, nil
	}
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if p == "" {
			continue
		}
		if _, ok := ClonePartLabels[p]; !ok {
			return nil, fmt.Errorf("unknown part %q; the parts are %s", p, strings.Join(CloneParts, ", "))
		}
		out = append(out, p)
	}
	return out, nil
}

// PreviewClone works out what copying a summit with in would create, and
// what cannot be copied, without writing anything.
func PreviewClone(ctx context.Context, db *gorm.DB, fromID uint, in CloneInput) (*ClonePlan, error) {
	return planClone(withCtx(ctx, db), fromID, in)
}

// CloneSummit copies a summit into a new draft edition in one transaction,
// as PreviewClone described: the chosen parts with their dates shifted
// (sessions keep their local wall-clock times on the shifted days, across a
// daylight-saving change too), speakers kept as the same people, judges who
// are still active. It never copies registrations, waitlists, check-ins,
// nominations, scores, winners or feedback. The draft records what it was
// copied from. Audited.
func CloneSummit(ctx context.Context, db *gorm.DB, who Actor, fromID uint, in CloneInput) (*Summit, *ClonePlan, error) {
	var plan *ClonePlan
	if in.Viewer == 0 {
		in.Viewer = who.PersonID
	}
	err := inTx(ctx, db, fmt.Sprintf("copy summit %d", fromID), func(tx *gorm.DB) error {
		var err error
		if plan, err = planClone(tx, fromID, in); err != nil {
			return err
		}
		if err := plan.write(tx); err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return duplicateTitle(plan.To)
			}
			return err
		}
		return Audit(ctx, tx, who, "summit.copy", "summit", plan.To.ID, "Copied "+plan.From.Title+" to "+plan.To.Title+": "+plan.CloneSummary(),
			map[string]any{"from": fromID, "parts": in.Parts}, plan.To)
	})
	if err != nil {
		return nil, nil, err
	}
	return &plan.To, plan, nil
}

// shiftLocal moves an instant by days on the calendar of loc, keeping its
// wall-clock time. ok is false when that time does not exist on the new day
// (the hour skipped when clocks go forward).
func shiftLocal(t time.Time, loc *time.Location, days int) (time.Time, bool) {
	l := t.In(loc)
	day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, days)
	at, err := LocalTime(loc, day.Format(DateLayout), l.Format("15:04"))
	if err != nil {
		return time.Time{}, false
	}
	return at.UTC(), true
}

func planClone(db *gorm.DB, fromID uint, in CloneInput) (*ClonePlan, error) {
	src, err := loadSummit(db, fromID)
	if err != nil {
		return nil, err
	}
	from := *src
	p := &ClonePlan{From: src, Parts: map[string]bool{}}
	for _, part := range in.Parts {
		if _, ok := ClonePartLabels[part]; ok {
			p.Parts[part] = true
		}
	}
	// The new edition's dates: by default as long as the original.
	f := FieldErrors{}
	start, perr := time.Parse(DateLayout, strings.TrimSpace(in.StartDate))
	oldStart, _ := time.Parse(DateLayout, from.StartDate)
	oldEnd, _ := time.Parse(DateLayout, from.EndDate)
	end := strings.TrimSpace(in.EndDate)
	if perr != nil {
		f.Add("start_date", "First day must be a date like 2028-03-09.")
	} else {
		p.Days = int(start.Sub(oldStart).Hours() / 24)
		if end == "" {
			end = oldEnd.AddDate(0, 0, p.Days).Format(DateLayout)
		}
	}
	sin := SummitInput{Title: in.Title, StartDate: in.StartDate, EndDate: end, TimeZone: from.TimeZone}
	if p.Parts[PartTexts] {
		sin.Theme, sin.Venue = from.Theme, from.Venue
	}
	to, vf := sin.validate()
	for k, v := range vf {
		if _, done := f[k]; !done {
			f.Add(k, v)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if p.Days <= 0 {
		return nil, FieldErrors{"start_date": "The new edition must start after " + from.Title + " (" + from.StartDate + ")."}
	}
	to.Status, to.CopiedFromID = StatusDraft, &from.ID
	p.To = to
	loc := from.Location()
	newDays := map[string]bool{}
	for _, d := range to.Days() {
		newDays[d] = true
	}

	var rooms []Room
	if err := db.Where("summit_id = ?", from.ID).Order("position, id").Find(&rooms).Error; err != nil {
		return nil, err
	}
	roomName := map[uint]string{}
	for _, r := range rooms {
		roomName[r.ID] = r.Name
	}
	if p.Parts[PartRooms] {
		p.Rooms = rooms
	}
	var tracks []Track
	if err := db.Where("summit_id = ?", from.ID).Order("id").Find(&tracks).Error; err != nil {
		return nil, err
	}
	if p.Parts[PartTracks] {
		p.Tracks = tracks
		if !p.Parts[PartTexts] {
			for i := range p.Tracks {
				p.Tracks[i].Description = ""
			}
		}
	} else {
		p.Notes = append(p.Notes, "Tracks are not copied: the new edition starts with the three pillar tracks, and copied sessions take the pillar track of their old track.")
	}

	var speakers []Speaker
	if err := db.Where("summit_id = ?", from.ID).Order("name, id").Find(&speakers).Error; err != nil {
		return nil, err
	}
	left, err := inactivePeople(db, speakers)
	if err != nil {
		return nil, err
	}
	keepSpeaker := map[uint]bool{}
	if p.Parts[PartSpeakers] {
		for _, sp := range speakers {
			if sp.PersonID != nil && left[*sp.PersonID] {
				p.Cannot = append(p.Cannot, "Speaker "+sp.Name+" has left (no longer active in the directory): not copied, and taken off their sessions.")
				continue
			}
			keepSpeaker[sp.ID] = true
			p.Speakers = append(p.Speakers, sp)
		}
	}

	if p.Parts[PartSessions] {
		var sessions []Session
		if err := db.Where("summit_id = ?", from.ID).Order("starts_at, id").Find(&sessions).Error; err != nil {
			return nil, err
		}
		links, err := sessionSpeakerLinks(db, from.ID)
		if err != nil {
			return nil, err
		}
		if !p.Parts[PartRooms] && len(rooms) > 0 {
			p.Notes = append(p.Notes, "Rooms are not copied: sessions are copied without a room.")
		}
		if !p.Parts[PartSpeakers] && len(links) > 0 {
			p.Notes = append(p.Notes, "Speakers are not copied: sessions are copied without speakers.")
		}
		for _, x := range sessions {
			ns, okStart := shiftLocal(x.StartsAt, loc, p.Days)
			ne, okEnd := shiftLocal(x.EndsAt, loc, p.Days)
			when := x.StartsAt.In(loc).Format("Mon 2 Jan 15:04")
			if !okStart || !okEnd {
				p.Cannot = append(p.Cannot, fmt.Sprintf("Session “%s” (%s): its time does not exist on the new day in %s (the clocks go forward that night).", x.Title, when, from.TimeZone))
				continue
			}
			if !newDays[ns.In(loc).Format(DateLayout)] || ne.After(to.End()) {
				p.Cannot = append(p.Cannot, fmt.Sprintf("Session “%s” (%s): its day does not exist in the new edition (%s).", x.Title, when, to.StartDate+" to "+to.EndDate))
				continue
			}
			ps := PlannedSession{FromID: x.ID, Session: Session{Title: x.Title, Kind: x.Kind, StartsAt: ns, EndsAt: ne, Capacity: x.Capacity,
				RoomID: x.RoomID, TrackID: x.TrackID, Unscheduled: x.Unscheduled}}
			if p.Parts[PartTexts] {
				ps.Abstract = x.Abstract
			}
			if x.RoomID != nil && p.Parts[PartRooms] {
				ps.RoomName = roomName[*x.RoomID]
			} else {
				ps.RoomID = nil
			}
			for _, sid := range links[x.ID] {
				if keepSpeaker[sid] {
					ps.Speakers = append(ps.Speakers, sid)
				}
			}
			p.Sessions = append(p.Sessions, ps)
		}
	}

	if p.Parts[PartAwards] {
		var cats []AwardCategory
		if err := db.Where("summit_id = ?", from.ID).Order("name, id").Find(&cats).Error; err != nil {
			return nil, err
		}
		var judges []AwardJudge
		if err := db.Preload("Person").Joins("JOIN award_categories c ON c.id = award_judges.category_id").
			Where("c.summit_id = ?", from.ID).Order("award_judges.id").Find(&judges).Error; err != nil {
			return nil, err
		}
		now := in.Now
		if now.IsZero() {
			now = Now()
		}
		hidden, err := HiddenOutcomes(db.Statement.Context, db, in.Viewer, now)
		if err != nil {
			return nil, err
		}
		for _, c := range cats {
			pc := PlannedCategory{AwardCategory: c}
			pc.ID, pc.SummitID, pc.CreatedAt, pc.UpdatedAt = 0, 0, time.Time{}, time.Time{}
			if !p.Parts[PartTexts] {
				pc.Description = ""
			}
			ok := true
			for _, at := range []*time.Time{&pc.OpensAt, &pc.ClosesAt, &pc.AnnounceAt, &pc.JudgingClosesAt} {
				if *at, ok = shiftLocal(*at, loc, p.Days); !ok {
					break
				}
			}
			if !ok {
				p.Cannot = append(p.Cannot, fmt.Sprintf("Award category “%s”: one of its moments does not exist on the new day in %s (the clocks go forward that night).", c.Name, from.TimeZone))
				continue
			}
			if hidden[c.ID] {
				p.Cannot = append(p.Cannot, "Judges of “"+c.Name+"”: not copied, because you are nominated in it and its judges are kept from you until its announcement. Another organiser can add them to the new edition.")
			}
			for _, j := range judges {
				if j.CategoryID != c.ID || j.Person == nil || hidden[c.ID] {
					continue
				}
				if !j.Person.Active {
					p.Cannot = append(p.Cannot, "Judge "+j.Person.Name+" of “"+c.Name+"” has left (no longer active in the directory): not copied.")
					continue
				}
				pc.Judges = append(pc.Judges, *j.Person)
			}
			p.Categories = append(p.Categories, pc)
		}
	}

	var open int64
	if err := db.Model(&Commitment{}).Where("summit_id = ? AND status NOT IN ?", from.ID, []CommitmentStatus{CommitDone, CommitDropped}).Count(&open).Error; err != nil {
		return nil, err
	}
	p.Commitments = int(open)

	if p.Parts[PartRegistration] {
		w, err := readWindow(db, from.ID)
		if err != nil {
			return nil, err
		}
		if w.OpensAt != nil && w.ClosesAt != nil {
			o, ok1 := shiftLocal(*w.OpensAt, loc, p.Days)
			c, ok2 := shiftLocal(*w.ClosesAt, loc, p.Days)
			if ok1 && ok2 {
				p.Window = &RegistrationWindow{OpensAt: &o, ClosesAt: &c}
			} else {
				p.Cannot = append(p.Cannot, "The registration window: its opening or closing time does not exist on the new day (the clocks go forward that night).")
			}
		} else {
			p.Notes = append(p.Notes, from.Title+" has no registration window to copy.")
		}
	}
	if p.Parts[PartSettings] {
		if err := p.planSettings(db, loc); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// inactivePeople returns which of the speakers' directory people are no
// longer active.
func inactivePeople(db *gorm.DB, speakers []Speaker) (map[uint]bool, error) {
	var ids []uint
	for _, sp := range speakers {
		if sp.PersonID != nil {
			ids = append(ids, *sp.PersonID)
		}
	}
	out := map[uint]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var gone []uint
	if err := db.Model(&Person{}).Where("id IN ? AND NOT active", ids).Pluck("id", &gone).Error; err != nil {
		return nil, err
	}
	for _, id := range gone {
		out[id] = true
	}
	return out, nil
}

// sessionSpeakerLinks maps each session of a summit to its speakers, in order.
func sessionSpeakerLinks(db *gorm.DB, summitID uint) (map[uint][]uint, error) {
	var rows []struct {
		SessionID, SpeakerID uint
		Position             int
	}
	err := db.Table("session_speakers ss").Select("ss.session_id, ss.speaker_id, ss.position").
		Joins("JOIN sessions x ON x.id = ss.session_id").Where("x.summit_id = ?", summitID).
		Order("ss.session_id, ss.position").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := map[uint][]uint{}
	for _, r := range rows {
		out[r.SessionID] = append(out[r.SessionID], r.SpeakerID)
	}
	return out, nil
}
