// Package models holds Summit's data: GORM models, queries, migrations and
// the domain rules (agenda conflicts, capacity, embargo). It never imports Echo.
package models

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrNotFound is returned whenever a record the caller asked for does not exist
// (or is not visible to them).
var ErrNotFound = errors.New("not found")

// Open connects to Postgres when databaseURL is a postgres:// URL, otherwise to
// an SQLite file named summit.db inside dataDir (created if missing).
func Open(databaseURL, dataDir string) (*gorm.DB, error) {
	cfg := &gorm.Config{
		Logger:         logger.Default.LogMode(logger.Silent),
		NowFunc:        Now,
		TranslateError: true,
	}
	if IsPostgresURL(databaseURL) {
		// A connection Postgres has dropped (a restart, a failover, an
		// administrator ending backends) must fail a ping, not a person's
		// query: database/sql then retries on a fresh one. pgx pings a
		// connection taken from the pool only after a second idle, which a
		// busy pool never is, so here every one is pinged. That costs a
		// round trip per query or transaction (about 0.08 ms on one machine,
		// see docs/PERFORMANCE.md). Peeking at the socket instead is not
		// safe: pgx may be reading it in the background.
		db, err := gorm.Open(postgres.New(postgres.Config{DSN: databaseURL, OptionOpenDB: []stdlib.OptionOpenDB{
			stdlib.OptionShouldPing(func(context.Context, stdlib.ShouldPingParams) bool { return true }),
		}}), cfg)
		if err != nil {
			return nil, fmt.Errorf("models: open postgres: %w", err)
		}
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxLifetime(30 * time.Minute)
		return db, nil
	}
	path := databaseURL
	if path == "" {
		if dataDir == "" {
			dataDir = "data"
		}
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("models: create data folder %s: %w", dataDir, err)
		}
		path = filepath.Join(dataDir, "summit.db")
	}
	path = strings.TrimPrefix(path, "sqlite://")
	return OpenSQLite(path, cfg)
}

