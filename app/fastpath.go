package app

// The fast path: a visitor's repeated request for a cached public response,
// answered by plain net/http in front of Echo.
//
// A visitor's GET or HEAD (no cookie at all) of a cached public response
// first goes through Echo as before. When the handler answered it from the
// page cache and vouches that the answer depends only on the address and on
// what it recorded (the summit's revision and status, the seat counts it
// read, the announcement state, for an agenda without a day the day of the
// clock), the fast path remembers the answer under the request's address:
// its bodies per encoding and every header Echo sent, made into slices once.
// The next request for that address reads the same revision (and seats)
// through the same RevisionReader, checks the clock, and, when all is as
// recorded and the entry is still in the page cache, writes the remembered
// answer itself — security headers, a request id, ETag, Vary, the encoding
// sendCached would choose, 304 on If-None-Match — without Echo's routing,
// twelve middlewares and context. Anything else (a cookie, another method, a
// body, a change, an error, a page not remembered yet) goes to Echo, which
// answers it and remembers it again. So a change shows on the next request
// exactly as before: the check is the one the handler makes. Session pages
// are not remembered: their boxes read the clock in ways only the handler
// knows. See docs/ARCHITECTURE.md ("A request's path") and
// docs/PERFORMANCE.md.

import (
	"bufio"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"summit/models"
)

// requestTimeout bounds a request's database waits (Echo's ContextTimeout;
// on SQLite a visitor's cached GET goes without, see App.middleware).
const requestTimeout = 60 * time.Second

// fastRecKey is the context key of a request's fastRecord.
type fastRecKey struct{}

// fastRecord is what the Echo path notes, while answering a visitor's
// request from the cache, for the fast path to answer the next one.
type fastRecord struct {
	memo     bool // the handler vouches: nothing but what is below shapes the answer
	summit   uint
	rev      int64
	public   bool
	info     *summitInfo
	ann      int
	seats    bool // the revision was read with the seats of [from, to)
	from, to time.Time
	state    models.Seats
	// dayFrom, dayTo: the answer holds only while the clock is in this
	// interval (an agenda without a day shows today's); zero: always.
	dayFrom, dayTo time.Time
	key            string  // the page cache's key of the entry
	entry          *cached // and the entry
	enc            encodings
	etag           string
}

// fastRecordOf returns the request's record, nil when the fast path does not
// want one (any request but a visitor's GET/HEAD it may answer).
func fastRecordOf(c interface{ Request() *http.Request }) *fastRecord {
	rec, _ := c.Request().Context().Value(fastRecKey{}).(*fastRecord)
	return rec
}

// fastHeader is one response header, its value slice shared by every answer
// (full to its capacity: an Add copies it).
type fastHeader struct {
	key    string
	values []string
}

// fastRep is one encoding of a remembered answer.
type fastRep struct {
	body           []byte
	etag           []string
	length, coding []string
}

// fastEntry is a remembered answer and what it holds for.
type fastEntry struct {
	rec     fastRecord
	headers []fastHeader // as Echo sent them, less the ones below
	reps    [3]fastRep   // plain, gzip, brotli (see pickCoding)
	size    int
}

// fastPath is the handler in front of Echo (next).
type fastPath struct {
	a     *App
	next  http.Handler
	mu    sync.RWMutex
	memo  map[string]*fastEntry
	bytes int
	limit int // bytes of bodies remembered at most
	// hook, when set (tests), runs before a remembered answer is written.
	hook func(r *http.Request)
}

// fastMaxEntries bounds the number of remembered addresses.
const fastMaxEntries = 1024

func newFastPath(a *App, next http.Handler, cacheBytes int) *fastPath {
	if cacheBytes <= 0 {
		cacheBytes = DefaultCacheBytes
	}
	// Bodies mostly shared with the page cache; bounded apart for entries
	// the cache dropped and nobody asked for since.
	return &fastPath{a: a, next: next, memo: map[string]*fastEntry{}, limit: cacheBytes / 4}
}

// eligible reports whether the fast path may answer r, or remember Echo's
// answer to it: a visitor's GET or HEAD, no cookie at all, no body, of an
// address under /summits/ in origin form; without a configured BASE_URL, a
// plain http request (the address in the answer comes from the request).
func (f *fastPath) eligible(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead || r.ContentLength != 0 || !strings.HasPrefix(r.RequestURI, "/summits/") {
		return false
	}
	if _, cookies := r.Header["Cookie"]; cookies {
		return false
	}
	if f.a.Cfg.BaseURL == "" {
		if r.TLS != nil {
			return false
		}
		for _, h := range [...]string{"X-Forwarded-Proto", "X-Forwarded-Protocol", "X-Forwarded-Ssl", "X-Url-Scheme"} {
			if _, ok := r.Header[h]; ok {
				return false
			}
		}
	}
	return true
}

