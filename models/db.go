// Package models holds Summit's data: GORM models, queries, migrations and
// the domain rules (agenda conflicts, capacity, embargo). It never imports Echo.
package models

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

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
		NowFunc:        func() time.Time { return time.Now().UTC() },
		TranslateError: true,
	}
	if IsPostgresURL(databaseURL) {
		db, err := gorm.Open(postgres.Open(databaseURL), cfg)
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
		cfg = &gorm.Config{Logger: logger.Default.LogMode(logger.Silent), NowFunc: func() time.Time { return time.Now().UTC() }, TranslateError: true}
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
// Postgres it takes a row lock on the summit; SQLite transactions are already
// IMMEDIATE (one writer at a time), so nothing more is needed there.
func lockSummit(tx *gorm.DB, summitID uint) error {
	if !IsPostgres(tx) {
		return nil
	}
	var id uint
	err := tx.Raw("SELECT id FROM summits WHERE id = ? FOR UPDATE", summitID).Scan(&id).Error
	if err != nil {
		return fmt.Errorf("models: lock summit %d: %w", summitID, err)
	}
	if id == 0 {
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

// notFound maps GORM's not-found error to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// withCtx is a tiny helper so every query carries the request context.
func withCtx(ctx context.Context, db *gorm.DB) *gorm.DB { return db.WithContext(ctx) }
