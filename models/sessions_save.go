package models

// Saving a session. Every way of changing one (the form, a move on the
// timetable editor, the sessions import) goes through saveSession, one
// transaction holding the summit's lock, in named steps:
//
//	load → version check → fields → clashes → write → effects (→ audit)
//
// The version is checked right after the load, under the session's row
// lock, so a stale change is refused before its fields are looked at; the
// write checks it once more (a conditional UPDATE).

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

// sessionSave is one save in progress: what its steps read and decided.
type sessionSave struct {
	ctx           context.Context
	tx            *gorm.DB
	now           time.Time
	in            SessionInput
	summit        *Summit
	loc           *time.Location
	announcements *announcementGuard // awards announced at the ceremony follow it
	s             Session            // the session as it will be written
	before        *Session           // as it was (nil: a new one), for the effects and the audit
	room          *Room
	speakers      []Speaker
	speakerOrder  []uint
}

func saveSession(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in SessionInput, now time.Time, mode saveMode) (*SessionResult, error) {
	var res SessionResult
	err := inTx(ctx, db, fmt.Sprintf("save session %d", id), func(tx *gorm.DB) error {
		sv := &sessionSave{ctx: ctx, tx: tx, now: now, in: in}
		if err := sv.load(summitID, id); err != nil {
			return err
		}
		if err := sv.checkVersion(); err != nil {
			return err
		}
		f := FieldErrors{}
		if err := sv.checkFields(f); err != nil {
			return err
		}
		if len(f) == 0 && !sv.s.Unscheduled { // an unscheduled session clashes with nobody
			if err := sv.checkClashes(f); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if err := sv.write(); err != nil {
			return err
		}
		return sv.effects(who, mode, &res)
	}, errPreview)
	if err != nil && !errors.Is(err, errPreview) {
		return nil, err
	}
	return &res, nil
}

// load locks the summit, reads it and its announcement guard, and the
// session (locked: registrations take seats under its row lock, so the
// capacity check sees every seat), or starts a new one.
func (sv *sessionSave) load(summitID, id uint) error {
	if err := lockSummit(sv.tx, summitID); err != nil {
		return err
	}
	summit, err := loadSummit(sv.tx, summitID)
	if err != nil {
		return err
	}
	sv.summit, sv.loc = summit, summit.Location()
	if sv.announcements, err = guardAnnouncements(sv.ctx, sv.tx, summitID, sv.now); err != nil {
		return err
	}
	if id == 0 {
		sv.s = Session{SummitID: summitID, UUID: uuid.NewString(), ImportKey: strings.TrimSpace(sv.in.Key)}
		return nil
	}
	if err := sv.tx.Where("summit_id = ?", summitID).First(&sv.s, id).Error; err != nil {
		return notFound(err)
	}
	if err := lockRow(sv.tx, "sessions", sv.s.ID); err != nil {
		return err
	}
	return sv.tx.First(&sv.s, sv.s.ID).Error
}

// checkVersion refuses a change made on an older version (IsStale) and
// keeps the session as it was.
func (sv *sessionSave) checkVersion() error {
	if sv.s.ID == 0 {
		return nil
	}
	if err := checkVersion(sv.tx, &sv.s, sv.in.Version, sv.loc); err != nil {
		return err
	}
	prev := sv.s
	sv.before = &prev
	return nil
}

// checkFields reads the input into the session, adding a message to f for
// each field that cannot be saved as typed.
func (sv *sessionSave) checkFields(f FieldErrors) error {
	in, s := sv.in, &sv.s
	s.Title = checkLine(f, "title", "Title", in.Title, true, 200)
	s.Abstract = checkText(f, "abstract", "Abstract", in.Abstract, false, 5000)
	s.Kind = SessionKind(strings.TrimSpace(string(in.Kind)))
	validKind := false
	for _, k := range Kinds {
		validKind = validKind || k == s.Kind
	}
	if !validKind {
		f.Add("kind", "Choose a kind: keynote, training, panel, ceremony, break or social.")
	}
	if err := sv.checkPlace(f); err != nil {
		return err
	}
	checkCapacity(f, s, in.Capacity)
	sessionTimes(f, sv.summit, s, in)
	return sv.checkSpeakers(f)
}

// checkPlace reads the room, the track and whether the session is on the
// timetable; room and track must be the summit's.
func (sv *sessionSave) checkPlace(f FieldErrors) error {
	s, tx := &sv.s, sv.tx
	s.RoomID = parseOptionalID(f, "room_id", "room", sv.in.RoomID)
	s.Unscheduled = sv.in.Unscheduled
	if s.Unscheduled {
		s.RoomID = nil // off the timetable: no room to hold
		if err := checkUnschedule(tx, f, s); err != nil {
			return err
		}
	}
	s.TrackID = parseOptionalID(f, "track_id", "track", sv.in.TrackID)
	if s.RoomID != nil {
		var r Room
		if err := tx.Where("summit_id = ?", s.SummitID).First(&r, *s.RoomID).Error; err != nil {
			f.Add("room_id", "Choose a room of this summit from the list.")
		} else {
			sv.room = &r
		}
	}
	if s.TrackID != nil {
		var n int64
		if err := tx.Model(&Track{}).Where("summit_id = ? AND id = ?", s.SummitID, *s.TrackID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			f.Add("track_id", "Choose a track of this summit from the list.")
		}
	}
	return nil
}

// checkCapacity reads the seat capacity: empty means no registration, and
// it never goes below the seats already held.
func checkCapacity(f FieldErrors, s *Session, raw string) {
	s.Capacity = nil
	if strings.TrimSpace(raw) == "" {
		if s.SeatsTaken > 0 {
			f.Add("capacity", fmt.Sprintf("%d people already hold a seat; keep a capacity of at least %d.", s.SeatsTaken, s.SeatsTaken))
		}
		return
	}
	c := parseIntField(f, "capacity", "Seat capacity", raw, false, 1, 100000)
	if c <= 0 {
		return
	}
	if c < s.SeatsTaken {
		f.Add("capacity", fmt.Sprintf("%d people already hold a seat; the capacity cannot go below %d.", s.SeatsTaken, s.SeatsTaken))
	}
	s.Capacity = &c
}

// checkSpeakers reads the speakers, in the order given, once each; they
// must be the summit's.
func (sv *sessionSave) checkSpeakers(f FieldErrors) error {
	seen := map[uint]bool{}
	for _, raw := range sv.in.SpeakerIDs {
		n, err := strconv.ParseUint(strings.TrimSpace(raw), 10, 32)
		if err != nil || n == 0 {
			f.Add("speakers", "Choose speakers from the list.")
			continue
		}
		if !seen[uint(n)] {
			seen[uint(n)] = true
			sv.speakerOrder = append(sv.speakerOrder, uint(n))
		}
	}
	if len(sv.speakerOrder) == 0 {
		return nil
	}
	if err := sv.tx.Where("summit_id = ? AND id IN ?", sv.s.SummitID, sv.speakerOrder).Find(&sv.speakers).Error; err != nil {
		return err
	}
	if len(sv.speakers) != len(sv.speakerOrder) {
		f.Add("speakers", "Choose speakers of this summit from the list.")
	}
	return nil
}

// checkClashes refuses a room taken at that time, and a speaker already
// speaking then (sessions off the timetable do not count).
func (sv *sessionSave) checkClashes(f FieldErrors) error {
	s, tx := &sv.s, sv.tx
	if sv.room != nil {
		var clash Session
		q := tx.Where("room_id = ? AND starts_at < ? AND ends_at > ? AND unscheduled = ?", sv.room.ID, s.EndsAt, s.StartsAt, false)
		if s.ID != 0 {
			q = q.Where("id <> ?", s.ID)
		}
		if err := q.Order("starts_at").Limit(1).Find(&clash).Error; err != nil {
			return err
		}
		if clash.ID != 0 {
			f.Add("room_id", fmt.Sprintf("%s is already taken by “%s” (%s); choose another room or time.",
				sv.room.Name, clash.Title, timeRange(&clash, sv.loc)))
		}
	}
	for _, sp := range sv.speakers {
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
			f.Add("speakers", fmt.Sprintf("%s is already speaking in “%s” (%s) at that time.", sp.Name, clash.Title, timeRange(&clash, sv.loc)))
		}
	}
	return nil
}

