package models_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// pgDemoDay1 is the demo on a fresh Postgres database: the summit, a
// session with seats on its first day, and the database's URL.
func pgDemoDay1(t *testing.T) (*gorm.DB, *models.Summit, models.Session, string) {
	t.Helper()
	url := modelstest.NewPostgresURL(t)
	db := openPostgres(t, url)
	if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
		t.Fatal(err)
	}
	s, err := models.CurrentSummit(ctx, db, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var sess models.Session
	if err := db.Where("summit_id = ? AND capacity IS NOT NULL AND starts_at >= ? AND starts_at < ?", s.ID, s.Start(), s.Start().AddDate(0, 0, 1)).First(&sess).Error; err != nil {
		t.Fatalf("a session with seats on day 1: %v", err)
	}
	return db, s, sess, url
}

// openPostgres is an instance's handle on the database at url.
func openPostgres(t *testing.T, url string) *gorm.DB {
	t.Helper()
	other, err := models.Open(url, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := other.DB(); err == nil {
			s.Close()
		}
	})
	return other
}

// readerBackends counts the Postgres backends of the reader's connections
// in the database.
func readerBackends(t *testing.T, db *gorm.DB) int {
	t.Helper()
	var n int
	if err := db.Raw("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'summit revisions'").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// On Postgres the reader reads on connections of its own; a commit from
// anywhere — the application's pool, another instance, a plain connection —
// shows in the next read: seat counts (which raise no revision), the
// revision, one session's seats.
func TestRevisionReaderSeesEveryCommitOnPostgres(t *testing.T) {
	db, s, sess, url := pgDemoDay1(t)
	from, to := s.Start(), s.Start().AddDate(0, 0, 1)
	plain, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { plain.Close(context.Background()) })
	other := openPostgres(t, url)
	writers := map[string]func(q string, args ...any) error{
		"its own pool":     func(q string, args ...any) error { return db.Exec(q, args...).Error },
		"another instance": func(q string, args ...any) error { return other.Exec(q, args...).Error },
		"a plain connection": func(q string, args ...any) error {
			_, err := plain.Exec(ctx, postgresPlaceholders(q), args...)
			return err
		},
	}
	r := models.NewRevisionReader(db)
	defer r.Close()
	rev, _, err := r.RevisionAndSeats(ctx, s.ID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	if readerBackends(t, db) == 0 {
		t.Fatal("the reader read without a connection of its own")
	}
	for i := 0; i < 3; i++ {
		if _, err := r.Revision(ctx, s.ID); err != nil {
			t.Fatal(err)
		}
	}
	if n := models.RememberedReads(r); n != 2 {
		t.Errorf("%d reads remembered, want 2 (the revision, and with the seats of day 1)", n)
	}
	step := 0
	for name, exec := range writers {
		for k := 0; k < 3; k++ {
			step++
			taken := 100 + step
			if err := exec("UPDATE sessions SET seats_taken = ? WHERE id = ?", taken, sess.ID); err != nil {
				t.Fatal(err)
			}
			got, seats, err := r.RevisionAndSeats(ctx, s.ID, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if n := seatsTaken(t, seats, sess.ID); n != taken {
				t.Errorf("%s set %d seats taken; the next read says %d", name, taken, n)
			}
			if got.Revision != rev.Revision || got.Status != models.StatusPublished {
				t.Errorf("%s changed seats only; the revision moved %d → %d (%s)", name, rev.Revision, got.Revision, got.Status)
			}
			if seats, err := r.SeatsOf(ctx, s.ID, from, to); err != nil || seatsTaken(t, seats, sess.ID) != taken {
				t.Errorf("%s: seats of day 1 %q %v, want %d taken", name, seats, err, taken)
			}
			if sc, ok, err := r.SessionSeats(ctx, s.ID, sess.ID); err != nil || !ok || sc.Taken != taken || sc.Capacity != *sess.Capacity {
				t.Errorf("%s: the session's seats %+v %v %v, want %d of %d", name, sc, ok, err, taken, *sess.Capacity)
			}
		}
		if err := exec("UPDATE sessions SET title = ? WHERE id = ?", "Retitled by "+name, sess.ID); err != nil {
			t.Fatal(err)
		}
		got, err := r.Revision(ctx, s.ID)
		if err != nil || got.Revision <= rev.Revision {
			t.Errorf("%s retitled a session; the next read says revision %d (before %d), %v", name, got.Revision, rev.Revision, err)
		}
		rev = got
	}
	if _, err := r.Revision(ctx, 999999); err != models.ErrNotFound {
		t.Errorf("no such summit: %v, want ErrNotFound", err)
	}
	if _, _, err := r.RevisionAndSeats(ctx, 999999, from, to); err != models.ErrNotFound {
		t.Errorf("no such summit, with seats: %v, want ErrNotFound", err)
	}
	if _, _, err := r.SessionSeats(ctx, s.ID+1000, sess.ID); err != models.ErrNotFound {
		t.Errorf("a session of another summit: %v, want ErrNotFound", err)
	}
}

// postgresPlaceholders turns ? into $1, $2 … (pgx takes no ?).
func postgresPlaceholders(q string) string {
	out, n := []byte{}, 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			out = fmt.Appendf(out, "$%d", n)
			continue
		}
		out = append(out, q[i])
	}
	return string(out)
}