// lookup finds the remembered answer for r's address (no allocation).
func (f *fastPath) lookup(r *http.Request) *fastEntry {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.a.Cfg.BaseURL != "" {
		return f.memo[r.RequestURI]
	}
	var buf [512]byte
	if len(r.Host)+1+len(r.RequestURI) > len(buf) {
		return nil
	}
	n := copy(buf[:], r.Host)
	buf[n] = 0
	n++
	n += copy(buf[n:], r.RequestURI)
	return f.memo[string(buf[:n])]
}

func (f *fastPath) keyOf(r *http.Request) string {
	if f.a.Cfg.BaseURL != "" {
		return r.RequestURI
	}
	return r.Host + "\x00" + r.RequestURI
}

func (f *fastPath) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !f.eligible(r) {
		f.next.ServeHTTP(w, r)
		return
	}
	e := f.lookup(r)
	if e == nil {
		f.remember(w, r)
		return
	}
	f.answer(w, r, e)
}

// answer writes a remembered answer if it is current, else hands r to Echo.
// A panic is answered as Echo's Recover middleware and error handler do.
func (f *fastPath) answer(w http.ResponseWriter, r *http.Request, e *fastEntry) {
	debug := f.a.Log.Enabled(r.Context(), slog.LevelDebug)
	var start time.Time
	if debug {
		start = time.Now()
	}
	status := 0
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			status = f.recovered(w, r, v, status != 0)
		}
		if debug && status != 0 { // Echo's request logger, at debug level only
			f.a.Log.Debug("request", "method", http.MethodGet, "path", r.URL.Path, "status", status, "latency", time.Since(start), "request_id", w.Header().Get("X-Request-Id"))
		}
	}()
	if !f.current(r, e) {
		f.remember(w, r)
		return
	}
	status = f.serve(w, r, e)
}

// current reports whether a remembered answer is still the one Echo would
// give: the same checks as the handler's, through the same reader.
func (f *fastPath) current(r *http.Request, e *fastEntry) bool {
	a, rec := f.a, &e.rec
	now := a.Now()
	if !rec.dayTo.IsZero() && (now.Before(rec.dayFrom) || !now.Before(rec.dayTo)) {
		return false
	}
	if models.Announced(rec.info.announce, now) != rec.ann {
		return false
	}
	ctx := r.Context()
	if a.postgres {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, requestTimeout)
		defer cancel()
	}
	var rev models.SummitRevision
	var err error
	if rec.seats {
		var seats models.Seats
		rev, seats, err = a.cache.revs.RevisionAndSeats(ctx, rec.summit, rec.from, rec.to)
		if err == nil && seats != rec.state {
			return false
		}
	} else {
		rev, err = a.cache.revs.Revision(ctx, rec.summit)
	}
	if err != nil || rev.Revision != rec.rev || !rev.IsPublic() {
		return false
	}
	if got, ok := a.cache.entries.GetIfPresent(rec.key); !ok || got != rec.entry {
		f.forget(r)
		return false
	}
	return true
}

// serve writes a remembered answer and returns its status.
func (f *fastPath) serve(w http.ResponseWriter, r *http.Request, e *fastEntry) int {
	h := w.Header()
	for _, hd := range e.headers {
		h[hd.key] = hd.values
	}
	rid := r.Header.Get("X-Request-Id")
	if rid == "" {
		rid = requestID()
	}
	h["X-Request-Id"] = []string{rid}
	if f.hook != nil {
		f.hook(r)
	}
	rep := &e.reps[pickCoding(e.rec.enc, r.Header.Get("Accept-Encoding"))]
	h["Etag"] = rep.etag
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, rep.etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return http.StatusNotModified
	}
	if rep.coding != nil {
		h["Content-Encoding"] = rep.coding
	}
	h["Content-Length"] = rep.length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(rep.body)
	}
	return http.StatusOK
}

