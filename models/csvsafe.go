package models

import "strings"

// CSVCell neutralises a cell for spreadsheets: a value starting with = + - @
// (or a tab or a line break) is read as a formula by Excel and others, so
// it gets a leading apostrophe. Every CSV export writes cells through this.
func CSVCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r', '\n': // a CR becomes a LF in CSVRow: guarded alike
		return "'" + s
	}
	return s
}

// CSVRow applies CSVCell to every cell, after NormalizeLineEnds (a CR
// inside a cell splits the row in some spreadsheets).
func CSVRow(cells ...string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = CSVCell(NormalizeLineEnds(strings.ToValidUTF8(c, "\uFFFD")))
	}
	return out
}
