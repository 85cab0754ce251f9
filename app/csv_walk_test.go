package app_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"summit/models"
)

// machineColumns hold a fixed vocabulary, a token or data the code parses
// (a status, a colour, a time zone, a hash, JSON): they never carry what a
// person typed, and prefixing them would break the app rather than test the
// exports. Every other TEXT column of the schema gets formula-like text in
// TestEveryCSVExportIsFormulaSafe, so a column added later is covered
// without touching the test. If a new column holds a vocabulary and the walk
// fails because of it, add it here.
var machineColumns = map[string]bool{
	"people.role": true, "people.password_hash": true,
	"summits.start_date": true, "summits.end_date": true, "summits.time_zone": true, "summits.status": true,
	"tracks.pillar": true, "tracks.color": true,
	"sessions.uuid": true, "sessions.kind": true,
	"auth_sessions.token_hash": true, "auth_sessions.ip": true,
	"audit_events.action": true, "audit_events.record_type": true, "audit_events.record_id": true,
	"audit_events.before_json": true, "audit_events.after_json": true, "audit_events.ip": true,
	"sign_in_attempts.ip": true,
	"account_tokens.kind": true, "account_tokens.token_hash": true,
	"import_previews.rows_json": true, "import_previews.problems_json": true,
	"registrations.status": true,
	"commitments.status":   true, "commitments.due_date": true, "commitment_updates.status": true, "ideas.helps": true,
	"award_nominations.served": true, "award_nominations.status": true,
	"award_scores.points":       true,
	"calendar_feeds.token_hash": true,
	"schema_migrations.name":    true, "schema_migrations.version": true,
	"outcome_measures.computed": true, "import_previews.kind": true,
}

// uniqueText are typed columns under a unique index, often empty (a
// session's import key): planting the same text in every row would collide.
var uniqueText = map[string]bool{"sessions.import_key": true}

// formulaStarts are the first characters a spreadsheet reads as a formula.
var formulaStarts = []string{"=", "+", "-", "@", "\t", "\r"}

// Every CSV download of the route table stays formula-safe: formula-like text
// goes into every column a person can type into (names, e-mails,
// departments, job titles, titles, abstracts, rooms, tracks, categories,
// stories …), once for each of = + - @ tab CR, and every .csv route is
// downloaded as an admin. No cell may start with one of those characters,
// and each file must show at least one neutralised cell (so the planted text
// really reached it). Routes added later are walked too.
func TestEveryCSVExportIsFormulaSafe(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s, ids := demoRouteParams(t, ta)
		// The roster of a session people registered for.
		var sid uint
		if err := ta.DB.Raw("SELECT session_id FROM registrations r JOIN sessions s ON s.id = r.session_id WHERE s.summit_id = ? AND r.status <> 'cancelled' ORDER BY r.id LIMIT 1", s.ID).Scan(&sid).Error; err != nil || sid == 0 {
			t.Fatalf("the demo has no registrations: %v", err)
		}
		ids["session"] = itoa(sid)
		adm, _ := ta.signedIn(t, models.RoleAdmin)

		var planted []string
		for _, col := range textColumns(t, ta.DB) {
			if !machineColumns[col] && !strings.HasPrefix(col, "river_") {
				planted = append(planted, col)
			}
		}
		var csvRoutes []string
		for _, r := range ta.Routes() {
			if r.Method == http.MethodGet && strings.HasSuffix(r.Path, ".csv") {
				csvRoutes = append(csvRoutes, fillPath(r.Path, ids))
			}
		}
		if len(csvRoutes) < 4 {
			t.Fatalf("only %d CSV routes found: %v", len(csvRoutes), csvRoutes)
		}

		for _, p := range formulaStarts {
			// Prepend to what is there, so rows stay unique and recognisable.
			for _, col := range planted {
				tb, c, _ := strings.Cut(col, ".")
				set := "UPDATE " + tb + " SET " + c + " = ? || " + c
				if uniqueText[col] { // unique per row: the row's id keeps planted values apart
					set += " || CAST(id AS TEXT)"
				}
				if err := ta.DB.Exec(set, p+"HYPERLINK(\"http://evil.example\") ").Error; err != nil {
					t.Fatalf("plant %q in %s: %v", p, col, err)
				}
			}
			for _, path := range csvRoutes {
				res := adm.get(path)
				if res.Code != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
					t.Errorf("GET %s with %q planted: %d %s %.200s (a new column with a fixed vocabulary? see machineColumns)",
						path, p, res.Code, res.Header.Get("Content-Type"), text(res.Body))
					continue
				}
				r := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF")))
				r.FieldsPerRecord = -1
				rows, err := r.ReadAll()
				if err != nil {
					t.Errorf("GET %s: not CSV: %v", path, err)
					continue
				}
				guarded, unsafe := 0, 0
				for i, row := range rows {
					for j, cell := range row {
						for _, bad := range formulaStarts {
							if strings.HasPrefix(cell, bad) {
								if unsafe++; unsafe <= 3 {
									t.Errorf("GET %s with %q planted: row %d column %d starts with %q: %q", path, p, i+1, j+1, bad, cell)
								}
							}
						}
						// (A writer with UseCRLF drops a lone CR, so "'\r…" may arrive as "'…".)
						if strings.HasPrefix(cell, "'") && strings.Contains(cell, "http://evil.example") {
							guarded++
						}
					}
				}
				if unsafe > 3 {
					t.Errorf("GET %s with %q planted: %d unsafe cells in all", path, p, unsafe)
				}
				if guarded == 0 {
					t.Errorf("GET %s with %q planted: no cell carries the planted text (%d rows), so the check proves nothing", path, p, len(rows))
				}
			}
		}
	})
}
