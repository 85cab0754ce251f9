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

// SessionKind is what sort of agenda item a session is, stored as its string.
type SessionKind string

// Session kinds.
const (
	KindKeynote  SessionKind = "keynote"
	KindTraining SessionKind = "training"
	KindPanel    SessionKind = "panel"
	KindCeremony SessionKind = "ceremony"
	KindBreak    SessionKind = "break"
	KindSocial   SessionKind = "social"
)

// Kinds lists the session kinds in the order forms show them.
var Kinds = []SessionKind{KindKeynote, KindTraining, KindPanel, KindCeremony, KindBreak, KindSocial}

// Session is one item on the agenda.
type Session struct {
	ID         uint `gorm:"primaryKey"`
	SummitID   uint
	UUID       string `gorm:"column:uuid"`
	Title      string
	Kind       SessionKind
	Abstract   string
	RoomID     *uint
	TrackID    *uint
	StartsAt   time.Time // UTC
	EndsAt     time.Time // UTC
	Capacity   *int      // seats; nil means no registration needed
	SeatsTaken int
	// Version is raised by every change of the session; a change made on an
	// older version is refused (StaleMessage).
	Version int `gorm:"default:1"`
	// Unscheduled: not on the timetable yet (the editor's side list); it has
	// no room and its times only keep its length. Public pages skip it.
	Unscheduled bool
	// ImportKey: the key a sessions file gave it, "" from the forms (sessions_import.go).
	ImportKey string
	CreatedAt time.Time
	UpdatedAt time.Time

	Room     *Room     `gorm:"foreignKey:RoomID"`
	Track    *Track    `gorm:"foreignKey:TrackID"`
	Speakers []Speaker `gorm:"-"`
}

// Duration is how long the session lasts.
func (s *Session) Duration() time.Duration { return s.EndsAt.Sub(s.StartsAt) }

// Overlaps reports whether two sessions share any moment.
func (s *Session) Overlaps(o *Session) bool {
	return s.StartsAt.Before(o.EndsAt) && o.StartsAt.Before(s.EndsAt)
}

// SessionInput is what an organiser types for a session. Day and times are in
// the summit's time zone.
type SessionInput struct {
	Title      string
	Kind       SessionKind
	Abstract   string
	RoomID     string
	TrackID    string
	Day        string // YYYY-MM-DD
	StartTime  string // HH:MM
	EndTime    string // HH:MM
	Capacity   string // empty: no registration
	SpeakerIDs []string
	// Version is the version the organiser saw; "" skips the check (the
	// seeds and the CLI, which change nothing someone else is editing).
	Version string
	// Unscheduled takes the session off the timetable (the side list).
	Unscheduled bool
	// Length in minutes: with Unscheduled, all a session off the timetable
	// needs (its day and times may then be empty).
	Length string
	// Key: a new session's import key (never changed after; the forms leave it empty).
	Key string
	// At and Until, when At is set, place the session instead of Day and
	// the times: instants, exact on a night the clocks change, when an
	// hour's wall-clock times happen twice (the timetable editor's moves,
	// and a session taken off the timetable keeping its length).
	At, Until time.Time
}

// SessionResult is a saved session plus warnings the organiser should see,
// and what the change did to people (session_effects.go).
type SessionResult struct {
	Session  *Session
	Warnings []string
	Change   *SessionChange
	// Saved: the change was written. False for a preview, and for a
	// change saved "unless affected" that affects people (Change says whom).
	Saved bool
}

func parseOptionalID(f FieldErrors, field, label, s string) *uint {
	s = strings.TrimSpace(s)
	if s == "" || s == "0" {
		return nil
	}
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil || n == 0 {
		f.Add(field, "Choose a "+label+" from the list.")
		return nil
	}
	id := uint(n)
	return &id
}

func timeRange(s *Session, loc *time.Location) string {
	return s.StartsAt.In(loc).Format("Mon 2 Jan 15:04") + "–" + s.EndsAt.In(loc).Format("15:04")
}

// DeleteSession removes a session from the agenda. Award announcements at
// the start of a deleted ceremony follow the next ceremony, if any; its
// registrants and speakers are told (afterSessionChange). Audited.
func DeleteSession(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, now time.Time) error {
	return DeleteSessionAt(ctx, db, who, summitID, id, "", now)
}

// DeleteSessionAt is DeleteSession for the version the organiser saw: a
// session changed since is not deleted (IsStale).
func DeleteSessionAt(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, version string, now time.Time) error {
	_, _, err := deleteSession(ctx, db, who, summitID, id, version, now, saveNow)
	return err
}

// DeleteSessionUnlessAffected deletes like DeleteSessionAt when the delete
// affects nobody; otherwise it deletes and writes nothing and says whom it
// would affect (deleted false), for the organiser to confirm. Looking and
// deleting are one transaction under the summit's lock and the session's
// row lock, so nobody can register between the two.
func DeleteSessionUnlessAffected(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, version string, now time.Time) (change *SessionChange, deleted bool, err error) {
	return deleteSession(ctx, db, who, summitID, id, version, now, saveUnlessAffected)
}

