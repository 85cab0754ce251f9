package models

// RememberedReads counts the reads a RevisionReader remembers on SQLite
// (revision_version.go); -1 when it has no watcher.
func RememberedReads(r *RevisionReader) int {
	if r.version == nil {
		return -1
	}
	r.version.mu.Lock()
	defer r.version.mu.Unlock()
	return len(r.version.memo)
}
