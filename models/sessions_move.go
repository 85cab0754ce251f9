package models

// Changing a session from the timetable editor: a move (room, day, start,
// end) or taking it off the timetable, under the same rules as the form
// (SaveSession), and the version check that keeps two organisers from
// overwriting each other.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MoveInput is one drop (or keyboard move) on the timetable editor. Day and
// times are in the summit's time zone.
type MoveInput struct {
	Version   string // the version the editor showed; required
	RoomID    string // "": no room
	Day       string // YYYY-MM-DD
	StartTime string // HH:MM
	EndTime   string // HH:MM
	// StartsAt and EndsAt (RFC 3339), when set, place the session instead
	// of Day and the times: the editor sends instants, so a move is exact
	// across a night the clocks change.
	StartsAt, EndsAt string
	Unschedule       bool // back to the side list
}

// MoveSession moves a session on the timetable (or off it, or onto it from
// the side list). Everything else about the session stays; every rule of
// SaveSession applies and its side effects run. Audited.
func MoveSession(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in MoveInput, now time.Time) (*SessionResult, error) {
	return moveSession(ctx, db, who, summitID, id, in, now, saveNow)
}

// MoveSessionUnlessAffected moves like MoveSession when the move affects
// nobody; otherwise it saves nothing and says whom (SaveSessionUnlessAffected).
func MoveSessionUnlessAffected(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in MoveInput, now time.Time) (*SessionResult, error) {
	return moveSession(ctx, db, who, summitID, id, in, now, saveUnlessAffected)
}

// saveMode says whether saveSession writes: always, never (a preview), or
// only when the change affects nobody (else the organiser confirms first).
type saveMode uint8

const (
	saveNow saveMode = iota
	previewOnly
	saveUnlessAffected
)

func moveSession(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in MoveInput, now time.Time, mode saveMode) (*SessionResult, error) {
	if strings.TrimSpace(in.Version) == "" {
		return nil, FieldErrors{"version": "The timetable is out of date; reload the page and try again."}
	}
	s, err := GetSession(ctx, db, summitID, id)
	if err != nil {
		return nil, err
	}
	// The rest of the session as read now; if it changes before the save
	// takes the lock, its version changes too and the save is refused.
	si := SessionInput{Title: s.Title, Kind: s.Kind, Abstract: s.Abstract, TrackID: idText(s.TrackID),
		Version: in.Version, RoomID: in.RoomID, Day: in.Day, StartTime: in.StartTime, EndTime: in.EndTime, Unscheduled: in.Unschedule}
	if s.Capacity != nil {
		si.Capacity = strconv.Itoa(*s.Capacity)
	}
	for _, sp := range s.Speakers {
		si.SpeakerIDs = append(si.SpeakerIDs, strconv.FormatUint(uint64(sp.ID), 10))
	}
	if in.Unschedule { // keep its times: they hold its length for later
		si.RoomID, si.At, si.Until = "", s.StartsAt, s.EndsAt
	} else if in.StartsAt != "" || in.EndsAt != "" {
		if si.At, si.Until, err = moveInstants(in); err != nil {
			return nil, err
		}
	}
	return saveSession(ctx, db, who, summitID, id, si, now, mode)
}

// moveInstants reads a move's start and end instants, to the minute.
func moveInstants(in MoveInput) (at, until time.Time, err error) {
	at, err1 := time.Parse(time.RFC3339, strings.TrimSpace(in.StartsAt))
	until, err2 := time.Parse(time.RFC3339, strings.TrimSpace(in.EndsAt))
	if err1 != nil || err2 != nil {
		return at, until, FieldErrors{"start_time": "The move's times could not be read; reload the page and try again."}
	}
	return at.UTC().Truncate(time.Minute), until.UTC().Truncate(time.Minute), nil
}

func idText(p *uint) string {
	if p == nil {
		return ""
	}
	return strconv.FormatUint(uint64(*p), 10)
}

// fieldVersion is the field a stale change is refused on.
const fieldVersion = "version"

// IsStale reports whether err refuses a change made on an older version of
// the session (someone else changed it meanwhile).
func IsStale(err error) bool {
	var fe FieldErrors
	return errors.As(err, &fe) && fe[fieldVersion] != ""
}