// OpenSQLite opens an SQLite file with WAL, a busy timeout, foreign keys and
// IMMEDIATE transactions, so concurrent writers queue instead of failing with
// "database is locked".
func OpenSQLite(path string, cfg *gorm.Config) (*gorm.DB, error) {
	if cfg == nil {
		cfg = &gorm.Config{Logger: logger.Default.LogMode(logger.Silent), NowFunc: Now, TranslateError: true}
	}
	dsn := "file:" + path + "?_journal_mode=WAL&_busy_timeout=30000&_foreign_keys=on&_txlock=immediate&_synchronous=NORMAL"
	db, err := gorm.Open(sqlite.Open(dsn), cfg)
	if err != nil {
		return nil, fmt.Errorf("models: open sqlite %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	// One writer at a time is SQLite's model; a small pool keeps readers going
	// while the busy timeout queues writers.
	sqlDB.SetMaxOpenConns(4)
	return db, nil
}

// IsPostgresURL reports whether a DATABASE_URL points at Postgres.
func IsPostgresURL(u string) bool {
	return strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://")
}

// IsPostgres reports whether db talks to Postgres.
func IsPostgres(db *gorm.DB) bool { return db.Dialector.Name() == "postgres" }

// lockSummit serialises writers that check agenda rules for one summit. On
// Postgres it takes a row lock on the summit (FOR NO KEY UPDATE, like
// lockRow: it still serialises every lockSummit, but does not block the
// foreign-key checks of other inserts — a registration's notice names its
// summit, and a registration holds its session's row lock: with FOR UPDATE
// an organiser deleting or moving that session deadlocked with it). SQLite
// transactions are already IMMEDIATE (one writer at a time), so nothing more
// is needed there.
func lockSummit(tx *gorm.DB, summitID uint) error {
	if !IsPostgres(tx) {
		return nil
	}
	var id uint
	err := tx.Raw("SELECT id FROM summits WHERE id = ? FOR NO KEY UPDATE", summitID).Scan(&id).Error
	if err != nil {
		return fmt.Errorf("models: lock summit %d: %w", summitID, err)
	}
	if id == 0 {
		return ErrNotFound
	}
	return nil
}

// lockRow takes a row lock on Postgres (FOR NO KEY UPDATE, which does not
// block foreign-key checks of other inserts). SQLite needs none.
func lockRow(tx *gorm.DB, table string, id uint) error {
	if !IsPostgres(tx) {
		return nil
	}
	var got uint
	if err := tx.Raw("SELECT id FROM "+table+" WHERE id = ? FOR NO KEY UPDATE", id).Scan(&got).Error; err != nil {
		return fmt.Errorf("models: lock %s %d: %w", table, id, err)
	}
	if got == 0 {
		return ErrNotFound
	}
	return nil
}

// lockNamed serialises transactions that check and change something no
// single row stands for (the failed sign-ins of an address, say). On Postgres
// it takes a transaction-level advisory lock per name, in the order of the
// lock keys so two transactions never wait on each other in a circle; the
// locks end with the transaction. SQLite transactions are IMMEDIATE (one
// writer at a time), so nothing more is needed there. Call it first in the
// transaction.
func lockNamed(tx *gorm.DB, names ...string) error {
	if !IsPostgres(tx) {
		return nil
	}
	keys := make([]int32, len(names))
	for i, n := range names {
		h := fnv.New32a()
		h.Write([]byte(n))
		keys[i] = int32(h.Sum32())
	}
	slices.Sort(keys)
	for _, k := range slices.Compact(keys) {
		// The two-key form keeps these locks apart from the single-key ones
		// that migrations and the test template use.
		if err := tx.Exec("SELECT pg_advisory_xact_lock(727274010, ?)", k).Error; err != nil {
			return fmt.Errorf("models: lock %d: %w", k, err)
		}
	}
	return nil
}

// inTx runs fn in one transaction carrying the request context. Domain
// errors — FieldErrors, ErrNotFound and the sentinels in pass — reach the
// caller unchanged, so a handler can show them next to a field or as a 404;
// anything else is wrapped as "models: <op>: <err>".
func inTx(ctx context.Context, db *gorm.DB, op string, fn func(tx *gorm.DB) error, pass ...error) error {
	err := withCtx(ctx, db).Transaction(fn)
	if err == nil || isDomainError(err, pass...) {
		return err
	}
	return fmt.Errorf("models: %s: %w", op, err)
}

// isDomainError reports whether err is something a person caused and should
// read (FieldErrors, ErrNotFound or one of also), not a failure of the system.
func isDomainError(err error, also ...error) bool {
	var fe FieldErrors
	if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
		return true
	}
	for _, e := range also {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// loadSummit reads a summit inside a transaction (or any query), mapping a
// missing row to ErrNotFound.
func loadSummit(tx *gorm.DB, id uint) (*Summit, error) {
	var s Summit
	if err := tx.First(&s, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &s, nil
}

// notFound maps GORM's not-found error to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// withCtx is a tiny helper so every query carries the request context.
func withCtx(ctx context.Context, db *gorm.DB) *gorm.DB { return db.WithContext(ctx) }

// ConnectionLost reports whether err says the connection to the database
// went away (a restart, a failover, an ended backend), as opposed to a
// query the database refused. A read that failed so may be tried again on a
// fresh connection; a write may not, as it may have been applied.
func ConnectionLost(err error) bool {
	if err == nil {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// Class 08: connection exception; 57P01–57P05: the server ended
		// the session (admin_shutdown, crash_shutdown, cannot_connect_now …).
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P")
	}
	var netErr net.Error
	return errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, net.ErrClosed) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		errors.As(err, &netErr) && !netErr.Timeout() || errors.As(err, new(*pgconn.ConnectError))
}

// titlesByID reads the title of each row of model's table whose id is one of
// ids (an empty map, without a query, for none).
func titlesByID(tx *gorm.DB, model any, ids []uint) (map[uint]string, error) {
	out := map[uint]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID    uint
		Title string
	}
	if err := tx.Model(model).Select("id, title").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Title
	}
	return out, nil
}

// countsByID runs a query of (id, n) rows, such as "SELECT x_id AS id,
// COUNT(*) AS n … GROUP BY x_id", into a map from id to n.
func countsByID(tx *gorm.DB, query string, args ...any) (map[uint]int, error) {
	var rows []struct {
		ID uint
		N  int
	}
	if err := tx.Raw(query, args...).Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]int, len(rows))
	for _, r := range rows {
		out[r.ID] = r.N
	}
	return out, nil
}

// idSet runs a query of one id column into a set.
func idSet(tx *gorm.DB, query string, args ...any) (map[uint]bool, error) {
	var ids []uint
	if err := tx.Raw(query, args...).Scan(&ids).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}
