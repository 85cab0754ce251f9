package models_test

import (
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// seatsTaken finds a session's seats taken in a Seats text.
func seatsTaken(t *testing.T, seats models.Seats, id uint) int {
	t.Helper()
	sc, ok := seats.Counts()[id]
	if !ok {
		t.Fatalf("session %d missing from the seat counts %q", id, seats)
	}
	return sc.Taken
}

// sqliteDemoDay1 is the demo on a fresh SQLite file: the summit and a
// session with seats on its first day.
func sqliteDemoDay1(t *testing.T) (*gorm.DB, *models.Summit, models.Session) {
	t.Helper()
	db := modelstest.Open(t, "sqlite")
	if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
		t.Fatal(err)
	}
	s, err := models.CurrentSummit(ctx, db, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	from, to := s.Start(), s.Start().AddDate(0, 0, 1)
	var sess models.Session
	if err := db.Where("summit_id = ? AND capacity IS NOT NULL AND starts_at >= ? AND starts_at < ?", s.ID, from, to).First(&sess).Error; err != nil {
		t.Fatalf("a session with seats on day 1: %v", err)
	}
	return db, s, sess
}

// On SQLite the reader remembers its reads while nothing is committed to the
// file (PRAGMA data_version), and a commit from anywhere — its own pool,
// another instance's pool, a plain connection as another process has — shows
// in the next read: seat counts (which raise no revision) and the revision.
func TestRevisionReaderSeesEveryCommitOnSQLite(t *testing.T) {
	db, s, sess := sqliteDemoDay1(t)
	from, to := s.Start(), s.Start().AddDate(0, 0, 1)
	dsn := db.Dialector.(*sqlite.Dialector).DSN
	other, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite3", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		raw.Close()
		if o, err := other.DB(); err == nil {
			o.Close()
		}
	})
	own, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	otherDB, _ := other.DB()
	writers := map[string]*sql.DB{"its own pool": own, "another instance": otherDB, "a plain connection": raw}

	r := models.NewRevisionReader(db)
	if models.RememberedReads(r) != 0 {
		t.Fatalf("an SQLite reader has no watcher")
	}
	rev, seats, err := r.RevisionAndSeats(ctx, s.ID, from, to)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		rev2, seats2, err := r.RevisionAndSeats(ctx, s.ID, from, to)
		if err != nil || rev2 != rev || seats2 != seats {
			t.Fatalf("unchanged data read again: %v %v %q, first %v %q", err, rev2, seats2, rev, seats)
		}
	}
	if n := models.RememberedReads(r); n != 1 {
		t.Errorf("%d reads remembered, want 1", n)
	}
	step := 0
	for name, w := range writers {
		for k := 0; k < 3; k++ {
			step++
			taken := 100 + step
			if _, err := w.Exec("UPDATE sessions SET seats_taken = ? WHERE id = ?", taken, sess.ID); err != nil {
				t.Fatal(err)
			}
			got, seats, err := r.RevisionAndSeats(ctx, s.ID, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if n := seatsTaken(t, seats, sess.ID); n != taken {
				t.Errorf("%s set %d seats taken; the next read says %d", name, taken, n)
			}
			if got.Revision != rev.Revision {
				t.Errorf("%s changed seats only; the revision moved %d → %d", name, rev.Revision, got.Revision)
			}
			only, err := r.Revision(ctx, s.ID)
			if err != nil || only.Revision != rev.Revision {
				t.Errorf("%s: revision alone %v %v", name, only, err)
			}
		}
		// A change a page shows raises the revision (the triggers).
		if _, err := w.Exec("UPDATE sessions SET title = ? WHERE id = ?", fmt.Sprintf("Retitled by %s", name), sess.ID); err != nil {
			t.Fatal(err)
		}
		for _, read := range []func() (models.SummitRevision, error){
			func() (models.SummitRevision, error) { return r.Revision(ctx, s.ID) },
			func() (models.SummitRevision, error) {
				rv, _, err := r.RevisionAndSeats(ctx, s.ID, from, to)
				return rv, err
			},
		} {
			got, err := read()
			if err != nil || got.Revision <= rev.Revision {
				t.Errorf("%s retitled a session; the next read says revision %d (before %d), %v", name, got.Revision, rev.Revision, err)
			}
		}
		rev, _ = r.Revision(ctx, s.ID)
	}
	sc, ok, err := r.SessionSeats(ctx, s.ID, sess.ID)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if _, err := raw.Exec("UPDATE sessions SET seats_taken = seats_taken + 1 WHERE id = ?", sess.ID); err != nil {
		t.Fatal(err)
	}
	if sc2, _, _ := r.SessionSeats(ctx, s.ID, sess.ID); sc2.Taken != sc.Taken+1 {
		t.Errorf("one session's seats after a commit: %d, want %d", sc2.Taken, sc.Taken+1)
	}
	got, err := r.SeatsOf(ctx, s.ID, from, to)
	if err != nil || seatsTaken(t, got, sess.ID) != sc.Taken+1 {
		t.Errorf("seats of day 1 after a commit: %q %v", got, err)
	}
}

// Under concurrent reads and commits, no read returns seat counts older
// than a commit that ended before the read was called.
func TestRevisionReaderNeverOlderThanTheCallOnSQLite(t *testing.T) {
	db, s, sess := sqliteDemoDay1(t)
	raw, err := sql.Open("sqlite3", db.Dialector.(*sqlite.Dialector).DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	neverOlderThanTheCall(t, models.NewRevisionReader(db), s, sess, func(taken int) error {
		_, err := raw.Exec("UPDATE sessions SET seats_taken = ? WHERE id = ?", taken, sess.ID)
		return err
	})
}

// neverOlderThanTheCall reads day 1's seats with 16 goroutines while commit
// sets the session's seats taken 200 times, and fails for any read older
// than a commit that ended before it was called.
func neverOlderThanTheCall(t *testing.T, r *models.RevisionReader, s *models.Summit, sess models.Session, commit func(taken int) error) {
	t.Helper()
	from, to := s.Start(), s.Start().AddDate(0, 0, 1)
	var committed, stale, reads atomic.Int64
	wait := untilStopped(16, func() bool {
		before := committed.Load()
		_, seats, err := r.RevisionAndSeats(ctx, s.ID, from, to)
		if err != nil {
			t.Error(err)
			return false
		}
		reads.Add(1)
		if sc := seats.Counts()[sess.ID]; int64(sc.Taken) < before {
			stale.Add(1)
		}
		return true
	})
	for k := 1; k <= 200; k++ {
		if err := commit(1000 + k); err != nil {
			t.Error(err)
			break
		}
		committed.Store(int64(1000 + k))
	}
	wait()
	if n := stale.Load(); n > 0 {
		t.Errorf("%d of %d reads were older than a commit that ended before them", n, reads.Load())
	}
	if n := seatsTaken(t, mustSeats(t, r, s.ID, from, to), sess.ID); n != 1200 {
		t.Errorf("after the last commit: %d seats taken, want 1200", n)
	}
	t.Logf("%d reads against 200 commits", reads.Load())
}

// untilStopped runs fn over and over in n goroutines, each until fn returns
// false or the returned function is called, which waits for them all.
func untilStopped(n int, fn func() bool) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if !fn() {
					return
				}
			}
		}()
	}
	return func() {
		close(done)
		wg.Wait()
	}
}

func mustSeats(t *testing.T, r *models.RevisionReader, id uint, from, to time.Time) models.Seats {
	t.Helper()
	_, seats, err := r.RevisionAndSeats(ctx, id, from, to)
	if err != nil {
		t.Fatal(err)
	}
	return seats
}
