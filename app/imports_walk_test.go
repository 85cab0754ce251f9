package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"unicode/utf16"

	"summit/models"
)

// utf16File is s saved as UTF-16 with its byte-order mark, as spreadsheets
// save "Unicode text".
func utf16File(s string, bigEndian bool) []byte {
	var b bytes.Buffer
	if bigEndian {
		b.Write([]byte{0xFE, 0xFF})
	} else {
		b.Write([]byte{0xFF, 0xFE})
	}
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b.Write([]byte{byte(u >> 8), byte(u)})
		} else {
			b.Write([]byte{byte(u), byte(u >> 8)})
		}
	}
	return b.Bytes()
}

// Every import (the directory, sessions, outcome values) answers a hostile
// upload with a clear message and never a 5xx: an empty file, binary data,
// one 4 MB line, a Latin-1 file (values and header), a 1 MB cell. A file
// saved as UTF-16 with a byte-order mark, or with CRLF or CR-only line ends,
// is read as the same text and imports exactly what it says (read back from
// the database). Before csvText, UTF-16 and CR-only files were refused with
// "Unknown column" messages full of unreadable characters (or the whole file
// as one column name), and binary files with a list of missing columns.
func TestEveryImportSurvivesHostileFiles(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		s := demoSummit(t, ta)
		adm, _ := ta.signedIn(t, models.RoleAdmin)
		type upload struct {
			path string
			csv  string // {v} is replaced by a word unique to the variant
			got  func(v string) string
			want string // what got returns once the file is imported
		}
		imports := []upload{
			{"/admin/import", "name,email,department,job_title,manager_email,role\nZoë Café {v},zoe.cafe.{v}@example.com,Café Crew,Barista,,staff\n",
				func(v string) string {
					var p models.Person
					ta.DB.Where("email = ?", "zoe.cafe."+v+"@example.com").Find(&p)
					return p.Name + " / " + p.Department
				}, "Zoë Café {v} / Café Crew"},
			{base(s) + "/sessions/import", "key,title,kind,day,start,end,room,track,speakers,seat_capacity,abstract\nK{v},Café Zoë {v},social,2027-03-12,19:00,20:00,,,,,\"Two lines,\nwith “quotes”\"\n",
				func(v string) string {
					var x models.Session
					ta.DB.Where("summit_id = ? AND import_key = ?", s.ID, "K"+v).Find(&x)
					return x.Title + " / " + x.Abstract
				}, "Café Zoë {v} / Two lines,\nwith “quotes”"},
			{"/organise/outcomes/import", "measure,edition,value,unit,higher_is_better\nCafé score {v},2027,84,,\n",
				func(v string) string {
					var m models.OutcomeMeasure
					ta.DB.Where("name = ?", "Café score "+v).Find(&m)
					return m.Name
				}, "Café score {v}"},
		}
		latin1 := strings.NewReplacer("é", "\xe9", "ë", "\xeb", "“", "\xab", "”", "\xbb")
		for _, im := range imports {
			csv := func(v string) string { return strings.ReplaceAll(im.csv, "{v}", v) }
			readable := map[string][]byte{
				"utf16le": utf16File(csv("utf16le"), false),
				"utf16be": utf16File(csv("utf16be"), true),
				"crlf":    []byte(strings.ReplaceAll(csv("crlf"), "\n", "\r\n")),
				"cr":      []byte(strings.ReplaceAll(csv("cr"), "\n", "\r")),
				"bom":     append([]byte("\xEF\xBB\xBF"), csv("bom")...),
			}
			if strings.Contains(im.csv, "\"Two lines,\n") { // a quoted line break stays LF in a CR-only file: not one
				readable["cr"] = []byte(strings.ReplaceAll(strings.ReplaceAll(csv("cr"), ",\nwith", ", with"), "\n", "\r"))
			}
			refused := map[string]struct {
				data []byte
				want string
			}{
				"empty":          {nil, "That file is empty"},
				"binary":         {[]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\xff\xfe\x00"), "This file is not a CSV text file"},
				"NUL in a cell":  {[]byte(strings.Replace(csv("nul"), "Café", "Ca\x00fé", 1)), "This file is not a CSV text file"},
				"one 4 MB line":  {bytes.Repeat([]byte("x"), 4<<20), "Unknown column “xxxxxxxx"},
				"Latin-1":        {[]byte(latin1.Replace(csv("latin1"))), `This value is not valid UTF-8 text. Save the file as "CSV UTF-8"`},
				"Latin-1 header": {[]byte("name,\xe9mail,r\xf4le\n"), `The first line is not valid UTF-8 text. Save the file as "CSV UTF-8"`},
				"1 MB cell":      {[]byte(strings.Replace(csv("big"), "Café", strings.Repeat("Lm", 1<<19), 1)), "is too long: 1048"},
			}
			for name, f := range refused {
				where := fmt.Sprintf("%s, %s", im.path, name)
				res := adm.upload(im.path, name+".csv", f.data)
				page := res
				if res.Code == http.StatusSeeOther {
					page = adm.get(res.Location)
				}
				switch {
				case res.Code >= 500 || page.Code >= 500:
					t.Errorf("%s: %d, then %d", where, res.Code, page.Code)
				case !strings.Contains(text(page.Body), f.want):
					t.Errorf("%s: %d, want %q in %.600s", where, res.Code, f.want, text(page.Body))
				case len(page.Body) > 1<<20 && name == "one 4 MB line":
					t.Errorf("%s: the page repeats the line (%d bytes)", where, len(page.Body))
				case strings.Contains(page.Body, "\ufffd") || strings.Contains(page.Body, "\x00"):
					t.Errorf("%s: the message shows unreadable characters: %.600s", where, text(page.Body))
				}
				if strings.Contains(text(page.Body), "Import 1 ") {
					t.Errorf("%s: offered for import", where)
				}
			}
			for name, data := range readable {
				where := fmt.Sprintf("%s, %s", im.path, name)
				res := adm.upload(im.path, name+".csv", data)
				if res.Code != http.StatusSeeOther {
					t.Errorf("%s: %d %.600s", where, res.Code, text(res.Body))
					continue
				}
				if pv := text(adm.get(res.Location).Body); !strings.Contains(pv, "Import 1 ") {
					t.Errorf("%s: not offered for import: %.800s", where, pv)
					continue
				}
				if done := adm.post(res.Location+"/commit", nil); done.Code != http.StatusSeeOther {
					t.Errorf("%s: commit %d %.300s", where, done.Code, text(done.Body))
				}
				want := strings.ReplaceAll(im.want, "{v}", name)
				if name == "cr" {
					want = strings.ReplaceAll(want, ",\nwith", ", with")
				}
				if got := im.got(name); got != want {
					t.Errorf("%s: stored %q, want %q", where, got, want)
				}
			}
		}
	})
}
