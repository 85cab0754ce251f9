package models

// Sessions from a CSV file, through the same stored preview as the
// directory and outcome imports (import_previews, kind "sessions", with its
// summit): upload, see every problem by line and column and what would
// change, then commit all or nothing. Every line goes through SaveSession —
// the form's rules (room and speaker clashes, the summit's days), its
// reactions (seats, announcements, notices) and its audit — inside one
// transaction: the preview runs it and rolls it back, the commit keeps it.
// The checks of a line against the file and the summit are in
// sessions_import_check.go.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// SessionColumns is the header of a sessions file, for import, export and
// the template, in this order.
var SessionColumns = []string{"key", "title", "kind", "day", "start", "end", "room", "track", "speakers", "seat_capacity", "abstract"}

const sessionImportKind = "sessions"

// maxImportKey bounds a key: a short label such as T1 or a uuid.
const maxImportKey = 100

// MaxSessionLines bounds a sessions file: every line runs the agenda's
// rules twice (preview and commit), about 1.5 ms each (docs/PERFORMANCE.md);
// a summit's agenda is hundreds of sessions, not tens of thousands.
const MaxSessionLines = 5000

// SessionImportRow is one session read from a file. After the check,
// Action is "new", "update" or "unchanged", SessionID the session an update
// changes, NewSpeakers the guests (or directory people) it adds as speakers
// and Change, for an update that moves people's sessions, who is affected.
type SessionImportRow struct {
	Line        int            `json:"line"`
	Key         string         `json:"key"`
	Title       string         `json:"title"`
	Kind        string         `json:"kind"`
	Day         string         `json:"day"`
	Start       string         `json:"start"`
	End         string         `json:"end"`
	Room        string         `json:"room"`
	Track       string         `json:"track"`
	Speakers    string         `json:"speakers"`
	Capacity    string         `json:"seat_capacity"`
	Abstract    string         `json:"abstract"`
	SessionID   uint           `json:"session_id,omitempty"`
	Version     int            `json:"version,omitempty"` // of the session an update changes, when the file was checked
	Action      string         `json:"action"`
	NewSpeakers []string       `json:"new_speakers,omitempty"`
	Change      *SessionChange `json:"change,omitempty"`
}

// SessionImport is a stored preview of a sessions file for one summit.
type SessionImport struct {
	ID          uint
	SummitID    uint
	FileName    string
	CreatedAt   time.Time
	CommittedAt *time.Time
	Rows        []SessionImportRow
	Problems    []ImportProblem
}

// SessionImportCounts is what a file will do (or did).
type SessionImportCounts struct {
	Created, Updated, Unchanged int
	NewSpeakers                 []string
	Changes                     []*SessionChange // updates that reach people, for the notices preview
}

// Counts says what the file will create, update and leave alone, which
// speakers it adds, and which changes people will be told of.
func (p *SessionImport) Counts() SessionImportCounts {
	return countSessionRows(p.Rows)
}

func countSessionRows(rows []SessionImportRow) SessionImportCounts {
	var c SessionImportCounts
	for i := range rows {
		r := &rows[i]
		switch r.Action {
		case "new":
			c.Created++
		case "update":
			c.Updated++
		default:
			c.Unchanged++
		}
		c.NewSpeakers = append(c.NewSpeakers, r.NewSpeakers...)
		if r.Change != nil {
			c.Changes = append(c.Changes, r.Change)
		}
	}
	return c
}

// ImportProblems is a file's problems as an error: a commit that finds the
// summit changed since the upload returns the problems it finds now.
type ImportProblems []ImportProblem

func (p ImportProblems) Error() string {
	return fmt.Sprintf("the file has %d problems to fix first", len(p))
}

// unguard undoes the apostrophe the exports put before a value that looks
// like a formula (CSVCell), so an exported file imports unchanged.
func unguard(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@", rune(s[1])) {
		return s[1:]
	}
	return s
}

