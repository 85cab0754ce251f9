package models

// The side effects of a session change, in one place.
//
// The agenda core (SaveSession in sessions_save.go, DeleteSession in
// sessions.go) checks and writes the session itself. Everything other
// features do because a session changed happens here, in the same
// transaction, in this order:
//
//  1. Seats (registrations): a raised capacity seats the first in line.
//  2. Awards: announcements set at the ceremony's start follow the ceremony,
//     and a move that would reveal chosen winners early is refused.
//  3. Notices: registrants and speakers hear that their session moved, got a
//     new room, became shorter or was cancelled, or lost seats; whoever
//     got a seat from the waitlist hears so.
//
// Before a change that affects people, organisers see the same SessionChange
// as a preview (PreviewSession, or a save or delete held back "unless
// affected"): who is affected by name, who would hold two confirmed seats at
// once, whose own talk would overlap, and who would lose a seat. A new reaction to a session change is
// one more step in afterSessionChange, not an edit of the agenda core.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// AffectedPerson is someone a session change reaches.
type AffectedPerson struct {
	PersonID uint
	Name     string
	Role     string // "confirmed seat", "waitlist, 2nd in line", "speaker"
}

// PersonClash is a person and another session that would overlap the changed one.
type PersonClash struct {
	PersonID uint
	Name     string
	Other    string // the other session's title
	When     string // the other session's time, in the summit's zone
}

// SessionChange is what a change of a session does to people. It is a plain
// struct so any way of changing a session (the edit form, a drag on a
// timetable) can show it before the organiser confirms.
type SessionChange struct {
	SessionID uint
	Title     string
	New       bool // a new session: nobody is affected yet
	// Draft: the summit is not published yet, so nobody is told and no
	// confirmation is asked (a draft agenda is still being made; its
	// speakers hear of it once it is published). Affected still lists them.
	Draft      bool
	Cancelled  bool // the session is deleted
	Moved      bool // its start changed
	Shortened  bool // it ends earlier relative to its start (same start, earlier end)
	Lengthened bool
	Rerooomed  bool
	// Unscheduled: taken off the timetable (the editor's side list);
	// Scheduled: put on it from there.
	Unscheduled, Scheduled bool
	// CapacityLowered: fewer seats than before (never below the seats held).
	CapacityLowered               bool
	CapacityBefore, CapacityAfter int
	BeforeText, AfterText         string // "Mon 2 Mar 10:00–11:00, Room A"

	Affected        []AffectedPerson // registrants (confirmed, waitlisted) and speakers from the directory
	DoubleBooked    []PersonClash    // would hold a confirmed seat here and in another session at the same time
	OwnTalkOverlaps []PersonClash    // a registrant's own talk, or a speaker's own seat elsewhere, would overlap
	LoseSeat        []AffectedPerson // would lose their seat (a cancelled session)
	Promoted        []AffectedPerson // get a seat from the waitlist (a raised capacity)
}

// Changed reports whether the change is one people should hear of: a move,
// a new room, a shorter or longer slot, fewer seats, or a cancellation.
func (c *SessionChange) Changed() bool {
	return c.Cancelled || c.Moved || c.Shortened || c.Lengthened || c.Rerooomed || c.CapacityLowered || c.Unscheduled || c.Scheduled
}

// NeedsConfirmation reports whether the organiser should see the preview
// and confirm before the change is saved: it changes something for people.
func (c *SessionChange) NeedsConfirmation() bool {
	return !c.Draft && c.Changed() && len(c.Affected) > 0
}

// errPreview rolls back a change computed only to preview it.
var errPreview = errors.New("models: preview only")

func sessionPlace(tx *gorm.DB, s *Session, loc *time.Location) (string, error) {
	if s.Unscheduled {
		return "not on the timetable yet", nil
	}
	room := "no room"
	if s.RoomID != nil {
		var name string
		if err := tx.Raw("SELECT name FROM rooms WHERE id = ?", *s.RoomID).Scan(&name).Error; err != nil {
			return "", err
		}
		room = name
	}
	return timeRange(s, loc) + ", " + room, nil
}

