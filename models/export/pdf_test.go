package export_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/export"
	"summit/models/export/exporttest"
	"summit/models/modelstest"
)

var ctx = context.Background()

func programPDF(t *testing.T, p *export.Program, paper string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := export.WriteProgramPDF(&buf, p, paper); err != nil {
		t.Fatalf("program pdf: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", buf.Bytes()[:min(20, buf.Len())])
	}
	saveArtefact(t, paper+".pdf", buf.Bytes())
	return buf.Bytes()
}

// saveArtefact keeps a rendered file in TEST_OUTPUT_DIR for a person to look at.
func saveArtefact(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("TEST_OUTPUT_DIR"); dir != "" {
		n := strings.NewReplacer("/", "_", " ", "_").Replace(t.Name() + "-" + name)
		_ = os.WriteFile(filepath.Join(dir, n), b, 0o644)
	}
}

// The program PDF of a real summit prints the cover, pillars, every session
// (parallel ones too), speakers with their names spelled right, training
// seats, page numbers and the running header; an emoji title does not break
// it; Letter and A4 have their own page sizes.
func TestProgramPDF(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := exporttest.Build(t, db, 2027, false)
		p, err := models.LoadProgram(ctx, db, f.Summit, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		a4 := programPDF(t, p, export.PaperA4)
		txt := exporttest.PDFText(t, a4)
		flat := exporttest.Flat(txt)
		want := append([]string{"Service Summit 2027", "Everyone serves — a rainbow, not robots", "27–29 March 2027", "Beurs van Berlage, Amsterdam",
			"The three pillars", "Recognition", "Skills", "Strategy", "Stories of people who served customers and colleagues well.",
			"Saturday 27 March 2027", "Sunday 28 March 2027", "Monday 29 March 2027",
			exporttest.TitleKeynote, exporttest.TitleTraining, exporttest.TitlePanel, exporttest.TitleLong, exporttest.TitleCeremony,
			"Patience ? under pressure ?", "10:30–12:00", "Room Ørsted", "20 seats", "Training sessions", "20 seats, 20 left",
			"Speakers", "has helped customers for ten years", "Page 2 of", "Service Summit 2027 · 27–29 March 2027 · Program"}, exporttest.Names...)
		for _, w := range want {
			if !strings.Contains(flat, w) {
				t.Errorf("program PDF lacks %q", w)
			}
		}
		if cover := strings.Split(txt, "\f")[0]; strings.Contains(cover, "Page ") || !strings.Contains(cover, "PROGRAM · 2027") || !strings.Contains(cover, "THE THREE PILLARS") {
			t.Errorf("cover: no page number, the program label and the pillars expected: %s", cover)
		}
		if strings.Contains(txt, "{nb}") {
			t.Error("page count alias was not replaced")
		}
		info := exporttest.PDFInfo(t, a4)
		if !strings.Contains(info["Page size"], "595.") || !strings.Contains(info["Page size"], "841.") {
			t.Errorf("A4 page size: %q", info["Page size"])
		}
		letter := programPDF(t, p, export.ParsePaper("LETTER"))
		if got := exporttest.PDFInfo(t, letter)["Page size"]; !strings.Contains(got, "612 x 792") {
			t.Errorf("Letter page size: %q", got)
		}
		if !strings.Contains(exporttest.Flat(exporttest.PDFText(t, letter)), exporttest.Names[2]) {
			t.Error("Letter program lacks a speaker")
		}
	})
}