// ParseSessionCSV reads a sessions file: the header (every column of
// SessionColumns, in any order, names in any case) and each line, with the
// problems a line has on its own (a missing or repeated key). The checks
// against the summit come after (checkSessionRows).
func ParseSessionCSV(data []byte) ([]SessionImportRow, []ImportProblem) {
	var problems []ImportProblem
	add := func(line int, col, msg string) {
		problems = append(problems, ImportProblem{Line: line, Column: col, Message: msg})
	}
	var rows []SessionImportRow
	seen := map[string]int{}
	readCSVTable(data, SessionColumns, SessionColumns, add, func(line int, get func(string) string) {
		g := func(name string) string { return unguard(get(name)) }
		r := SessionImportRow{Line: line, Key: g("key"), Title: g("title"), Kind: strings.ToLower(g("kind")), Day: g("day"),
			Start: g("start"), End: g("end"), Room: g("room"), Track: g("track"), Speakers: g("speakers"),
			Capacity: g("seat_capacity"), Abstract: g("abstract")}
		switch k := strings.ToLower(r.Key); {
		case r.Key == "":
			add(line, "key", "Give each session a key (a short label such as T1, kept from one import to the next): importing the file again updates the sessions with these keys instead of adding them twice.")
		case len(r.Key) > maxImportKey:
			add(line, "key", fmt.Sprintf("The key is longer than %d characters; use a short label such as T1.", maxImportKey))
		case seen[k] != 0:
			add(line, "key", fmt.Sprintf("The key %s is already on line %d of this file. Each session has its own key.", strconvQuote(r.Key), seen[k]))
		default:
			seen[k] = line
		}
		rows = append(rows, r)
	})
	if len(rows) == 0 && len(problems) == 0 {
		add(2, "", "The file has a header but no sessions.")
	}
	if len(rows) > MaxSessionLines {
		add(rows[MaxSessionLines].Line, "", fmt.Sprintf("The file has %d sessions; import at most %d at a time (split it: importing again updates sessions by key).", len(rows), MaxSessionLines))
	}
	return rows, problems
}

// CreateSessionImport reads and checks a sessions file against a summit —
// running every line through the agenda's rules and rolling it all back —
// and stores the preview. Nothing else changes.
func CreateSessionImport(ctx context.Context, db *gorm.DB, who Actor, summitID uint, fileName string, data []byte, now time.Time) (*SessionImport, error) {
	if _, err := loadSummit(withCtx(ctx, db), summitID); err != nil {
		return nil, err
	}
	rows, problems := ParseSessionCSV(data)
	if len(rows) > 0 && len(rows) <= MaxSessionLines {
		err := inTx(ctx, db, "check sessions file", func(tx *gorm.DB) error {
			more, err := checkSessionRows(ctx, tx, who, summitID, rows, now)
			if err != nil {
				return err
			}
			problems = append(problems, more...)
			return errPreview
		}, errPreview)
		if err != nil && !errors.Is(err, errPreview) {
			return nil, err
		}
	}
	sortProblems(problems, SessionColumns)
	sid := summitID
	p := ImportPreview{Kind: sessionImportKind, SummitID: &sid, CreatedAt: now.UTC(), FileName: fileName, Problems: problems}
	if err := storePreview(ctx, db, &p, who.PersonID, rows); err != nil {
		return nil, err
	}
	return &SessionImport{ID: p.ID, SummitID: summitID, FileName: p.FileName, CreatedAt: p.CreatedAt, Rows: rows, Problems: problems}, nil
}

// GetSessionImport loads a stored sessions preview of a summit.
func GetSessionImport(ctx context.Context, db *gorm.DB, summitID, id uint) (*SessionImport, error) {
	var rows []SessionImportRow
	p, err := loadPreview(ctx, db, sessionImportKind, id, &rows)
	if err != nil {
		return nil, err
	}
	if p.SummitID == nil || *p.SummitID != summitID {
		return nil, ErrNotFound // another summit's file
	}
	return &SessionImport{ID: p.ID, SummitID: summitID, FileName: p.FileName, CreatedAt: p.CreatedAt, CommittedAt: p.CommittedAt, Rows: rows, Problems: p.Problems}, nil
}