// write creates the session, or updates it on the condition that its
// version is still the one read under the lock (a second guard beside the
// summit's lock, so no change is ever lost), and writes its speakers.
func (sv *sessionSave) write() error {
	s, tx := &sv.s, sv.tx
	s.Room, s.Track = nil, nil
	if s.ID == 0 {
		s.Version = 1
		if err := tx.Create(s).Error; err != nil {
			return err
		}
	} else {
		s.Version = sv.before.Version + 1
		up := tx.Model(s).Where("version = ?", sv.before.Version).
			Select("title", "kind", "abstract", "room_id", "track_id", "starts_at", "ends_at", "capacity", "version", "unscheduled", "updated_at").Updates(s)
		if up.Error != nil {
			return up.Error
		}
		if up.RowsAffected != 1 {
			return staleError(tx, s, sv.loc)
		}
	}
	if err := tx.Exec("DELETE FROM session_speakers WHERE session_id = ?", s.ID).Error; err != nil {
		return err
	}
	for i, sid := range sv.speakerOrder {
		if err := tx.Exec("INSERT INTO session_speakers (session_id, speaker_id, position) VALUES (?, ?, ?)", s.ID, sid, i).Error; err != nil {
			return err
		}
	}
	return nil
}

// effects says what the change does to people and runs its reactions
// (afterSessionChange), gathers the warnings, and then either rolls it all
// back (a preview, or "unless affected" when it affects people: errPreview)
// or audits it.
func (sv *sessionSave) effects(who Actor, mode saveMode, res *SessionResult) error {
	s, tx := &sv.s, sv.tx
	var err error
	if res.Change, err = describeSessionChange(tx, sv.before, s, sv.loc); err != nil {
		return err
	}
	preview := mode == previewOnly || mode == saveUnlessAffected && res.Change != nil && res.Change.NeedsConfirmation()
	if err := afterSessionChange(sv.ctx, tx, s.SummitID, res.Change, s, sv.announcements, sv.loc, sv.now,
		"start_time", "Start the ceremony at a time still to come, or change that award's announcement first.", !preview); err != nil {
		return err
	}
	if res.Warnings, err = sv.warnings(); err != nil {
		return err
	}
	res.Session = s
	if preview {
		return errPreview
	}
	res.Saved = true
	if sv.before == nil {
		return Audit(sv.ctx, tx, who, "session.create", "session", s.ID, "Added “"+s.Title+"” to "+sv.summit.Title, nil, *s)
	}
	return Audit(sv.ctx, tx, who, "session.update", "session", s.ID, "Edited “"+s.Title+"”", sv.before, *s)
}

// warnings are what the organiser should look at but may keep: more seats
// than the room holds, and a session during a break for everyone.
func (sv *sessionSave) warnings() ([]string, error) {
	s := &sv.s
	var out []string
	if sv.room != nil && s.Capacity != nil && *s.Capacity > sv.room.Capacity {
		out = append(out, fmt.Sprintf("The seat capacity (%d) is above what %s holds (%d).", *s.Capacity, sv.room.Name, sv.room.Capacity))
	}
	var during []Session
	if err := sv.tx.Where("summit_id = ? AND id <> ? AND starts_at < ? AND ends_at > ? AND unscheduled = ?", s.SummitID, s.ID, s.EndsAt, s.StartsAt, false).
		Order("starts_at, id").Find(&during).Error; err != nil {
		return nil, err
	}
	if w := plenaryBreakWarning(s, during, sv.loc); w != "" && !s.Unscheduled {
		out = append(out, w)
	}
	return out, nil
}
