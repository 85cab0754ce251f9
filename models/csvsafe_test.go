package models_test

import (
	"testing"

	"summit/models"
)

// A cell a spreadsheet would read as a formula (= + - @, or a leading tab or
// line break) gets a leading apostrophe; anything else is left as is. Rows
// have LF line ends only.
func TestCSVCellNeutralisesFormulas(t *testing.T) {
	cases := []struct{ in, want string }{
		{`=HYPERLINK("http://evil","click")`, `'=HYPERLINK("http://evil","click")`},
		{"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{"\t=1+1", "'\t=1+1"},
		{"\r=1+1", "'\r=1+1"},
		{"\n=1+1", "'\n=1+1"},
		{"=", "'="},
		{"", ""},
		{"Zoë Ølberg", "Zoë Ølberg"},
		{"a=b", "a=b"},
		{"2027-03-11", "2027-03-11"},
		{" =1", " =1"}, // only the first character decides (the OWASP rule)
		{"'=already", "'=already"},
	}
	for _, c := range cases {
		if got := models.CSVCell(c.in); got != c.want {
			t.Errorf("CSVCell(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	row := models.CSVRow("-x", "ok", "@y", "\xff=bad utf-8", "one\r\ntwo\rthree", "\r=1+1")
	want := []string{"'-x", "ok", "'@y", "\uFFFD=bad utf-8", "one\ntwo\nthree", "'\n=1+1"}
	for i := range want {
		if row[i] != want[i] {
			t.Errorf("CSVRow cell %d = %q, want %q", i, row[i], want[i])
		}
	}
}
