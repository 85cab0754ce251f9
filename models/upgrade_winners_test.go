package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// Migration 0021 gives award_winners.chosen_by its reference to people
// (code review 3.19); on SQLite by making the table again. Winners filled
// at 0020 read back unchanged (ids, places, reasons, choosers, times), a
// chooser missing from the directory is forgotten instead of losing the
// row, the one-winner-per-nominee index and 0013's revision triggers work
// on the new table, a deleted winner's id is not given out again, and the
// database now refuses a chooser who is nobody — on both databases.
func TestUpgradeGivesWinnersChosenByAReference(t *testing.T) {
	modelstest.EachEmpty(t, func(t *testing.T, db *gorm.DB) {
		if _, err := models.MigrateTo(ctx, db, 20); err != nil {
			t.Fatalf("migrate to 0020: %v", err)
		}
		at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		starts := time.Date(2027, 3, 11, 9, 0, 0, 0, time.UTC)
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"INSERT INTO people (id, name, email, role, active, created_at, updated_at) VALUES (1, 'Zoë Ølberg', 'zoe@example.com', 'organiser', TRUE, ?, ?)", []any{at, at}},
			{"INSERT INTO people (id, name, email, role, active, created_at, updated_at) VALUES (2, 'Bo Staff', 'bo@example.com', 'staff', TRUE, ?, ?)", []any{at, at}},
			{"INSERT INTO people (id, name, email, role, active, created_at, updated_at) VALUES (3, 'Cy Staff', 'cy@example.com', 'staff', TRUE, ?, ?)", []any{at, at}},
			{"INSERT INTO people (id, name, email, role, active, created_at, updated_at) VALUES (4, 'Di Judge', 'di@example.com', 'organiser', TRUE, ?, ?)", []any{at, at}},
			{"INSERT INTO summits (id, year, title, theme, start_date, end_date, time_zone, status, created_at, updated_at) VALUES (1, 2027, 'Service Summit 2027', '', '2027-03-11', '2027-03-12', 'Europe/Amsterdam', 'published', ?, ?)", []any{at, at}},
			{"INSERT INTO award_categories (id, summit_id, name, winners, opens_at, closes_at, announce_at, judging_closes_at, created_at, updated_at) VALUES (1, 1, 'Kindness', 3, ?, ?, ?, ?, ?, ?)", []any{at, at, starts, starts, at, at}},
			{"INSERT INTO award_winners (id, category_id, nominee_id, place, reason, chosen_by, created_at) VALUES (1, 1, 2, 1, 'Stayed late for a customer.', 1, ?)", []any{at}},
			{"INSERT INTO award_winners (id, category_id, nominee_id, place, reason, chosen_by, created_at) VALUES (2, 1, 3, 2, '', NULL, ?)", []any{at.Add(time.Minute)}},
			{"INSERT INTO award_winners (id, category_id, nominee_id, place, reason, chosen_by, created_at) VALUES (3, 1, 1, 3, 'Chosen by nobody known.', 99, ?)", []any{at.Add(2 * time.Minute)}},
			{"INSERT INTO award_winners (id, category_id, nominee_id, place, reason, chosen_by, created_at) VALUES (7, 1, 4, 4, 'Taken back.', 1, ?)", []any{at}},
			{"DELETE FROM award_winners WHERE id = 7", nil},
		} {
			if err := db.Exec(q.sql, q.args...).Error; err != nil {
				t.Fatalf("fill at 0020: %s: %v", q.sql, err)
			}
		}
		if models.IsPostgres(db) { // rows inserted with their ids: move the sequences on, as a real database's would be
			for _, q := range []string{"SELECT setval(pg_get_serial_sequence('people', 'id'), 4)", "SELECT setval(pg_get_serial_sequence('summits', 'id'), 1)",
				"SELECT setval(pg_get_serial_sequence('award_categories', 'id'), 1)", "SELECT setval(pg_get_serial_sequence('award_winners', 'id'), 7)"} {
				if err := db.Exec(q).Error; err != nil {
					t.Fatal(err)
				}
			}
		}

		if ran, err := models.Migrate(ctx, db); err != nil || len(ran) == 0 || ran[0] != 21 {
			t.Fatalf("upgrade: %v %v", ran, err)
		}

		var got []models.AwardWinner
		if err := db.Order("id").Find(&got).Error; err != nil {
			t.Fatal(err)
		}
		type want struct {
			id, nominee uint
			place       int
			reason      string
			by          *uint
			at          time.Time
		}
		one := uint(1)
		wants := []want{{1, 2, 1, "Stayed late for a customer.", &one, at}, {2, 3, 2, "", nil, at.Add(time.Minute)}, {3, 1, 3, "Chosen by nobody known.", nil, at.Add(2 * time.Minute)}}
		if len(got) != len(wants) {
			t.Fatalf("winners after the upgrade: %+v", got)
		}
		for i, w := range wants {
			g := got[i]
			if g.ID != w.id || g.CategoryID != 1 || g.NomineeID != w.nominee || g.Place != w.place || g.Reason != w.reason ||
				(g.ChosenBy == nil) != (w.by == nil) || (g.ChosenBy != nil && *g.ChosenBy != *w.by) || !g.CreatedAt.Equal(w.at) {
				t.Errorf("winner %d after the upgrade: %+v, want %+v", w.id, g, w)
			}
		}

		revision := func() int64 {
			t.Helper()
			var r int64
			if err := db.Raw("SELECT revision FROM summits WHERE id = 1").Scan(&r).Error; err != nil {
				t.Fatal(err)
			}
			return r
		}
		// The reference holds: a chooser who is nobody is refused, on insert and on update.
		if err := db.Exec("INSERT INTO award_winners (category_id, nominee_id, place, reason, chosen_by, created_at) VALUES (1, 4, 4, '', 99, ?)", at).Error; err == nil {
			t.Error("a winner chosen by person 99, who does not exist, was stored")
			db.Exec("DELETE FROM award_winners WHERE chosen_by = 99") // so the checks below still run
		}
		if err := db.Exec("UPDATE award_winners SET chosen_by = 99 WHERE id = 2").Error; err == nil {
			t.Error("a winner's chooser was set to person 99, who does not exist")
			db.Exec("UPDATE award_winners SET chosen_by = NULL WHERE id = 2")
		}
		// The one-winner-per-nominee index is back.
		if err := db.Exec("INSERT INTO award_winners (category_id, nominee_id, place, reason, created_at) VALUES (1, 2, 4, '', ?)", at).Error; err == nil {
			t.Error("Bo won Kindness twice: the index award_winners_once is gone")
			db.Exec("DELETE FROM award_winners WHERE nominee_id = 2 AND id <> 1")
		}
		// Migration 0013's triggers: each write to a winner raises the summit's revision.
		before := revision()
		w := models.AwardWinner{CategoryID: 1, NomineeID: 4, Place: 4, ChosenBy: &one, CreatedAt: at}
		if err := db.Create(&w).Error; err != nil {
			t.Fatal(err)
		}
		if w.ID <= 7 {
			t.Errorf("a new winner got id %d: the id of the deleted winner 7 (or one before it) was given out again", w.ID)
		}
		afterInsert := revision()
		if afterInsert <= before {
			t.Errorf("adding a winner left the revision at %d", afterInsert)
		}
		if err := db.Exec("UPDATE award_winners SET reason = 'Calm under pressure.' WHERE id = ?", w.ID).Error; err != nil {
			t.Fatal(err)
		}
		afterUpdate := revision()
		if afterUpdate <= afterInsert {
			t.Errorf("changing a winner's reason left the revision at %d", afterUpdate)
		}
		if err := db.Exec("DELETE FROM award_winners WHERE id = ?", w.ID).Error; err != nil {
			t.Fatal(err)
		}
		if afterDelete := revision(); afterDelete <= afterUpdate {
			t.Errorf("removing a winner left the revision at %d", afterDelete)
		}
		// ON DELETE SET NULL: a chooser removed by hand leaves the winner without one.
		if err := db.Exec("UPDATE award_winners SET chosen_by = 4 WHERE id = 2").Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("DELETE FROM people WHERE id = 4").Error; err != nil {
			t.Fatalf("remove the chooser: %v", err)
		}
		var kept models.AwardWinner
		if err := db.First(&kept, 2).Error; err != nil || kept.ChosenBy != nil || kept.NomineeID != 3 {
			t.Errorf("winner 2 after its chooser was removed: %+v %v", kept, err)
		}
	})
}