// recovered answers a panic of the fast path as Echo's Recover middleware
// and error handler do: logged with its stack, a 500 page unless the answer
// was already under way. It returns the status sent.
func (f *fastPath) recovered(w http.ResponseWriter, r *http.Request, v any, wrote bool) int {
	err, ok := v.(error)
	if !ok {
		err = fmt.Errorf("%v", v)
	}
	h := w.Header()
	for _, hd := range f.a.secHeaders { // as Echo's middleware set them before the handler
		if _, ok := h[hd.key]; !ok {
			h[hd.key] = hd.values
		}
	}
	if h.Get("X-Request-Id") == "" {
		rid := r.Header.Get("X-Request-Id")
		if rid == "" {
			rid = requestID()
		}
		h.Set("X-Request-Id", rid)
	}
	stack := make([]byte, 4<<10)
	stack = stack[:runtime.Stack(stack, false)]
	f.a.Log.Error("panic", "err", err, "request_id", h.Get("X-Request-Id"), "stack", string(stack))
	if wrote {
		return http.StatusOK
	}
	if r.Method == http.MethodHead { // as headAsGet hands it to Echo
		r = r.Clone(r.Context())
		r.Method = http.MethodGet
	}
	c := f.a.echo.NewContext(r, w)
	f.a.handleError(err, c)
	return c.Response().Status
}

// remember hands r to Echo with a record: sendCached remembers the answer
// (store) when the handler vouched for it.
func (f *fastPath) remember(w http.ResponseWriter, r *http.Request) {
	f.next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), fastRecKey{}, &fastRecord{})))
}

// store remembers the answer sendCached is about to send for r, with the
// headers set so far and the Content-Type it will add, before any of it is
// written (so the next request finds it).
func (f *fastPath) store(r *http.Request, rec *fastRecord, header http.Header, contentType string) {
	if !rec.memo || !rec.public || rec.entry == nil || rec.info == nil {
		return
	}
	e := &fastEntry{rec: *rec}
	for k, v := range header {
		switch k {
		case "X-Request-Id", "Etag", "Content-Encoding", "Content-Length":
			continue
		case "Set-Cookie": // never the same for everyone
			return
		}
		e.headers = append(e.headers, fastHeader{k, append([]string(nil), v...)})
	}
	if _, ok := header["Content-Type"]; !ok { // as c.Blob sets it
		e.headers = append(e.headers, fastHeader{"Content-Type", []string{contentType}})
	}
	for i, body := range [3][]byte{rec.enc.body, rec.enc.gz, rec.enc.br} {
		if i > 0 && len(body) == 0 {
			continue
		}
		coding := codings[i]
		rep := fastRep{body: body, etag: []string{codedETag(rec.etag, coding)}, length: []string{strconv.Itoa(len(body))}}
		if coding != "" {
			rep.coding = []string{coding}
		}
		e.reps[i] = rep
		e.size += len(body)
	}
	key := f.keyOf(r)
	f.mu.Lock()
	defer f.mu.Unlock()
	if old := f.memo[key]; old != nil {
		f.bytes -= old.size
		delete(f.memo, key)
	}
	for k, old := range f.memo { // any, until there is room
		if len(f.memo) < fastMaxEntries && f.bytes+e.size <= f.limit {
			break
		}
		f.bytes -= old.size
		delete(f.memo, k)
	}
	if e.size > f.limit {
		return
	}
	f.memo[key] = e
	f.bytes += e.size
}

// forget drops the remembered answer for r's address.
func (f *fastPath) forget(r *http.Request) {
	key := f.keyOf(r)
	f.mu.Lock()
	defer f.mu.Unlock()
	if old := f.memo[key]; old != nil {
		f.bytes -= old.size
		delete(f.memo, key)
	}
}

// requestID makes a request id as Echo's RequestID middleware does: 32
// letters from crypto/rand, without bias.
func requestID() string {
	const charset = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	const maxByte = byte(255 - (256 % len(charset)))
	rd := randomReaders.Get().(*bufio.Reader)
	defer randomReaders.Put(rd)
	var b [32]byte
	var buf [40]byte
	i := 0
	for {
		if _, err := io.ReadFull(rd, buf[:]); err != nil {
			panic("app: reading crypto/rand: " + err.Error())
		}
		for _, rb := range buf {
			if rb > maxByte {
				continue
			}
			b[i] = charset[int(rb)%len(charset)]
			i++
			if i == len(b) {
				return string(b[:])
			}
		}
	}
}

var randomReaders = sync.Pool{New: func() any { return bufio.NewReader(rand.Reader) }}
