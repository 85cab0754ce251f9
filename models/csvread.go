package models

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
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
	data, problem := csvText(data)
	if problem != "" {
		add(1, "", problem)
		return
	}
	r := csv.NewReader(bytes.NewReader(data))
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
	if !utf8.ValidString(strings.Join(header, ",")) {
		add(1, "", "The first line is not valid UTF-8 text. Save the file as \"CSV UTF-8\" and upload it again.")
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
			add(1, shorten(h), "Unknown column "+strconvQuote(h)+"; the columns are "+strings.Join(columns, ", ")+".")
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

// csvText makes an uploaded file text the CSV reader takes: a UTF-8
// byte-order mark is dropped, a file saved as UTF-16 (with its byte-order
// mark, as spreadsheets save "Unicode text") is turned into UTF-8, and a
// file whose lines end in CR alone (old Mac spreadsheets; no LF anywhere)
// gets LF line ends. A file that is not text (it holds NUL bytes: a
// spreadsheet, an image) gives a problem that says what to do instead.
func csvText(data []byte) ([]byte, string) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		if len(data)%2 != 0 {
			return nil, "The file starts as UTF-16 text but is cut short. Save it as \"CSV UTF-8\" and upload it again."
		}
		big := data[0] == 0xFE
		units := make([]uint16, 0, len(data)/2-1)
		for i := 2; i+1 < len(data); i += 2 {
			if big {
				units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
			} else {
				units = append(units, uint16(data[i+1])<<8|uint16(data[i]))
			}
		}
		data = []byte(string(utf16.Decode(units)))
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, "This file is not a CSV text file (it holds binary data: is it a spreadsheet or an image?). Save it from your spreadsheet as \"CSV UTF-8\" and upload that."
	}
	if bytes.IndexByte(data, '\n') < 0 && bytes.IndexByte(data, '\r') >= 0 {
		data = bytes.ReplaceAll(data, []byte("\r"), []byte("\n"))
	}
	return data, ""
}

// shorten cuts a value quoted in a message to 80 characters (a whole file
// read as one column name would fill the page).
func shorten(s string) string {
	if cut, ok := CutAtWord(s, 80, 60); ok {
		return cut + "…"
	}
	return s
}
