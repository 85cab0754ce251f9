package models

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// problemFunc records a problem of an uploaded file at a line and column.
type problemFunc func(line int, column, message string)

// readCSVTable reads an uploaded CSV file whose first line names its
// columns, in any order (a byte-order mark, CRLF line ends and quoted commas
// and line breaks are fine). Problems with the header — an empty or
// unreadable first line, a column named twice, an unknown column, a missing
// required one — stop it before any row. Then row is called for every line
// but blank ones, with a getter of trimmed values by column name ("" for a
// column the file leaves out); a line with the wrong number of columns or
// with text that is not UTF-8 is a problem instead, and a line that cannot
// be read as CSV ends the file with a problem. The directory import and the
// outcome values import share it.
func readCSVTable(data []byte, columns, required []string, add problemFunc, row func(line int, get func(string) string)) {
	need := "The first line must name the columns: " + strings.Join(required, ",") + "."
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		add(1, "", "The file is empty. "+need)
		return
	}
	if err != nil {
		add(1, "", "The first line could not be read as CSV: "+csvErrText(err))
		return
	}
	col := map[string]int{}
	bad := false
	for i, h := range header {
		// "Seat capacity", "seat-capacity" and "seat_capacity" name one
		// column: spreadsheets write headers for people, not programs.
		h = strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(h)))
		if _, dup := col[h]; dup {
			add(1, h, "The column "+h+" appears twice in the header.")
			bad = true
		}
		if !contains(columns, h) {
			add(1, h, "Unknown column "+strconvQuote(h)+"; the columns are "+strings.Join(columns, ", ")+".")
			bad = true
		}
		col[h] = i
	}
	for _, want := range required {
		if _, ok := col[want]; !ok {
			add(1, want, "The header has no "+want+" column. "+need)
			bad = true
		}
	}
	if bad {
		return
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			add(line, "", "This line could not be read as CSV: "+csvErrText(err)+" Check the quotes on this line.")
			return
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(header) {
			add(line, "", fmt.Sprintf("This line has %d columns; the header has %d. Check for a missing or extra comma (quote values that contain commas).", len(rec), len(header)))
			continue
		}
		valid := true
		for _, name := range columns {
			if i, ok := col[name]; ok && !utf8.ValidString(rec[i]) {
				add(line, name, "This value is not valid UTF-8 text. Save the file as \"CSV UTF-8\" and upload it again.")
				valid = false
			}
		}
		if !valid {
			continue
		}
		row(line, func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		})
	}
}
