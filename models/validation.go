package models

import (
	"sort"
	"strings"
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

// checkText trims s and records a message when it is required and empty,
// longer than max characters, or not valid UTF-8. It returns the trimmed text.
func checkText(f FieldErrors, field, label, s string, required bool, max int) string {
	s = strings.TrimSpace(s)
	switch {
	case !utf8.ValidString(s):
		f.Add(field, label+" contains characters that are not valid text (UTF-8); please retype it.")
	case required && s == "":
		f.Add(field, label+" is required.")
	case utf8.RuneCountInString(s) > max:
		f.Add(field, label+" is too long: "+itoa(utf8.RuneCountInString(s))+" characters, at most "+itoa(max)+".")
	case strings.ContainsRune(s, 0):
		f.Add(field, label+" contains a NUL character; please retype it.")
	}
	return s
}

func itoa(n int) string {
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
