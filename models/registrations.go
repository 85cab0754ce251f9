package models

// Training registrations: a registration window per summit, seats taken with
// one conditional UPDATE, first-come waitlists renumbered without gaps, and
// automatic promotion of the first in line in the same transaction as the
// cancellation that freed the seat.
//
// Locking: a registration locks the person's row, then the session's row
// (Postgres: SELECT … FOR NO KEY UPDATE; SQLite transactions are IMMEDIATE and
// serialise anyway). The person lock makes the clash check and the
// "already registered" check safe against double clicks and parallel tabs;
// the session lock gives waitlist positions without gaps. Every path takes
// person before session, and none takes a person after a session, so two
// transactions never wait on each other in a circle.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Registration statuses.
const (
	RegConfirmed  = "confirmed"
	RegWaitlisted = "waitlisted"
	RegCancelled  = "cancelled"
)

var activeStatuses = []string{RegConfirmed, RegWaitlisted}

// Registration is a person's seat (confirmed), place in line (waitlisted,
// Position 1 is first) or a cancelled one kept as history.
type Registration struct {
	ID          uint `gorm:"primaryKey"`
	SessionID   uint
	PersonID    uint
	Status      string
	Position    int // waitlist place, 1-based; 0 unless waitlisted
	CreatedAt   time.Time
	UpdatedAt   time.Time
	ConfirmedAt *time.Time
	CancelledAt *time.Time
	AttendedAt  *time.Time

	Person  *Person  `gorm:"foreignKey:PersonID"`
	Session *Session `gorm:"foreignKey:SessionID"`
}

// PositionText says a waitlist place the way a person reads it: "3rd in line".
func (r *Registration) PositionText() string { return Ordinal(r.Position) + " in line" }

// Ordinal writes 1 as 1st, 2 as 2nd, 3 as 3rd, 11 as 11th.
func Ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return itoa(n) + suffix
}

// SeatsLeft is how many seats are still free (0 when the session needs no
// registration).
func (s *Session) SeatsLeft() int {
	if s.Capacity == nil || s.SeatsTaken >= *s.Capacity {
		return 0
	}
	return *s.Capacity - s.SeatsTaken
}

// FillPercent is how full the session is, 0–100.
func (s *Session) FillPercent() int {
	if s.Capacity == nil || *s.Capacity <= 0 {
		return 0
	}
	p := s.SeatsTaken * 100 / *s.Capacity
	if p > 100 {
		p = 100
	}
	return p
}

// FillState is "" for sessions without registration, else "open", "filling"
// (from 75 % taken) or "full".
func (s *Session) FillState() string {
	switch {
	case s.Capacity == nil:
		return ""
	case s.SeatsTaken >= *s.Capacity:
		return "full"
	case s.SeatsTaken*4 >= *s.Capacity*3:
		return "filling"
	}
	return "open"
}

// refuse is a registration refused for a reason the person can read.
func refuse(format string, args ...any) error {
	return FieldErrors{"registration": fmt.Sprintf(format, args...)}
}

// RefusalMessage returns the message of a refused registration, or "".
func RefusalMessage(err error) string {
	var fe FieldErrors
	if errors.As(err, &fe) {
		for _, k := range []string{"registration", "registration_id"} {
			if m := fe[k]; m != "" {
				return m
			}
		}
		for _, m := range fe {
			return m
		}
	}
	return ""
}

// lockRow takes a row lock on Postgres (FOR NO KEY UPDATE, which does not
// block foreign-key checks of other inserts). SQLite needs none.
func lockRow(tx *gorm.DB, table string, id uint) error {
	if !IsPostgres(tx) {
		return nil
	}
	var got uint
	if err := tx.Raw("SELECT id FROM "+table+" WHERE id = ? FOR NO KEY UPDATE", id).Scan(&got).Error; err != nil {
		return fmt.Errorf("models: lock %s %d: %w", table, id, err)
	}
	if got == 0 {
		return ErrNotFound
	}
	return nil
}

