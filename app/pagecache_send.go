package app

// Answering from the page cache: conditional requests (ETag), gzip, and
// cached files (program PDF, frab, calendars). See pagecache.go.

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/maypok86/otter/v2"

	"summit/models"
)

// sendCached answers with cached bytes: 304 when the client holds the same
// representation (strong ETag per encoding), else the gzip body when the
// client takes it. The browser may keep the answer but asks every time.
func (a *App) sendCached(c echo.Context, body, gz []byte, etag, contentType string) error {
	h := c.Response().Header()
	h.Add("Vary", "Accept-Encoding")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	useGzip := len(gz) > 0 && len(gz) < len(body) && acceptsGzip(c.Request())
	if useGzip {
		etag = strings.TrimSuffix(etag, `"`) + `-gz"`
	}
	h.Set("ETag", etag)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatches(inm, etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if useGzip {
		h.Set("Content-Encoding", "gzip")
		body = gz
	}
	// With its length known, the body goes out in one piece, not in chunks.
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	return c.Blob(http.StatusOK, contentType, body)
}

// acceptsGzip reads Accept-Encoding (gzip, unless its q is 0).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
	}
	return false
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
		f := &cachedFile{body: body, etag: strongETag(body), contentType: contentType, name: name, inline: inline}
		if len(body) > 1024 {
			if f.gz, err = a.cache.gzip(body); err != nil {
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
	f := e.file
	disp := "attachment"
	if f.inline {
		disp = "inline"
	}
	c.Response().Header().Set("Content-Disposition", disp+`; filename="`+f.name+`"`)
	return a.sendCached(c, f.body, f.gz, f.etag, f.contentType)
}