// checkVersion refuses a change made on another version than s's (read
// under the session's lock). raw == "": no check.
func checkVersion(tx *gorm.DB, s *Session, raw string, loc *time.Location) error {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil
	}
	v, err := strconv.Atoi(raw)
	if err != nil {
		return FieldErrors{fieldVersion: "This form is out of date; open the session again."}
	}
	if v != s.Version {
		return staleError(tx, s, loc)
	}
	return nil
}

// staleError names who changed the session last, and when, if the audit
// log says so.
func staleError(tx *gorm.DB, s *Session, loc *time.Location) error {
	var last AuditEvent
	by := ""
	if err := tx.Where("record_type = ? AND record_id = ?", "session", strconv.FormatUint(uint64(s.ID), 10)).
		Order("id DESC").Limit(1).Find(&last).Error; err == nil && last.ID != 0 {
		by = fmt.Sprintf(" by %s at %s", last.ActorName, last.At.In(loc).Format("15:04 on Mon 2 Jan"))
	}
	return FieldErrors{fieldVersion: fmt.Sprintf("“%s” was changed%s since you opened it; nothing was saved.", s.Title, by)}
}

// checkUnschedule refuses to take a session with registrations off the
// timetable: its people would hold a seat in a session with no time.
func checkUnschedule(tx *gorm.DB, f FieldErrors, s *Session) error {
	if s.ID == 0 {
		return nil
	}
	var n int64
	if err := tx.Table("registrations").Where("session_id = ? AND status <> ?", s.ID, "cancelled").Count(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		who := fmt.Sprintf("%d people hold a seat or wait for one", n)
		if n == 1 {
			who = "1 person holds a seat or waits for one"
		}
		f.Add("unscheduled", who+"; move the session to another time instead of taking it off the timetable.")
	}
	return nil
}

// Lengths a session off the timetable may have, in minutes: it waits from
// 08:00 on the summit's first day, so it still fits in that day.
const (
	minLength = 5
	maxLength = 12 * 60
)

// sessionTimes reads the session's day and times into s. A session not on
// the timetable needs only its length (in.Length): its start and end then
// only hold that length, from 08:00 on the summit's first day.
func sessionTimes(f FieldErrors, summit *Summit, s *Session, in SessionInput) {
	loc := summit.Location()
	if s.Unscheduled && strings.TrimSpace(in.Length) != "" {
		if m := parseIntField(f, "length", "Length", in.Length, true, minLength, maxLength); m > 0 {
			if start, err := LocalTime(loc, summit.StartDate, "08:00"); err == nil {
				s.StartsAt, s.EndsAt = start.UTC(), start.Add(time.Duration(m)*time.Minute).UTC()
			}
		}
		return
	}
	if s.Unscheduled && in.At.IsZero() && strings.TrimSpace(in.Day+in.StartTime+in.EndTime) == "" {
		f.Add("length", fmt.Sprintf("Give the session's length in minutes (%d to %d), or its day and times.", minLength, maxLength))
		return
	}
	start, end, err, err2 := in.At, in.Until, error(nil), error(nil)
	if in.At.IsZero() {
		start, err = LocalTime(loc, in.Day, in.StartTime)
		if err != nil {
			if errors.Is(err, ErrBadDay) {
				f.Add("day", "Choose one of the summit's days.")
			} else {
				f.Add("start_time", "Start "+err.Error()+".")
			}
		}
		end, err2 = LocalTime(loc, in.Day, in.EndTime)
		if err2 != nil && !errors.Is(err2, ErrBadDay) {
			f.Add("end_time", "End "+err2.Error()+".")
		}
	}
	if err == nil && err2 == nil {
		s.StartsAt, s.EndsAt = start.UTC(), end.UTC()
		switch {
		case !end.After(start):
			f.Add("end_time", "End time must be after the start time.")
		case start.Before(summit.Start()) || end.After(summit.End()):
			f.Add("day", fmt.Sprintf("The session must be inside the summit's dates, %s to %s.", summit.StartDate, summit.EndDate))
		}
	}
}