// --- Registration window ---

// RegistrationWindow is when a summit takes registrations (UTC). Nil means
// not set: registration is not open.
type RegistrationWindow struct {
	OpensAt  *time.Time `gorm:"column:registration_opens_at"`
	ClosesAt *time.Time `gorm:"column:registration_closes_at"`
}

// Window states.
const (
	WindowUnset   = "unset"
	WindowNotOpen = "not_open"
	WindowOpen    = "open"
	WindowClosed  = "closed"
)

// State says where now falls: unset, not_open, open or closed.
func (w RegistrationWindow) State(now time.Time) string {
	switch {
	case w.OpensAt == nil || w.ClosesAt == nil:
		return WindowUnset
	case now.Before(*w.OpensAt):
		return WindowNotOpen
	case !now.Before(*w.ClosesAt):
		return WindowClosed
	}
	return WindowOpen
}

func fmtInstant(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2 Jan 2006 at 15:04") + " (" + loc.String() + ")"
}

// Describe says the window's state in a sentence, in the summit's time zone.
func (w RegistrationWindow) Describe(now time.Time, loc *time.Location) string {
	switch w.State(now) {
	case WindowNotOpen:
		return "Registration opens on " + fmtInstant(*w.OpensAt, loc) + "."
	case WindowClosed:
		return "Registration closed on " + fmtInstant(*w.ClosesAt, loc) + "."
	case WindowOpen:
		return "Registration is open until " + fmtInstant(*w.ClosesAt, loc) + "."
	}
	return "Registration has not been opened yet; the organisers will announce when it opens."
}

// GetRegistrationWindow reads a summit's registration window.
func GetRegistrationWindow(ctx context.Context, db *gorm.DB, summitID uint) (RegistrationWindow, error) {
	return readWindow(withCtx(ctx, db), summitID)
}

func readWindow(tx *gorm.DB, summitID uint) (RegistrationWindow, error) {
	var rows []RegistrationWindow
	if err := tx.Raw("SELECT registration_opens_at, registration_closes_at FROM summits WHERE id = ?", summitID).Scan(&rows).Error; err != nil {
		return RegistrationWindow{}, fmt.Errorf("models: read registration window %d: %w", summitID, err)
	}
	if len(rows) == 0 {
		return RegistrationWindow{}, ErrNotFound
	}
	w := rows[0]
	if w.OpensAt != nil {
		t := w.OpensAt.UTC()
		w.OpensAt = &t
	}
	if w.ClosesAt != nil {
		t := w.ClosesAt.UTC()
		w.ClosesAt = &t
	}
	return w, nil
}

// RegistrationWindowInput is what an organiser types: days and HH:MM times in
// the summit's time zone. All four empty clears the window.
type RegistrationWindowInput struct {
	OpensDay, OpensTime, ClosesDay, ClosesTime string
}

