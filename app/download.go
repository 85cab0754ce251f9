package app

// Downloads: how a file (an export, a CSV) is answered — its name, headers,
// ETag and compression — whatever the feature that made it.

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/labstack/echo/v4"

	"summit/models"
)

var unsafeFileChars = regexp.MustCompile(`[^a-z0-9]+`)

// fileName makes a download name like "service-summit-2027-program.pdf".
func fileName(s *models.Summit, what, ext string) string {
	base := strings.Trim(unsafeFileChars.ReplaceAllString(strings.ToLower(s.Title), "-"), "-")
	if base == "" {
		base = fmt.Sprintf("summit-%d", s.Year)
	}
	if len(base) > 60 {
		base = strings.Trim(base[:60], "-")
	}
	return base + "-" + what + "." + ext
}

// sendFile answers with a rendered export; inline files open in the browser
// (PDF, frab), attachments download (CSV, calendar). Every file carries an
// ETag of its bytes: unless the handler set its own Cache-Control (private
// files say no-store), the browser keeps the file and asks again each time
// ("no-cache"), and an unchanged file answers 304 with no body. HEAD gets the
// headers only.
func sendFile(c echo.Context, contentType, name string, inline bool, body []byte) error {
	disp := "attachment"
	if inline {
		disp = "inline"
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", disp+`; filename="`+name+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Add("Vary", "Accept-Encoding")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "no-cache")
	}
	sum := sha256.Sum256(body)
	// Weak: the same file may go out gzipped or not, byte-different.
	tag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h.Set("ETag", "W/"+tag)
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && h.Get("Cache-Control") == "no-cache" {
		for _, t := range strings.Split(inm, ",") {
			if t = strings.TrimPrefix(strings.TrimSpace(t), "W/"); t == tag || t == "*" {
				return c.NoContent(http.StatusNotModified)
			}
		}
	}
	if len(body) > 1024 && acceptsGzip(c.Request()) {
		// Files made per request (personal and organisers' files; public
		// ones come from the page cache, compressed once) are compressed
		// fast (PDFs are written uncompressed, see docs/PERFORMANCE.md).
		var buf bytes.Buffer
		zw, err := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
		if err == nil {
			_, err = zw.Write(body)
		}
		if err == nil {
			err = zw.Close()
		}
		if err != nil {
			return err
		}
		h.Set("Content-Encoding", "gzip")
		return c.Blob(http.StatusOK, contentType, buf.Bytes())
	}
	return c.Blob(http.StatusOK, contentType, body)
}

// sendCSV is the one way a CSV download is answered: private rows (made
// formula-safe by models) written as CSV, then sendCSVText.
func sendCSV(c echo.Context, name string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return sendCSVText(c, name, buf.Bytes())
}

// sendCSVText answers with CSV text as a download named name: a byte-order
// mark first so spreadsheets read UTF-8, never stored by a cache
// (private, no-store), with sendFile's ETag.
func sendCSVText(c echo.Context, name string, text []byte) error {
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return sendFile(c, "text/csv; charset=utf-8", name, false, append([]byte("\uFEFF"), text...))
}
