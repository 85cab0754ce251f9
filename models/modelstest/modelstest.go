// Package modelstest gives tests a fresh, migrated database: an SQLite file in
// a temporary folder, or a Postgres database cloned from a migrated template.
// It is imported only by tests.
package modelstest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"summit/models"
)

// Dialects are the databases every domain rule is tested on.
var Dialects = []string{"sqlite", "postgres"}

// DefaultPostgresURL is used when TEST_DATABASE_URL is not set.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// PostgresURL returns the admin connection URL for test databases.
func PostgresURL() string {
	if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

var (
	tmplOnce sync.Once
	tmplName string
	tmplErr  error
)

func gormCfg() *gorm.Config {
	return &gorm.Config{Logger: logger.Default.LogMode(logger.Silent), NowFunc: models.Now, TranslateError: true}
}

// migrationsHash names the template after the migrations it holds, so a
// changed migration gets a new template.
func migrationsHash() string {
	migs, _ := models.Migrations()
	h := sha256.New()
	for _, m := range migs {
		fmt.Fprintf(h, "%d %s\n", m.Version, m.SQL)
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func withDB(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func ensureTemplate() (string, error) {
	tmplOnce.Do(func() {
		admin, err := gorm.Open(postgres.Open(PostgresURL()), gormCfg())
		if err != nil {
			tmplErr = err
			return
		}
		sqlDB, _ := admin.DB()
		defer sqlDB.Close()
		if err := sqlDB.Ping(); err != nil {
			tmplErr = err
			return
		}
		name := "summit_tmpl_" + migrationsHash()
		// Several test binaries run at once; one advisory lock makes one of them build the template.
		ctx := context.Background()
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			tmplErr = err
			return
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(727274002)"); err != nil {
			tmplErr = err
			return
		}
		defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(727274002)") //nolint:errcheck
		var exists int
		conn.QueryRowContext(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&exists)
		if exists == 0 {
			building := name + "_build"
			conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building)
			if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
				tmplErr = err
				return
			}
			db, err := gorm.Open(postgres.Open(withDB(PostgresURL(), building)), gormCfg())
			if err != nil {
				tmplErr = err
				return
			}
			_, err = models.Migrate(ctx, db)
			if s, e := db.DB(); e == nil {
				s.Close()
			}
			if err != nil {
				tmplErr = err
				return
			}
			if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
				tmplErr = err
				return
			}
		}
		tmplName = name
	})
	return tmplName, tmplErr
}

// requirePostgres fails (under CI) or skips loudly (on a laptop) when
// Postgres is not there.
func requirePostgres(t testing.TB, err error) {
	t.Helper()
	NotRun(t, "POSTGRES TESTS", fmt.Sprintf("Postgres is not reachable at %s: %v (run `make test`, which starts one)", PostgresURL(), err))
}

// NotRunLogEnv names a file that NotRun appends its banners to;
// scripts/test.sh sets it and repeats the banners after the run, where
// `go test ./...` would otherwise hide them (it shows the output of passing
// packages only with -v).
const NotRunLogEnv = "SUMMIT_NOT_RUN_LOG"

var notRunSeen sync.Map

// NotRun is the one way a test gives up because something it needs is
// missing (Postgres, Chromium, pdftotext, xmllint, the shared schemas). Under
// CI (CI set to anything) the test fails. Elsewhere it skips, after a banner
// "!!! <WHAT> NOT RUN: <why>" on stderr, on the terminal (when there is one
// and no log file is set) and in $SUMMIT_NOT_RUN_LOG, once per process and
// what, so a run that passed without them says so.
func NotRun(t testing.TB, what, why string) {
	t.Helper()
	msg := what + " NOT RUN: " + why
	if os.Getenv("CI") != "" {
		t.Fatal(msg + " (CI is set, so nothing may be skipped)")
		return
	}
	if _, seen := notRunSeen.LoadOrStore(what, true); !seen {
		banner := "!!! " + msg + "\n"
		fmt.Fprint(os.Stderr, banner)
		if log := os.Getenv(NotRunLogEnv); log != "" {
			if f, err := os.OpenFile(log, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
				fmt.Fprint(f, banner)
				f.Close()
			}
		} else if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
			fmt.Fprint(tty, banner)
			tty.Close()
		}
	}
	t.Skip(msg)
}

// NewPostgresURL creates a fresh migrated Postgres database for the test and
// returns its URL; the database is dropped when the test ends.
func NewPostgresURL(t testing.TB) string {
	t.Helper()
	tmpl, err := ensureTemplate()
	if err != nil {
		requirePostgres(t, err)
	}
	return newPostgresDB(t, tmpl)
}

