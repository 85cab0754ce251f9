package models

// On SQLite, the reads of RevisionReader are skipped while nothing has been
// committed to the database file since they were made. SQLite counts commits
// for each connection: PRAGMA data_version on a connection changes whenever
// another connection — of this process or of any other — has committed to
// the file since its last call. A connection of the reader's own that never
// writes therefore answers "has anything changed?" with one statement that
// reads only the file's header, instead of the revision's row and the seat
// counts' subquery.
//
// Why the answer is exact: a request first reads data_version (a read that
// starts after it arrived; concurrent ones are coalesced like the others),
// then, on a miss, reads the revision and seats, which see every commit made
// before they started, hence every commit before the data_version read. The
// result is remembered with that data_version. A later request reading the
// same data_version knows that nothing was committed since that read, so the
// remembered result is what its own read would return. Versions of different
// connections are not comparable: when the reader's connection fails it is
// replaced, and everything remembered is forgotten.

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"summit/models/internal/coalesce"
)

// maxRemembered bounds the results a reader remembers (summits × day ranges
// and sessions); past it, they are all forgotten at once.
const maxRemembered = 4096

// dataVersion watches a database for commits (an SQLite file's
// data_version, or Postgres's snapshot: revision_pg.go) and remembers the
// reads made at each version.
type dataVersion struct {
	w     versionSource
	mu    sync.Mutex
	gen   uint64 // raised when the watching connection is replaced
	memo  map[any]remembered
	reads coalesce.Reads[struct{}, stamp]
}

// versionSource reads a database's version: a value that changes whenever
// anything has been committed since it was last read, and never comes back
// once changed (as long as fresh is false: the same connection, or one
// comparable with it).
type versionSource interface {
	read(ctx context.Context) (v version, fresh bool, err error)
	close()
}

// version is what a versionSource reads: a number on SQLite, a text on
// Postgres.
type version struct {
	n int64
	s string
}

// watchConn is the watching connection: one, never used for writing.
type watchConn struct {
	db   *sql.DB
	mu   sync.Mutex
	conn *sql.Conn
	stmt driver.Stmt // of conn's driver connection, used only inside conn.Raw
}

// stamp is a version read on one connection (gen).
type stamp struct {
	gen uint64
	v   version
}

type remembered struct {
	at  stamp
	val any
}

// newDataVersion returns a watcher of db's file, or nil when db is not an
// SQLite file opened by name (an in-memory database has nothing to watch).
func newDataVersion(db *gorm.DB) *dataVersion {
	d, ok := db.Dialector.(*sqlite.Dialector)
	if !ok || d.Conn != nil || d.DSN == "" || strings.Contains(d.DSN, ":memory:") || strings.Contains(d.DSN, "mode=memory") {
		return nil
	}
	driver := d.DriverName
	if driver == "" {
		driver = sqlite.DriverName
	}
	sqlDB, err := sql.Open(driver, d.DSN)
	if err != nil {
		return nil
	}
	sqlDB.SetMaxOpenConns(1)
	w := &watchConn{db: sqlDB}
	dv := &dataVersion{w: w, memo: map[any]remembered{}}
	// The connection lives as long as the reader: it is closed when
	// nothing refers to the reader's watcher any more.
	runtime.AddCleanup(dv, func(w *watchConn) { w.close() }, w)
	return dv
}

// read reads the connection's data_version; fresh is true when the
// connection is new (its versions are not comparable with the last one's).
// The statement runs on the driver's connection directly: database/sql's
// rows and locks around it cost more than the statement.
func (w *watchConn) read(ctx context.Context) (ver version, fresh bool, err error) {
	n, fresh, err := w.dataVersion(ctx)
	return version{n: n}, fresh, err
}