// Two hundred sessions with long abstracts: every title is printed, and the
// document has many pages with nothing lost.
func TestProgramPDFLarge(t *testing.T) {
	p := exporttest.SyntheticProgram(200)
	b := programPDF(t, p, export.PaperA4)
	flat := exporttest.Flat(exporttest.PDFText(t, b))
	for _, s := range p.Sessions {
		if !strings.Contains(flat, s.Title) {
			t.Errorf("missing %q", s.Title)
		}
	}
	if !strings.Contains(flat, "(continued)") {
		t.Error("no session continued on a next page; the test should make some")
	}
	// A page that continues a session names the day, repeats the slot's
	// time, names the session, and carries at least two of its lines (no
	// widow); no page ends on a lone first line of an abstract either.
	txt := exporttest.PDFText(t, b)
	pages := strings.Split(txt, "\f")
	slotRe := regexp.MustCompile(`^\d\d:\d\d–\d\d:\d\d$`)
	checked := 0
	for n, page := range pages {
		lines := strings.Split(page, "\n")
		var body []string
		for _, l := range lines {
			if l = strings.TrimSpace(l); l != "" {
				body = append(body, l)
			}
		}
		i := slices.IndexFunc(body, func(l string) bool { return strings.HasPrefix(l, "(continued) Session") })
		if i < 0 {
			continue
		}
		checked++
		if !strings.HasSuffix(body[1], "(continued)") || !slotRe.MatchString(body[2]) {
			t.Errorf("page %d continues a session without the day and time: %q", n+1, body[:i+1])
		}
		rest := 0
		for _, l := range body[i+1:] {
			if strings.HasPrefix(l, "Session ") || strings.HasPrefix(l, "Page ") || slotRe.MatchString(l) {
				break
			}
			rest++
		}
		if rest < 2 {
			t.Errorf("page %d carries %d line(s) of a continued abstract, want at least 2", n+1, rest)
		}
		// The page before must not end on a session's title block with a
		// single abstract line under it.
		var prev []string
		for _, l := range strings.Split(pages[n-1], "\n") {
			if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Page ") {
				prev = append(prev, l)
			}
		}
		for j := len(prev) - 1; j >= 0; j-- {
			if strings.HasPrefix(prev[j], "With ") {
				if left := len(prev) - 1 - j; left == 1 {
					t.Errorf("page %d ends with a lone first line of an abstract", n)
				}
				break
			}
		}
	}
	if checked == 0 {
		t.Error("no continued session found to check")
	}
	// Page margins are 18 mm (51 pt); the header and page number sit in them
	// at about 25 pt from the edge. Nothing may reach the outer 20 pt.
	if bad := exporttest.WordsOffPage(t, b, 20); len(bad) > 0 {
		t.Errorf("%d words run off the page, e.g. %s", len(bad), bad[0])
	}
}