// CommitSessionImport writes a preview in one transaction, all or nothing:
// every line is checked and saved again through SaveSession (the agenda may
// have changed since the upload; then the problems found now come back as
// ImportProblems and nothing is written). Sessions are matched by key, so a
// file imported again updates them. A preview is committed once (the second
// of two gets ErrImportCommitted). Each session's change is audited by
// SaveSession, the import as a whole once, all with the actor.
func CommitSessionImport(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, now time.Time) (SessionImportCounts, error) {
	var res SessionImportCounts
	err := inTx(ctx, db, fmt.Sprintf("commit sessions import %d", id), func(tx *gorm.DB) error {
		p, err := GetSessionImport(ctx, tx, summitID, id)
		if err != nil {
			return err
		}
		if err := claimPreview(tx, p.ID, p.Problems, now.UTC()); err != nil {
			return err
		}
		problems, err := checkSessionRows(ctx, tx, who, summitID, p.Rows, now)
		if err != nil {
			return err
		}
		if len(problems) > 0 {
			sortProblems(problems, SessionColumns)
			return ImportProblems(problems)
		}
		res = countSessionRows(p.Rows)
		return Audit(ctx, tx, who, "sessions.import", "import", p.ID,
			fmt.Sprintf("Imported sessions from %s: %d new, %d updated, %d unchanged", p.FileName, res.Created, res.Updated, res.Unchanged),
			nil, map[string]int{"created": res.Created, "updated": res.Updated, "unchanged": res.Unchanged})
	}, ErrImportHasProblems, ErrImportCommitted)
	return res, err
}

// SessionsImportCSV writes a summit's sessions in the import format (header
// first), formula-safe, so the file can be edited and imported again: the
// key is the one the session was imported with, else its uuid. Sessions
// not on the timetable yet (the editor's side list) are left out: a file
// gives every session a day and times, so importing one schedules it.
func SessionsImportCSV(ctx context.Context, db *gorm.DB, s *Summit) ([][]string, error) {
	var list []Session
	if err := withCtx(ctx, db).Preload("Room").Preload("Track").Where("summit_id = ? AND unscheduled = ?", s.ID, false).Order("starts_at, id").Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: sessions import csv: %w", err)
	}
	if err := attachSpeakers(ctx, db, list); err != nil {
		return nil, err
	}
	loc := s.Location()
	out := [][]string{CSVRow(SessionColumns...)}
	for _, x := range list {
		key := x.ImportKey
		if key == "" {
			key = x.UUID
		}
		room, track, capacity := "", "", ""
		if x.Room != nil {
			room = x.Room.Name
		}
		if x.Track != nil {
			track = x.Track.Name
		}
		if x.Capacity != nil {
			capacity = strconv.Itoa(*x.Capacity)
		}
		names := make([]string, len(x.Speakers))
		for i, sp := range x.Speakers {
			names[i] = sp.Name
		}
		out = append(out, CSVRow(key, x.Title, string(x.Kind), x.StartsAt.In(loc).Format(DateLayout), x.StartsAt.In(loc).Format("15:04"),
			x.EndsAt.In(loc).Format("15:04"), room, track, strings.Join(names, "; "), capacity, x.Abstract))
	}
	return out, nil
}

// SessionsTemplateCSV is an example sessions file for a summit: the header
// and three lines on its last day (after the usual programme), in its own
// rooms and tracks where it has them, ready to edit and import.
func SessionsTemplateCSV(ctx context.Context, db *gorm.DB, s *Summit) ([][]string, error) {
	rooms, err := ListRooms(ctx, db, s.ID)
	if err != nil {
		return nil, err
	}
	tracks, err := ListTracks(ctx, db, s.ID)
	if err != nil {
		return nil, err
	}
	days := s.Days()
	day := days[len(days)-1]
	room, track, seats := func(int) string { return "" }, func(int) string { return "" }, ""
	if len(rooms) > 0 {
		room = func(i int) string { return rooms[i%len(rooms)].Name }
		seats = strconv.Itoa(min(20, rooms[1%len(rooms)].Capacity))
	}
	if len(tracks) > 0 {
		track = func(i int) string { return tracks[i%len(tracks)].Name }
	}
	return [][]string{CSVRow(SessionColumns...),
		CSVRow("T1", "Service clinic: your hardest conversation", string(KindTraining), day, "16:00", "17:00", room(1), track(1), "Ada Guest", seats,
			"Bring one conversation that went wrong; we replay it, in pairs, until it goes right."),
		CSVRow("T2", "Ask the support desk anything", string(KindPanel), day, "16:00", "17:00", room(0), track(0), "", "",
			"Questions from every department, answered by the people who serve customers every day."),
		CSVRow("T3", "Drinks on the terrace", string(KindSocial), day, "17:00", "18:30", "", "", "", "", ""),
	}, nil
}
