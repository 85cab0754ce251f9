package models

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the embedded migrations in version order. File names are
// NNNN_name.sql; the SQL uses {{PK}} and {{TIME}} where the dialects differ,
// and a line "-- dialect: sqlite" or "-- dialect: postgres" starts statements
// for that database only, until "-- dialect: all" (triggers, say, which the
// two write differently).
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		if !ok {
			return nil, fmt.Errorf("models: migration %q is not named NNNN_name.sql", name)
		}
		v, err := strconv.Atoi(num)
		if err != nil {
			return nil, fmt.Errorf("models: migration %q: %w", name, err)
		}
		body, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("models: two migrations numbered %d", out[i].Version)
		}
	}
	return out, nil
}

func dialectSQL(db *gorm.DB, sql string) string {
	sql = dialectSections(sql, IsPostgres(db))
	if IsPostgres(db) {
		sql = strings.ReplaceAll(sql, "{{PK}}", "BIGSERIAL PRIMARY KEY")
		sql = strings.ReplaceAll(sql, "{{TIME}}", "TIMESTAMPTZ")
	} else {
		sql = strings.ReplaceAll(sql, "{{PK}}", "INTEGER PRIMARY KEY AUTOINCREMENT")
		sql = strings.ReplaceAll(sql, "{{TIME}}", "DATETIME")
	}
	return sql
}

// dialectSections keeps the lines meant for this database: those outside any
// "-- dialect:" section, in "-- dialect: all" sections, and in the sections
// of the database's name.
func dialectSections(sql string, postgres bool) string {
	mine := "sqlite"
	if postgres {
		mine = "postgres"
	}
	keep := true
	var out strings.Builder
	for _, line := range strings.Split(sql, "\n") {
		if d, ok := strings.CutPrefix(strings.TrimSpace(line), "-- dialect:"); ok {
			d = strings.TrimSpace(d)
			keep = d == "all" || d == mine
			continue
		}
		if keep {
			out.WriteString(line)
			out.WriteString("\n")
		}
	}
	return out.String()
}

// splitStatements splits a migration into statements on semicolons that end a
// line, dropping comment-only lines. A statement whose body holds statements
// of its own stays whole: an SQLite trigger from a line ending in BEGIN to a
// line "END;", a Postgres function between $$ and $$.
func splitStatements(sql string) []string {
	var out []string
	var cur strings.Builder
	inBody, inDollar := false, false
	for _, line := range strings.Split(sql, "\n") {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "--") {
			continue
		}
		cur.WriteString(line)
		cur.WriteString("\n")
		if strings.Count(line, "$$")%2 == 1 {
			inDollar = !inDollar
		}
		if !inDollar && strings.HasSuffix(strings.ToUpper(t), "BEGIN") {
			inBody = true
		}
		if inBody && strings.EqualFold(t, "END;") {
			inBody = false
		}
		if strings.HasSuffix(t, ";") && !inBody && !inDollar {
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		}
	}
	if s := strings.TrimSpace(cur.String()); s != "" {
		out = append(out, s)
	}
	return out
}

// Migrate applies every migration not yet recorded in schema_migrations, in
// order, each in its own transaction. On Postgres an advisory lock makes
// several instances starting at once apply each migration exactly once.
// It returns the versions it applied.
func Migrate(ctx context.Context, db *gorm.DB) ([]int, error) {
	return MigrateTo(ctx, db, math.MaxInt)
}

// MigrateTo is Migrate stopping after version last: the upgrade test fills a
// database at an earlier version and then migrates it to the latest.
func MigrateTo(ctx context.Context, db *gorm.DB, last int) ([]int, error) {
	db = db.WithContext(ctx)
	migs, err := Migrations()
	if err != nil {
		return nil, err
	}
	if IsPostgres(db) {
		// A dedicated connection holds the session-level advisory lock.
		sqlDB, err := db.DB()
		if err != nil {
			return nil, err
		}
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return nil, fmt.Errorf("models: migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(727274001)"); err != nil {
			return nil, fmt.Errorf("models: migrate lock: %w", err)
		}
		defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(727274001)") //nolint:errcheck
	}
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ` +
		dialectSQL(db, "{{TIME}}") + ` NOT NULL)`).Error; err != nil {
		return nil, fmt.Errorf("models: create schema_migrations: %w", err)
	}
	var done []int
	if err := db.Raw("SELECT version FROM schema_migrations").Scan(&done).Error; err != nil {
		return nil, fmt.Errorf("models: read schema_migrations: %w", err)
	}
	applied := map[int]bool{}
	for _, v := range done {
		applied[v] = true
	}
	var ran []int
	for _, m := range migs {
		if applied[m.Version] {
			continue
		}
		if m.Version > last {
			break
		}
		err := db.Transaction(func(tx *gorm.DB) error {
			for _, stmt := range splitStatements(dialectSQL(tx, m.SQL)) {
				if err := tx.Exec(stmt).Error; err != nil {
					return fmt.Errorf("%s: %w", firstLine(stmt), err)
				}
			}
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.Version, m.Name, Now()).Error
		})
		if err != nil {
			return ran, fmt.Errorf("models: migration %04d_%s: %w", m.Version, m.Name, err)
		}
		ran = append(ran, m.Version)
	}
	return ran, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