func (w *watchConn) dataVersion(ctx context.Context) (v int64, fresh bool, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	// Without the request's deadline: the driver would watch a cancellable
	// context from another goroutine while the statement steps.
	ctx = context.WithoutCancel(ctx)
	if w.conn == nil {
		if w.conn, err = w.db.Conn(ctx); err != nil {
			return 0, false, err
		}
		fresh = true
	}
	err = w.conn.Raw(func(dc any) error {
		if w.stmt == nil {
			p, ok := dc.(driver.ConnPrepareContext)
			if !ok {
				return errors.New("models: the SQLite driver cannot prepare with a context")
			}
			st, err := p.PrepareContext(ctx, "PRAGMA data_version")
			if err != nil {
				return err
			}
			w.stmt = st
		}
		q, ok := w.stmt.(driver.StmtQueryContext)
		if !ok {
			return errors.New("models: the SQLite driver cannot query with a context")
		}
		rows, err := q.QueryContext(ctx, nil)
		if err != nil {
			return err
		}
		defer rows.Close()
		var dest [1]driver.Value
		if err := rows.Next(dest[:]); err != nil {
			return err
		}
		n, ok := dest[0].(int64)
		if !ok {
			return fmt.Errorf("models: data_version is %T", dest[0])
		}
		v = n
		return nil
	})
	if err != nil {
		w.drop()
		return 0, false, err
	}
	return v, fresh, nil
}

// drop lets the connection go; the next read takes a new one (w.mu held).
func (w *watchConn) drop() {
	if w.stmt != nil {
		// Closed on the driver's connection it belongs to, inside Raw.
		_ = w.conn.Raw(func(any) error { return w.stmt.Close() })
	}
	if w.conn != nil {
		w.conn.Close()
	}
	w.conn, w.stmt = nil, nil
}

func (w *watchConn) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.drop()
	w.db.Close()
}

// current reads the data_version: a read that starts after the call.
func (dv *dataVersion) current(ctx context.Context) (stamp, error) {
	return dv.reads.Do(ctx, struct{}{}, func(ctx context.Context) (stamp, error) {
		v, fresh, err := dv.w.read(ctx)
		if err != nil {
			return stamp{}, err
		}
		dv.mu.Lock()
		defer dv.mu.Unlock()
		if fresh {
			dv.gen++
			clear(dv.memo)
		}
		return stamp{dv.gen, v}, nil
	})
}

// forget forgets everything remembered: versions read from then on are not
// comparable with earlier ones (Postgres: a new connection, perhaps to
// another server after a failover).
func (dv *dataVersion) forget() {
	dv.mu.Lock()
	defer dv.mu.Unlock()
	dv.gen++
	clear(dv.memo)
}

func (dv *dataVersion) lookup(key any, at stamp) (any, bool) {
	dv.mu.Lock()
	defer dv.mu.Unlock()
	m, ok := dv.memo[key]
	if !ok || m.at != at {
		return nil, false
	}
	return m.val, true
}

func (dv *dataVersion) store(key any, at stamp, val any) {
	dv.mu.Lock()
	defer dv.mu.Unlock()
	if at.gen != dv.gen {
		return // read on a connection since replaced
	}
	if m, ok := dv.memo[key]; ok && m.at.v.n > at.v.n {
		return // a newer read is remembered already (SQLite's numbers)
	}
	if len(dv.memo) >= maxRemembered {
		clear(dv.memo)
	}
	dv.memo[key] = remembered{at, val}
}

// unlessChanged returns what read returned for key when nothing has been
// committed since, else reads again (and remembers). Without a watcher (an
// in-memory SQLite database), it reads.
func unlessChanged[V any](ctx context.Context, dv *dataVersion, key any, read func(context.Context) (V, error)) (V, error) {
	if dv == nil {
		return read(ctx)
	}
	at, err := dv.current(ctx)
	if err != nil {
		return read(ctx) // the watcher failed: a read of its own is still exact
	}
	if v, ok := dv.lookup(key, at); ok {
		return v.(V), nil
	}
	v, err := read(ctx)
	if err == nil {
		dv.store(key, at, v)
	}
	return v, err
}

// The keys of the remembered reads, one type per kind of read.
type (
	revisionKey  uint
	withSeatsKey seatRangeKey
	seatsOfKey   seatRangeKey
	sessionKey   [2]uint
)
