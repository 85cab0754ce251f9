package export

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sync"
)

// Fingerprint names everything a rendered program depends on: the summit,
// its sessions, tracks, speakers, award categories, the honorees and which
// categories are announced at p.Now, and the paper. Two programs with one
// fingerprint render to the same bytes, so a cache keyed by it is derived
// from the database and never stale, on any number of app instances.
func (p *Program) Fingerprint(paper string) string {
	announced := make([]bool, len(p.Awards))
	for i, a := range p.Awards {
		announced[i] = !a.AnnounceAt.After(p.Now)
	}
	b, err := json.Marshal(struct {
		V         int
		Paper     string
		Summit    any
		Sessions  any
		Tracks    any
		Speakers  any
		Awards    any
		Honorees  any
		Announced []bool
	}{1, paper, p.Summit, p.Sessions, p.Tracks, p.Speakers, p.Awards, p.Honorees, announced})
	if err != nil {
		return ""
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Cache keeps a few rendered documents by fingerprint (oldest out first).
type Cache struct {
	mu      sync.Mutex
	max     int
	entries map[string][]byte
	order   []string
}

// NewCache holds up to max documents.
func NewCache(max int) *Cache { return &Cache{max: max, entries: map[string][]byte{}} }

// Get returns a cached document; the caller must not change it.
func (c *Cache) Get(key string) ([]byte, bool) {
	if key == "" {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.entries[key]
	return b, ok
}

// Put stores a document.
func (c *Cache) Put(key string, b []byte) {
	if key == "" {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok {
		return
	}
	c.entries[key] = b
	c.order = append(c.order, key)
	for len(c.order) > c.max {
		delete(c.entries, c.order[0])
		c.order = c.order[1:]
	}
}
