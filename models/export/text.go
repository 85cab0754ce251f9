// Package export renders Summit's exports: the printed program, personal
// agenda and award certificates as PDF (gofpdf with embedded DejaVu fonts),
// iCalendar feeds, the frab schedule (XML and JSON) and CSV files. It reads
// the database only through package models and never imports Echo.
package export

import (
	"fmt"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font/sfnt"

	"summit/models"
	"summit/static"
)

// fontFiles are the embedded TTFs: regular and bold DejaVu Sans (licence in
// static/fonts/LICENSE-DejaVu.txt).
var fontFiles = map[string]string{"": "fonts/DejaVuSans.ttf", "B": "fonts/DejaVuSans-Bold.ttf"}

var (
	fontsOnce sync.Once
	fontBytes map[string][]byte
	// covered[r] is true when both fonts have a glyph for the BMP rune r.
	covered []bool
	fontErr error
)

func loadFonts() {
	fontBytes = map[string][]byte{}
	covered = make([]bool, 0x10000)
	for i := range covered {
		covered[i] = true
	}
	var buf sfnt.Buffer
	for style, name := range fontFiles {
		b, err := static.FS.ReadFile(name)
		if err != nil {
			fontErr = fmt.Errorf("export: read font %s: %w", name, err)
			return
		}
		fontBytes[style] = b
		f, err := sfnt.Parse(b)
		if err != nil {
			fontErr = fmt.Errorf("export: parse font %s: %w", name, err)
			return
		}
		for r := 0; r < len(covered); r++ {
			if !covered[r] {
				continue
			}
			if gi, err := f.GlyphIndex(&buf, rune(r)); err != nil || gi == 0 {
				covered[r] = false
			}
		}
	}
}

func fonts() (map[string][]byte, error) {
	fontsOnce.Do(loadFonts)
	return fontBytes, fontErr
}

// replacement stands in for a character the fonts cannot draw.
const replacement = '?'

// Clean makes text safe to print: characters outside the Basic Multilingual
// Plane (emoji and the like, which gofpdf cannot encode) and characters the
// embedded fonts lack are replaced, control characters become spaces, and
// line ends are normalised to \n. It never fails.
func Clean(s string) string {
	if _, err := fonts(); err != nil {
		return s
	}
	s = strings.ToValidUTF8(s, string(replacement))
	var b strings.Builder
	b.Grow(len(s))
	prevRepl := false
	for _, r := range models.NormalizeLineEnds(s) {
		switch {
		case r == '\n':
			b.WriteRune(r)
			prevRepl = false
			continue
		case r == '\t' || r == '\r' || unicode.IsControl(r):
			r = ' '
		case r == 0xFE0F || r == 0xFE0E || r == 0x200D:
			// Emoji presentation selectors and joiners: drop, they belong
			// to the (already replaced) character before them.
			continue
		case r > 0xFFFF || !covered[r]:
			if prevRepl {
				continue // one mark for a run of unprintable characters
			}
			b.WriteRune(replacement)
			prevRepl = true
			continue
		}
		prevRepl = false
		b.WriteRune(r)
	}
	return b.String()
}