// Under concurrent reads (coalesced, and remembered while the snapshot
// stays) and commits from another instance, no read returns seat counts
// older than a commit that ended before the read was called.
func TestRevisionReaderNeverOlderThanTheCallOnPostgres(t *testing.T) {
	db, s, sess, url := pgDemoDay1(t)
	other := openPostgres(t, url)
	r := models.NewRevisionReader(db)
	defer r.Close()
	neverOlderThanTheCall(t, r, s, sess, func(taken int) error {
		return other.Exec("UPDATE sessions SET seats_taken = ? WHERE id = ?", taken, sess.ID).Error
	})
}

// When Postgres ends the reader's connections (a restart, a failover, an
// administrator), the next read still answers, with current data: a dead
// connection is replaced and the read runs again — also under load, where
// only the reads under way at that moment may fail.
func TestRevisionReaderSurvivesEndedConnectionsOnPostgres(t *testing.T) {
	db, s, sess, url := pgDemoDay1(t)
	from, to := s.Start(), s.Start().AddDate(0, 0, 1)
	admin, err := gorm.Open(postgres.Open(url), &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := admin.DB(); err == nil {
			s.Close()
		}
	})
	end := func() int {
		var n int
		if err := admin.Raw("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'summit revisions'").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		// pg_terminate_backend only signals: wait until they are gone.
		for i := 0; i < 100 && readerBackends(t, admin) > 0; i++ {
			time.Sleep(10 * time.Millisecond)
		}
		return n
	}
	r := models.NewRevisionReader(db)
	defer r.Close()
	for round := 0; round < 3; round++ {
		// Several connections, so that more than one is dead afterwards.
		modelstest.Together(8, func(int) {
			if _, _, err := r.RevisionAndSeats(ctx, s.ID, from, to); err != nil {
				t.Error(err)
			}
			if _, _, err := r.SessionSeats(ctx, s.ID, sess.ID); err != nil {
				t.Error(err)
			}
		})
		if n := end(); n == 0 {
			t.Fatalf("round %d: no connection of the reader to end", round)
		}
		taken := 500 + round
		if err := db.Exec("UPDATE sessions SET seats_taken = ? WHERE id = ?", taken, sess.ID).Error; err != nil {
			t.Fatal(err)
		}
		modelstest.Together(8, func(int) {
			_, seats, err := r.RevisionAndSeats(ctx, s.ID, from, to)
			if err != nil {
				t.Errorf("round %d: a read after the connections ended failed: %v", round, err)
				return
			}
			if n := seatsTaken(t, seats, sess.ID); n != taken {
				t.Errorf("round %d: %d seats taken, want %d", round, n, taken)
			}
		})
		if rev, err := r.Revision(ctx, s.ID); err != nil || !rev.IsPublic() {
			t.Errorf("round %d: revision after the connections ended: %v %v", round, rev, err)
		}
	}

	// Under load: reads that start after the connections were ended answer.
	type outcome struct {
		start, end time.Time
		err        error
	}
	var mu sync.Mutex
	var outcomes []outcome
	wait := untilStopped(16, func() bool {
		o := outcome{start: time.Now()}
		_, _, o.err = r.RevisionAndSeats(ctx, s.ID, from, to)
		o.end = time.Now()
		mu.Lock()
		outcomes = append(outcomes, o)
		mu.Unlock()
		return true
	})
	var windows [][2]time.Time
	for round := 0; round < 3; round++ {
		time.Sleep(100 * time.Millisecond)
		from := time.Now()
		end()
		windows = append(windows, [2]time.Time{from, time.Now()})
	}
	time.Sleep(100 * time.Millisecond)
	wait()
	failed, after := 0, 0
	for _, o := range outcomes {
		inFlight := false
		for _, w := range windows {
			if o.start.Before(w[1]) && o.end.After(w[0]) {
				inFlight = true
			}
		}
		if o.err != nil {
			failed++
			if !inFlight {
				t.Errorf("a read failed though it started after the connections were ended: %v", o.err)
			}
		} else if o.start.After(windows[len(windows)-1][1]) {
			after++
		}
	}
	if after == 0 {
		t.Error("no read succeeded after the last end")
	}
	t.Logf("%d reads, %d failed (while their connection was ended), %d after the last end", len(outcomes), failed, after)
}

// The reader's connections close once idle, so an idle instance (or a
// reader nobody uses any more) holds none.
func TestRevisionReaderClosesIdleConnectionsOnPostgres(t *testing.T) {
	db, s, _, _ := pgDemoDay1(t)
	r := models.NewRevisionReader(db)
	defer r.Close()
	if !models.SetRevisionReaderIdle(r, 200*time.Millisecond) {
		t.Fatal("a Postgres reader without connections of its own")
	}
	modelstest.Together(16, func(i int) {
		day := s.Start().AddDate(0, 0, i%3)
		if _, _, err := r.RevisionAndSeats(ctx, s.ID, day, day.AddDate(0, 0, 1)); err != nil {
			t.Error(err)
		}
	})
	if n := readerBackends(t, db); n < 1 || n > 4 {
		t.Fatalf("%d connections of the reader after 16 reads at once, want 1 to 4", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for readerBackends(t, db) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d connections of the reader still open after 5 s idle", readerBackends(t, db))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// and it reads again, on a new one
	if _, err := r.Revision(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
}
