package app

// The public page cache. Public responses — the agenda in every day, view and
// track, session pages, honorees, the program PDF, iCalendar and frab files —
// are built once per (summit, revision, announcement state, variant) and kept
// in memory, bounded by bytes, with their gzip bodies and strong ETags.
//
// Every request first reads the summit's revision from the database (one
// indexed read; migration 0013's triggers raise it in the same transaction as
// any change a public page shows), so every instance serves a change on its
// next request and no two instances disagree. The announcement state (how many
// award announcements have passed at now) is part of the key because the
// clock, not a write, reveals the winners.
//
// What a page shows that changes without a revision — seat counts, the
// registration box — sits in holes: the page is rendered once with a marker in
// each hole, and a request fills the holes from one small query. Visitors get
// the filled page as bytes shared by everyone with the same fill (gzipped once,
// ETag, 304); signed-in people get the same content inside the layout rendered
// for them (their name, their CSRF token), never stored.
//
// See docs/PERFORMANCE.md for the measurements and the reasons.

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"
	"github.com/maypok86/otter/v2"
	"gorm.io/gorm"

	"summit/models"
)

// DefaultCacheBytes bounds the memory of the page cache when the
// configuration does not (Config.CacheBytes).
const DefaultCacheBytes = 48 << 20

// pageWeightFactor is what a cached page takes in memory, as a multiple of
// its HTML (see cached.weight).
const pageWeightFactor = 9

// holeMark stands for a hole in a page rendered for the cache. It cannot come
// from data: html/template writes a NUL in any text as U+FFFD or an escape.
const holeMark = "\x00hole\x00"

// hole is a part of a cached page filled on every request: the named
// template, and what the page passed to it when it was built.
type hole struct {
	name string
	arg  any
}

// pageBuild collects the holes while a page renders for the cache.
type pageBuild struct{ holes []hole }

// personalHoles are holes whose content depends on who asks; the others
// depend only on the database and the clock, and their fill is shared.
var personalHoles = map[string]bool{"session_registration": true, "session_feedback": true}

// cachedPage is an HTML page of the cache: its content in static parts around
// holes, and the visitor's layout around that content.
type cachedPage struct {
	key     string
	title   string
	section string
	summit  *models.Summit
	path    string
	base    string
	data    any      // what the page was built from (read-only once cached)
	parts   [][]byte // len(holes)+1 static parts of the content
	holes   []hole
	head    []byte // the layout before the content, as a visitor sees it
	tail    []byte
	shared  bool // every hole is shared (none personal)
	mu      sync.Mutex
	filled  atomic.Pointer[assembly]
}

// assembly is a cached page with its holes filled for one state of the data
// (seat counts, the clock), as every visitor gets it.
type assembly struct {
	state     string // what the holes show, e.g. the seat counts as read
	content   []byte // the page's content, for signed-in layouts
	encodings        // the whole page for visitors, gzipped, brotli
	etag      string // strong, of body; gz has etag+"-gz", br etag+"-br"
}

// cachedFile is an export of the cache (PDF, calendar, frab).
type cachedFile struct {
	encodings
	etag        string
	contentType string
	name        string
	inline      bool
}

// cached is one entry: a page or a file.
type cached struct {
	page *cachedPage
	file *cachedFile
}

func (c *cached) weight() uint32 {
	n := 512
	if p := c.page; p != nil {
		for _, b := range p.parts {
			n += len(b)
		}
		n += len(p.head) + len(p.tail)
		// Beside the parts: a filled copy (body, content, gzip) and the
		// data the page was built from (sessions, speakers, the grid),
		// which signed-in people's pages and the holes are rendered with.
		// Measured on the heap (docs/PERFORMANCE.md, "Is the cache
		// bounded by bytes?"): 5.7–8.4 times the HTML for agenda, session
		// and honorees pages, demo and 2,000 sessions alike.
		n *= pageWeightFactor
	}
	if f := c.file; f != nil {
		n += len(f.body) + len(f.gz) + len(f.br)
	}
	return uint32(min(n, 1<<31))
}