// Text the font cannot draw is replaced, never a crash or an empty page.
func TestCleanReplacesUnprintable(t *testing.T) {
	cases := map[string]string{
		"Zoë Ølberg":           "Zoë Ølberg",
		"Đorđe Petrović":       "Đorđe Petrović",
		"Calm 😌 words 👍🏽":      "Calm ? words ?",
		"tab\there\r\nnext":    "tab here\nnext",
		"bad \xff byte":        "bad ? byte",
		"❤️ heart":             "❤ heart",
		"漢字 are not in DejaVu": "? are not in DejaVu",
	}
	for in, want := range cases {
		if got := export.Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
	p := exporttest.SyntheticProgram(3)
	p.Summit.Title = "🎉🎉🎉"
	p.Sessions[0].Title = strings.Repeat("🚀", 300)
	p.Sessions[1].Abstract = strings.Repeat("x", 5000)
	b := programPDF(t, p, export.PaperA4)
	if len(b) < 1000 {
		t.Fatalf("suspiciously small PDF: %d bytes", len(b))
	}
}

// Before the announcement the program says when winners are announced and
// names nobody; after it, the honorees section lists them.
func TestProgramPDFAwards(t *testing.T) {
	p := exporttest.SyntheticProgram(3)
	flat := exporttest.Flat(exporttest.PDFText(t, programPDF(t, p, export.PaperA4)))
	if !strings.Contains(flat, "Winners announced at the ceremony, Monday 29 March 16:00") {
		t.Errorf("no announcement line in: %s", flat)
	}
	if strings.Contains(flat, "Honorees") {
		t.Error("honorees section before the announcement")
	}
	p.Honorees = []models.Honoree{{PersonName: "Nguyễn Thị Ánh", Department: "Billing", AwardName: "Patience", Trait: "patience", Quote: "She stayed calm.",
		Announced: time.Date(2027, 3, 29, 15, 0, 0, 0, time.UTC)}}
	flat = exporttest.Flat(exporttest.PDFText(t, programPDF(t, p, export.PaperA4)))
	for _, w := range []string{"Honorees", "Nguyễn Thị Ánh Billing", "She stayed calm."} {
		if !strings.Contains(flat, w) {
			t.Errorf("after the announcement the program lacks %q", w)
		}
	}
	if strings.Contains(flat, "Winners announced at the ceremony") {
		t.Error("announced category still says winners are to be announced")
	}
}

// A certificate looks like one: title, the name large and centred, the
// award, the trait when the award's name does not already say it, the date
// and a signature line; a very long name shrinks to fit instead of running
// off the page; one landscape page per winner.
func TestCertificatesDesign(t *testing.T) {
	s := exporttest.SyntheticProgram(1).Summit
	at := time.Date(2027, 3, 29, 14, 0, 0, 0, time.UTC)
	hs := []models.Honoree{
		{PersonName: "Đorđe Petrović", Department: "Finance", AwardName: "The Many Voices Award", Trait: "Communicating in many ways", Announced: at},
		{PersonName: "Nguyễn Thị Ánh " + strings.Repeat("Mensah-Williams ", 6), AwardName: "The Kindness Award", Trait: "Kindness", Announced: at},
	}
	var buf bytes.Buffer
	if err := export.WriteCertificatesPDF(&buf, s, hs, nil, at); err != nil {
		t.Fatal(err)
	}
	saveArtefact(t, "certificates.pdf", buf.Bytes())
	info := exporttest.PDFInfo(t, buf.Bytes())
	if info["Pages"] != "2" || !strings.HasPrefix(info["Page size"], "841.89 x 595.28") {
		t.Errorf("want 2 landscape A4 pages: %q, %q", info["Pages"], info["Page size"])
	}
	txt := exporttest.PDFText(t, buf.Bytes())
	pages := strings.Split(txt, "\f")
	first := exporttest.Flat(pages[0])
	for _, w := range []string{"SERVICE SUMMIT 2027", "Certificate of Recognition", "This certificate is presented to", "Đorđe Petrović", "Finance",
		"The Many Voices Award", "Service trait: Communicating in many ways", "29 March 2027", "Date", "For the organisers", "Beurs van Berlage, Amsterdam"} {
		if !strings.Contains(first, w) {
			t.Errorf("certificate lacks %q: %s", w, first)
		}
	}
	if second := exporttest.Flat(pages[1]); strings.Contains(second, "Service trait") || !strings.Contains(second, "Nguyễn Thị Ánh") {
		t.Errorf("second certificate: %s", second)
	}
	if bad := exporttest.WordsOffPage(t, buf.Bytes(), 45); len(bad) > 0 {
		t.Errorf("%d words reach the frame, e.g. %s", len(bad), bad[0])
	}
}

// A long title and theme fit the cover (smaller type, never a second cover
// page or text off the page).
func TestProgramCoverLongTitle(t *testing.T) {
	p := exporttest.SyntheticProgram(3)
	p.Summit.Title = "The International Service Summit of Customer Care, Field Service and Everyone Else 2027"
	p.Summit.Theme = "Everyone serves — a rainbow, not robots; patience, kindness, and knowledge of the product, shared with everyone we meet"
	for _, paper := range []string{export.PaperA4, export.PaperLetter} {
		b := programPDF(t, p, paper)
		pages := strings.Split(exporttest.PDFText(t, b), "\f")
		cover := exporttest.Flat(pages[0])
		for _, w := range []string{p.Summit.Title, p.Summit.Theme, "27–29 March 2027", "THE THREE PILLARS"} {
			if !strings.Contains(cover, w) {
				t.Errorf("%s cover lacks %q: %s", paper, w, cover)
			}
		}
		if !strings.Contains(pages[1], "The three pillars") {
			t.Errorf("%s: page 2 is not the pillars page: %s", paper, pages[1])
		}
		if bad := exporttest.WordsOffPage(t, b, 20); len(bad) > 0 {
			t.Errorf("%s: %d words off the page, e.g. %s", paper, len(bad), bad[0])
		}
	}
}

// No heading is left alone at the foot of a page: programs of every size
// from 1 to 45 sessions (so page breaks fall everywhere) never end a page on
// a section, pillar or day heading.
func TestProgramNoOrphanHeadings(t *testing.T) {
	headings := map[string]bool{"The three pillars": true, "Agenda": true, "Training sessions": true, "Speakers": true, "Awards": true, "Honorees": true,
		"Saturday 27 March 2027": true, "Sunday 28 March 2027": true, "Monday 29 March 2027": true}
	for _, pl := range models.Pillars {
		headings[models.PillarLabel(pl)] = true
	}
	for n := 1; n <= 45; n++ {
		p := exporttest.SyntheticProgram(n)
		// Vary the text lengths so breaks land in different places.
		for i := range p.Sessions {
			p.Sessions[i].Abstract = p.Sessions[i].Abstract[:(len(p.Sessions[i].Abstract)*(i%5+1))/5]
		}
		var buf bytes.Buffer
		if err := export.WriteProgramPDF(&buf, p, export.PaperA4); err != nil {
			t.Fatal(err)
		}
		for i, page := range strings.Split(exporttest.PDFText(t, buf.Bytes()), "\f") {
			var last string
			for _, l := range strings.Split(page, "\n") {
				if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "Page ") {
					last = l
				}
			}
			if headings[last] {
				t.Errorf("%d sessions: page %d ends with the heading %q", n, i+1, last)
			}
		}
	}
}
