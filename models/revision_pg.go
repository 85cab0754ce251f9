package models

// On Postgres, the reads of RevisionReader run on a few connections of the
// reader's own (pgconn, below database/sql and GORM), with their statements
// prepared once per connection by name.
//
// Why not the application's pool: every connection taken from it is pinged
// first (models.Open, so that a connection Postgres dropped fails a ping and
// not a person's query). For these reads that ping was a second round trip
// per read, as costly as the read itself, in Summit and in the Postgres
// backend alike (docs/PERFORMANCE.md, "Postgres: the revision read on a
// connection of its own"). These statements only read, so a connection found
// dead is handled after the fact instead: the read runs once more on a new
// connection, and what it returns still comes from a read started after the
// call. database/sql's rows, locks and conversions around a statement of a
// few microseconds went too (29 allocations per read, now 4).

import (
	"context"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

const (
	// pgReadConns bounds the reader's connections: reads of different
	// keys (days, sessions) may run side by side, reads of one key are
	// coalesced into one at a time.
	pgReadConns = 4
	// pgReadIdle closes a connection unused this long (checked every
	// half of it), so an idle instance, or a reader nobody uses any more,
	// holds none.
	pgReadIdle = 10 * time.Second
	// pgReadLifetime replaces a connection this old, as the pool does.
	pgReadLifetime = 30 * time.Minute
	// pgReadTimeout bounds a read whose context has no deadline.
	pgReadTimeout = 10 * time.Second
)

// The reader's statements, by name.
const (
	pgStmtRevision  = "summit_revision"
	pgStmtWithSeats = "summit_revision_seats"
	pgStmtSeats     = "summit_seats"
	pgStmtSession   = "summit_session_seats"
	pgStmtSnapshot  = "summit_snapshot"
)

// pgReads runs the reader's statements on its own connections.
type pgReads struct {
	cfg   *pgconn.Config
	stmts map[string]string // name → SQL
	sem   chan struct{}     // one token per connection in use
	idle0 time.Duration     // pgReadIdle (shorter in tests)
	// onConnect is called when a connection has been opened, before its
	// first read: versions read on it are not comparable with earlier ones.
	onConnect func()

	mu      sync.Mutex
	idle    []*pgReadConn // most recently used last
	open    int           // connections open (idle or in use)
	janitor bool          // a goroutine closes idle connections
}

type pgReadConn struct {
	c    *pgconn.PgConn
	sds  map[string]*pgconn.StatementDescription
	born time.Time
	used time.Time
}

// newPgReads returns the Postgres reads of db, or nil when db was not
// opened from a connection string (nothing to open connections with).
func newPgReads(db *gorm.DB, stmts map[string]string) *pgReads {
	d, ok := db.Dialector.(*postgres.Dialector)
	if !ok || d.Conn != nil || d.DSN == "" {
		return nil
	}
	cfg, err := pgconn.ParseConfig(d.DSN)
	if err != nil {
		return nil
	}
	if _, set := cfg.RuntimeParams["application_name"]; !set {
		cfg.RuntimeParams["application_name"] = "summit revisions"
	}
	return &pgReads{cfg: cfg, stmts: stmts, sem: make(chan struct{}, pgReadConns), idle0: pgReadIdle}
}

// query runs a prepared statement with text arguments and hands each row's
// text values (nil for NULL, valid only during the call) to row. A
// connection that turns out to be dead — Postgres restarted or ended it
// while it was idle — is replaced and the read runs once more: it only
// reads, and the second read also starts after the call.
func (p *pgReads) query(ctx context.Context, stmt string, args [][]byte, row func([][]byte) error) error {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, pgReadTimeout)
		defer cancel()
	}
	for attempt := 0; ; attempt++ {
		rc, fresh, err := p.acquire(ctx)
		if err != nil {
			return err
		}
		err = rc.run(ctx, stmt, args, row)
		lost := rc.c.IsClosed()
		p.release(rc, lost, lost && ctx.Err() == nil)
		if err == nil || !lost || fresh || attempt > 0 || ctx.Err() != nil {
			return err
		}
	}
}