// summitInfo is what every cached request of a summit needs, per revision.
type summitInfo struct {
	rev      int64
	summit   *models.Summit
	announce []time.Time // award announcement times, earliest first
	tracks   map[uint]bool
	loc      *time.Location
	days     []string             // the summit's days, YYYY-MM-DD
	dayStart map[string]time.Time // the first instant of each day, in its zone
}

type infoKey struct {
	id  uint
	rev int64
}

// pageCache is the App's cache of public responses.
type pageCache struct {
	entries   *otter.Cache[string, *cached]
	infos     *otter.Cache[infoKey, *summitInfo]
	revs      *models.RevisionReader
	gzips     sync.Pool // DefaultCompression
	gzipsFast sync.Pool // BestSpeed
	brotlis   sync.Pool // quality 5, a 256 KB window (the largest body it compresses)
	// latest holds the newest summitInfo seen of each summit (id → info):
	// a page that shows seat counts guesses from it which to read with the
	// revision, in the same statement.
	latest sync.Map
}

func newPageCache(db *gorm.DB, maxBytes int) *pageCache {
	if maxBytes <= 0 {
		maxBytes = DefaultCacheBytes
	}
	return &pageCache{
		entries: otter.Must(&otter.Options[string, *cached]{
			MaximumWeight: uint64(maxBytes),
			Weigher:       func(_ string, c *cached) uint32 { return c.weight() },
		}),
		infos: otter.Must(&otter.Options[infoKey, *summitInfo]{MaximumSize: 256}),
		revs:  models.NewRevisionReader(db),
		gzips: sync.Pool{New: func() any {
			zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
			return zw
		}},
		brotlis: sync.Pool{New: func() any { return brotli.NewWriterOptions(nil, brotli.WriterOptions{Quality: 5, LGWin: 18}) }},
		gzipsFast: sync.Pool{New: func() any {
			zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
			return zw
		}},
	}
}

// publicState is what a cached request of a summit reads first.
type publicState struct {
	info  *summitInfo
	rev   int64
	ann   int       // how many award announcements have passed at now
	now   time.Time // the moment the request is answered for
	draft bool      // an organiser looking at a draft: built, never stored
}

func (st *publicState) key(kind, variant string) string {
	return fmt.Sprintf("%s|%d|%d|%d|%s", kind, st.info.summit.ID, st.rev, st.ann, variant)
}

// publicState reads the revision of the summit in the path (one indexed
// read) and its per-revision facts. Drafts are 404, except to organisers, who
// get them built for them alone.
func (a *App) publicState(c echo.Context) (*publicState, error) {
	st, _, err := a.publicStateSeats(c, nil)
	return st, err
}

// seatRange says whose seat counts a page shows: the sessions starting in
// [from, to), given the summit's facts.
type seatRange func(info *summitInfo) (from, to time.Time)

// publicStateSeats is publicState for a page with seat counts: it reads them
// in the same statement as the revision, for the range the newest facts of
// the summit give, and once more only when the revision's facts give another
// range (the summit's dates or zone changed).
func (a *App) publicStateSeats(c echo.Context, rangeOf seatRange) (*publicState, models.Seats, error) {
	id, err := idParam(c, "summit")
	if err != nil {
		return nil, "", err
	}
	ctx := c.Request().Context()
	var r models.SummitRevision
	var seats models.Seats
	var from, to time.Time
	guessed := false
	if g, ok := a.cache.latest.Load(id); ok && rangeOf != nil {
		from, to = rangeOf(g.(*summitInfo))
		r, seats, err = a.cache.revs.RevisionAndSeats(ctx, id, from, to)
		guessed = true
	} else {
		r, err = a.cache.revs.Revision(ctx, id)
	}
	if err != nil {
		return nil, "", err
	}
	draft := !r.IsPublic()
	if draft && !currentPerson(c).IsOrganiser() {
		return nil, "", models.ErrNotFound
	}
	info, err := a.cache.infos.Get(ctx, infoKey{id, r.Revision}, otter.LoaderFunc[infoKey, *summitInfo](func(ctx context.Context, k infoKey) (*summitInfo, error) {
		return a.loadSummitInfo(ctx, k.id, k.rev)
	}))
	if err != nil {
		return nil, "", err
	}
	if g, ok := a.cache.latest.Load(id); !ok || g.(*summitInfo).rev < info.rev {
		a.cache.latest.Store(id, info)
	}
	if rangeOf != nil {
		if f, t := rangeOf(info); !guessed || !f.Equal(from) || !t.Equal(to) {
			if seats, err = a.cache.revs.SeatsOf(ctx, id, f, t); err != nil {
				return nil, "", err
			}
			from, to = f, t
		}
	}
	now := a.Now()
	st := &publicState{info: info, rev: r.Revision, ann: models.Announced(info.announce, now), now: now, draft: draft}
	if rec := fastRecordOf(c); rec != nil {
		*rec = fastRecord{summit: id, rev: r.Revision, public: !draft, info: info, ann: st.ann, seats: rangeOf != nil, from: from, to: to, state: seats}
	}
	return st, seats, nil
}