// newPostgresDB creates a database from a template (template0: empty) and
// returns its URL; the database is dropped when the test ends.
func newPostgresDB(t testing.TB, tmpl string) string {
	t.Helper()
	admin, err := gorm.Open(postgres.Open(PostgresURL()), gormCfg())
	if err != nil {
		requirePostgres(t, err)
	}
	sqlAdmin, _ := admin.DB()
	name := "summit_t_" + strings.ToLower(hex.EncodeToString([]byte(models.RandomToken(6))))[:16]
	var lastErr error
	for i := 0; i < 5; i++ { // CREATE DATABASE … TEMPLATE fails while another session is connected to the template
		if lastErr = admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + tmpl).Error; lastErr == nil {
			break
		}
		time.Sleep(time.Duration(50*(i+1)) * time.Millisecond)
	}
	if lastErr != nil {
		sqlAdmin.Close()
		t.Fatalf("create test database: %v", lastErr)
	}
	t.Cleanup(func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		sqlAdmin.Close()
	})
	return withDB(PostgresURL(), name)
}

// Open returns a fresh migrated database of the given dialect for the test.
func Open(t testing.TB, dialect string) *gorm.DB {
	t.Helper()
	var db *gorm.DB
	var err error
	switch dialect {
	case "sqlite":
		db, err = models.Open("", t.TempDir())
		if err == nil {
			_, err = models.Migrate(context.Background(), db)
		}
	case "postgres":
		db, err = models.Open(NewPostgresURL(t), "")
	default:
		t.Fatalf("unknown dialect %q", dialect)
	}
	if err != nil {
		t.Fatalf("open %s test database: %v", dialect, err)
	}
	t.Cleanup(func() {
		if s, e := db.DB(); e == nil {
			s.Close()
		}
	})
	return db
}

// SQLitePath returns a path for an SQLite file in the test's temp folder.
func SQLitePath(t testing.TB) string { return filepath.Join(t.TempDir(), "summit.db") }

// EachEmpty runs fn as a subtest on a fresh database of every dialect with
// no migration applied: for tests of the migrations themselves (an upgrade
// from an earlier version, say).
func EachEmpty(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			var db *gorm.DB
			var err error
			if d == "sqlite" {
				db, err = models.Open("", t.TempDir())
			} else {
				db, err = models.Open(newPostgresDB(t, "template0"), "")
			}
			if err != nil {
				t.Fatalf("open empty %s database: %v", d, err)
			}
			t.Cleanup(func() {
				if s, e := db.DB(); e == nil {
					s.Close()
				}
			})
			fn(t, db)
		})
	}
}

// Each runs fn as a subtest on a fresh database of every dialect.
func Each(t *testing.T, fn func(t *testing.T, db *gorm.DB)) {
	t.Helper()
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Together runs fn(i) for every i in [0, n) in its own goroutine, all
// released at once after every goroutine is ready (a start barrier), and
// waits for all of them: the way race tests make requests truly overlap.
func Together(n int, fn func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := 0; i < n; i++ {
		go func(i int) {
			defer done.Done()
			ready.Done()
			<-start
			fn(i)
		}(i)
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// QueryCounter counts the SQL statements run through a *gorm.DB made by
// CountQueries, to show that a page's queries do not grow with its rows.
type QueryCounter struct {
	logger.Interface
	mu  sync.Mutex
	n   int
	sql []string
}

// CountQueries returns db with a logger that counts every statement.
func CountQueries(db *gorm.DB) (*gorm.DB, *QueryCounter) {
	c := &QueryCounter{Interface: logger.Default.LogMode(logger.Silent)}
	return db.Session(&gorm.Session{Logger: c}), c
}

// LogMode keeps the counter (GORM calls it when a session changes the level).
func (c *QueryCounter) LogMode(logger.LogLevel) logger.Interface { return c }

// Trace is called by GORM once per statement.
func (c *QueryCounter) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	c.mu.Lock()
	c.n++
	c.sql = append(c.sql, sql)
	c.mu.Unlock()
}

// Reset starts counting from zero.
func (c *QueryCounter) Reset() {
	c.mu.Lock()
	c.n, c.sql = 0, nil
	c.mu.Unlock()
}

// Count is the number of statements since the last Reset.
func (c *QueryCounter) Count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// Statements lists the statements since the last Reset, for failure messages.
func (c *QueryCounter) Statements() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return strings.Join(c.sql, "\n")
}
