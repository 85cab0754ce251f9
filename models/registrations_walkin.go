package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// --- Walk-ins at the door ---

// AddWalkIn records that a person from the directory came to a session
// without registering, and checks them in at once. A walk-in takes no seat:
// the seat count, the waitlist and its order stay as they are. It refuses
// (FieldErrors) when the session needs no registration, the person is not
// active, or they already hold a seat, a waitlist place or a walk-in there.
// Audited.
func AddWalkIn(ctx context.Context, db *gorm.DB, who Actor, summitID, sessionID, personID uint, now time.Time) (*Registration, error) {
	var out Registration
	err := inTx(ctx, db, fmt.Sprintf("add walk-in %d to session %d", personID, sessionID), func(tx *gorm.DB) error {
		_, s, err := loadForRegistration(tx, summitID, sessionID)
		if err != nil {
			return err
		}
		if s.Capacity == nil {
			return FieldErrors{"person_id": fmt.Sprintf("“%s” needs no registration: everyone is welcome, so nobody is added at the door.", s.Title)}
		}
		var p Person
		if err := tx.First(&p, personID).Error; err != nil {
			if errors.Is(notFound(err), ErrNotFound) {
				return FieldErrors{"person_id": "That person is not in the staff directory; search again and choose a name from the list."}
			}
			return err
		}
		if !p.Active {
			return FieldErrors{"person_id": p.Name + " is no longer active in the staff directory; an admin can make them active again."}
		}
		// Person before session, as every registration path locks them.
		if err := lockRow(tx, "people", p.ID); err != nil {
			return err
		}
		if err := lockRow(tx, "sessions", s.ID); err != nil {
			return err
		}
		var cur []Registration
		if err := tx.Where("session_id = ? AND person_id = ? AND status <> ?", s.ID, p.ID, RegCancelled).Limit(1).Find(&cur).Error; err != nil {
			return err
		}
		if len(cur) > 0 {
			return walkInRefusal(&p, s, &cur[0])
		}
		t := now.UTC()
		out = Registration{SessionID: s.ID, PersonID: p.ID, Status: RegWalkIn, CreatedAt: t, UpdatedAt: t, AttendedAt: &t}
		if err := tx.Create(&out).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"person_id": fmt.Sprintf("%s is already on the list of “%s”.", p.Name, s.Title)}
			}
			return err
		}
		out.Person = &p
		return Audit(ctx, tx, who, "registration.walkin", "registration", out.ID,
			fmt.Sprintf("Added %s as a walk-in at “%s” and checked them in", p.Name, s.Title), nil, snap(&out))
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// walkInRefusal says why someone already on a session's list is not added
// again as a walk-in, and what to do instead.
func walkInRefusal(p *Person, s *Session, r *Registration) error {
	var msg string
	switch r.Status {
	case RegConfirmed:
		msg = fmt.Sprintf("%s is registered for “%s” with a confirmed seat: check them in from the list instead.", p.Name, s.Title)
	case RegWaitlisted:
		msg = fmt.Sprintf("%s is on the waitlist of “%s” (%s): give them a seat on the roster, then check them in.", p.Name, s.Title, r.PositionText())
	default:
		msg = fmt.Sprintf("%s is already checked in at “%s” as a walk-in.", p.Name, s.Title)
	}
	return FieldErrors{"person_id": msg}
}

// WalkInCandidates lists active people from the directory who match a name,
// email or department fragment and are not on the session's list yet (no
// seat, waitlist place or walk-in), by name, at most limit of them.
func WalkInCandidates(ctx context.Context, db *gorm.DB, sessionID uint, q string, limit int) ([]Person, error) {
	var out []Person
	err := peopleQuery(ctx, db, PeopleFilter{Query: q, ActiveOnly: true}).
		Where("NOT EXISTS (SELECT 1 FROM registrations r WHERE r.session_id = ? AND r.person_id = people.id AND r.status <> ?)", sessionID, RegCancelled).
		Order("name, id").Limit(limit).Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: walk-in candidates for session %d: %w", sessionID, err)
	}
	return out, nil
}

// walkInAttendance is MarkAttended for a walk-in: checking them in again
// changes nothing; undoing it takes them off the list (nobody came, so there
// is nothing to count), after which they can be added again.
func walkInAttendance(ctx context.Context, tx *gorm.DB, who Actor, s *Session, r *Registration, attended bool, now time.Time, out *Registration) error {
	if attended {
		*out = *r
		return nil
	}
	before := snap(r)
	t := now.UTC()
	res := tx.Model(&Registration{}).Where("id = ? AND status = ?", r.ID, RegWalkIn).
		Updates(map[string]any{"status": RegCancelled, "attended_at": nil, "cancelled_at": t, "updated_at": t})
	if res.Error != nil {
		return res.Error
	}
	r.Status, r.AttendedAt, r.CancelledAt = RegCancelled, nil, &t
	*out = *r
	return Audit(ctx, tx, who, "registration.walkin_undo", "registration", r.ID,
		fmt.Sprintf("Undid the walk-in of %s at “%s”", personName(r), s.Title), before, snap(r))
}