func (a *App) loadSummitInfo(ctx context.Context, id uint, rev int64) (*summitInfo, error) {
	s, err := models.GetSummit(ctx, a.DB, id)
	if err != nil {
		return nil, err
	}
	ann, err := models.AnnouncementTimes(ctx, a.DB, id)
	if err != nil {
		return nil, err
	}
	tracks, err := models.ListTracks(ctx, a.DB, id)
	if err != nil {
		return nil, err
	}
	info := &summitInfo{rev: rev, summit: s, announce: ann, tracks: map[uint]bool{}, loc: s.Location(), days: s.Days(), dayStart: map[string]time.Time{}}
	for _, d := range info.days {
		if t, err := time.ParseInLocation(models.DateLayout, d, info.loc); err == nil {
			info.dayStart[d] = t
		}
	}
	for _, t := range tracks {
		info.tracks[t.ID] = true
	}
	return info, nil
}

// pageBuilder fills a page for the cache: Title, Section, Summit and Data.
// It runs for no one in particular: what it renders, every visitor sees.
type pageBuilder func(ctx context.Context, p *Page) error

// cachedPage returns the page of the variant, building it on a miss (once,
// however many requests ask at the same time). The site's public address is
// part of the variant: pages link to it (calendar subscriptions), and without
// a configured BASE_URL it comes from the request.
func (a *App) cachedPage(c echo.Context, st *publicState, name, variant, path string, build pageBuilder) (*cachedPage, error) {
	base := a.baseURL(c)
	key := st.key(name, variant+"|"+base)
	load := func(ctx context.Context, key string) (*cached, error) {
		// A request that goes away must not fail the others waiting for the page.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		pg, err := a.buildPage(ctx, name, path, base, build)
		if err != nil {
			return nil, err
		}
		pg.key = key
		return &cached{page: pg}, nil
	}
	var e *cached
	var err error
	if st.draft {
		e, err = load(c.Request().Context(), key)
	} else {
		e, err = a.cache.entries.Get(c.Request().Context(), key, otter.LoaderFunc[string, *cached](load))
	}
	if err != nil {
		return nil, err
	}
	if rec := fastRecordOf(c); rec != nil && !st.draft {
		rec.key, rec.entry = key, e
	}
	return e.page, nil
}

// buildPage renders a page for the cache: its content with markers in the
// holes, and the layout a visitor sees around it.
func (a *App) buildPage(ctx context.Context, name, path, base string, build pageBuilder) (*cachedPage, error) {
	p := &Page{Path: path, Base: base, Form: map[string]string{}, build: &pageBuild{}}
	if err := build(ctx, p); err != nil {
		return nil, err
	}
	t, ok := a.pages[name]
	shell, ok2 := a.shells[name]
	if !ok || !ok2 {
		return nil, fmt.Errorf("app: no cached template %q", name)
	}
	var content bytes.Buffer
	if err := t.ExecuteTemplate(&content, "content", p); err != nil {
		return nil, fmt.Errorf("app: render %s: %w", name, err)
	}
	holes := p.build.holes
	parts := bytes.Split(content.Bytes(), []byte(holeMark))
	if len(parts) != len(holes)+1 {
		return nil, fmt.Errorf("app: render %s: %d holes but %d parts", name, len(holes), len(parts))
	}
	p.build.holes = nil
	p.Cached = holeMark
	var layout bytes.Buffer
	if err := shell.ExecuteTemplate(&layout, "base", p); err != nil {
		return nil, fmt.Errorf("app: render %s layout: %w", name, err)
	}
	around := bytes.Split(layout.Bytes(), []byte(holeMark))
	if len(around) != 2 || len(p.build.holes) != 0 {
		return nil, fmt.Errorf("app: render %s layout: the content must appear once, with no holes around it", name)
	}
	pg := &cachedPage{title: p.Title, section: p.Section, summit: p.Summit, path: path, base: base, data: p.Data,
		parts: parts, holes: holes, head: around[0], tail: around[1], shared: true}
	for _, h := range holes {
		if personalHoles[h.name] {
			pg.shared = false
		}
	}
	return pg, nil
}