// describeSessionChange compares a session before and after a change (after
// == nil: it is being deleted) and finds the people it affects. Call it
// inside the change's transaction, after the session's new row is written.
func describeSessionChange(tx *gorm.DB, before, after *Session, loc *time.Location) (*SessionChange, error) {
	ch := &SessionChange{New: before == nil}
	cur := after
	if after == nil {
		cur = before
		ch.Cancelled = true
	}
	ch.SessionID, ch.Title = cur.ID, cur.Title
	if before == nil {
		return ch, nil
	}
	var status SummitStatus
	if err := tx.Raw("SELECT status FROM summits WHERE id = ?", cur.SummitID).Scan(&status).Error; err != nil {
		return nil, err
	}
	ch.Draft = status == StatusDraft
	var err error
	if ch.BeforeText, err = sessionPlace(tx, before, loc); err != nil {
		return nil, err
	}
	if after != nil {
		if ch.AfterText, err = sessionPlace(tx, after, loc); err != nil {
			return nil, err
		}
		ch.Moved = !before.StartsAt.Equal(after.StartsAt)
		ch.Shortened = !ch.Moved && after.Duration() < before.Duration()
		ch.Lengthened = !ch.Moved && after.Duration() > before.Duration()
		ch.Rerooomed = !sameID(before.RoomID, after.RoomID)
		ch.Unscheduled, ch.Scheduled = !before.Unscheduled && after.Unscheduled, before.Unscheduled && !after.Unscheduled
		if before.Unscheduled && after.Unscheduled { // off the timetable: no time or room anyone holds
			ch.Moved, ch.Shortened, ch.Lengthened, ch.Rerooomed = false, false, false, false
		}
		if before.Capacity != nil && after.Capacity != nil && *after.Capacity < *before.Capacity {
			ch.CapacityLowered = true
			ch.CapacityBefore, ch.CapacityAfter = *before.Capacity, *after.Capacity
		}
	}
	// Everyone with a seat or a place in line, then the speakers.
	var regs []struct {
		PersonID uint
		Name     string
		Status   RegStatus
		Position int
	}
	if err := tx.Raw(`SELECT r.person_id, p.name, r.status, r.position FROM registrations r JOIN people p ON p.id = r.person_id
WHERE r.session_id = ? AND r.status IN ? ORDER BY CASE WHEN r.status = ? THEN 0 ELSE 1 END, r.position, p.name, p.id`,
		cur.ID, activeStatuses, RegConfirmed).Scan(&regs).Error; err != nil {
		return nil, err
	}
	seen := map[uint]bool{}
	for _, r := range regs {
		role := "confirmed seat"
		if r.Status == RegWaitlisted {
			role = "waitlist, " + Ordinal(r.Position) + " in line"
		}
		ch.Affected = append(ch.Affected, AffectedPerson{PersonID: r.PersonID, Name: r.Name, Role: role})
		seen[r.PersonID] = true
		if ch.Cancelled && r.Status == RegConfirmed {
			ch.LoseSeat = append(ch.LoseSeat, AffectedPerson{PersonID: r.PersonID, Name: r.Name, Role: role})
		}
	}
	var speakers []struct {
		PersonID uint
		Name     string
	}
	if err := tx.Raw(`SELECT p.id AS person_id, p.name FROM session_speakers ss JOIN speakers sp ON sp.id = ss.speaker_id JOIN people p ON p.id = sp.person_id
WHERE ss.session_id = ? ORDER BY ss.position`, cur.ID).Scan(&speakers).Error; err != nil {
		return nil, err
	}
	var speakerIDs []uint
	for _, sp := range speakers {
		speakerIDs = append(speakerIDs, sp.PersonID)
		if !seen[sp.PersonID] {
			seen[sp.PersonID] = true
			ch.Affected = append(ch.Affected, AffectedPerson{PersonID: sp.PersonID, Name: sp.Name, Role: "speaker"})
		}
	}
	if after == nil || !(ch.Moved || ch.Shortened || ch.Lengthened) {
		return ch, nil
	}
	// At the new time: confirmed registrants with another confirmed seat then …
	var clashes []clashRow
	if err := tx.Raw(`SELECT r.person_id, p.name, o.title, o.starts_at, o.ends_at FROM registrations r
JOIN people p ON p.id = r.person_id
JOIN registrations r2 ON r2.person_id = r.person_id AND r2.status = ? AND r2.session_id <> r.session_id
JOIN sessions o ON o.id = r2.session_id
WHERE r.session_id = ? AND r.status = ? AND o.starts_at < ? AND o.ends_at > ? ORDER BY p.name, p.id, o.starts_at`,
		RegConfirmed, cur.ID, RegConfirmed, after.EndsAt, after.StartsAt).Scan(&clashes).Error; err != nil {
		return nil, err
	}
	for _, c := range clashes {
		ch.DoubleBooked = append(ch.DoubleBooked, c.clash(loc))
	}
	// … registrants who speak in another session then …
	clashes = clashes[:0]
	if err := tx.Raw(`SELECT DISTINCT r.person_id, p.name, o.title, o.starts_at, o.ends_at FROM registrations r
JOIN people p ON p.id = r.person_id
JOIN speakers sp ON sp.person_id = r.person_id
JOIN session_speakers ss ON ss.speaker_id = sp.id AND ss.session_id <> r.session_id
JOIN sessions o ON o.id = ss.session_id
WHERE r.session_id = ? AND r.status IN ? AND o.starts_at < ? AND o.ends_at > ? ORDER BY p.name, r.person_id, o.starts_at`,
		cur.ID, activeStatuses, after.EndsAt, after.StartsAt).Scan(&clashes).Error; err != nil {
		return nil, err
	}
	// … and this session's speakers holding a seat or place elsewhere then.
	if len(speakerIDs) > 0 {
		var more []clashRow
		if err := tx.Raw(`SELECT r.person_id, p.name, o.title, o.starts_at, o.ends_at FROM registrations r
JOIN people p ON p.id = r.person_id
JOIN sessions o ON o.id = r.session_id
WHERE r.person_id IN ? AND r.session_id <> ? AND r.status IN ? AND o.starts_at < ? AND o.ends_at > ? ORDER BY p.name, r.person_id, o.starts_at`,
			speakerIDs, cur.ID, activeStatuses, after.EndsAt, after.StartsAt).Scan(&more).Error; err != nil {
			return nil, err
		}
		clashes = append(clashes, more...)
	}
	for _, c := range clashes {
		ch.OwnTalkOverlaps = append(ch.OwnTalkOverlaps, c.clash(loc))
	}
	sort.SliceStable(ch.OwnTalkOverlaps, func(i, j int) bool { return ch.OwnTalkOverlaps[i].Name < ch.OwnTalkOverlaps[j].Name })
	return ch, nil
}

