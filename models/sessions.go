package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// Session kinds.
const (
	KindKeynote  = "keynote"
	KindTraining = "training"
	KindPanel    = "panel"
	KindCeremony = "ceremony"
	KindBreak    = "break"
	KindSocial   = "social"
)

// Kinds lists the session kinds in the order forms show them.
var Kinds = []string{KindKeynote, KindTraining, KindPanel, KindCeremony, KindBreak, KindSocial}

// Session is one item on the agenda.
type Session struct {
	ID         uint `gorm:"primaryKey"`
	SummitID   uint
	UUID       string `gorm:"column:uuid"`
	Title      string
	Kind       string
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
	Kind       string
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

// SaveSession creates (id == 0) or updates a session of a summit, enforcing
// the agenda rules: end after start, inside the summit's dates, no two
// sessions in one room at once, no speaker in two sessions at once. All checks
// and the write happen in one transaction holding the summit's lock, so two
// organisers (or two app instances) cannot double-book a room. Audited.
//
// Its reactions in other features (seats, award announcements, notices) run
// in the same transaction from afterSessionChange (session_effects.go).
func SaveSession(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in SessionInput, now time.Time) (*SessionResult, error) {
	return saveSession(ctx, db, who, summitID, id, in, now, saveNow)
}

// SaveSessionUnlessAffected saves like SaveSession when the change affects
// nobody, and otherwise saves nothing and says whom it would affect
// (Change, Saved false) for the organiser to confirm — decided in one
// transaction, so nobody can register between the look and the save.
func SaveSessionUnlessAffected(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in SessionInput, now time.Time) (*SessionResult, error) {
	return saveSession(ctx, db, who, summitID, id, in, now, saveUnlessAffected)
}

// PreviewSession runs every check and reaction of SaveSession and rolls it
// all back: the result says what saving in would do to people (Change), or
// the field errors it would give. Nothing is saved and nobody is told.
func PreviewSession(ctx context.Context, db *gorm.DB, summitID, id uint, in SessionInput, now time.Time) (*SessionResult, error) {
	return saveSession(ctx, db, Actor{}, summitID, id, in, now, previewOnly)
}

func saveSession(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in SessionInput, now time.Time, mode saveMode) (*SessionResult, error) {
	var res SessionResult
	err := inTx(ctx, db, fmt.Sprintf("save session %d", id), func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		summit, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		announcements, err := guardAnnouncements(ctx, tx, summitID, now) // awards announced at the ceremony follow it
		if err != nil {
			return err
		}
		var s Session
		var before *Session // the session as it was, for afterSessionChange and the audit
		if id != 0 {
			if err := tx.Where("summit_id = ?", summitID).First(&s, id).Error; err != nil {
				return notFound(err)
			}
			// Registrations take seats under this row's lock; hold it so the capacity check below sees every seat.
			if err := lockRow(tx, "sessions", s.ID); err != nil {
				return err
			}
			if err := tx.First(&s, s.ID).Error; err != nil {
				return err
			}
			if err := checkVersion(tx, &s, in.Version, summit.Location()); err != nil {
				return err
			}
			prev := s
			before = &prev
		} else {
			s.SummitID = summitID
			s.UUID = uuid.NewString()
			s.ImportKey = strings.TrimSpace(in.Key)
		}
		f := FieldErrors{}
		s.Title = checkLine(f, "title", "Title", in.Title, true, 200)
		s.Abstract = checkText(f, "abstract", "Abstract", in.Abstract, false, 5000)
		s.Kind = strings.TrimSpace(in.Kind)
		validKind := false
		for _, k := range Kinds {
			validKind = validKind || k == s.Kind
		}
		if !validKind {
			f.Add("kind", "Choose a kind: keynote, training, panel, ceremony, break or social.")
		}
		s.RoomID = parseOptionalID(f, "room_id", "room", in.RoomID)
		s.Unscheduled = in.Unscheduled
		if s.Unscheduled {
			s.RoomID = nil // off the timetable: no room to hold
			if err := checkUnschedule(tx, f, &s); err != nil {
				return err
			}
		}
		s.TrackID = parseOptionalID(f, "track_id", "track", in.TrackID)
		var room *Room
		if s.RoomID != nil {
			var r Room
			if err := tx.Where("summit_id = ?", summitID).First(&r, *s.RoomID).Error; err != nil {
				f.Add("room_id", "Choose a room of this summit from the list.")
			} else {
				room = &r
			}
		}
		if s.TrackID != nil {
			var n int64
			if err := tx.Model(&Track{}).Where("summit_id = ? AND id = ?", summitID, *s.TrackID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				f.Add("track_id", "Choose a track of this summit from the list.")
			}
		}
		s.Capacity = nil
		if strings.TrimSpace(in.Capacity) != "" {
			c := parseIntField(f, "capacity", "Seat capacity", in.Capacity, false, 1, 100000)
			if c > 0 {
				if c < s.SeatsTaken {
					f.Add("capacity", fmt.Sprintf("%d people already hold a seat; the capacity cannot go below %d.", s.SeatsTaken, s.SeatsTaken))
				}
				s.Capacity = &c
			}
		} else if s.SeatsTaken > 0 {
			f.Add("capacity", fmt.Sprintf("%d people already hold a seat; keep a capacity of at least %d.", s.SeatsTaken, s.SeatsTaken))
		}
		loc := summit.Location()
		sessionTimes(f, summit, &s, in)
		speakerIDs := map[uint]bool{}
		var speakerOrder []uint
		for _, raw := range in.SpeakerIDs {
			n, err := strconv.ParseUint(strings.TrimSpace(raw), 10, 32)
			if err != nil || n == 0 {
				f.Add("speakers", "Choose speakers from the list.")
				continue
			}
			if !speakerIDs[uint(n)] {
				speakerIDs[uint(n)] = true
				speakerOrder = append(speakerOrder, uint(n))
			}
		}
		var speakers []Speaker
		if len(speakerOrder) > 0 {
			if err := tx.Where("summit_id = ? AND id IN ?", summitID, speakerOrder).Find(&speakers).Error; err != nil {
				return err
			}
			if len(speakers) != len(speakerOrder) {
				f.Add("speakers", "Choose speakers of this summit from the list.")
			}
		}
		if len(f) == 0 && !s.Unscheduled { // an unscheduled session clashes with nobody
			if room != nil {
				var clash Session
				q := tx.Where("room_id = ? AND starts_at < ? AND ends_at > ? AND unscheduled = ?", room.ID, s.EndsAt, s.StartsAt, false)
				if s.ID != 0 {
					q = q.Where("id <> ?", s.ID)
				}
				if err := q.Order("starts_at").Limit(1).Find(&clash).Error; err != nil {
					return err
				}
				if clash.ID != 0 {
					f.Add("room_id", fmt.Sprintf("%s is already taken by “%s” (%s); choose another room or time.",
						room.Name, clash.Title, timeRange(&clash, loc)))
				}
			}
			for _, sp := range speakers {
				var clash Session
				q := tx.Joins("JOIN session_speakers ss ON ss.session_id = sessions.id").
					Where("ss.speaker_id = ? AND sessions.starts_at < ? AND sessions.ends_at > ? AND sessions.unscheduled = ?", sp.ID, s.EndsAt, s.StartsAt, false)
				if s.ID != 0 {
					q = q.Where("sessions.id <> ?", s.ID)
				}
				if err := q.Order("sessions.starts_at").Limit(1).Find(&clash).Error; err != nil {
					return err
				}
				if clash.ID != 0 {
					f.Add("speakers", fmt.Sprintf("%s is already speaking in “%s” (%s) at that time.", sp.Name, clash.Title, timeRange(&clash, loc)))
				}
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		s.Room, s.Track = nil, nil
		if s.ID == 0 {
			s.Version = 1
			if err := tx.Create(&s).Error; err != nil {
				return err
			}
		} else {
			// Conditional on the version read under the lock: a second
			// guard beside the summit's lock, so no change is ever lost.
			s.Version = before.Version + 1
			up := tx.Model(&s).Where("version = ?", before.Version).
				Select("title", "kind", "abstract", "room_id", "track_id", "starts_at", "ends_at", "capacity", "version", "unscheduled", "updated_at").Updates(&s)
			if up.Error != nil {
				return up.Error
			}
			if up.RowsAffected != 1 {
				return staleError(tx, &s, summit.Location())
			}
		}
		if err := tx.Exec("DELETE FROM session_speakers WHERE session_id = ?", s.ID).Error; err != nil {
			return err
		}
		for i, sid := range speakerOrder {
			if err := tx.Exec("INSERT INTO session_speakers (session_id, speaker_id, position) VALUES (?, ?, ?)", s.ID, sid, i).Error; err != nil {
				return err
			}
		}
		if res.Change, err = describeSessionChange(tx, before, &s, loc); err != nil {
			return err
		}
		// A change that affects people waits for the organiser's
		// confirmation when saved "unless affected".
		preview := mode == previewOnly || mode == saveUnlessAffected && res.Change != nil && res.Change.NeedsConfirmation()
		if err := afterSessionChange(ctx, tx, summitID, res.Change, &s, announcements, loc, now,
			"start_time", "Start the ceremony at a time still to come, or change that award's announcement first.", !preview); err != nil {
			return err
		}
		if room != nil && s.Capacity != nil && *s.Capacity > room.Capacity {
			res.Warnings = append(res.Warnings, fmt.Sprintf("The seat capacity (%d) is above what %s holds (%d).", *s.Capacity, room.Name, room.Capacity))
		}
		var during []Session
		if err := tx.Where("summit_id = ? AND id <> ? AND starts_at < ? AND ends_at > ? AND unscheduled = ?", summitID, s.ID, s.EndsAt, s.StartsAt, false).
			Order("starts_at, id").Find(&during).Error; err != nil {
			return err
		}
		if w := plenaryBreakWarning(&s, during, loc); w != "" && !s.Unscheduled {
			res.Warnings = append(res.Warnings, w)
		}
		res.Session = &s
		if preview {
			return errPreview
		}
		res.Saved = true
		if before == nil {
			return Audit(ctx, tx, who, "session.create", "session", s.ID, "Added “"+s.Title+"” to "+summit.Title, nil, s)
		}
		return Audit(ctx, tx, who, "session.update", "session", s.ID, "Edited “"+s.Title+"”", before, s)
	}, errPreview)
	if err != nil && !errors.Is(err, errPreview) {
		return nil, err
	}
	return &res, nil
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
	_, err := deleteSession(ctx, db, who, summitID, id, version, now, false)
	return err
}

// PreviewSessionDelete says what deleting a session would do to people
// (who loses a seat), without deleting it.
func PreviewSessionDelete(ctx context.Context, db *gorm.DB, summitID, id uint, now time.Time) (*SessionChange, error) {
	return deleteSession(ctx, db, Actor{}, summitID, id, "", now, true)
}

func deleteSession(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, version string, now time.Time, preview bool) (*SessionChange, error) {
	var change *SessionChange
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
		if err := checkVersion(tx, &gone, version, summit.Location()); err != nil {
			return err
		}
		// Who is affected is read before the registrations go with the session.
		if change, err = describeSessionChange(tx, &gone, nil, summit.Location()); err != nil {
			return err
		}
		res := tx.Where("summit_id = ? AND id = ?", summitID, id).Delete(&Session{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := afterSessionChange(ctx, tx, summitID, change, nil, announcements, summit.Location(), now,
			"session", "Change that award's announcement first.", !preview); err != nil {
			return err
		}
		if preview {
			return errPreview
		}
		return Audit(ctx, tx, who, "session.delete", "session", id, "Deleted “"+gone.Title+"” from "+summit.Title, gone, nil)
	}, errPreview)
	if err != nil && !errors.Is(err, errPreview) {
		return nil, err
	}
	return change, nil
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