// filler gives the data a hole's template is run with, for the page p (a
// visitor's, or the signed-in person's).
type filler func(h hole, p *Page) (any, error)

// fill renders the holes of pg for p and joins them with the static parts.
func (a *App) fill(pg *cachedPage, name string, p *Page, f filler) ([]byte, error) {
	t := a.pages[name]
	var out bytes.Buffer
	for i, part := range pg.parts {
		out.Write(part)
		if i == len(pg.holes) {
			break
		}
		h := pg.holes[i]
		data, err := f(h, p)
		if err != nil {
			return nil, err
		}
		if err := t.ExecuteTemplate(&out, h.name, data); err != nil {
			return nil, fmt.Errorf("app: fill %s in %s: %w", h.name, name, err)
		}
	}
	return out.Bytes(), nil
}

// visitorPage is the page data a hole gets for a visitor.
func (pg *cachedPage) visitorPage() *Page {
	return &Page{Title: pg.title, Section: pg.section, Summit: pg.summit, Path: pg.path, Base: pg.base, Data: pg.data, Form: map[string]string{}}
}

// assembled returns the page filled for the state of what its holes show,
// filling it when the state changed since the last request.
func (a *App) assembled(pg *cachedPage, name, state string, f filler) (*assembly, error) {
	if as := pg.filled.Load(); as != nil && as.state == state {
		return as, nil
	}
	pg.mu.Lock()
	defer pg.mu.Unlock()
	if as := pg.filled.Load(); as != nil && as.state == state {
		return as, nil
	}
	content, err := a.fill(pg, name, pg.visitorPage(), f)
	if err != nil {
		return nil, err
	}
	body := make([]byte, 0, len(pg.head)+len(content)+len(pg.tail))
	body = append(append(append(body, pg.head...), content...), pg.tail...)
	gz, err := a.cache.gzip(body)
	if err != nil {
		return nil, err
	}
	br, err := a.cache.brotli(body)
	if err != nil {
		return nil, err
	}
	as := &assembly{state: state, content: content, encodings: encodings{body, gz, br}, etag: strongETag(body)}
	pg.filled.Store(as)
	return as, nil
}

// servePage answers with a cached page. Visitors (no one signed in, no
// message to show) share the assembled bytes; anyone else gets the layout
// rendered for them around the content, never stored. state is everything
// the holes show for a visitor, as read for this request (equal states fill
// equally).
func (a *App) servePage(c echo.Context, st *publicState, pg *cachedPage, name, state string, f filler) error {
	me := currentPerson(c)
	_, flashErr := c.Cookie(flashCookie)
	if me == nil && flashErr != nil && !st.draft {
		as, err := a.assembled(pg, name, state, f)
		if err != nil {
			return err
		}
		return a.sendCached(c, as.encodings, as.etag, echo.MIMETextHTMLCharsetUTF8)
	}
	p := a.page(c, pg.title)
	p.Section, p.Summit, p.Data = pg.section, pg.summit, pg.data
	var content []byte
	if pg.shared && !st.draft {
		as, err := a.assembled(pg, name, state, f)
		if err != nil {
			return err
		}
		content = as.content
	} else {
		var err error
		if content, err = a.fill(pg, name, p, f); err != nil {
			return err
		}
	}
	p.Cached = template.HTML(content)
	var buf bytes.Buffer
	if err := a.shells[name].ExecuteTemplate(&buf, "base", p); err != nil {
		return fmt.Errorf("app: render %s: %w", name, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(http.StatusOK, buf.Bytes())
}

// errNoSuchHole is a page asking to fill a hole it does not know.
var errNoSuchHole = errors.New("app: no filler for this hole")
