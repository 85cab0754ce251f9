package models

// Checking a sessions file's lines against a summit (sessions_import.go):
// names of rooms, tracks and speakers become ids, each line becomes a
// SessionInput and goes through SaveSession inside the caller's
// transaction, so the file is held to exactly the form's rules.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// importColumn names the file's column for each of SaveSession's fields.
var importColumn = map[string]string{"title": "title", "kind": "kind", "abstract": "abstract", "room_id": "room", "track_id": "track",
	"day": "day", "start_time": "start", "end_time": "end", "capacity": "seat_capacity", "speakers": "speakers", fieldVersion: "key"}

// importLookup is what a file's names are matched against, in one summit.
type importLookup struct {
	summit     *Summit
	who        Actor
	rooms      map[string]*Room
	tracks     map[string]uint
	roomNames  []string
	trackNames []string
	speakers   map[string]uint     // lower-case name or email → speaker
	byPerson   map[uint]uint       // directory person → their speaker here
	existing   map[string]*Session // lower-case import key or uuid → session
}

func loadImportLookup(ctx context.Context, tx *gorm.DB, who Actor, summit *Summit) (*importLookup, error) {
	lk := &importLookup{summit: summit, who: who, rooms: map[string]*Room{}, tracks: map[string]uint{},
		speakers: map[string]uint{}, byPerson: map[uint]uint{}, existing: map[string]*Session{}}
	rooms, err := ListRooms(ctx, tx, summit.ID)
	if err != nil {
		return nil, err
	}
	for i := range rooms {
		lk.rooms[strings.ToLower(rooms[i].Name)] = &rooms[i]
		lk.roomNames = append(lk.roomNames, rooms[i].Name)
	}
	tracks, err := ListTracks(ctx, tx, summit.ID)
	if err != nil {
		return nil, err
	}
	for _, t := range tracks {
		lk.tracks[strings.ToLower(t.Name)] = t.ID
		lk.trackNames = append(lk.trackNames, t.Name)
	}
	var speakers []Speaker
	if err := tx.Where("summit_id = ?", summit.ID).Order("id").Find(&speakers).Error; err != nil {
		return nil, err
	}
	for _, sp := range speakers {
		lk.remember(sp, "")
	}
	var list []Session
	if err := tx.Where("summit_id = ?", summit.ID).Find(&list).Error; err != nil {
		return nil, err
	}
	if err := attachSpeakers(ctx, tx, list); err != nil {
		return nil, err
	}
	for i := range list {
		lk.existing[strings.ToLower(list[i].UUID)] = &list[i]
	}
	for i := range list { // a key wins over a uuid that happens to read the same
		if list[i].ImportKey != "" {
			lk.existing[strings.ToLower(list[i].ImportKey)] = &list[i]
		}
	}
	return lk, nil
}

func (lk *importLookup) remember(sp Speaker, token string) {
	if k := strings.ToLower(sp.Name); lk.speakers[k] == 0 {
		lk.speakers[k] = sp.ID
	}
	if token != "" {
		lk.speakers[strings.ToLower(token)] = sp.ID
	}
	if sp.PersonID != nil && lk.byPerson[*sp.PersonID] == 0 {
		lk.byPerson[*sp.PersonID] = sp.ID
	}
}

// speaker finds the speaker a name or an email stands for: a speaker of the
// summit by name, else someone in the directory (by email, or by exact
// name) who becomes a speaker, else a new guest speaker. added names a
// speaker created for this file; problem says why the token cannot be used.
func (lk *importLookup) speaker(ctx context.Context, tx *gorm.DB, token string) (id uint, added, problem string, err error) {
	if id := lk.speakers[strings.ToLower(token)]; id != 0 {
		return id, "", "", nil
	}
	in := SpeakerInput{Name: token}
	if strings.Contains(token, "@") {
		p, err := PersonByEmail(ctx, tx, token)
		if errors.Is(err, ErrNotFound) {
			return 0, "", strconvQuote(token) + " is nobody's address in the directory. Write a guest speaker's name instead, or fix the address.", nil
		} else if err != nil {
			return 0, "", "", err
		}
		in = SpeakerInput{PersonID: strconv.FormatUint(uint64(p.ID), 10)}
	} else {
		var people []Person
		if err := tx.Where("name = ? AND active = ?", token, true).Limit(2).Find(&people).Error; err != nil {
			return 0, "", "", err
		}
		if len(people) == 1 { // one colleague by that name: speaking as themselves
			in = SpeakerInput{PersonID: strconv.FormatUint(uint64(people[0].ID), 10)}
		}
	}
	if in.PersonID != "" {
		n, _ := strconv.ParseUint(in.PersonID, 10, 32)
		if id := lk.byPerson[uint(n)]; id != 0 {
			lk.speakers[strings.ToLower(token)] = id
			return id, "", "", nil
		}
	}
	sp, err := SaveSpeaker(ctx, tx, lk.who, lk.summit.ID, 0, in)
	var fe FieldErrors
	if errors.As(err, &fe) {
		for _, m := range fe {
			return 0, "", "Speaker " + strconvQuote(token) + ": " + m, nil
		}
	}
	if err != nil {
		return 0, "", "", err
	}
	lk.remember(*sp, token)
	return sp.ID, sp.Name, "", nil
}

