package models

import (
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldErrors maps a form field name to a message that says what to fix. It is
// the error every create/update function returns for input a person can fix;
// handlers show each message next to its field.
type FieldErrors map[string]string

// Error lists the messages in field order, so logs and tests read well.
func (f FieldErrors) Error() string {
	keys := make([]string, 0, len(f))
	for k := range f {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+f[k])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a message for a field, keeping the first one.
func (f FieldErrors) Add(field, msg string) {
	if _, ok := f[field]; !ok {
		f[field] = msg
	}
}

// Err returns f as an error when it holds messages, else nil.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return f
}

// The text rules. Every input path goes through checkLine (one-line fields:
// titles, names, rooms, tracks, departments) or checkText (fields that may
// hold paragraphs: abstracts, bios, descriptions); every export goes through
// NormalizeLineEnds or OneLine, so values stored before these rules existed
// leave the building clean too.

// NormalizeLineEnds turns every CRLF and every lone CR into LF. Browsers send
// a textarea's line ends as CRLF; a CR left in an iCalendar DESCRIPTION, a
// CSV cell or an XML element is read differently by every program.
func NormalizeLineEnds(s string) string {
	if !strings.ContainsRune(s, '\r') {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
}

// OneLine puts text meant for one line (a title, a name) on one line: every
// run of line breaks, tabs and other control characters becomes one space,
// and the ends are trimmed. Exports use it on one-line fields.
func OneLine(s string) string {
	if strings.IndexFunc(s, breaksLine) < 0 {
		return strings.TrimSpace(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for _, r := range s {
		if breaksLine(r) {
			gap = true
			continue
		}
		if gap {
			b.WriteByte(' ')
			gap = false
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// breaksLine reports whether r has no place inside one line of text: a
// control character (tab, line feed, carriage return, NUL, DEL, the C1
// controls) or the Unicode line and paragraph separators.
func breaksLine(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// checkLine is checkText for a one-line field: it also refuses line breaks,
// tabs and other control characters, which would break the field over lines
// in calendars, CSV files and the printed program.
func checkLine(f FieldErrors, field, label, s string, required bool, max int) string {
	s = checkText(f, field, label, s, required, max)
	if _, bad := f[field]; bad {
		return s
	}
	if i := strings.IndexFunc(s, breaksLine); i >= 0 {
		switch r, _ := utf8.DecodeRuneInString(s[i:]); r {
		case '\n', '\r', '\v', '\f', 0x85, '\u2028', '\u2029':
			f.Add(field, label+" must be one line: remove the line break.")
		case '\t':
			f.Add(field, label+" must be one line: replace the tab with a space.")
		default:
			f.Add(field, label+" contains an invisible control character; please retype it.")
		}
	}
	return s
}

// checkText trims s, turns its line ends into LF (NormalizeLineEnds) and
// records a message when it is required and empty, longer than max
// characters, not valid UTF-8, or holds a control character other than a
// line feed or a tab. It returns the cleaned text.
func checkText(f FieldErrors, field, label, s string, required bool, max int) string {
	s = strings.TrimSpace(NormalizeLineEnds(s))
	switch {
	case !utf8.ValidString(s):
		f.Add(field, label+" contains characters that are not valid text (UTF-8); please retype it.")
	case required && s == "":
		f.Add(field, label+" is required.")
	case utf8.RuneCountInString(s) > max:
		f.Add(field, label+" is too long: "+strconv.Itoa(utf8.RuneCountInString(s))+" characters, at most "+strconv.Itoa(max)+".")
	case strings.ContainsRune(s, 0):
		f.Add(field, label+" contains a NUL character; please retype it.")
	case strayControl(s):
		f.Add(field, label+" contains an invisible control character; please retype it.")
	}
	return s
}

// strayControl reports whether s holds a control character other than a
// line feed or a tab (a form feed, an escape, a C1 control): invisible in a
// form, and refused by XML.
func strayControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }) >= 0
}

// CutAtWord shortens s to its first max characters, and further back to the
// last space if that space comes after the first min bytes, so that no word
// is cut in two; ok is false (and s is returned) when s is short enough.
// The caller adds its own ellipsis.
func CutAtWord(s string, max, min int) (cut string, ok bool) {
	r := []rune(s)
	if len(r) <= max {
		return s, false
	}
	cut = string(r[:max])
	if i := strings.LastIndex(cut, " "); i > min {
		cut = cut[:i]
	}
	return cut, true
}
