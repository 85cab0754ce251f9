package models

// Exports: the secret address of each person's calendar feed, and the rows of
// the organisers' CSV exports.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CalendarFeed is a person's secret calendar subscription. The token itself
// is shown once, when made; only its hash is kept.
type CalendarFeed struct {
	ID        uint `gorm:"primaryKey"`
	PersonID  uint
	TokenHash string
	CreatedAt time.Time
}

// ResetCalendarFeed makes a new secret token for a person's calendar feed and
// returns it; any earlier token stops working at once.
func ResetCalendarFeed(ctx context.Context, db *gorm.DB, personID uint) (string, error) {
	tok := RandomToken(24)
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := lockRow(tx, "people", personID); err != nil {
			return err
		}
		if err := tx.Where("person_id = ?", personID).Delete(&CalendarFeed{}).Error; err != nil {
			return err
		}
		return tx.Create(&CalendarFeed{PersonID: personID, TokenHash: HashToken(tok), CreatedAt: Now()}).Error
	})
	if err != nil {
		return "", fmt.Errorf("models: reset calendar feed of %d: %w", personID, err)
	}
	return tok, nil
}

// GetCalendarFeed returns a person's feed (without its token), or ErrNotFound
// when they have none.
func GetCalendarFeed(ctx context.Context, db *gorm.DB, personID uint) (*CalendarFeed, error) {
	var f CalendarFeed
	if err := withCtx(ctx, db).Where("person_id = ?", personID).First(&f).Error; err != nil {
		return nil, notFound(err)
	}
	return &f, nil
}

// CalendarFeedPerson returns the active person whose feed token this is;
// unknown, replaced and deactivated tokens are ErrNotFound.
func CalendarFeedPerson(ctx context.Context, db *gorm.DB, token string) (*Person, error) {
	if len(token) < 20 || len(token) > 100 {
		return nil, ErrNotFound
	}
	var f CalendarFeed
	if err := withCtx(ctx, db).Where("token_hash = ?", HashToken(token)).First(&f).Error; err != nil {
		return nil, notFound(err)
	}
	p, err := GetPerson(ctx, db, f.PersonID)
	if err != nil {
		return nil, err
	}
	if !p.Active {
		return nil, ErrNotFound
	}
	return p, nil
}

// SessionsCSV is the organisers' sessions export: a header row, then one row
// per session in agenda order, times in the summit's zone; cells go through
// CSVRow (formula-injection safe).
func SessionsCSV(ctx context.Context, db *gorm.DB, s *Summit) ([][]string, error) {
	list, err := ListSessions(ctx, db, s, AgendaFilter{})
	if err != nil {
		return nil, err
	}
	loc := s.Location()
	out := [][]string{CSVRow("id", "uuid", "title", "kind", "day", "start", "end", "room", "track", "pillar", "speakers", "capacity", "seats taken", "abstract")}
	for _, x := range list {
		room, track, pillar, capacity := "", "", "", ""
		if x.Room != nil {
			room = x.Room.Name
		}
		if x.Track != nil {
			track, pillar = x.Track.Name, string(x.Track.Pillar)
		}
		if x.Capacity != nil {
			capacity = strconv.Itoa(*x.Capacity)
		}
		names := make([]string, len(x.Speakers))
		for i, sp := range x.Speakers {
			names[i] = sp.Name
		}
		out = append(out, CSVRow(strconv.FormatUint(uint64(x.ID), 10), x.UUID, x.Title, string(x.Kind),
			x.StartsAt.In(loc).Format(DateLayout), x.StartsAt.In(loc).Format("15:04"), x.EndsAt.In(loc).Format("15:04"),
			room, track, pillar, strings.Join(names, "; "), capacity, strconv.Itoa(x.SeatsTaken), x.Abstract))
	}
	return out, nil
}

// RegistrationsCSV is the organisers' export of every registration of a
// summit (confirmed, waitlisted, walk-ins added at the door, and cancelled),
// by session then status; a walk-in's status reads "walk-in".
func RegistrationsCSV(ctx context.Context, db *gorm.DB, s *Summit) ([][]string, error) {
	var regs []Registration
	err := withCtx(ctx, db).Preload("Person").Preload("Session").
		Joins("JOIN sessions ON sessions.id = registrations.session_id").
		Where("sessions.summit_id = ?", s.ID).
		Order("sessions.starts_at, sessions.id, CASE registrations.status WHEN 'confirmed' THEN 1 WHEN 'waitlisted' THEN 2 WHEN 'walk-in' THEN 3 ELSE 4 END, registrations.position, registrations.created_at, registrations.id").
		Find(&regs).Error
	if err != nil {
		return nil, fmt.Errorf("models: registrations csv: %w", err)
	}
	loc := s.Location()
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	out := [][]string{CSVRow("session", "day", "start", "person", "email", "department", "status", "waitlist place", "registered at", "confirmed at", "cancelled at", "attended at")}
	for i := range regs {
		r := &regs[i]
		name, email, dept := "", "", ""
		if r.Person != nil {
			name, email, dept = r.Person.Name, r.Person.Email, r.Person.Department
		}
		title, day, start := "", "", ""
		if r.Session != nil {
			title, day, start = r.Session.Title, r.Session.StartsAt.In(loc).Format(DateLayout), r.Session.StartsAt.In(loc).Format("15:04")
		}
		place := ""
		if r.Status == RegWaitlisted {
			place = strconv.Itoa(r.Position)
		}
		created := r.CreatedAt
		out = append(out, CSVRow(title, day, start, name, email, dept, string(r.Status), place, stamp(&created), stamp(r.ConfirmedAt), stamp(r.CancelledAt), stamp(r.AttendedAt)))
	}
	return out, nil
}