// clashRow is a person and another session, as the clash queries read them.
type clashRow struct {
	PersonID uint
	Name     string
	Title    string
	StartsAt time.Time
	EndsAt   time.Time
}

func (c clashRow) clash(loc *time.Location) PersonClash {
	o := Session{StartsAt: c.StartsAt, EndsAt: c.EndsAt}
	return PersonClash{PersonID: c.PersonID, Name: c.Name, Other: c.Title, When: timeRange(&o, loc)}
}

// afterSessionChange runs every reaction to a session change, in the
// change's transaction (see the top of this file). ch is what the change
// does to people (describeSessionChange: for a deletion, read before the
// session's registrations go with it); after is the session as saved, nil
// when it was deleted. settleField and advice say where a refused award
// announcement is reported. With notify false (a preview) nobody is told.
func afterSessionChange(ctx context.Context, tx *gorm.DB, summitID uint, ch *SessionChange, after *Session, announcements *announcementGuard,
	loc *time.Location, now time.Time, settleField, advice string, notify bool) error {
	// 1. Seats: a raised capacity seats the first in line.
	if after != nil {
		promoted, err := fillSeats(tx, after.ID, now)
		if err != nil {
			return err
		}
		after.SeatsTaken += len(promoted)
		if ch.Promoted, err = promotedPeople(tx, promoted); err != nil {
			return err
		}
		if notify {
			if err := noticePromoted(tx, summitID, after, promoted, now); err != nil {
				return err
			}
		}
	}
	// 2. Awards: announcements at the ceremony follow it.
	if err := announcements.settle(ctx, tx, loc, now, settleField, advice); err != nil {
		return err
	}
	// 3. Notices to everyone the change reaches.
	if notify && ch.Changed() && !ch.Draft {
		if err := noticeSessionChange(tx, summitID, ch, now); err != nil {
			return err
		}
	}
	return nil
}

