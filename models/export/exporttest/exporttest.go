// Package exporttest builds summits for the export tests: a small real one
// in a database (spanning the Europe/Amsterdam daylight-saving change, with
// names that need a Unicode font) and large synthetic programs in memory.
// It is imported only by tests and benchmarks.
package exporttest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gorm.io/gorm"

	"summit/models"
	"summit/models/export"
	"summit/models/modelstest"
)

// Names that need more than Latin-1; every export must print them as written.
var Names = []string{"Zoë Ølberg", "Łukasz Wąsik", "Nguyễn Thị Ánh", "Đorđe Petrović"}

// Fixture is a published summit with rooms, tracks, speakers and sessions.
type Fixture struct {
	Summit   *models.Summit
	Speakers []*models.Speaker
	Sessions map[string]*models.Session // by title
	People   []*models.Person           // directory people behind the speakers
}

// Titles of the fixture's sessions.
const (
	TitleKeynote  = "Opening keynote: why everyone serves"
	TitleTraining = "De-escalation, with dignity"
	TitlePanel    = `Service, strategy; and "commas", too`
	TitleEmoji    = "Patience 🙂 under pressure 🚀"
	TitleCeremony = "Awards ceremony"
	TitleLong     = "A very long session title that keeps going so that it must wrap over more than one line in the printed program booklet"
)

// Build creates the fixture summit (27–29 March 2027, Europe/Amsterdam; the
// clocks go forward on the night of the 28th) and publishes it unless draft.
func Build(t testing.TB, db *gorm.DB, year int, draft bool) *Fixture {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	d := func(day int) string { return fmt.Sprintf("%d-03-%02d", year, day) }
	s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: fmt.Sprintf("Service Summit %d", year), Theme: "Everyone serves — a rainbow, not robots",
		StartDate: d(27), EndDate: d(29), TimeZone: "Europe/Amsterdam", Venue: "Beurs van Berlage, Amsterdam"})
	must(err)
	f := &Fixture{Summit: s, Sessions: map[string]*models.Session{}}
	room := func(name, capacity, pos string) uint {
		r, err := models.CreateRoom(ctx, db, models.ActorOf(nil, ""), s.ID, models.RoomInput{Name: name, Capacity: capacity, Position: pos})
		must(err)
		return r.ID
	}
	main, orsted, studio := room("Main hall", "300", "1"), room("Room Ørsted", "40", "2"), room("Studio B", "30", "3")
	// A new summit has one track per pillar: rename and describe them.
	defaults, err := models.ListTracks(ctx, db, s.ID)
	must(err)
	track := func(name string, pillar models.Pillar, color, desc string) uint {
		for _, d := range defaults {
			if d.Pillar == pillar {
				tr, err := models.UpdateTrack(ctx, db, models.ActorOf(nil, ""), s.ID, d.ID, models.TrackInput{Name: name, Pillar: pillar, Color: color, Description: desc})
				must(err)
				return tr.ID
			}
		}
		t.Fatalf("no %s track", pillar)
		return 0
	}
	rec := track("Recognition", models.PillarCelebrate, "#b45309", "Stories of people who served customers and colleagues well.")
	skills := track("Skills", models.PillarTrain, "#1d4ed8", "Hands-on training: patience, boundaries, de-escalation.")
	strat := track("Strategy", models.PillarStrategize, "#047857", "Where service goes next year.")
	for i, name := range Names {
		email := fmt.Sprintf("speaker%d-%d@summit.example", i, year)
		p, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: name, Email: email, Department: "Customer Care", Role: models.RoleStaff, Active: true})
		must(err)
		f.People = append(f.People, p)
		sp, err := models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SpeakerInput{PersonID: fmt.Sprint(p.ID), Organisation: "Customer Care",
			Bio: name + " has helped customers for ten years and trains new colleagues."})
		must(err)
		f.Speakers = append(f.Speakers, sp)
	}
	spk := func(i int) []string { return []string{fmt.Sprint(f.Speakers[i].ID)} }
	session := func(title string, kind models.SessionKind, roomID, trackID uint, day int, start, end, capacity, abstract string, speakers []string) {
		res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: title, Kind: kind, Abstract: abstract,
			RoomID: fmt.Sprint(roomID), TrackID: fmt.Sprint(trackID), Day: d(day), StartTime: start, EndTime: end, Capacity: capacity, SpeakerIDs: speakers}, models.Now())
		must(err)
		f.Sessions[title] = res.Session
	}
	long := strings.Repeat("Serving well means listening first, then acting; it means respect on both sides of the desk. ", 12)
	session(TitleKeynote, models.KindKeynote, main, strat, 27, "09:00", "10:00", "", "Why every job is a customer-service job.\nA second paragraph.", spk(0))
	session(TitleTraining, models.KindTraining, orsted, skills, 27, "10:30", "12:00", "20", "Boundaries, calm words and knowing when to hand over.", spk(1))
	session(TitlePanel, models.KindPanel, studio, strat, 27, "10:30", "12:00", "", "Commas, semicolons; and\nnew lines must be escaped in calendars.", spk(2))
	session(TitleLong, models.KindPanel, main, rec, 27, "13:00", "14:00", "", long, nil)
	// 28 March: clocks go forward at 02:00; a morning session is at UTC+2.
	session(TitleEmoji, models.KindTraining, orsted, skills, 28, "09:30", "10:30", "15", "Keep calm 😌 and carry on.", spk(3))
	session(TitleCeremony, models.KindCeremony, main, rec, 29, "16:00", "17:00", "", "The award winners are announced.", nil)
	if !draft {
		s, err = models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), s.ID, models.StatusPublished)
		must(err)
		f.Summit = s
	}
	return f
}