// SetRegistrationWindow validates and stores a summit's registration window,
// audited.
func SetRegistrationWindow(ctx context.Context, db *gorm.DB, who Actor, summitID uint, in RegistrationWindowInput) (RegistrationWindow, error) {
	var out RegistrationWindow
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		var summit Summit
		if err := tx.First(&summit, summitID).Error; err != nil {
			return notFound(err)
		}
		before, err := readWindow(tx, summitID)
		if err != nil {
			return err
		}
		f := FieldErrors{}
		empty := strings.TrimSpace(in.OpensDay+in.OpensTime+in.ClosesDay+in.ClosesTime) == ""
		if !empty {
			loc := summit.Location()
			parse := func(dayField, timeField, label, day, hhmm string) *time.Time {
				if strings.TrimSpace(day) == "" {
					f.Add(dayField, label+" day is required, a date like 2027-02-01.")
					return nil
				}
				if strings.TrimSpace(hhmm) == "" {
					f.Add(timeField, label+" time is required, written like 09:00.")
					return nil
				}
				t, err := LocalTime(loc, day, hhmm)
				if err != nil {
					if strings.HasPrefix(err.Error(), "day") {
						f.Add(dayField, label+" day must be a date like 2027-02-01.")
					} else {
						f.Add(timeField, label+" "+err.Error()+".")
					}
					return nil
				}
				u := t.UTC()
				return &u
			}
			out.OpensAt = parse("opens_day", "opens_time", "Opening", in.OpensDay, in.OpensTime)
			out.ClosesAt = parse("closes_day", "closes_time", "Closing", in.ClosesDay, in.ClosesTime)
			if out.OpensAt != nil && out.ClosesAt != nil {
				switch {
				case !out.ClosesAt.After(*out.OpensAt):
					f.Add("closes_day", "Registration must close after it opens.")
				case out.ClosesAt.After(summit.End()):
					f.Add("closes_day", fmt.Sprintf("Registration must close by the end of the summit (%s).", summit.EndDate))
				}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := tx.Exec("UPDATE summits SET registration_opens_at = ?, registration_closes_at = ?, updated_at = ? WHERE id = ?",
			out.OpensAt, out.ClosesAt, time.Now().UTC(), summitID).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "summit.registration_window", "summit", summitID,
			"Registration window: "+out.Describe(time.Now(), summit.Location()), before, out)
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return RegistrationWindow{}, err
		}
		return RegistrationWindow{}, fmt.Errorf("models: set registration window %d: %w", summitID, err)
	}
	return out, nil
}

// SummitRegistrationRefusal says why a summit takes no registrations because
// of its status, or "" when it is published.
func SummitRegistrationRefusal(s *Summit) string {
	switch s.Status {
	case StatusPublished:
		return ""
	case StatusArchived:
		return "This summit is archived; registration is closed."
	}
	return "Registration opens once the summit is published."
}

// --- Register and cancel ---

// takeSeat is the one conditional UPDATE that gives out a seat: it succeeds
// only while seats are left, however many transactions run it at once.
func takeSeat(tx *gorm.DB, sessionID uint) (bool, error) {
	res := tx.Exec("UPDATE sessions SET seats_taken = seats_taken + 1 WHERE id = ? AND capacity IS NOT NULL AND seats_taken < capacity", sessionID)
	if res.Error != nil {
		return false, fmt.Errorf("models: take seat in %d: %w", sessionID, res.Error)
	}
	return res.RowsAffected == 1, nil
}

// closeGap moves everyone behind a vacated waitlist place up by one.
func closeGap(tx *gorm.DB, sessionID uint, pos int) error {
	return tx.Exec("UPDATE registrations SET position = position - 1 WHERE session_id = ? AND status = ? AND position > ?",
		sessionID, RegWaitlisted, pos).Error
}

// fillSeats promotes the first in line while seats are free. Callers hold the
// session's lock. It returns who was promoted.
func fillSeats(tx *gorm.DB, sessionID uint, now time.Time) ([]Registration, error) {
	var promoted []Registration
	for {
		var next []Registration
		if err := tx.Where("session_id = ? AND status = ?", sessionID, RegWaitlisted).Order("position, id").Limit(1).Find(&next).Error; err != nil {
			return promoted, err
		}
		if len(next) == 0 {
			return promoted, nil
		}
		ok, err := takeSeat(tx, sessionID)
		if err != nil || !ok {
			return promoted, err
		}
		r := next[0]
		if err := confirm(tx, &r, now); err != nil {
			return promoted, err
		}
		promoted = append(promoted, r)
	}
}

// confirm turns a waitlisted registration (whose seat is already taken) into
// a confirmed one and closes the gap it leaves in the line.
func confirm(tx *gorm.DB, r *Registration, now time.Time) error {
	pos := r.Position
	res := tx.Model(&Registration{}).Where("id = ? AND status = ?", r.ID, RegWaitlisted).
		Updates(map[string]any{"status": RegConfirmed, "position": 0, "confirmed_at": now.UTC(), "updated_at": now.UTC()})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return fmt.Errorf("models: registration %d was not waitlisted", r.ID)
	}
	r.Status, r.Position = RegConfirmed, 0
	t := now.UTC()
	r.ConfirmedAt = &t
	return closeGap(tx, r.SessionID, pos)
}

