package models

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// --- Organisers ---

// Roster is a session's confirmed people, then its waitlist in order, and
// apart from both the walk-ins added at the door.
type Roster struct {
	Session   *Session
	Confirmed []Registration
	Waitlist  []Registration
	WalkIns   []Registration
	Attended  int // confirmed people checked in (walk-ins not counted)
}

// Present is how many people came: checked-in registrations and walk-ins.
func (r *Roster) Present() int { return r.Attended + len(r.WalkIns) }

// GetRoster loads the roster of a session of a summit.
func GetRoster(ctx context.Context, db *gorm.DB, summitID, sessionID uint) (*Roster, error) {
	s, err := GetSession(ctx, db, summitID, sessionID)
	if err != nil {
		return nil, err
	}
	var list []Registration
	if err := withCtx(ctx, db).Preload("Person").Where("session_id = ? AND status IN ?", s.ID, []RegStatus{RegConfirmed, RegWaitlisted, RegWalkIn}).
		Order("position, confirmed_at, attended_at, id").Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: roster %d: %w", sessionID, err)
	}
	r := &Roster{Session: s}
	for _, reg := range list {
		switch reg.Status {
		case RegConfirmed:
			r.Confirmed = append(r.Confirmed, reg)
			if reg.AttendedAt != nil {
				r.Attended++
			}
		case RegWalkIn:
			r.WalkIns = append(r.WalkIns, reg)
		default:
			r.Waitlist = append(r.Waitlist, reg)
		}
	}
	return r, nil
}

// RosterCSV returns a roster as CSV rows (header first), formula-safe:
// confirmed people, the waitlist in order, then the walk-ins (status
// "walk-in").
func RosterCSV(r *Roster, loc *time.Location) [][]string {
	rows := [][]string{CSVRow("status", "place in line", "name", "email", "department", "job title", "registered at", "attended at")}
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	for _, list := range [][]Registration{r.Confirmed, r.Waitlist, r.WalkIns} {
		for _, reg := range list {
			p := reg.Person
			if p == nil {
				p = &Person{}
			}
			pos := ""
			if reg.Status == RegWaitlisted {
				pos = strconv.Itoa(reg.Position)
			}
			ca := reg.CreatedAt
			rows = append(rows, CSVRow(string(reg.Status), pos, p.Name, p.Email, p.Department, p.JobTitle, at(&ca), at(reg.AttendedAt)))
		}
	}
	return rows
}

// orgRegistration loads a registration that belongs to the session, which
// belongs to the summit; anything else (a tampered id) is ErrNotFound.
func orgRegistration(tx *gorm.DB, summitID, sessionID, regID uint) (*Session, *Registration, error) {
	_, s, err := loadForRegistration(tx, summitID, sessionID)
	if err != nil {
		return nil, nil, err
	}
	if err := lockRow(tx, "sessions", s.ID); err != nil {
		return nil, nil, err
	}
	var r Registration
	if err := tx.Preload("Person").Where("session_id = ?", s.ID).First(&r, regID).Error; err != nil {
		return nil, nil, notFound(err)
	}
	return s, &r, nil
}

func personName(r *Registration) string {
	if r.Person != nil {
		return r.Person.Name
	}
	return "person " + strconv.Itoa(int(r.PersonID))
}

type regSnapshot struct {
	ID       uint      `json:"id"`
	Session  uint      `json:"session_id"`
	Person   uint      `json:"person_id"`
	Status   RegStatus `json:"status"`
	Position int       `json:"position,omitempty"`
	Attended bool      `json:"attended"`
}

func snap(r *Registration) regSnapshot {
	return regSnapshot{ID: r.ID, Session: r.SessionID, Person: r.PersonID, Status: r.Status, Position: r.Position, Attended: r.AttendedAt != nil}
}

// PromoteResult is what an organiser's promotion did.
type PromoteResult struct {
	Registration Registration
	AddedSeat    bool // the session was full, so its capacity grew by one
}