// SyntheticProgram is a program of n sessions (ten rooms in parallel, over
// three days) with long abstracts, built in memory for rendering tests and
// the benchmark.
func SyntheticProgram(n int) *export.Program {
	s := &models.Summit{ID: 1, Year: 2027, Title: "Service Summit 2027", Theme: "Everyone serves", StartDate: "2027-03-27", EndDate: "2027-03-29",
		TimeZone: "Europe/Amsterdam", Venue: "Beurs van Berlage, Amsterdam", Status: models.StatusPublished}
	loc := s.Location()
	p := &export.Program{Summit: s, Loc: loc, Now: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)}
	colors := []string{"#b45309", "#1d4ed8", "#047857"}
	for i, pl := range models.Pillars {
		p.Tracks = append(p.Tracks, models.Track{ID: uint(i + 1), SummitID: 1, Name: "Track " + string(pl), Pillar: pl, Color: colors[i], Description: "What the " + string(pl) + " pillar covers this year."})
	}
	for i := 0; i < 40; i++ {
		p.Speakers = append(p.Speakers, models.Speaker{ID: uint(i + 1), Name: fmt.Sprintf("%s %d", Names[i%len(Names)], i+1), Organisation: "Customer Care",
			Bio: strings.Repeat("Helps customers and colleagues every day; trains new people in patience. ", 4)})
	}
	abstract := strings.Repeat("This session shows how to listen first, act second, and keep dignity on both sides of the conversation. ", 6)
	for i := 0; i < n; i++ {
		day, slot, room := i/70, (i%70)/10, i%10
		start := time.Date(2027, 3, 27+day, 9+slot, 0, 0, 0, loc)
		cap := 20
		sess := models.Session{ID: uint(i + 1), SummitID: 1, UUID: uuid.NewSHA1(uuid.NameSpaceURL, []byte(fmt.Sprint(i))).String(),
			Title: fmt.Sprintf("Session %03d: %s", i+1, []string{"Patience under pressure", "Damage control that turns a bad moment around", "Knowledge of the product, shared kindly"}[i%3]),
			Kind:  []models.SessionKind{models.KindTraining, models.KindPanel, models.KindKeynote}[i%3], Abstract: abstract,
			StartsAt: start.UTC(), EndsAt: start.Add(50 * time.Minute).UTC(),
			Room:     &models.Room{ID: uint(room + 1), Name: fmt.Sprintf("Room %d", room+1), Position: room},
			Track:    &p.Tracks[i%3],
			Speakers: []models.Speaker{p.Speakers[i%40], p.Speakers[(i+7)%40]}}
		if sess.Kind == models.KindTraining {
			sess.Capacity = &cap
		}
		p.Sessions = append(p.Sessions, sess)
	}
	p.Awards = []models.AwardSummary{{Name: "Patience", Trait: "patience", Description: "Calm when it counts.", AnnounceAt: time.Date(2027, 3, 29, 16, 0, 0, 0, loc)}}
	return p
}

