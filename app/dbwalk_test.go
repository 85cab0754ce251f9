package app_test

// Helpers for the route walks (CSRF, CSV): the tables and text columns of the
// migrated schema, a snapshot of every row, and path parameters filled in.

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
)

// schemaTables lists the application's tables (not SQLite's own).
func schemaTables(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var tables []string
	var err error
	if models.IsPostgres(db) {
		err = db.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name").Scan(&tables).Error
	} else {
		err = db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Scan(&tables).Error
	}
	if err != nil || len(tables) == 0 {
		t.Fatalf("list tables: %v (%d found)", err, len(tables))
	}
	return tables
}

// textColumns lists every TEXT column of the schema as "table.column".
func textColumns(t *testing.T, db *gorm.DB) []string {
	t.Helper()
	var out []string
	if models.IsPostgres(db) {
		if err := db.Raw("SELECT table_name || '.' || column_name FROM information_schema.columns WHERE table_schema = current_schema() AND data_type = 'text' ORDER BY 1").Scan(&out).Error; err != nil {
			t.Fatalf("list text columns: %v", err)
		}
		return out
	}
	for _, tb := range schemaTables(t, db) {
		var cols []struct {
			Name string
			Type string
		}
		if err := db.Raw("SELECT name, type FROM pragma_table_info(?)", tb).Scan(&cols).Error; err != nil {
			t.Fatalf("columns of %s: %v", tb, err)
		}
		for _, c := range cols {
			if strings.EqualFold(c.Type, "TEXT") {
				out = append(out, tb+"."+c.Name)
			}
		}
	}
	sort.Strings(out)
	return out
}

// readTable returns a table's column names and every row's values.
func readTable(t *testing.T, db *gorm.DB, table string) ([]string, [][]any) {
	t.Helper()
	return readQuery(t, db, table, "SELECT * FROM "+table)
}

// asText is a value read by readQuery as text, if it is text.
func asText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return "", false
}

// readQuery returns the column names and every row's values of a query
// reading table.
func readQuery(t *testing.T, db *gorm.DB, table, query string, args ...any) ([]string, [][]any) {
	t.Helper()
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatalf("columns of %s: %v", table, err)
	}
	var out [][]any
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("scan %s: %v", table, err)
		}
		out = append(out, vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("read %s: %v", table, err)
	}
	return cols, out
}

// snapshotDB is every row of every table, as text, in a stable order: two
// equal snapshots mean nothing was added, removed or changed. A sign-in's
// last_seen_at is left out: any request by a signed-in person may touch it
// (once a minute), refused or not.
func snapshotDB(t *testing.T, db *gorm.DB) map[string][]string {
	t.Helper()
	snap := map[string][]string{}
	for _, tb := range schemaTables(t, db) {
		cols, rows := readTable(t, db, tb)
		lines := make([]string, 0, len(rows))
		for _, vals := range rows {
			var b strings.Builder
			for i, v := range vals {
				if tb == "auth_sessions" && cols[i] == "last_seen_at" {
					continue
				}
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%s=%v ", cols[i], v)
			}
			lines = append(lines, b.String())
		}
		sort.Strings(lines)
		snap[tb] = lines
	}
	return snap
}

// snapshotDiff describes how two snapshots differ ("" when equal).
func snapshotDiff(before, after map[string][]string) string {
	var out []string
	tables := map[string]bool{}
	for tb := range before {
		tables[tb] = true
	}
	for tb := range after {
		tables[tb] = true
	}
	var names []string
	for tb := range tables {
		names = append(names, tb)
	}
	sort.Strings(names)
	for _, tb := range names {
		b, a := before[tb], after[tb]
		if strings.Join(b, "\n") == strings.Join(a, "\n") {
			continue
		}
		had := map[string]bool{}
		for _, l := range b {
			had[l] = true
		}
		has := map[string]bool{}
		for _, l := range a {
			has[l] = true
		}
		msg := fmt.Sprintf("%s: %d rows → %d", tb, len(b), len(a))
		for _, l := range a {
			if !had[l] {
				msg += "\n    + " + l
				break
			}
		}
		for _, l := range b {
			if !has[l] {
				msg += "\n    - " + l
				break
			}
		}
		out = append(out, msg)
	}
	return strings.Join(out, "\n  ")
}

var pathParam = regexp.MustCompile(`:[a-z_]+`)

// fillPath puts real ids into a route's path parameters ("1" for unknown ones).
func fillPath(path string, ids map[string]string) string {
	return pathParam.ReplaceAllStringFunc(path, func(p string) string {
		if v, ok := ids[p[1:]]; ok {
			return v
		}
		return "1"
	})
}

// routePattern matches the concrete paths of a route ("/a/:id" → ^/a/[^/]+$).
func routePattern(path string) *regexp.Regexp {
	parts := pathParam.Split(path, -1)
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return regexp.MustCompile("^" + strings.Join(parts, "[^/]+") + "$")
}

// demoSummit seeds the demo summit and returns it.
func demoSummit(t *testing.T, ta *testApp) *models.Summit {
	t.Helper()
	if _, _, err := models.SeedDemo(ctx, ta.DB, 2027); err != nil {
		t.Fatal(err)
	}
	s, err := models.CurrentSummit(ctx, ta.DB, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// demoRouteParams seeds the demo summit and names a real record of it for
// each path parameter (routeParams).
func demoRouteParams(t *testing.T, ta *testApp) (*models.Summit, map[string]string) {
	t.Helper()
	s := demoSummit(t, ta)
	return s, routeParams(t, ta, s)
}