// drop cancels an active registration: a confirmed seat goes to the first in
// line, a waitlist place closes up. Callers hold the session's lock.
func drop(tx *gorm.DB, r *Registration, now time.Time) ([]Registration, error) {
	res := tx.Model(&Registration{}).Where("id = ? AND status = ?", r.ID, r.Status).
		Updates(map[string]any{"status": RegCancelled, "position": 0, "cancelled_at": now.UTC(), "updated_at": now.UTC()})
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected != 1 {
		return nil, fmt.Errorf("models: registration %d changed underneath", r.ID)
	}
	if r.Status == RegConfirmed {
		if err := tx.Exec("UPDATE sessions SET seats_taken = seats_taken - 1 WHERE id = ? AND seats_taken > 0", r.SessionID).Error; err != nil {
			return nil, err
		}
	} else if err := closeGap(tx, r.SessionID, r.Position); err != nil {
		return nil, err
	}
	r.Status, r.Position = RegCancelled, 0
	return fillSeats(tx, r.SessionID, now)
}

func activeRegistration(tx *gorm.DB, sessionID, personID uint) (*Registration, error) {
	var list []Registration
	if err := tx.Where("session_id = ? AND person_id = ? AND status IN ?", sessionID, personID, activeStatuses).Limit(1).Find(&list).Error; err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

// loadForRegistration loads the summit and one of its sessions.
func loadForRegistration(tx *gorm.DB, summitID, sessionID uint) (*Summit, *Session, error) {
	var summit Summit
	if err := tx.First(&summit, summitID).Error; err != nil {
		return nil, nil, notFound(err)
	}
	var s Session
	if err := tx.Where("summit_id = ?", summitID).First(&s, sessionID).Error; err != nil {
		return nil, nil, notFound(err)
	}
	return &summit, &s, nil
}

// Register gives a person a seat in a session, or a place at the end of its
// waitlist when it is full. It refuses (FieldErrors with a message) when the
// summit is not published, the window is not open, the session needs no
// registration or has started, the person already holds a seat or place in
// it, or holds one in an overlapping session.
func Register(ctx context.Context, db *gorm.DB, summitID, sessionID, personID uint, now time.Time) (*Registration, error) {
	var out Registration
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		summit, s, err := loadForRegistration(tx, summitID, sessionID)
		if err != nil {
			return err
		}
		loc := summit.Location()
		if msg := SummitRegistrationRefusal(summit); msg != "" {
			return refuse("%s", msg)
		}
		if s.Capacity == nil {
			return refuse("“%s” needs no registration: everyone is welcome, just come along.", s.Title)
		}
		w, err := readWindow(tx, summitID)
		if err != nil {
			return err
		}
		if w.State(now) != WindowOpen {
			return refuse("%s", w.Describe(now, loc))
		}
		if !now.Before(s.StartsAt) {
			return refuse("“%s” has already started; registration for it is closed.", s.Title)
		}
		if err := lockRow(tx, "people", personID); err != nil {
			return err
		}
		if err := lockRow(tx, "sessions", s.ID); err != nil {
			return err
		}
		mine, err := activeRegistration(tx, s.ID, personID)
		if err != nil {
			return err
		}
		if mine != nil {
			if mine.Status == RegConfirmed {
				return refuse("You are already registered for “%s”: your seat is confirmed.", s.Title)
			}
			return refuse("You are already on the waitlist for “%s”: you are %s.", s.Title, mine.PositionText())
		}
		var clash []Session
		if err := tx.Joins("JOIN registrations r ON r.session_id = sessions.id").
			Where("r.person_id = ? AND r.status IN ? AND sessions.id <> ? AND sessions.starts_at < ? AND sessions.ends_at > ?",
				personID, activeStatuses, s.ID, s.EndsAt, s.StartsAt).
			Order("sessions.starts_at").Limit(1).Find(&clash).Error; err != nil {
			return err
		}
		if len(clash) > 0 {
			other, err := activeRegistration(tx, clash[0].ID, personID)
			if err != nil {
				return err
			}
			what := "a seat"
			if other != nil && other.Status == RegWaitlisted {
				what = "a waitlist place"
			}
			return refuse("You already hold %s in “%s” (%s), which overlaps this session. Cancel that one first if you would rather come to this one.",
				what, clash[0].Title, timeRange(&clash[0], loc))
		}
		seat, err := takeSeat(tx, s.ID)
		if err != nil {
			return err
		}
		t := now.UTC()
		out = Registration{SessionID: s.ID, PersonID: personID, Status: RegConfirmed, CreatedAt: t, UpdatedAt: t}
		if seat {
			out.ConfirmedAt = &t
		} else {
			var last int
			if err := tx.Raw("SELECT COALESCE(MAX(position), 0) FROM registrations WHERE session_id = ? AND status = ?", s.ID, RegWaitlisted).
				Scan(&last).Error; err != nil {
				return err
			}
			out.Status, out.Position = RegWaitlisted, last+1
		}
		if err := tx.Create(&out).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return refuse("You are already registered for “%s”.", s.Title)
			}
			return err
		}
		out.Session = s
		return nil
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("models: register person %d for session %d: %w", personID, sessionID, err)
	}
	return &out, nil
}