func promotedPeople(tx *gorm.DB, regs []Registration) ([]AffectedPerson, error) {
	var out []AffectedPerson
	for _, r := range regs {
		var name string
		if err := tx.Raw("SELECT name FROM people WHERE id = ?", r.PersonID).Scan(&name).Error; err != nil {
			return nil, err
		}
		out = append(out, AffectedPerson{PersonID: r.PersonID, Name: name, Role: "confirmed seat"})
	}
	return out, nil
}

// noticeSessionChange tells every affected person what changed, with what
// it means for them.
func noticeSessionChange(tx *gorm.DB, summitID uint, ch *SessionChange, now time.Time) error {
	if len(ch.Affected) == 0 {
		return nil
	}
	var what []string
	how := "changed"
	switch {
	case ch.Cancelled:
		how = "is cancelled"
	case ch.Unscheduled:
		how = "is off the timetable for now"
	case ch.Scheduled:
		how = "has a time"
	case ch.Moved:
		how = "moved"
	case ch.Rerooomed:
		how = "has a new room"
	case ch.Shortened:
		how = "is shorter"
	case ch.Lengthened:
		how = "is longer"
	case ch.CapacityLowered:
		how = "has fewer seats"
	}
	subject := "“" + ch.Title + "” " + how
	if ch.Cancelled {
		what = append(what, "It was "+ch.BeforeText+". It has been taken off the agenda, and your place in it with it.")
	} else if ch.BeforeText != ch.AfterText {
		what = append(what, "It was "+ch.BeforeText+"; it is now "+ch.AfterText+".")
	}
	if ch.CapacityLowered {
		what = append(what, fmt.Sprintf("It now has %d seats instead of %d.", ch.CapacityAfter, ch.CapacityBefore))
	}
	double := map[uint][]string{}
	for _, c := range ch.DoubleBooked {
		double[c.PersonID] = append(double[c.PersonID], fmt.Sprintf("You now also hold a seat in “%s” (%s) at the same time: keep one and cancel the other.", c.Other, c.When))
	}
	for _, c := range ch.OwnTalkOverlaps {
		double[c.PersonID] = append(double[c.PersonID], fmt.Sprintf("It now overlaps “%s” (%s), where you speak or hold a place.", c.Other, c.When))
	}
	link := fmt.Sprintf("/my/agenda?summit=%d", summitID)
	list := make([]NoticeInput, 0, len(ch.Affected))
	for _, p := range ch.Affected {
		body := strings.Join(append(append([]string{}, what...), double[p.PersonID]...), "\n\n")
		list = append(list, NoticeInput{PersonID: p.PersonID, SummitID: summitID, Kind: NoticeSession, Subject: subject, Body: body, Link: link})
	}
	_, err := Notify(tx, now, list...)
	return err
}

// noticePromoted tells people who got a seat from the waitlist.
func noticePromoted(tx *gorm.DB, summitID uint, s *Session, promoted []Registration, now time.Time) error {
	if len(promoted) == 0 {
		return nil
	}
	list := make([]NoticeInput, 0, len(promoted))
	for _, r := range promoted {
		list = append(list, NoticeInput{PersonID: r.PersonID, SummitID: summitID, Kind: NoticeSeat,
			Subject: "You have a seat in “" + s.Title + "”",
			Body:    "A seat became free and you were first in line, so it is yours: your seat is confirmed. If you cannot come after all, cancel it so the next person gets it.",
			Link:    fmt.Sprintf("/summits/%d/sessions/%d", summitID, s.ID)})
	}
	_, err := Notify(tx, now, list...)
	return err
}