// run executes one statement on the connection.
func (rc *pgReadConn) run(ctx context.Context, stmt string, args [][]byte, row func([][]byte) error) error {
	rr := rc.c.ExecStatement(ctx, rc.sds[stmt], args, nil, nil)
	var rowErr error
	for rr.NextRow() {
		if rowErr == nil {
			rowErr = row(rr.Values())
		}
	}
	_, err := rr.Close()
	if err != nil {
		return err
	}
	return rowErr
}

// acquire takes a connection, opening one (and preparing the statements)
// when none is idle; fresh says it was just opened.
func (p *pgReads) acquire(ctx context.Context) (rc *pgReadConn, fresh bool, err error) {
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, false, ctx.Err()
	}
	now := time.Now()
	p.mu.Lock()
	for len(p.idle) > 0 {
		rc = p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if !rc.c.IsClosed() && now.Sub(rc.born) < pgReadLifetime {
			p.mu.Unlock()
			return rc, false, nil
		}
		p.open--
		go rc.c.Close(context.Background())
	}
	p.open++ // counted now, so the janitor stays while it opens
	p.mu.Unlock()
	rc, err = p.connect(ctx)
	if err != nil {
		p.mu.Lock()
		p.open--
		p.mu.Unlock()
		<-p.sem
		return nil, false, err
	}
	return rc, true, nil
}

func (p *pgReads) connect(ctx context.Context) (*pgReadConn, error) {
	c, err := pgconn.ConnectConfig(ctx, p.cfg)
	if err != nil {
		return nil, fmt.Errorf("models: revision reader: connect: %w", err)
	}
	rc := &pgReadConn{c: c, sds: map[string]*pgconn.StatementDescription{}, born: time.Now()}
	for name, q := range p.stmts {
		sd, err := c.Prepare(ctx, name, q, nil)
		if err != nil {
			c.Close(context.Background())
			return nil, fmt.Errorf("models: revision reader: prepare %s: %w", name, err)
		}
		rc.sds[name] = sd
	}
	if p.onConnect != nil {
		p.onConnect()
	}
	return rc, nil
}

// release gives a connection back and makes sure a janitor will close it
// once idle. A lost connection is dropped. When Postgres ended it (ended
// is false when the read's own context did: pgconn closes a connection
// whose read was cancelled), it most often ended all the others too (a
// restart, a failover), so the idle ones are closed as well, and the read
// that runs again gets a new connection.
func (p *pgReads) release(rc *pgReadConn, lost, ended bool) {
	p.mu.Lock()
	if lost {
		p.open--
	}
	if ended {
		for _, rc := range p.idle {
			p.open--
			go rc.c.Close(context.Background())
		}
		clear(p.idle)
		p.idle = p.idle[:0]
	}
	if !lost {
		rc.used = time.Now()
		p.idle = append(p.idle, rc)
		if !p.janitor {
			p.janitor = true
			go p.closeIdle()
		}
	}
	p.mu.Unlock()
	<-p.sem
}

// closeIdle closes connections idle for pgReadIdle, until none is open.
func (p *pgReads) closeIdle() {
	for {
		p.mu.Lock()
		d := p.idle0
		p.mu.Unlock()
		time.Sleep(d / 2)
		p.mu.Lock()
		now := time.Now()
		keep := p.idle[:0]
		for _, rc := range p.idle {
			if now.Sub(rc.used) >= d {
				p.open--
				go rc.c.Close(context.Background())
				continue
			}
			keep = append(keep, rc)
		}
		clear(p.idle[len(keep):])
		p.idle = keep
		if p.open == 0 {
			p.janitor = false
			p.mu.Unlock()
			return
		}
		p.mu.Unlock()
	}
}

// close closes the idle connections now (those in use are closed by the
// janitor once idle). Reads may go on afterwards, on new connections.
func (p *pgReads) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, rc := range p.idle {
		p.open--
		go rc.c.Close(context.Background())
	}
	clear(p.idle)
	p.idle = p.idle[:0]
}

// watchReader closes the connections when nothing refers to the reader any
// more (a reader made for one request, say) without waiting for them to
// idle out.
func watchReader(r *RevisionReader, p *pgReads) {
	runtime.AddCleanup(r, func(p *pgReads) { p.close() }, p)
}