func deleteSession(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, version string, now time.Time, mode saveMode) (*SessionChange, bool, error) {
	var change *SessionChange
	deleted := false
	err := inTx(ctx, db, fmt.Sprintf("delete session %d", id), func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		summit, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		announcements, err := guardAnnouncements(ctx, tx, summitID, now)
		if err != nil {
			return err
		}
		var gone Session
		if err := tx.Where("summit_id = ?", summitID).First(&gone, id).Error; err != nil {
			return notFound(err)
		}
		// Registrations take seats under this row's lock: hold it, so the
		// people read below are everyone until the delete.
		if err := lockRow(tx, "sessions", gone.ID); err != nil {
			return err
		}
		if err := checkVersion(tx, &gone, version, summit.Location()); err != nil {
			return err
		}
		// Who is affected is read before the registrations go with the session.
		if change, err = describeSessionChange(tx, &gone, nil, summit.Location()); err != nil {
			return err
		}
		// A held delete still runs (the award rules may refuse it) and is
		// rolled back: nothing written, nobody told.
		hold := mode == saveUnlessAffected && change.NeedsConfirmation()
		res := tx.Where("summit_id = ? AND id = ?", summitID, id).Delete(&Session{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := afterSessionChange(ctx, tx, summitID, change, nil, announcements, summit.Location(), now,
			"session", "Change that award's announcement first.", !hold); err != nil {
			return err
		}
		if hold {
			return errPreview
		}
		deleted = true
		return Audit(ctx, tx, who, "session.delete", "session", id, "Deleted “"+gone.Title+"” from "+summit.Title, gone, nil)
	}, errPreview)
	if err != nil && !errors.Is(err, errPreview) {
		return nil, false, err
	}
	return change, deleted, nil
}

// SessionWarnings lists what an organiser should look at in a summit's
// sessions, for the overview and the edit form: a seat capacity above the
// room's, and a session during a break for everyone (plenaryBreakWarning).
func SessionWarnings(ctx context.Context, db *gorm.DB, summitID uint) (map[uint]string, error) {
	summit, err := loadSummit(withCtx(ctx, db), summitID)
	if err != nil {
		return nil, err
	}
	var list []Session
	if err := withCtx(ctx, db).Preload("Room").Where("summit_id = ? AND unscheduled = ?", summitID, false).Order("starts_at, id").Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: session warnings: %w", err)
	}
	loc := summit.Location()
	out := map[uint]string{}
	add := func(id uint, msg string) {
		if out[id] != "" {
			msg = out[id] + " " + msg
		}
		out[id] = msg
	}
	for i := range list {
		s := &list[i]
		if s.Room != nil && s.Capacity != nil && *s.Capacity > s.Room.Capacity {
			add(s.ID, fmt.Sprintf("Seat capacity %d is above what %s holds (%d).", *s.Capacity, s.Room.Name, s.Room.Capacity))
		}
		var during []Session
		for j := range list { // sorted by start: stop at the first that starts after s ends
			if !list[j].StartsAt.Before(s.EndsAt) {
				break
			}
			if j != i && list[j].Overlaps(s) {
				during = append(during, list[j])
			}
		}
		if w := plenaryBreakWarning(s, during, loc); w != "" {
			add(s.ID, w)
		}
	}
	return out, nil
}

// IsPlenaryBreak reports whether s is a break for everyone: a break with no
// room (lunch, coffee), which the timetable spans over every room.
func (s *Session) IsPlenaryBreak() bool {
	return s.Kind == KindBreak && s.RoomID == nil && !s.Unscheduled
}

// plenaryBreakWarning says when s overlaps a break for everyone: scheduling
// something then is allowed (a lunch-and-learn), but attendees must choose
// between eating and attending, so the organiser is told, not refused.
// during holds the other sessions that overlap s.
func plenaryBreakWarning(s *Session, during []Session, loc *time.Location) string {
	var hits []string
	for i := range during {
		o := &during[i]
		if s.IsPlenaryBreak() != o.IsPlenaryBreak() {
			hits = append(hits, fmt.Sprintf("“%s” (%s)", o.Title, timeRange(o, loc)))
		}
	}
	if len(hits) == 0 {
		return ""
	}
	if !s.IsPlenaryBreak() {
		return fmt.Sprintf("It overlaps %s, a break for everyone: people must choose between the break and this session.", strings.Join(hits, " and "))
	}
	verb := "happen"
	if len(hits) == 1 {
		verb = "happens"
	}
	list := strings.Join(hits, " and ")
	if len(hits) > 2 {
		list = fmt.Sprintf("%s, %s and %d more", hits[0], hits[1], len(hits)-2)
	}
	return fmt.Sprintf("“%s” is a break for everyone, but %s %s during it.", s.Title, list, verb)
}