// input turns a line into what the session form would send, adding a
// problem for every name that matches nothing and every value the form
// cannot take.
func (lk *importLookup) input(ctx context.Context, tx *gorm.DB, r *SessionImportRow, add func(col, msg string)) (SessionInput, error) {
	in := SessionInput{Title: r.Title, Kind: SessionKind(r.Kind), Abstract: r.Abstract, Day: r.Day, StartTime: r.Start, EndTime: r.End}
	if r.Kind == "" {
		add("kind", "Kind is required: keynote, training, panel, ceremony, break or social.")
	} else if !slices.Contains(Kinds, SessionKind(r.Kind)) {
		add("kind", strconvQuote(r.Kind)+" is not a kind of session; use keynote, training, panel, ceremony, break or social.")
	}
	days := lk.summit.Days()
	if _, err := time.Parse(DateLayout, r.Day); err != nil {
		add("day", strconvQuote(r.Day)+" is not a day; write it as YYYY-MM-DD, one of the summit's days "+strings.Join(days, ", ")+".")
	} else if !contains(days, r.Day) {
		add("day", r.Day+" is not one of the summit's days ("+strings.Join(days, ", ")+").")
	}
	var room *Room
	if r.Room != "" {
		if room = lk.rooms[strings.ToLower(r.Room)]; room == nil {
			add("room", "There is no room "+strconvQuote(r.Room)+" in this summit. "+namesOf("rooms", lk.roomNames)+" Add the room first, or fix the name.")
		} else {
			in.RoomID = strconv.FormatUint(uint64(room.ID), 10)
		}
	}
	if r.Track != "" {
		if id := lk.tracks[strings.ToLower(r.Track)]; id == 0 {
			add("track", "There is no track "+strconvQuote(r.Track)+" in this summit. "+namesOf("tracks", lk.trackNames)+" Add the track first, or fix the name.")
		} else {
			in.TrackID = strconv.FormatUint(uint64(id), 10)
		}
	}
	if r.Capacity != "" {
		n, err := strconv.Atoi(r.Capacity)
		switch {
		case err != nil || n < 1:
			add("seat_capacity", strconvQuote(r.Capacity)+" is not a number of seats: write a whole number such as 30, or leave it empty when nobody registers.")
		case room != nil && n > room.Capacity:
			add("seat_capacity", fmt.Sprintf("%d seats is more than %s holds (%d). Lower the seats or choose a larger room.", n, room.Name, room.Capacity))
		default:
			in.Capacity = strconv.Itoa(n)
		}
	}
	for _, token := range strings.Split(r.Speakers, ";") {
		token = strings.TrimSpace(token)
		if token == "" {
			continue
		}
		id, added, problem, err := lk.speaker(ctx, tx, token)
		if err != nil {
			return in, err
		}
		if problem != "" {
			add("speakers", problem)
			continue
		}
		if added != "" {
			r.NewSpeakers = append(r.NewSpeakers, added)
		}
		in.SpeakerIDs = append(in.SpeakerIDs, strconv.FormatUint(uint64(id), 10))
	}
	return in, nil
}

func namesOf(what string, names []string) string {
	if len(names) == 0 {
		return "This summit has no " + what + " yet."
	}
	if len(names) > 12 {
		names = append(names[:12:12], "…")
	}
	return "The " + what + " are: " + strings.Join(names, ", ") + "."
}

