package app_test

// The hostile form walk's side of the server and the database: the server's
// log, records of another summit, and finding an accepted value again.

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"gorm.io/gorm"

	"summit/app"
	"summit/models"
	"summit/models/modelstest"
)

// lockedBuffer is a log the server writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newLoggedTestApp is newTestApp with the server's log kept, to look for
// panics and errors in it.
func newLoggedTestApp(t *testing.T, dialect string) (*testApp, *lockedBuffer) {
	t.Helper()
	db := modelstest.Open(t, dialect)
	log := &lockedBuffer{}
	a, err := app.New(app.Config{BaseURL: "http://summit.test"}, db, slog.New(slog.NewTextHandler(io.MultiWriter(log), nil)))
	if err != nil {
		t.Fatalf("app.New: %v", err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &testApp{App: a, DB: db, Server: srv}, log
}

// otherSummitID is the id of a record of another summit of the same table
// as the choices (records of the form's summit), or "".
func (w *formWalker) otherSummitID(f walkForm, choices []string) string {
	m := summitInPathRe.FindStringSubmatch(f.Action)
	if m == nil {
		return ""
	}
	var ids []string
	for _, c := range choices {
		if idValueRe.MatchString(c) {
			ids = append(ids, c)
		}
	}
	if len(ids) == 0 {
		return ""
	}
	for _, tb := range w.summitTables {
		var n int64
		w.ta.DB.Raw("SELECT count(*) FROM "+tb+" WHERE summit_id = ? AND id IN ?", m[1], ids).Scan(&n)
		if int(n) != len(ids) {
			continue
		}
		var other []uint
		w.ta.DB.Raw("SELECT id FROM "+tb+" WHERE summit_id <> ? ORDER BY id LIMIT 1", m[1]).Scan(&other)
		if len(other) == 1 {
			return strconv.FormatUint(uint64(other[0]), 10)
		}
		return ""
	}
	return ""
}

// expectStored finds the accepted value in the database: some TEXT column
// must hold it exactly as sent (trimmed, line ends as LF).
func (w *formWalker) expectStored(where, v string) {
	t := w.t
	want := strings.TrimSpace(models.NormalizeLineEnds(v))
	mark := want[strings.LastIndex(want, " ")+1:]
	var near []string
	for tb, cols := range w.textCols {
		var cond []string
		var args []any
		for _, c := range cols {
			cond = append(cond, c+" LIKE ?")
			args = append(args, "%"+mark+"%")
		}
		_, rows := readQuery(t, w.ta.DB, tb, "SELECT "+strings.Join(cols, ", ")+" FROM "+tb+" WHERE "+strings.Join(cond, " OR "), args...)
		for _, vals := range rows {
			for i, x := range vals {
				s, _ := asText(x)
				if s == want {
					w.found++
					return
				}
				if strings.Contains(s, mark) {
					near = append(near, fmt.Sprintf("%s.%s = %.120q (%d characters)", tb, cols[i], s, utf8.RuneCountInString(s)))
				}
			}
		}
	}
	t.Errorf("%s: accepted, but no row holds the value as sent (%d characters); found: %v", where, utf8.RuneCountInString(want), near)
}

// longValueRe is a long hostile value whole: its marker at both ends.
var longValueRe = regexp.MustCompile(`(qx[0-9]+qz) (?:Lm)+L? (qx[0-9]+qz)`)

// noCutCopies scans every TEXT column for a long hostile value that lost
// its end: wherever one was kept (its row, the audit log, a notice), it is
// whole, whatever field it came through.
func (w *formWalker) noCutCopies() {
	for tb, cols := range w.textCols {
		for _, col := range cols {
			var vals []string
			w.ta.DB.Raw("SELECT "+col+" FROM "+tb+" WHERE "+col+" LIKE ?", "%LmLmLmLmLm%").Scan(&vals)
			for _, v := range vals {
				whole := 0
				for _, m := range longValueRe.FindAllStringSubmatch(v, -1) {
					if m[1] == m[2] {
						whole++
						w.long++
					}
				}
				if whole == 0 {
					w.t.Errorf("%s: %s.%s holds a cut copy of a long value (%d characters): %.80q…", w.role, tb, col, utf8.RuneCountInString(v), v)
				}
			}
		}
	}
}

// textColumnsByTable is textColumns grouped by table.
func textColumnsByTable(t *testing.T, db *gorm.DB) map[string][]string {
	out := map[string][]string{}
	for _, tc := range textColumns(t, db) {
		tb, col, _ := strings.Cut(tc, ".")
		out[tb] = append(out[tb], col)
	}
	return out
}

// summitTables lists the tables whose rows belong to one summit (an id and
// a summit_id column).
func summitTables(t *testing.T, db *gorm.DB) []string {
	var out []string
	for _, tb := range schemaTables(t, db) {
		if db.Migrator().HasColumn(tb, "summit_id") && db.Migrator().HasColumn(tb, "id") {
			out = append(out, tb)
		}
	}
	return out
}
