package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// An upgrade keeps every row (STYLE: "an upgrade from any earlier release
// keeps every row"): a database filled at migration 0006 — the schema before
// outcomes, revisions and notices — is migrated to the latest, and what was
// in it reads back through today's code, on both databases.
func TestUpgradeFromAnEarlierSchemaKeepsEveryRow(t *testing.T) {
	modelstest.EachEmpty(t, func(t *testing.T, db *gorm.DB) {
		if _, err := models.MigrateTo(ctx, db, 6); err != nil {
			t.Fatalf("migrate to 0006: %v", err)
		}
		at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		opens, closes := time.Date(2027, 1, 10, 8, 0, 0, 0, time.UTC), time.Date(2027, 3, 10, 17, 0, 0, 0, time.UTC)
		starts := time.Date(2027, 3, 11, 9, 0, 0, 0, time.UTC)
		hash, err := models.HashPassword("an old but fine passphrase")
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{"INSERT INTO people (id, name, email, department, role, active, password_hash, created_at, updated_at) VALUES (1, 'Zoë Ølberg', 'zoe@example.com', 'Billing', 'organiser', TRUE, ?, ?, ?)", []any{hash, at, at}},
			{"INSERT INTO people (id, name, email, role, active, created_at, updated_at) VALUES (2, 'Bo Staff', 'bo@example.com', 'staff', TRUE, ?, ?)", []any{at, at}},
			{"INSERT INTO summits (id, year, title, theme, start_date, end_date, time_zone, status, created_at, updated_at, registration_opens_at, registration_closes_at) VALUES (1, 2027, 'Service Summit 2027', 'Everyone serves', '2027-03-11', '2027-03-12', 'Europe/Amsterdam', 'published', ?, ?, ?, ?)", []any{at, at, opens, closes}},
			{"INSERT INTO rooms (id, summit_id, name, capacity, position, created_at, updated_at) VALUES (1, 1, 'Atrium', 40, 1, ?, ?)", []any{at, at}},
			{"INSERT INTO tracks (id, summit_id, name, pillar, color, created_at, updated_at) VALUES (1, 1, 'Train', 'train', '#1d4ed8', ?, ?)", []any{at, at}},
			{"INSERT INTO speakers (id, summit_id, person_id, name, organisation, bio, created_at, updated_at) VALUES (1, 1, 1, 'Zoë Ølberg', '', '', ?, ?)", []any{at, at}},
			{"INSERT INTO sessions (id, summit_id, uuid, title, kind, room_id, track_id, starts_at, ends_at, capacity, seats_taken, created_at, updated_at) VALUES (1, 1, 'b0c6f1e2-0000-4000-8000-000000000001', 'Listening well', 'training', 1, 1, ?, ?, 10, 1, ?, ?)", []any{starts, starts.Add(time.Hour), at, at}},
			{"INSERT INTO session_speakers (session_id, speaker_id, position) VALUES (1, 1, 0)", nil},
			{"INSERT INTO registrations (id, session_id, person_id, status, position, created_at, updated_at, confirmed_at) VALUES (1, 1, 2, 'confirmed', 0, ?, ?, ?)", []any{at, at, at}},
			{"INSERT INTO award_categories (id, summit_id, name, winners, opens_at, closes_at, announce_at, judging_closes_at, created_at, updated_at) VALUES (1, 1, 'Kindness', 1, ?, ?, ?, ?, ?, ?)", []any{opens, closes, starts, starts, at, at}},
			{"INSERT INTO award_nominations (id, category_id, nominee_id, nominator_id, story, served, created_at, updated_at) VALUES (1, 1, 2, 1, 'Bo stayed late for a customer.', 'a customer', ?, ?)", []any{at, at}},
			{"INSERT INTO audit_events (at, actor_id, actor_name, action, record_type, record_id, summary) VALUES (?, 1, 'Zoë Ølberg', 'summit.create', 'summit', '1', 'Created Service Summit 2027')", []any{at}},
		} {
			if err := db.Exec(q.sql, q.args...).Error; err != nil {
				t.Fatalf("fill at 0006: %s: %v", q.sql, err)
			}
		}
		if models.IsPostgres(db) { // rows inserted with their ids: move the sequences on, as a real database's would be
			for _, tbl := range []string{"people", "summits", "rooms", "tracks", "speakers", "sessions", "registrations", "award_categories", "award_nominations"} {
				if err := db.Exec("SELECT setval(pg_get_serial_sequence('" + tbl + "', 'id'), (SELECT MAX(id) FROM " + tbl + "))").Error; err != nil {
					t.Fatal(err)
				}
			}
		}

		ran, err := models.Migrate(ctx, db)
		if err != nil {
			t.Fatalf("upgrade: %v", err)
		}
		if len(ran) == 0 || ran[0] <= 6 {
			t.Fatalf("upgrade ran %v", ran)
		}

		s, err := models.GetSummit(ctx, db, 1)
		if err != nil || s.Title != "Service Summit 2027" || s.Theme != "Everyone serves" || s.Status != models.StatusPublished || s.Revision < 1 {
			t.Fatalf("summit after the upgrade: %+v %v", s, err)
		}
		w, err := models.GetRegistrationWindow(ctx, db, 1)
		if err != nil || w.OpensAt == nil || !w.OpensAt.Equal(opens) || w.ClosesAt == nil || !w.ClosesAt.Equal(closes) {
			t.Fatalf("registration window after the upgrade: %+v %v", w, err)
		}
		list, err := models.ListSessions(ctx, db, s, models.AgendaFilter{})
		if err != nil || len(list) != 1 || list[0].Title != "Listening well" || !list[0].StartsAt.Equal(starts) ||
			list[0].Room == nil || list[0].Room.Name != "Atrium" || len(list[0].Speakers) != 1 || list[0].Speakers[0].Name != "Zoë Ølberg" {
			t.Fatalf("agenda after the upgrade: %+v %v", list, err)
		}
		if list[0].SeatsTaken != 1 || list[0].Capacity == nil || *list[0].Capacity != 10 {
			t.Fatalf("seats after the upgrade: %+v", list[0])
		}
		var regs int64
		if err := db.Model(&models.Registration{}).Where("session_id = 1 AND person_id = 2 AND status = ?", models.RegConfirmed).Count(&regs).Error; err != nil || regs != 1 {
			t.Fatalf("registration after the upgrade: %d %v", regs, err)
		}
		cats, err := models.ListCategories(ctx, db, 1)
		if err != nil || len(cats) != 1 || cats[0].Name != "Kindness" {
			t.Fatalf("award categories after the upgrade: %+v %v", cats, err)
		}
		if p, err := models.Authenticate(ctx, db, "zoe@example.com", "an old but fine passphrase"); err != nil || p.Name != "Zoë Ølberg" {
			t.Fatalf("sign-in after the upgrade: %v", err)
		}
		evs, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "summit.create"})
		if err != nil || len(evs) != 1 || evs[0].Summary != "Created Service Summit 2027" {
			t.Fatalf("audit log after the upgrade: %+v %v", evs, err)
		}
		// The new schema works on the old rows: a change raises the revision
		// (migration 0013's triggers) and is audited.
		if _, err := models.CreateRoom(ctx, db, models.ActorOf(nil, ""), 1, models.RoomInput{Name: "Garden", Capacity: "20"}); err != nil {
			t.Fatalf("a room after the upgrade: %v", err)
		}
		if after, err := models.GetSummit(ctx, db, 1); err != nil || after.Revision <= s.Revision {
			t.Fatalf("revision did not move after the upgrade: %d → %+v %v", s.Revision, after, err)
		}
	})
}