// PromoteRegistration gives a waitlisted person a seat by hand. When the
// session is full its capacity grows by one, so nobody loses a seat. Audited.
func PromoteRegistration(ctx context.Context, db *gorm.DB, who Actor, summitID, sessionID, regID uint, now time.Time) (*PromoteResult, error) {
	var out PromoteResult
	err := inTx(ctx, db, fmt.Sprintf("promote registration %d", regID), func(tx *gorm.DB) error {
		s, r, err := orgRegistration(tx, summitID, sessionID, regID)
		if err != nil {
			return err
		}
		if r.Status != RegWaitlisted {
			return FieldErrors{"registration_id": fmt.Sprintf("%s is not on the waitlist of “%s” (%s), so there is nothing to promote.", personName(r), s.Title, r.Status)}
		}
		before := snap(r)
		seat, err := takeSeat(tx, s.ID)
		if err != nil {
			return err
		}
		if !seat {
			if err := tx.Exec("UPDATE sessions SET capacity = capacity + 1, seats_taken = seats_taken + 1, version = version + 1, updated_at = ? WHERE id = ? AND capacity IS NOT NULL",
				now.UTC(), s.ID).Error; err != nil {
				return err
			}
			out.AddedSeat = true
		}
		if err := confirm(tx, r, now); err != nil {
			return err
		}
		out.Registration = *r
		if err := noticePromoted(tx, summitID, s, []Registration{*r}, now); err != nil {
			return err
		}
		summary := fmt.Sprintf("Promoted %s from the waitlist of “%s”", personName(r), s.Title)
		if out.AddedSeat {
			summary += " (capacity raised by one)"
		}
		return Audit(ctx, tx, who, "registration.promote", "registration", r.ID, summary, before, snap(r))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// RemoveRegistration takes a person off a session by hand (seat or waitlist
// place); a freed seat goes to the first in line. Audited.
func RemoveRegistration(ctx context.Context, db *gorm.DB, who Actor, summitID, sessionID, regID uint, now time.Time) (*CancelResult, error) {
	var out CancelResult
	err := inTx(ctx, db, fmt.Sprintf("remove registration %d", regID), func(tx *gorm.DB) error {
		s, r, err := orgRegistration(tx, summitID, sessionID, regID)
		if err != nil {
			return err
		}
		if r.Status == RegCancelled {
			return FieldErrors{"registration_id": fmt.Sprintf("%s already cancelled their place in “%s”.", personName(r), s.Title)}
		}
		before := snap(r)
		out.Was = r.Status
		out.Promoted, err = drop(tx, r, now)
		if err != nil {
			return err
		}
		out.Cancelled = *r
		if err := noticePromoted(tx, summitID, s, out.Promoted, now); err != nil {
			return err
		}
		if before.Status != RegWalkIn {
			if _, err := Notify(tx, now, NoticeInput{PersonID: r.PersonID, SummitID: summitID, Kind: NoticeSeat,
				Subject: "Your place in “" + s.Title + "” was removed",
				Body:    "An organiser took you off “" + s.Title + "”. Ask the organisers if this is a surprise.",
				Link:    fmt.Sprintf("/summits/%d/sessions/%d", summitID, s.ID)}); err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("Removed %s (%s) from “%s”", personName(r), before.Status, s.Title)
		if len(out.Promoted) > 0 {
			summary += fmt.Sprintf("; %d promoted from the waitlist", len(out.Promoted))
		}
		return Audit(ctx, tx, who, "registration.remove", "registration", r.ID, summary, before, snap(r))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// MarkAttended records (or, with attended false, undoes) that a confirmed
// person came through the door. Audited.
func MarkAttended(ctx context.Context, db *gorm.DB, who Actor, summitID, sessionID, regID uint, attended bool, now time.Time) (*Registration, error) {
	var out Registration
	err := inTx(ctx, db, fmt.Sprintf("mark attended %d", regID), func(tx *gorm.DB) error {
		s, r, err := orgRegistration(tx, summitID, sessionID, regID)
		if err != nil {
			return err
		}
		if r.Status == RegWalkIn {
			return walkInAttendance(ctx, tx, who, s, r, attended, now, &out)
		}
		if r.Status != RegConfirmed {
			return FieldErrors{"registration_id": fmt.Sprintf("%s has no confirmed seat in “%s” (%s); promote them first.", personName(r), s.Title, r.Status)}
		}
		before := snap(r)
		var at *time.Time
		if attended {
			t := now.UTC()
			at = &t
		}
		if err := tx.Model(&Registration{}).Where("id = ?", r.ID).Updates(map[string]any{"attended_at": at, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		r.AttendedAt = at
		out = *r
		action, summary := "registration.attend", fmt.Sprintf("Checked in %s at “%s”", personName(r), s.Title)
		if !attended {
			action, summary = "registration.unattend", fmt.Sprintf("Undid the check-in of %s at “%s”", personName(r), s.Title)
		}
		return Audit(ctx, tx, who, action, "registration", r.ID, summary, before, snap(r))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// SearchRoster filters a roster's confirmed, walk-in and waitlisted people
// by a name, email or department fragment (case-insensitive), for the door:
// confirmed by name, then walk-ins by name, then the waitlist in order.
func SearchRoster(r *Roster, q string) []Registration {
	q = strings.ToLower(strings.TrimSpace(q))
	var out []Registration
	for _, list := range [][]Registration{r.Confirmed, r.WalkIns, r.Waitlist} {
		for _, reg := range list {
			p := reg.Person
			if p == nil {
				continue
			}
			if q == "" || strings.Contains(strings.ToLower(p.Name), q) || strings.Contains(strings.ToLower(p.Email), q) ||
				strings.Contains(strings.ToLower(p.Department), q) {
				out = append(out, reg)
			}
		}
	}
	rank := map[RegStatus]int{RegConfirmed: 0, RegWalkIn: 1, RegWaitlisted: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Status != out[j].Status {
			return rank[out[i].Status] < rank[out[j].Status]
		}
		if out[i].Status == RegWaitlisted {
			return out[i].Position < out[j].Position
		}
		return strings.ToLower(out[i].Person.Name) < strings.ToLower(out[j].Person.Name)
	})
	return out
}

// SessionLoad is a training session with its registration numbers.
type SessionLoad struct {
	Session  Session
	Waiting  int
	Attended int // registered people checked in
	WalkIns  int // people added at the door, apart from the seats
}

// WalkInPercent is the walk-ins' share of the seat bar: a second segment
// after the taken seats, never past the bar's end.
func (l SessionLoad) WalkInPercent() int { return walkInPercent(&l.Session, l.WalkIns) }

// WalkInPercent is the roster's walk-ins' share of the seat bar.
func (r *Roster) WalkInPercent() int { return walkInPercent(r.Session, len(r.WalkIns)) }

func walkInPercent(s *Session, n int) int {
	if s == nil || s.Capacity == nil || *s.Capacity <= 0 || n <= 0 {
		return 0
	}
	p := n * 100 / *s.Capacity
	if p < 1 {
		p = 1
	}
	if left := 100 - s.FillPercent(); p > left {
		p = left
	}
	return p
}

// TrainingOverview lists every session of a summit that takes registrations,
// in time order, with how many wait and how many came.
func TrainingOverview(ctx context.Context, db *gorm.DB, summit *Summit) ([]SessionLoad, error) {
	list, err := ListSessions(ctx, db, summit, AgendaFilter{})
	if err != nil {
		return nil, err
	}
	type count struct {
		SessionID uint
		Waiting   int
		Attended  int
		WalkIns   int
	}
	var counts []count
	if err := withCtx(ctx, db).Model(&Registration{}).
		Select("registrations.session_id, SUM(CASE WHEN registrations.status = ? THEN 1 ELSE 0 END) AS waiting, SUM(CASE WHEN registrations.status = ? AND registrations.attended_at IS NOT NULL THEN 1 ELSE 0 END) AS attended, SUM(CASE WHEN registrations.status = ? THEN 1 ELSE 0 END) AS walk_ins", RegWaitlisted, RegConfirmed, RegWalkIn).
		Joins("JOIN sessions ON sessions.id = registrations.session_id").
		Where("sessions.summit_id = ?", summit.ID).Group("registrations.session_id").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("models: training overview: %w", err)
	}
	by := map[uint]count{}
	for _, c := range counts {
		by[c.SessionID] = c
	}
	var out []SessionLoad
	for _, s := range list {
		if s.Capacity == nil {
			continue
		}
		c := by[s.ID]
		out = append(out, SessionLoad{Session: s, Waiting: c.Waiting, Attended: c.Attended, WalkIns: c.WalkIns})
	}
	return out, nil
}

// AgendaEntry is one session on a person's agenda, with their standing.
type AgendaEntry struct {
	Session Session
	// Status: "plenary" (no registration needed), "confirmed", "waitlisted",
	// or "speaker" (AgendaSpeaker: the person speaks in it): a registration
	// status or one of those two.
	Status RegStatus
	// Position in the waitlist (1-based) when waitlisted.
	Position int
}

// PersonalAgenda returns a person's agenda for a summit: their seats and
// waitlist places plus every session that needs no registration (keynotes,
// breaks, the ceremony), in time order.
func PersonalAgenda(ctx context.Context, db *gorm.DB, summit *Summit, personID uint) ([]AgendaEntry, error) {
	list, err := ListSessions(ctx, db, summit, AgendaFilter{})
	if err != nil {
		return nil, err
	}
	var regs []Registration
	if err := withCtx(ctx, db).Joins("JOIN sessions ON sessions.id = registrations.session_id").
		Where("sessions.summit_id = ? AND registrations.person_id = ? AND registrations.status IN ?", summit.ID, personID, activeStatuses).
		Find(&regs).Error; err != nil {
		return nil, fmt.Errorf("models: personal agenda: %w", err)
	}
	mine := map[uint]Registration{}
	for _, r := range regs {
		mine[r.SessionID] = r
	}
	// The person's own talks are on their agenda too, marked "You speak".
	var talks []uint
	if err := withCtx(ctx, db).Raw(`SELECT ss.session_id FROM session_speakers ss JOIN speakers sp ON sp.id = ss.speaker_id
WHERE sp.summit_id = ? AND sp.person_id = ?`, summit.ID, personID).Scan(&talks).Error; err != nil {
		return nil, fmt.Errorf("models: personal agenda talks: %w", err)
	}
	speaks := map[uint]bool{}
	for _, id := range talks {
		speaks[id] = true
	}
	var out []AgendaEntry
	for _, s := range list {
		if speaks[s.ID] {
			out = append(out, AgendaEntry{Session: s, Status: AgendaSpeaker})
		} else if s.Capacity == nil {
			out = append(out, AgendaEntry{Session: s, Status: "plenary"})
		} else if r, ok := mine[s.ID]; ok {
			out = append(out, AgendaEntry{Session: s, Status: r.Status, Position: r.Position})
		}
	}
	return out, nil
}

// AgendaSpeaker is the status of a personal agenda entry the person speaks in.
const AgendaSpeaker = "speaker"

// PositionText says an agenda entry's waitlist place: "3rd in line".
func (e AgendaEntry) PositionText() string { return Ordinal(e.Position) + " in line" }