// CancelResult is what a cancellation did.
type CancelResult struct {
	Cancelled Registration
	Was       string         // the status before: confirmed or waitlisted
	Promoted  []Registration // who got the freed seat
}

// CancelRegistration gives up a person's seat or waitlist place. A freed seat
// goes to the first in line in the same transaction.
func CancelRegistration(ctx context.Context, db *gorm.DB, summitID, sessionID, personID uint, now time.Time) (*CancelResult, error) {
	var out CancelResult
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		_, s, err := loadForRegistration(tx, summitID, sessionID)
		if err != nil {
			return err
		}
		if err := lockRow(tx, "people", personID); err != nil {
			return err
		}
		if err := lockRow(tx, "sessions", s.ID); err != nil {
			return err
		}
		mine, err := activeRegistration(tx, s.ID, personID)
		if err != nil {
			return err
		}
		if mine == nil {
			return refuse("You hold no seat or waitlist place in “%s”, so there is nothing to cancel.", s.Title)
		}
		if !now.Before(s.StartsAt) {
			return refuse("“%s” has already started; ask an organiser if your plans changed.", s.Title)
		}
		out.Was = mine.Status
		out.Promoted, err = drop(tx, mine, now)
		out.Cancelled = *mine
		return err
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("models: cancel person %d in session %d: %w", personID, sessionID, err)
	}
	return &out, nil
}

// MyRegistration returns a person's active registration in a session, or nil.
func MyRegistration(ctx context.Context, db *gorm.DB, sessionID, personID uint) (*Registration, error) {
	r, err := activeRegistration(withCtx(ctx, db), sessionID, personID)
	if err != nil {
		return nil, fmt.Errorf("models: my registration: %w", err)
	}
	return r, nil
}

// WaitlistLength counts the people waiting for a session.
func WaitlistLength(ctx context.Context, db *gorm.DB, sessionID uint) (int, error) {
	var n int64
	err := withCtx(ctx, db).Model(&Registration{}).Where("session_id = ? AND status = ?", sessionID, RegWaitlisted).Count(&n).Error
	return int(n), err
}

// --- Organisers ---

// Roster is a session's confirmed people, then its waitlist in order.
type Roster struct {
	Session   *Session
	Confirmed []Registration
	Waitlist  []Registration
	Attended  int
}

