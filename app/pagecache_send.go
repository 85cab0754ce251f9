package app

// Answering from the page cache: conditional requests (ETag), gzip, and
// cached files (program PDF, frab, calendars). See pagecache.go.

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/labstack/echo/v4"
	"github.com/maypok86/otter/v2"

	"summit/models"
)

// sendCached answers with cached bytes: 304 when the client holds the same
// representation (strong ETag per encoding), else the brotli or gzip body
// when the client takes it (brotli first: smaller). The browser may keep the
// answer but asks every time.
func (a *App) sendCached(c echo.Context, enc encodings, etag, contentType string) error {
	h := c.Response().Header()
	h.Add("Vary", "Accept-Encoding")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	rec := fastRecordOf(c)
	if rec != nil {
		rec.enc, rec.etag = enc, etag
	}
	i := pickCoding(enc, c.Request().Header.Get("Accept-Encoding"))
	body, coding := [3][]byte{enc.body, enc.gz, enc.br}[i], codings[i]
	etag = codedETag(etag, coding)
	h.Set("ETag", etag)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if coding != "" {
		h.Set("Content-Encoding", coding)
	}
	// With its length known, the body goes out in one piece, not in chunks.
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	if rec != nil {
		a.fast.store(c.Request(), rec, h, contentType)
	}
	return c.Blob(http.StatusOK, contentType, body)
}

// codings are the content codings of encodings, in pickCoding's numbering.
var codings = [3]string{"", "gzip", "br"}

// pickCoding chooses the encoding of a cached answer for Accept-Encoding:
// 0 the plain body, 1 gzip, 2 brotli. Brotli first (smaller), each only
// when it is there and smaller than the plain body.
func pickCoding(enc encodings, acceptEncoding string) int {
	if acceptEncoding == "" {
		return 0
	}
	br, gz := acceptedCodings(acceptEncoding)
	if br && len(enc.br) > 0 && len(enc.br) < len(enc.body) {
		return 2
	}
	if gz && len(enc.gz) > 0 && len(enc.gz) < len(enc.body) {
		return 1
	}
	return 0
}

// codedETag is the strong ETag of a coding of a body: "…-gz" for gzip,
// "…-br" for brotli.
func codedETag(etag, coding string) string {
	switch coding {
	case "":
		return etag
	case "gzip":
		return strings.TrimSuffix(etag, `"`) + `-gz"`
	}
	return strings.TrimSuffix(etag, `"`) + `-` + coding + `"`
}

// gzip compresses b once for the cache, with a pooled writer (a writer
// allocates about a megabyte of tables): pages at the default level, large
// files (program PDFs) at the fastest, which keeps their first request quick
// for a few per cent more bytes.
func (pc *pageCache) gzip(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	pool := &pc.gzips
	if len(b) > 256<<10 {
		pool = &pc.gzipsFast
	}
	zw := pool.Get().(*gzip.Writer)
	defer pool.Put(zw)
	zw.Reset(&buf)
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// brotli compresses b once for the cache, at level 5 (about gzip's speed at
// its default level, and smaller). Large files (program PDFs) get none: their
// first request would wait for it, and gzip is there.
func (pc *pageCache) brotli(b []byte) ([]byte, error) {
	if len(b) > 256<<10 {
		return nil, nil
	}
	var buf bytes.Buffer
	bw := pc.brotlis.Get().(*brotli.Writer)
	defer pc.brotlis.Put(bw)
	bw.Reset(&buf)
	if _, err := bw.Write(b); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func strongETag(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return `"` + hex.EncodeToString(h.Sum(nil)[:16]) + `"`
}

// encodings are a cached body and its compressed forms (nil: none).
type encodings struct{ body, gz, br []byte }

// acceptsGzip reads Accept-Encoding (gzip, unless its q is 0).
func acceptsGzip(r *http.Request) bool {
	_, gz := acceptedCodings(r.Header.Get("Accept-Encoding"))
	return gz
}

// acceptedCodings reads Accept-Encoding once, for every cached answer:
// whether brotli and gzip are named with a q other than 0 (the first
// mention of each counts).
func acceptedCodings(header string) (br, gz bool) {
	var seenBr, seenGz bool
	for rest := header; rest != ""; {
		var part string
		part, rest, _ = strings.Cut(rest, ",")
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.TrimSpace(name)
		var seen, ok *bool
		switch {
		case strings.EqualFold(name, "br"):
			seen, ok = &seenBr, &br
		case strings.EqualFold(name, "gzip"):
			seen, ok = &seenGz, &gz
		default:
			continue
		}
		if !*seen {
			*seen = true
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			*ok = q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return br, gz
}

// etagMatches compares If-None-Match with a tag (weak comparison, as
// RFC 9110 asks for If-None-Match).
func etagMatches(inm, etag string) bool {
	for _, t := range strings.Split(inm, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// fileBuilder renders an export for the cache and names the download.
type fileBuilder func(ctx context.Context) (body []byte, name string, err error)

// serveCachedFile answers with an export of the cache, building it on a
// miss. Inline files open in the browser, others download.
func (a *App) serveCachedFile(c echo.Context, st *publicState, kind, variant, contentType string, inline bool, build fileBuilder) error {
	key := st.key(kind, variant)
	load := func(ctx context.Context, _ string) (*cached, error) {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 60*time.Second)
		defer cancel()
		body, name, err := build(ctx)
		if err != nil {
			return nil, err
		}
		f := &cachedFile{encodings: encodings{body: body}, etag: strongETag(body), contentType: contentType, name: name, inline: inline}
		if len(body) > 1024 {
			if f.gz, err = a.cache.gzip(body); err != nil {
				return nil, err
			}
			if f.br, err = a.cache.brotli(body); err != nil {
				return nil, err
			}
		}
		return &cached{file: f}, nil
	}
	if st.draft {
		return models.ErrNotFound // exports are for published summits only
	}
	e, err := a.cache.entries.Get(c.Request().Context(), key, otter.LoaderFunc[string, *cached](load))
	if err != nil {
		return err
	}
	if rec := fastRecordOf(c); rec != nil { // a file is its key's: the revision, announcement state and variant
		rec.memo, rec.key, rec.entry = true, key, e
	}
	f := e.file
	disp := "attachment"
	if f.inline {
		disp = "inline"
	}
	c.Response().Header().Set("Content-Disposition", disp+`; filename="`+f.name+`"`)
	return a.sendCached(c, f.encodings, f.etag, f.contentType)
}