// Tool returns the path of a command-line tool the tests need (pdftotext,
// pdfinfo, xmllint): under CI a missing tool fails the test, elsewhere it
// skips with a banner naming what did not run (modelstest.NotRun).
func Tool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		modelstest.NotRun(t, strings.ToUpper(name)+" CHECKS", name+" is not installed (Debian: apt-get install poppler-utils libxml2-utils); scripts/test.sh installs it when run as root")
	}
	return p
}

// PDFText extracts a PDF's text with poppler's pdftotext.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin := Tool(t, "pdftotext")
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("pdftotext: %v: %s", err, errb.String())
	}
	return out.String()
}

// PDFInfo returns poppler's pdfinfo fields ("Pages", "Page size", …).
func PDFInfo(t testing.TB, pdf []byte) map[string]string {
	t.Helper()
	bin := Tool(t, "pdfinfo")
	cmd := exec.Command(bin, "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("pdfinfo: %v: %s", err, out)
	}
	info := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		k, v, ok := strings.Cut(line, ":")
		if ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return info
}

// Flat joins a PDF's text into one line with single spaces, so a phrase
// wrapped over two lines is still found.
func Flat(s string) string { return strings.Join(strings.Fields(s), " ") }

// SharedDir finds the shared folder (schemas): $SUMMIT_SHARED_DIR, else
// "shared" beside the checkout (../shared), else, when the checkout is a git
// worktree, beside the main checkout it belongs to. Under CI a missing folder
// fails the test; elsewhere it skips with a banner (modelstest.NotRun).
func SharedDir(t testing.TB) string {
	t.Helper()
	var tries []string
	if d := os.Getenv("SUMMIT_SHARED_DIR"); d != "" {
		tries = append(tries, d)
	}
	if root, err := repoRoot(); err == nil {
		tries = append(tries, filepath.Join(root, "..", "shared"))
		if main := mainCheckout(root); main != "" && main != root {
			tries = append(tries, filepath.Join(main, "..", "shared"))
		}
	}
	for _, d := range tries {
		if st, err := os.Stat(filepath.Join(d, "schemas", "frab")); err == nil && st.IsDir() {
			return d
		}
	}
	modelstest.NotRun(t, "FRAB SCHEMA CHECKS", fmt.Sprintf("shared schemas not found (tried %v); set SUMMIT_SHARED_DIR", tries))
	return ""
}

// mainCheckout returns the main working tree of a git worktree checked out
// at root (its .git is a file "gitdir: <main>/.git/worktrees/<name>" whose
// commondir leads back to <main>/.git), or "" when root is not a worktree.
func mainCheckout(root string) string {
	b, err := os.ReadFile(filepath.Join(root, ".git"))
	if err != nil {
		return "" // not a file: an ordinary checkout (or no git at all)
	}
	gitdir, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir:")
	if !ok {
		return ""
	}
	gitdir = strings.TrimSpace(gitdir)
	if !filepath.IsAbs(gitdir) {
		gitdir = filepath.Join(root, gitdir)
	}
	common := gitdir
	if c, err := os.ReadFile(filepath.Join(gitdir, "commondir")); err == nil {
		common = strings.TrimSpace(string(c))
		if !filepath.IsAbs(common) {
			common = filepath.Join(gitdir, common)
		}
	}
	return filepath.Dir(filepath.Clean(common))
}

// repoRoot is the folder holding go.mod, from the test's working directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", os.ErrNotExist
		}
		dir = parent
	}
}

// ValidateFrabXML checks a schedule.xml against the shared XSD with xmllint.
func ValidateFrabXML(t testing.TB, doc []byte) {
	t.Helper()
	if err := FrabXMLError(t, doc); err != nil {
		t.Fatal(err)
	}
}

// FrabXMLError is xmllint's verdict on a schedule.xml (nil when valid).
func FrabXMLError(t testing.TB, doc []byte) error {
	t.Helper()
	xsd := filepath.Join(SharedDir(t), "schemas", "frab", "schedule.xml.xsd")
	bin := Tool(t, "xmllint")
	f := filepath.Join(t.TempDir(), "schedule.xml")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--schema", xsd, f).CombinedOutput()
	if err != nil {
		return fmt.Errorf("xmllint: %v\n%s", err, out)
	}
	return nil
}