// GetRoster loads the roster of a session of a summit.
func GetRoster(ctx context.Context, db *gorm.DB, summitID, sessionID uint) (*Roster, error) {
	s, err := GetSession(ctx, db, summitID, sessionID)
	if err != nil {
		return nil, err
	}
	var list []Registration
	if err := withCtx(ctx, db).Preload("Person").Where("session_id = ? AND status IN ?", s.ID, activeStatuses).
		Order("position, confirmed_at, id").Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: roster %d: %w", sessionID, err)
	}
	r := &Roster{Session: s}
	for _, reg := range list {
		if reg.Status == RegConfirmed {
			r.Confirmed = append(r.Confirmed, reg)
			if reg.AttendedAt != nil {
				r.Attended++
			}
		} else {
			r.Waitlist = append(r.Waitlist, reg)
		}
	}
	return r, nil
}

// RosterCSV returns a roster as CSV rows (header first), formula-safe.
func RosterCSV(r *Roster, loc *time.Location) [][]string {
	rows := [][]string{CSVRow("status", "place in line", "name", "email", "department", "job title", "registered at", "attended at")}
	at := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	for _, list := range [][]Registration{r.Confirmed, r.Waitlist} {
		for _, reg := range list {
			p := reg.Person
			if p == nil {
				p = &Person{}
			}
			pos := ""
			if reg.Status == RegWaitlisted {
				pos = itoa(reg.Position)
			}
			ca := reg.CreatedAt
			rows = append(rows, CSVRow(reg.Status, pos, p.Name, p.Email, p.Department, p.JobTitle, at(&ca), at(reg.AttendedAt)))
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
	return "person " + itoa(int(r.PersonID))
}

type regSnapshot struct {
	ID       uint   `json:"id"`
	Session  uint   `json:"session_id"`
	Person   uint   `json:"person_id"`
	Status   string `json:"status"`
	Position int    `json:"position,omitempty"`
	Attended bool   `json:"attended"`
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
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
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
			if err := tx.Exec("UPDATE sessions SET capacity = capacity + 1, seats_taken = seats_taken + 1, updated_at = ? WHERE id = ? AND capacity IS NOT NULL",
				now.UTC(), s.ID).Error; err != nil {
				return err
			}
			out.AddedSeat = true
		}
		if err := confirm(tx, r, now); err != nil {
			return err
		}
		out.Registration = *r
		summary := fmt.Sprintf("Promoted %s from the waitlist of “%s”", personName(r), s.Title)
		if out.AddedSeat {
			summary += " (capacity raised by one)"
		}
		return Audit(ctx, tx, who, "registration.promote", "registration", r.ID, summary, before, snap(r))
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("models: promote registration %d: %w", regID, err)
	}
	return &out, nil
}

// RemoveRegistration takes a person off a session by hand (seat or waitlist
// place); a freed seat goes to the first in line. Audited.
func RemoveRegistration(ctx context.Context, db *gorm.DB, who Actor, summitID, sessionID, regID uint, now time.Time) (*CancelResult, error) {
	var out CancelResult
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
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
		summary := fmt.Sprintf("Removed %s (%s) from “%s”", personName(r), before.Status, s.Title)
		if len(out.Promoted) > 0 {
			summary += fmt.Sprintf("; %d promoted from the waitlist", len(out.Promoted))
		}
		return Audit(ctx, tx, who, "registration.remove", "registration", r.ID, summary, before, snap(r))
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("models: remove registration %d: %w", regID, err)
	}
	return &out, nil
}

// MarkAttended records (or, with attended false, undoes) that a confirmed
// person came through the door. Audited.
func MarkAttended(ctx context.Context, db *gorm.DB, who Actor, summitID, sessionID, regID uint, attended bool, now time.Time) (*Registration, error) {
	var out Registration
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		s, r, err := orgRegistration(tx, summitID, sessionID, regID)
		if err != nil {
			return err
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
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("models: mark attended %d: %w", regID, err)
	}
	return &out, nil
}

