package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"summit/models"
	"summit/models/modelstest"
)

// liveHeap is the heap in use after two collections.
func liveHeap() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}

// The cache is bounded by what its entries take in memory: a page's weight
// covers what caching it adds to the heap (its HTML, the filled copy and the
// data it was built from), for the demo and for a 2,000-session summit.
func TestPublicCacheWeighsWhatItHolds(t *testing.T) {
	ctx := context.Background()
	db := modelstest.Open(t, "sqlite")
	if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
		t.Fatal(err)
	}
	large, err := models.SeedSynthetic(ctx, db, 2028, 2000)
	if err != nil {
		t.Fatal(err)
	}
	var sess models.Session
	if err := db.Where("summit_id = ?", large.ID).First(&sess).Error; err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{BaseURL: "http://summit.test"}, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	h := a.Handler()
	get := func(p string) {
		t.Helper()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d", p, rec.Code)
		}
	}
	// The summits' facts are read once per revision, not per page: read
	// them before measuring.
	get(summitURL(1) + "?day=none")
	get(summitURL(large.ID) + "?day=none")
	for _, p := range []string{
		summitURL(1) + "?view=grid", summitURL(1) + "?view=list", summitURL(1) + "/honorees",
		sessionURL(large.ID, sess.ID), summitURL(large.ID) + "?view=grid", summitURL(large.ID) + "?view=list",
	} {
		before, w0 := liveHeap(), int64(a.cache.entries.WeightedSize())
		get(p)
		grew, weighed := liveHeap()-before, int64(a.cache.entries.WeightedSize())-w0
		t.Logf("%s: the heap grew %d KB, the cache weighs it %d KB", p, grew>>10, weighed>>10)
		if weighed < grew {
			t.Errorf("%s: caching it took %d KB of heap, but the cache counts %d KB", p, grew>>10, weighed>>10)
		}
	}
}