// ValidateFrabJSON checks a schedule.json against the shared JSON schema.
func ValidateFrabJSON(t testing.TB, doc []byte) {
	t.Helper()
	if err := FrabJSONError(t, doc); err != nil {
		t.Fatal(err)
	}
}

// FrabJSONError is the JSON schema's verdict on a schedule.json (nil when
// valid).
func FrabJSONError(t testing.TB, doc []byte) error {
	t.Helper()
	path := filepath.Join(SharedDir(t), "schemas", "frab", "schema.json")
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	sch, err := c.Compile(path)
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("schedule.json is not JSON: %w", err)
	}
	if err := sch.Validate(v); err != nil {
		return fmt.Errorf("schedule.json does not match the schema: %w", err)
	}
	return nil
}

// WordsOffPage lists the words of a PDF (pdftotext -bbox) that reach into
// the outer margin of their page, which would be cut off in print.
func WordsOffPage(t testing.TB, pdf []byte, marginPt float64) []string {
	t.Helper()
	bin := Tool(t, "pdftotext")
	cmd := exec.Command(bin, "-bbox", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	pageRe := regexp.MustCompile(`<page width="([0-9.]+)" height="([0-9.]+)">`)
	wordRe := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>`)
	var bad []string
	var w, h float64
	for _, line := range strings.Split(string(out), "\n") {
		if m := pageRe.FindStringSubmatch(line); m != nil {
			w, _ = strconv.ParseFloat(m[1], 64)
			h, _ = strconv.ParseFloat(m[2], 64)
			continue
		}
		if m := wordRe.FindStringSubmatch(line); m != nil {
			var box [4]float64
			for i := range box {
				box[i], _ = strconv.ParseFloat(m[i+1], 64)
			}
			if box[0] < marginPt || box[1] < marginPt || box[2] > w-marginPt || box[3] > h-marginPt {
				bad = append(bad, fmt.Sprintf("%q at %.0f,%.0f–%.0f,%.0f on a %.0f×%.0f page", m[5], box[0], box[1], box[2], box[3], w, h))
			}
		}
	}
	return bad
}

// Winner is the nominee AddWinner makes; nobody else in the fixture has
// this name, so finding it in an export means the winner was revealed.
const Winner = "Søren Kierkegård-Ñúñez"

// Award names of AddWinner.
const (
	AwardName  = "The Patience Award"
	AwardTrait = "Patience"
)

// AddWinner adds an award category (announced at the ceremony, Monday 29
// March 16:00 Amsterdam = 14:00 UTC), nominates Winner and chooses them.
func AddWinner(t testing.TB, db *gorm.DB, f *Fixture) *models.Person {
	t.Helper()
	ctx := context.Background()
	org := models.Actor{Name: "organiser"}
	y := f.Summit.Year
	cat, err := models.SaveCategory(ctx, db, org, f.Summit.ID, 0, models.CategoryInput{Name: AwardName, Trait: AwardTrait,
		Description: "For staying calm through long, confusing requests.",
		OpensDay:    fmt.Sprintf("%d-12-01", y-1), OpensTime: "09:00", ClosesDay: fmt.Sprintf("%d-03-01", y), ClosesTime: "17:00"}, models.Now())
	if err != nil {
		t.Fatalf("category: %v", err)
	}
	winner, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: Winner, Email: fmt.Sprintf("winner-%d@summit.example", y), Department: "Billing", Role: models.RoleStaff, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(y, 2, 1, 12, 0, 0, 0, time.UTC)
	if _, err := models.Nominate(ctx, db, f.Summit.ID, f.People[0].ID, models.NominationInput{CategoryID: fmt.Sprint(cat.ID), NomineeID: fmt.Sprint(winner.ID),
		Story: "He stayed on the phone for an hour with a customer whose heating failed on a freezing night, and found a fix.", Served: models.ServedCustomer, Quotable: true}, when); err != nil {
		t.Fatalf("nominate: %v", err)
	}
	if err := models.ChooseWinners(ctx, db, org, f.Summit.ID, cat.ID, []uint{winner.ID}, "The judges' clear favourite.", time.Date(y, 3, 29, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("choose winners: %v", err)
	}
	return winner
}