// unchanged reports whether saving in would leave cur as it is.
func (lk *importLookup) unchanged(cur *Session, in SessionInput) bool {
	loc := lk.summit.Location()
	start, err := LocalTime(loc, in.Day, in.StartTime)
	end, err2 := LocalTime(loc, in.Day, in.EndTime)
	if err != nil || err2 != nil || !start.Equal(cur.StartsAt) || !end.Equal(cur.EndsAt) {
		return false
	}
	capacity := ""
	if cur.Capacity != nil {
		capacity = strconv.Itoa(*cur.Capacity)
	}
	var ids []string
	seen := map[string]bool{}
	for _, id := range in.SpeakerIDs {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	if len(ids) != len(cur.Speakers) {
		return false
	}
	for i, sp := range cur.Speakers {
		if ids[i] != strconv.FormatUint(uint64(sp.ID), 10) {
			return false
		}
	}
	return !cur.Unscheduled && cur.Title == strings.TrimSpace(in.Title) && cur.Kind == in.Kind && cur.Abstract == strings.TrimSpace(NormalizeLineEnds(in.Abstract)) &&
		optID(cur.RoomID) == in.RoomID && optID(cur.TrackID) == in.TrackID && capacity == in.Capacity
}

func optID(p *uint) string {
	if p == nil {
		return ""
	}
	return strconv.FormatUint(uint64(*p), 10)
}

// checkSessionRows saves every line of a file through SaveSession inside tx
// (the caller commits or rolls back) and returns every problem by line and
// column. It fills each row's Action, SessionID, NewSpeakers and Change. A
// line is checked against the summit's agenda as the lines before it left
// it, so a clash with another line of the file names that line.
func checkSessionRows(ctx context.Context, tx *gorm.DB, who Actor, summitID uint, rows []SessionImportRow, now time.Time) ([]ImportProblem, error) {
	if err := lockSummit(tx, summitID); err != nil {
		return nil, err
	}
	// No savepoint per line: a file with any problem is never committed,
	// and on Postgres thousands of subtransactions that each bump the
	// summit's revision make every later line slower (measured: 2,000
	// lines took a minute with them, see docs/PERFORMANCE.md).
	tx = tx.Session(&gorm.Session{DisableNestedTransaction: true})
	summit, err := loadSummit(tx, summitID)
	if err != nil {
		return nil, err
	}
	lk, err := loadImportLookup(ctx, tx, who, summit)
	if err != nil {
		return nil, err
	}
	var problems []ImportProblem
	lines := map[string]int{} // title of a line saved so far → its line
	for i := range rows {
		r := &rows[i]
		checked := r.Version // the version the preview saw (0 while previewing)
		r.Action, r.SessionID, r.NewSpeakers, r.Change = "", 0, nil, nil
		bad := map[string]bool{}
		add := func(col, msg string) {
			problems = append(problems, ImportProblem{Line: r.Line, Column: col, Message: msg})
			bad[col] = true
		}
		in, err := lk.input(ctx, tx, r, add)
		if err != nil {
			return nil, err
		}
		cur := lk.existing[strings.ToLower(r.Key)]
		var id uint
		r.Action = "new"
		if cur != nil {
			id, r.SessionID, r.Action, r.Version = cur.ID, cur.ID, "update", cur.Version
			if checked != 0 { // committing: a session changed since the preview is not overwritten
				in.Version = strconv.Itoa(checked)
			}
			if len(bad) == 0 && lk.unchanged(cur, in) {
				r.Action = "unchanged"
				continue
			}
		} else {
			in.Key = r.Key
		}
		res, err := SaveSession(ctx, tx, who, summitID, id, in, now)
		var fe FieldErrors
		if errors.As(err, &fe) {
			fields := make([]string, 0, len(fe))
			for k := range fe {
				fields = append(fields, k)
			}
			sort.Strings(fields)
			for _, k := range fields {
				col := importColumn[k]
				if col != "" && bad[col] {
					continue // already said, in the file's words
				}
				msg := fe[k] + inFile(fe[k], lines)
				if k == fieldVersion {
					msg = "On the agenda since this file was checked: " + fe[k] + " Upload the file again to see what it would change now."
				}
				add(col, msg)
			}
			continue
		}
		if errors.Is(err, ErrNotFound) {
			add("key", "The session with this key was deleted since the file was checked. Upload the file again.")
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", r.Line, err)
		}
		lines[res.Session.Title] = r.Line
		if cur == nil {
			lk.existing[strings.ToLower(r.Key)] = res.Session
		}
		if res.Change != nil && res.Change.NeedsConfirmation() {
			r.Change = res.Change
		}
	}
	return problems, nil
}

// inFile adds which line of the file a clash is with, when the message
// names (in quotes) a session an earlier line saved.
func inFile(msg string, lines map[string]int) string {
	i := strings.Index(msg, "“")
	if i < 0 {
		return ""
	}
	rest := msg[i+len("“"):]
	j := strings.Index(rest, "”")
	if j < 0 {
		return ""
	}
	if line, ok := lines[rest[:j]]; ok {
		return fmt.Sprintf(" (line %d of this file)", line)
	}
	return ""
}
