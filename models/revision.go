package models

// Revisions: the number the database raises (by triggers, migration 0013)
// whenever something a summit's public pages show changes, and the small
// reads a page cache needs on every request: the revision itself and the seat
// counts, which registrations change without raising it.

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"summit/models/internal/coalesce"
)

// SummitRevision is what a cache needs to know about a summit on every
// request: whether visitors may see it and the revision of what they see.
type SummitRevision struct {
	Revision int64
	Status   SummitStatus
}

// IsPublic reports whether visitors may see the summit.
func (r SummitRevision) IsPublic() bool {
	return r.Status == StatusPublished || r.Status == StatusArchived
}

// RevisionReader reads summits' revisions and seat counts with statements
// prepared once, bypassing GORM: these run on every public request, where the
// ORM's reflection would cost more than the query. On Postgres they run on
// connections of the reader's own (revision_pg.go).
//
// While nothing has been committed since a read, its result is remembered
// and given again (revision_version.go: SQLite's data_version, Postgres's
// snapshot, each read after the call).
//
// Concurrent reads of the same thing are coalesced (models/internal/coalesce):
// a caller never joins a read already under way — it could miss a commit made
// just before the call — but callers who arrive while one runs share the next
// one. Every result is therefore as fresh as a read of its own would be (it
// sees every commit before the call), while under load one read serves many
// requests.
type RevisionReader struct {
	db       *gorm.DB
	postgres bool
	mu       sync.Mutex
	revision *sql.Stmt // revision, status
	withSeat *sql.Stmt // revision, status, seats of a time range
	seats    *sql.Stmt // seats of a time range
	session  *sql.Stmt // one session's seats and waitlist

	revisions coalesce.Reads[uint, SummitRevision]
	withSeats coalesce.Reads[seatRangeKey, revisionSeats]
	seatsOf   coalesce.Reads[seatRangeKey, Seats]
	sessions  coalesce.Reads[[2]uint, sessionSeats]

	// version skips the reads while nothing has been committed since
	// (revision_version.go: SQLite's data_version, Postgres's snapshot).
	version *dataVersion
	// pg runs the reads on Postgres on connections of the reader's own
	// (revision_pg.go); nil on SQLite.
	pg *pgReads
}

// seatRangeKey is a summit and a time range, as a map key (UnixNano: equal
// instants in different zones are one key).
type seatRangeKey struct {
	summit   uint
	from, to int64
}

type revisionSeats struct {
	rev   SummitRevision
	seats Seats
}

type sessionSeats struct {
	sc SeatCount
	ok bool
}

// NewRevisionReader returns a reader on db; statements are prepared on first use.
func NewRevisionReader(db *gorm.DB) *RevisionReader {
	r := &RevisionReader{db: db, postgres: IsPostgres(db)}
	if !r.postgres {
		r.version = newDataVersion(db)
		return r
	}
	q := r.statements()
	r.pg = newPgReads(db, map[string]string{pgStmtRevision: q[0], pgStmtWithSeats: q[1], pgStmtSeats: q[2], pgStmtSession: q[3],
		pgStmtSnapshot: "SELECT pg_current_snapshot()::text"})
	if r.pg != nil {
		r.version = &dataVersion{w: pgSnapshot{r.pg}, memo: map[any]remembered{}}
		r.pg.onConnect = r.version.forget
		watchReader(r, r.pg)
	}
	return r
}