// The text of the statements' arguments.

func pgID(id uint) []byte { return strconv.AppendUint(nil, uint64(id), 10) }

// pgTime is an instant as timestamptz text, to the microsecond Postgres
// keeps (truncated, as pgx's binary encoding does).
func pgTime(t time.Time) []byte {
	return t.UTC().Truncate(time.Microsecond).AppendFormat(nil, "2006-01-02 15:04:05.999999Z07:00")
}

// pgInt reads an integer column's text.
func pgInt(v []byte) (int64, error) { return strconv.ParseInt(string(v), 10, 64) }

// The four reads (RevisionReader's statements), their rows read from text.

func (p *pgReads) revision(ctx context.Context, summitID uint) (SummitRevision, error) {
	var out SummitRevision
	found := false
	err := p.query(ctx, pgStmtRevision, [][]byte{pgID(summitID)}, func(v [][]byte) (err error) {
		found = true
		out.Revision, err = pgInt(v[0])
		out.Status = SummitStatus(v[1])
		return err
	})
	return out, pgRevisionErr(err, found, summitID)
}

func (p *pgReads) revisionAndSeats(ctx context.Context, summitID uint, from, to time.Time) (revisionSeats, error) {
	var out revisionSeats
	found := false
	err := p.query(ctx, pgStmtWithSeats, [][]byte{pgTime(from), pgTime(to), pgID(summitID)}, func(v [][]byte) (err error) {
		found = true
		out.rev.Revision, err = pgInt(v[0])
		out.rev.Status, out.seats = SummitStatus(v[1]), Seats(v[2])
		return err
	})
	return out, pgRevisionErr(err, found, summitID)
}

func pgRevisionErr(err error, found bool, summitID uint) error {
	if err == nil && !found {
		return ErrNotFound
	}
	return scanRevision(err, summitID)
}

func (p *pgReads) seatsOf(ctx context.Context, summitID uint, from, to time.Time) (Seats, error) {
	var seats Seats
	err := p.query(ctx, pgStmtSeats, [][]byte{pgID(summitID), pgTime(from), pgTime(to)}, func(v [][]byte) error {
		seats = Seats(v[0])
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("models: seat counts of summit %d: %w", summitID, err)
	}
	return seats, nil
}

func (p *pgReads) sessionSeats(ctx context.Context, summitID, sessionID uint) (sessionSeats, error) {
	var out sessionSeats
	found := false
	err := p.query(ctx, pgStmtSession, [][]byte{pgID(sessionID), pgID(summitID)}, func(v [][]byte) error {
		found = true
		var capacity, taken, waiting int64
		var err error
		if v[0] != nil {
			if capacity, err = pgInt(v[0]); err != nil {
				return err
			}
			out.ok = true
		}
		if taken, err = pgInt(v[1]); err != nil {
			return err
		}
		if waiting, err = pgInt(v[2]); err != nil {
			return err
		}
		out.sc = SeatCount{SessionID: sessionID, Capacity: int(capacity), Taken: int(taken), Waiting: int(waiting)}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("models: seats of session %d: %w", sessionID, err)
	}
	if !found {
		return out, ErrNotFound
	}
	return out, nil
}

// pgSnapshot is the version of a Postgres database (versionSource): the
// snapshot a statement started now would read with, as text — the newest
// transaction completed, and those still in progress. Any commit (or
// rollback) of a transaction that wrote anything, to any database of the
// server, changes it, and it never comes back: transactions only ever
// complete. Equal snapshots see equal data, so a read remembered at a
// snapshot is exactly what a read at the same snapshot would return. It is
// read with a statement that touches no table (about a third of the
// backend's work of the revision and seats read); the reads it saves are
// coalesced across every summit, day and session, since one snapshot
// answers for all of them.
type pgSnapshot struct{ p *pgReads }

func (s pgSnapshot) read(ctx context.Context) (version, bool, error) {
	var v version
	err := s.p.query(ctx, pgStmtSnapshot, nil, func(vals [][]byte) error {
		v.s = string(vals[0])
		return nil
	})
	return v, false, err // a new connection calls forget (onConnect)
}

func (pgSnapshot) close() {}
