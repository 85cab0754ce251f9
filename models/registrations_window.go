package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// --- Registration window ---

// RegistrationWindow is when a summit takes registrations (UTC). Nil means
// not set: registration is not open.
type RegistrationWindow struct {
	OpensAt  *time.Time `gorm:"column:registration_opens_at"`
	ClosesAt *time.Time `gorm:"column:registration_closes_at"`
}

// State says where now falls: unset, not_open, open or closed.
func (w RegistrationWindow) State(now time.Time) WindowState {
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

// readWindow reads a summit's registration window in a query or transaction.
func readWindow(tx *gorm.DB, summitID uint) (RegistrationWindow, error) {
	s, err := loadSummit(tx, summitID)
	if err != nil {
		return RegistrationWindow{}, err
	}
	return s.Registration.utc(), nil
}

// utc returns the window with its instants in UTC, however the driver
// handed them over.
func (w RegistrationWindow) utc() RegistrationWindow {
	if w.OpensAt != nil {
		t := w.OpensAt.UTC()
		w.OpensAt = &t
	}
	if w.ClosesAt != nil {
		t := w.ClosesAt.UTC()
		w.ClosesAt = &t
	}
	return w
}

// RegistrationWindowInput is what an organiser types: days and HH:MM times in
// the summit's time zone. All four empty clears the window.
type RegistrationWindowInput struct {
	OpensDay, OpensTime, ClosesDay, ClosesTime string
}

// SetRegistrationWindow validates and stores a summit's registration window,
// audited.
func SetRegistrationWindow(ctx context.Context, db *gorm.DB, who Actor, summitID uint, in RegistrationWindowInput, now time.Time) (RegistrationWindow, error) {
	var out RegistrationWindow
	err := inTx(ctx, db, fmt.Sprintf("set registration window %d", summitID), func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		summit, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		before := summit.Registration.utc()
		f := FieldErrors{}
		empty := strings.TrimSpace(in.OpensDay+in.OpensTime+in.ClosesDay+in.ClosesTime) == ""
		if !empty {
			loc := summit.Location()
			out.OpensAt = momentField{Day: "opens_day", Time: "opens_time", Label: "Opening"}.parse(f, loc, in.OpensDay, in.OpensTime, true)
			out.ClosesAt = momentField{Day: "closes_day", Time: "closes_time", Label: "Closing"}.parse(f, loc, in.ClosesDay, in.ClosesTime, true)
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
		if err := tx.Model(&Summit{}).Where("id = ?", summitID).Updates(map[string]any{
			"registration_opens_at": out.OpensAt, "registration_closes_at": out.ClosesAt, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "summit.registration_window", "summit", summitID,
			"Registration window: "+out.Describe(now, summit.Location()), before, out)
	})
	if err != nil {
		return RegistrationWindow{}, err
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