// SearchRoster filters a roster's confirmed and waitlisted people by a name,
// email or department fragment (case-insensitive), for the door.
func SearchRoster(r *Roster, q string) []Registration {
	q = strings.ToLower(strings.TrimSpace(q))
	var out []Registration
	for _, list := range [][]Registration{r.Confirmed, r.Waitlist} {
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
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Status != out[j].Status {
			return out[i].Status == RegConfirmed
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
	Attended int
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
	}
	var counts []count
	if err := withCtx(ctx, db).Model(&Registration{}).
		Select("registrations.session_id, SUM(CASE WHEN registrations.status = ? THEN 1 ELSE 0 END) AS waiting, SUM(CASE WHEN registrations.status = ? AND registrations.attended_at IS NOT NULL THEN 1 ELSE 0 END) AS attended", RegWaitlisted, RegConfirmed).
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
		out = append(out, SessionLoad{Session: s, Waiting: c.Waiting, Attended: c.Attended})
	}
	return out, nil
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
	var out []AgendaEntry
	for _, s := range list {
		if s.Capacity == nil {
			out = append(out, AgendaEntry{Session: s, Status: "plenary"})
		} else if r, ok := mine[s.ID]; ok {
			out = append(out, AgendaEntry{Session: s, Status: r.Status, Position: r.Position})
		}
	}
	return out, nil
}

// --- Demo data ---

// SeedDemoRegistrations opens the demo summit's registration window (from 1
// January of the year before until the first morning) and fills two training
// sessions: one nearly full, one full with three people waiting — among
// them the staff demo account, 2nd in line.
func SeedDemoRegistrations(ctx context.Context, db *gorm.DB, summit *Summit) error {
	opens := fmt.Sprintf("%d-01-01", summit.Year-1)
	if _, err := SetRegistrationWindow(ctx, db, ActorOf(nil, ""), summit.ID, RegistrationWindowInput{
		OpensDay: opens, OpensTime: "09:00", ClosesDay: summit.StartDate, ClosesTime: "08:00"}); err != nil {
		return fmt.Errorf("models: seed registration window: %w", err)
	}
	w, err := GetRegistrationWindow(ctx, db, summit.ID)
	if err != nil {
		return err
	}
	now := w.OpensAt.Add(time.Hour)
	byTitle := func(prefix string) (*Session, error) {
		var s Session
		err := withCtx(ctx, db).Where("summit_id = ? AND title LIKE ?", summit.ID, prefix+"%").First(&s).Error
		return &s, notFound(err)
	}
	person := func(i int) (uint, error) {
		p, err := PersonByEmail(ctx, db, DemoEmail(demoPeople[i][1]))
		if err != nil {
			return 0, err
		}
		return p.ID, nil
	}
	plan := []struct {
		title  string
		people []int
	}{
		// Full (20 seats) with three waiting; José (the staff demo account) is 2nd in line.
		{"Damage control", []int{0, 2, 4, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 26, 1, 27}},
		// Nearly full: 17 of 20 seats.
		{"Product knowledge lab", []int{1, 5, 6, 7, 8, 11, 12, 13, 14, 18, 19, 20, 21, 22, 23, 26, 27}},
	}
	for _, p := range plan {
		s, err := byTitle(p.title)
		if err != nil {
			return fmt.Errorf("models: seed registrations: session %q: %w", p.title, err)
		}
		for k, i := range p.people {
			id, err := person(i)
			if err != nil {
				return err
			}
			if _, err := Register(ctx, db, summit.ID, s.ID, id, now.Add(time.Duration(k)*time.Minute)); err != nil {
				return fmt.Errorf("models: seed registration of %s in %q: %w", demoPeople[i][0], p.title, err)
			}
		}
	}
	return nil
}

// PositionText says an agenda entry's waitlist place: "3rd in line".
func (e AgendaEntry) PositionText() string { return Ordinal(e.Position) + " in line" }