// placeholders turns ? into $1, $2 … for Postgres.
func placeholders(db *gorm.DB, q string) string {
	if !IsPostgres(db) {
		return q
	}
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// seatsSQL is a scalar subquery: the seat counts of a summit's sessions that
// take registrations and start in [?, ?), as one text "id:capacity:taken,…"
// in id order. One value instead of a row per session: the page only needs
// to know whether it changed, and reads it apart only when it did.
func (r *RevisionReader) seatsSQL(summit string) string {
	row := "CAST(id AS TEXT) || ':' || CAST(capacity AS TEXT) || ':' || CAST(seats_taken AS TEXT)"
	where := "summit_id = " + summit + " AND capacity IS NOT NULL AND starts_at >= ? AND starts_at < ?"
	if r.postgres {
		return "(SELECT COALESCE(string_agg(" + row + ", ',' ORDER BY id), '') FROM sessions WHERE " + where + ")"
	}
	return "(SELECT COALESCE(group_concat(x, ','), '') FROM (SELECT " + row + " AS x FROM sessions WHERE " + where + " ORDER BY id))"
}

// statements are the reader's four reads, in the database's placeholders:
// revision and status; the same with the seats of a range (from, to, summit);
// the seats of a range (summit, from, to); one session's seats (session,
// summit).
func (r *RevisionReader) statements() [4]string {
	var out [4]string
	for i, q := range []string{
		"SELECT revision, status FROM summits WHERE id = ?",
		// The subquery's ? come before the summit's id.
		"SELECT revision, status, " + r.seatsSQL("summits.id") + " FROM summits WHERE id = ?",
		"SELECT " + r.seatsSQL("?"),
		"SELECT capacity, seats_taken, (SELECT COUNT(*) FROM registrations WHERE session_id = sessions.id AND status = '" + string(RegWaitlisted) + "') FROM sessions WHERE id = ? AND summit_id = ?",
	} {
		out[i] = placeholders(r.db, q)
	}
	return out
}

// prepare prepares the statements on the database/sql pool, for SQLite (and
// a Postgres handle without a connection string).
func (r *RevisionReader) prepare(ctx context.Context) error {
	if r.pg != nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.revision != nil {
		return nil
	}
	sqlDB, err := r.db.DB()
	if err != nil {
		return err
	}
	var stmts []*sql.Stmt
	for _, q := range r.statements() {
		st, err := sqlDB.PrepareContext(ctx, q)
		if err != nil {
			for _, s := range stmts {
				s.Close()
			}
			return fmt.Errorf("models: prepare revision reads: %w", err)
		}
		stmts = append(stmts, st)
	}
	r.revision, r.withSeat, r.seats, r.session = stmts[0], stmts[1], stmts[2], stmts[3]
	return nil
}

// quick is the context for the reader's statements, each a few
// microseconds: on SQLite without the request's deadline, because the driver
// (mattn/go-sqlite3) watches a cancellable context from another goroutine
// while a statement steps, which costs more than the query.
func (r *RevisionReader) quick(ctx context.Context) context.Context {
	if r.postgres {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

func scanRevision(err error, summitID uint) error {
	if err == sql.ErrNoRows {
		return ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("models: read revision of summit %d: %w", summitID, err)
	}
	return nil
}

// Revision reads a summit's revision and status: one indexed read.
// ErrNotFound when there is no such summit.
func (r *RevisionReader) Revision(ctx context.Context, summitID uint) (SummitRevision, error) {
	if err := r.prepare(ctx); err != nil {
		return SummitRevision{}, err
	}
	return unlessChanged(ctx, r.version, revisionKey(summitID), func(ctx context.Context) (SummitRevision, error) {
		return r.revisions.Do(ctx, summitID, func(ctx context.Context) (SummitRevision, error) {
			if r.pg != nil {
				return r.pg.revision(ctx, summitID)
			}
			var out SummitRevision
			err := r.revision.QueryRowContext(r.quick(ctx), summitID).Scan(&out.Revision, &out.Status)
			return out, scanRevision(err, summitID)
		})
	})
}

// RevisionAndSeats reads a summit's revision and status and, in the same
// statement (so the two agree), the seat counts of its sessions starting in
// [from, to) as Seats text.
func (r *RevisionReader) RevisionAndSeats(ctx context.Context, summitID uint, from, to time.Time) (SummitRevision, Seats, error) {
	if err := r.prepare(ctx); err != nil {
		return SummitRevision{}, "", err
	}
	key := seatRangeKey{summitID, from.UnixNano(), to.UnixNano()}
	out, err := unlessChanged(ctx, r.version, withSeatsKey(key), func(ctx context.Context) (revisionSeats, error) {
		return r.withSeats.Do(ctx, key, func(ctx context.Context) (revisionSeats, error) {
			if r.pg != nil {
				return r.pg.revisionAndSeats(ctx, summitID, from, to)
			}
			var out revisionSeats
			err := r.withSeat.QueryRowContext(r.quick(ctx), from.UTC(), to.UTC(), summitID).Scan(&out.rev.Revision, &out.rev.Status, &out.seats)
			return out, scanRevision(err, summitID)
		})
	})
	return out.rev, out.seats, err
}

// SeatsOf reads the seat counts of a summit's sessions starting in
// [from, to) as Seats text: one indexed read.
func (r *RevisionReader) SeatsOf(ctx context.Context, summitID uint, from, to time.Time) (Seats, error) {
	if err := r.prepare(ctx); err != nil {
		return "", err
	}
	key := seatRangeKey{summitID, from.UnixNano(), to.UnixNano()}
	return unlessChanged(ctx, r.version, seatsOfKey(key), func(ctx context.Context) (Seats, error) {
		return r.seatsOf.Do(ctx, key, func(ctx context.Context) (Seats, error) {
			if r.pg != nil {
				return r.pg.seatsOf(ctx, summitID, from, to)
			}
			var seats Seats
			if err := r.seats.QueryRowContext(r.quick(ctx), summitID, from.UTC(), to.UTC()).Scan(&seats); err != nil {
				return "", fmt.Errorf("models: seat counts of summit %d: %w", summitID, err)
			}
			return seats, nil
		})
	})
}

// Seats are seat counts as the database writes them: "id:capacity:taken"
// for each session, comma-separated, in id order. Equal texts are equal
// counts.
type Seats string

// SeatCount is a session's seat capacity and how many are taken.
type SeatCount struct {
	SessionID uint
	Capacity  int
	Taken     int
	Waiting   int // only from SessionSeats
}

// Apply copies the counts into a session (a copy of a cached one).
func (sc SeatCount) Apply(s *Session) {
	c := sc.Capacity
	s.Capacity, s.SeatsTaken = &c, sc.Taken
}

// Counts reads the text apart, by session id.
func (s Seats) Counts() map[uint]SeatCount {
	out := map[uint]SeatCount{}
	for _, part := range strings.Split(string(s), ",") {
		f := strings.Split(part, ":")
		if len(f) != 3 {
			continue
		}
		id, e1 := strconv.ParseUint(f[0], 10, 64)
		capacity, e2 := strconv.Atoi(f[1])
		taken, e3 := strconv.Atoi(f[2])
		if e1 == nil && e2 == nil && e3 == nil {
			out[uint(id)] = SeatCount{SessionID: uint(id), Capacity: capacity, Taken: taken}
		}
	}
	return out
}

// SessionSeats reads one session's seat count and waitlist length; ok is
// false when the session takes no registrations. ErrNotFound when the
// session is not the summit's.
func (r *RevisionReader) SessionSeats(ctx context.Context, summitID, sessionID uint) (sc SeatCount, ok bool, err error) {
	if err := r.prepare(ctx); err != nil {
		return sc, false, err
	}
	out, err := unlessChanged(ctx, r.version, sessionKey{summitID, sessionID}, func(ctx context.Context) (sessionSeats, error) {
		return r.sessions.Do(ctx, [2]uint{summitID, sessionID}, r.readSession(summitID, sessionID))
	})
	return out.sc, out.ok, err
}

// readSession is the read of one session's seats and waitlist.
func (r *RevisionReader) readSession(summitID, sessionID uint) func(context.Context) (sessionSeats, error) {
	return func(ctx context.Context) (sessionSeats, error) {
		if r.pg != nil {
			return r.pg.sessionSeats(ctx, summitID, sessionID)
		}
		var out sessionSeats
		var capacity sql.NullInt64
		err := r.session.QueryRowContext(r.quick(ctx), sessionID, summitID).Scan(&capacity, &out.sc.Taken, &out.sc.Waiting)
		if err == sql.ErrNoRows {
			return out, ErrNotFound
		}
		if err != nil {
			return out, fmt.Errorf("models: seats of session %d: %w", sessionID, err)
		}
		out.sc.SessionID, out.sc.Capacity, out.ok = sessionID, int(capacity.Int64), capacity.Valid
		return out, nil
	}
}

// Close releases the prepared statements and the reader's idle connections.
func (r *RevisionReader) Close() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range []*sql.Stmt{r.revision, r.withSeat, r.seats, r.session} {
		if s != nil {
			s.Close()
		}
	}
	r.revision, r.withSeat, r.seats, r.session = nil, nil, nil, nil
	if r.pg != nil {
		r.pg.close()
	}
	if r.version != nil {
		r.version.w.close() // reads then fall back to the statements, closed too
	}
}

// AnnouncementTimes lists when a summit's award categories are announced,
// earliest first. Which of them have passed at a moment (the clock, not a
// write, reveals winners) is part of what a cached page depends on.
func AnnouncementTimes(ctx context.Context, db *gorm.DB, summitID uint) ([]time.Time, error) {
	var out []time.Time
	if err := withCtx(ctx, db).Model(&AwardCategory{}).Where("summit_id = ?", summitID).Pluck("announce_at", &out).Error; err != nil {
		return nil, fmt.Errorf("models: announcement times of summit %d: %w", summitID, err)
	}
	for i := range out {
		out[i] = out[i].UTC()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out, nil
}

// Announced counts the announcement times at or before now.
func Announced(times []time.Time, now time.Time) int {
	return sort.Search(len(times), func(i int) bool { return times[i].After(now) })
}
