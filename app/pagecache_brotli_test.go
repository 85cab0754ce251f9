package app_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// Cached responses are sent brotli-compressed to a client that takes it
// (brotli first, being smaller), gzipped to one that takes only gzip, plain
// otherwise or when its q is 0; each encoding has its own ETag and answers
// 304 to it; every encoding unpacks to the same bytes.
func TestPublicCacheBrotli(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newDemoWorld(t, ta)
		get := encodedGet(ta, ta.client(t))
		unbr := func(s string) string {
			b, err := io.ReadAll(brotli.NewReader(strings.NewReader(s)))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		ungz := func(s string) string {
			zr, err := gzip.NewReader(strings.NewReader(s))
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
		for _, p := range w.publicPaths() {
			plain := get(p, "", "identity")
			br := get(p, "", "gzip, deflate, br")
			gz := get(p, "", "gzip")
			if plain.Code != 200 || br.Code != 200 || gz.Code != 200 {
				t.Fatalf("%s: %d, %d, %d", p, plain.Code, br.Code, gz.Code)
			}
			tag := plain.Header.Get("ETag")
			if br.Header.Get("Content-Encoding") != "br" || len(br.Body) >= len(gz.Body) {
				t.Errorf("%s for a client taking br: %q, %d bytes (gzip %d)", p, br.Header.Get("Content-Encoding"), len(br.Body), len(gz.Body))
				continue
			}
			if got := unbr(br.Body); got != plain.Body {
				t.Errorf("%s: the brotli body unpacks to other bytes (%d, want %d)", p, len(got), len(plain.Body))
			}
			if gz.Header.Get("Content-Encoding") != "gzip" || ungz(gz.Body) != plain.Body {
				t.Errorf("%s for a client taking only gzip: %q", p, gz.Header.Get("Content-Encoding"))
			}
			btag := br.Header.Get("ETag")
			if btag != strings.TrimSuffix(tag, `"`)+`-br"` || btag == gz.Header.Get("ETag") {
				t.Errorf("%s: brotli ETag %q beside %q and %q", p, btag, tag, gz.Header.Get("ETag"))
			}
			if res := get(p, btag, "br"); res.Code != http.StatusNotModified {
				t.Errorf("%s with its brotli ETag: %d, want 304", p, res.Code)
			}
			if res := get(p, btag, "gzip"); res.Code != 200 || res.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s with the brotli ETag, taking only gzip: %d %q, want the gzip page", p, res.Code, res.Header.Get("Content-Encoding"))
			}
			if res := get(p, "", "br;q=0, gzip"); res.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s refusing br (q=0): %q", p, res.Header.Get("Content-Encoding"))
			}
			if res := get(p, "", "BR"); res.Header.Get("Content-Encoding") != "br" || !bytes.Equal([]byte(unbr(res.Body)), []byte(plain.Body)) {
				t.Errorf("%s taking BR: %q", p, res.Header.Get("Content-Encoding"))
			}
		}
	})
}
