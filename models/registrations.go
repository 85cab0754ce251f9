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
	"strconv"
	"time"

	"gorm.io/gorm"
)

// RegStatus is a registration's status, stored as its string.
type RegStatus string

// Registration statuses.
const (
	RegConfirmed  RegStatus = "confirmed"
	RegWaitlisted RegStatus = "waitlisted"
	RegCancelled  RegStatus = "cancelled"
	// RegWalkIn is someone who came to a session without registering, added
	// at the door and checked in in one step. A walk-in takes no seat (so
	// nobody on the waitlist loses one) and is counted apart.
	RegWalkIn RegStatus = "walk-in"
)

var activeStatuses = []RegStatus{RegConfirmed, RegWaitlisted}

// Registration is a person's seat (confirmed), place in line (waitlisted,
// Position 1 is first) or a cancelled one kept as history.
type Registration struct {
	ID          uint `gorm:"primaryKey"`
	SessionID   uint
	PersonID    uint
	Status      RegStatus
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
func (r Registration) PositionText() string { return Ordinal(r.Position) + " in line" }

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
	return strconv.Itoa(n) + suffix
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

// RefusalMessage returns the message of a refused registration, or "": the
// refusal's own key first, else the message of the first field by name, so
// the same error always reads the same (not whichever a map range gives).
func RefusalMessage(err error) string {
	var fe FieldErrors
	if errors.As(err, &fe) {
		for _, k := range []string{"registration", "registration_id"} {
			if m := fe[k]; m != "" {
				return m
			}
		}
		keys := make([]string, 0, len(fe))
		for k := range fe {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if fe[k] != "" {
				return fe[k]
			}
		}
	}
	return ""
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
// line, a waitlist place closes up (a walk-in holds neither). Callers hold the
// session's lock.
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
	} else if r.Status == RegWaitlisted {
		if err := closeGap(tx, r.SessionID, r.Position); err != nil {
			return nil, err
		}
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

// lockPersonThenSession locks the person, then the session: the order every
// registration write takes.
func lockPersonThenSession(tx *gorm.DB, personID, sessionID uint) error {
	if err := lockRow(tx, "people", personID); err != nil {
		return err
	}
	return lockRow(tx, "sessions", sessionID)
}

// lockMyRegistration takes lockPersonThenSession's locks and loads the
// person's active registration in the session, or nil.
func lockMyRegistration(tx *gorm.DB, sessionID, personID uint) (*Registration, error) {
	if err := lockPersonThenSession(tx, personID, sessionID); err != nil {
		return nil, err
	}
	return activeRegistration(tx, sessionID, personID)
}

// loadForRegistration loads the summit and one of its sessions.
func loadForRegistration(tx *gorm.DB, summitID, sessionID uint) (*Summit, *Session, error) {
	summit, err := loadSummit(tx, summitID)
	if err != nil {
		return nil, nil, err
	}
	var s Session
	if err := tx.Where("summit_id = ?", summitID).First(&s, sessionID).Error; err != nil {
		return nil, nil, notFound(err)
	}
	return summit, &s, nil
}

// Register gives a person a seat in a session, or a place at the end of its
// waitlist when it is full. It refuses (FieldErrors with a message) when the
// summit is not published, the window is not open, the session needs no
// registration or has started, the person already holds a seat or place in
// it, or holds one in an overlapping session.
func Register(ctx context.Context, db *gorm.DB, summitID, sessionID, personID uint, now time.Time) (*Registration, error) {
	var out Registration
	err := inTx(ctx, db, fmt.Sprintf("register person %d for session %d", personID, sessionID), func(tx *gorm.DB) error {
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
		w := summit.Registration.utc()
		if w.State(now) != WindowOpen {
			return refuse("%s", w.Describe(now, loc))
		}
		if !now.Before(s.StartsAt) {
			return refuse("“%s” has already started; registration for it is closed.", s.Title)
		}
		if err := lockPersonThenSession(tx, personID, s.ID); err != nil {
			return err
		}
		// Read under the lock that taking it off the timetable holds too.
		var off bool
		if err := tx.Raw("SELECT unscheduled FROM sessions WHERE id = ?", s.ID).Scan(&off).Error; err != nil {
			return err
		}
		if off {
			return refuse("“%s” is not on the timetable yet; registration opens once it has a time.", s.Title)
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
		// A speaker's own talk is on their agenda: a session overlapping it is refused, naming the talk.
		var talk []Session
		if err := tx.Joins("JOIN session_speakers ss ON ss.session_id = sessions.id").Joins("JOIN speakers sp ON sp.id = ss.speaker_id").
			Where("sp.person_id = ? AND sessions.id <> ? AND sessions.starts_at < ? AND sessions.ends_at > ?", personID, s.ID, s.EndsAt, s.StartsAt).
			Order("sessions.starts_at").Limit(1).Find(&talk).Error; err != nil {
			return err
		}
		if len(talk) > 0 {
			return refuse("You speak in “%s” (%s), which overlaps this session.", talk[0].Title, timeRange(&talk[0], loc))
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
		if out.Status == RegConfirmed {
			_, err := Notify(tx, now, NoticeInput{PersonID: personID, SummitID: summitID, Kind: NoticeSeat,
				Subject: "Your seat in “" + s.Title + "” is confirmed",
				Body:    "Your seat in “" + s.Title + "” (" + timeRange(s, loc) + ") is confirmed. It is on your agenda; if you cannot come after all, cancel it so the next person gets it.",
				Link:    fmt.Sprintf("/summits/%d/sessions/%d", summitID, s.ID)})
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CancelResult is what a cancellation did.
type CancelResult struct {
	Cancelled Registration
	Was       RegStatus      // the status before: confirmed or waitlisted
	Promoted  []Registration // who got the freed seat
}

// CancelRegistration gives up a person's seat or waitlist place. A freed seat
// goes to the first in line in the same transaction.
func CancelRegistration(ctx context.Context, db *gorm.DB, summitID, sessionID, personID uint, now time.Time) (*CancelResult, error) {
	var out CancelResult
	err := inTx(ctx, db, fmt.Sprintf("cancel person %d in session %d", personID, sessionID), func(tx *gorm.DB) error {
		_, s, err := loadForRegistration(tx, summitID, sessionID)
		if err != nil {
			return err
		}
		mine, err := lockMyRegistration(tx, s.ID, personID)
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
		if err != nil {
			return err
		}
		return noticePromoted(tx, summitID, s, out.Promoted, now)
	})
	if err != nil {
		return nil, err
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
