package models

import "time"

// RememberedReads counts the reads a RevisionReader remembers
// (revision_version.go); -1 when it has no watcher.
func RememberedReads(r *RevisionReader) int {
	if r.version == nil {
		return -1
	}
	r.version.mu.Lock()
	defer r.version.mu.Unlock()
	return len(r.version.memo)
}

// SetRevisionReaderIdle shortens how long a Postgres reader keeps an idle
// connection (revision_pg.go); false on SQLite.
func SetRevisionReaderIdle(r *RevisionReader, d time.Duration) bool {
	if r.pg == nil {
		return false
	}
	r.pg.mu.Lock()
	defer r.pg.mu.Unlock()
	r.pg.idle0 = d
	return true
}

// UsePoolReads makes a Postgres reader read through the application's pool
// (database/sql, a ping before each use), as it did before it had
// connections of its own: the "before" of BenchmarkRevisionRead.
func UsePoolReads(r *RevisionReader) {
	if r.pg != nil {
		r.pg.close()
		r.pg = nil
		r.version = nil
	}
}

// NoSnapshotCheck makes a Postgres reader read every time on its own
// connections, without asking first whether anything changed.
func NoSnapshotCheck(r *RevisionReader) {
	if r.pg != nil {
		r.version = nil
		r.pg.onConnect = nil
	}
}
