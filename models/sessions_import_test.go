package models_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

const sessionsHeader = "key,title,kind,day,start,end,room,track,speakers,seat_capacity,abstract\n"

func countRows(t *testing.T, db *gorm.DB, table string) int64 {
	t.Helper()
	var n int64
	if err := db.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func sessionProblemAt(ps []models.ImportProblem, line int, col string) string {
	for _, p := range ps {
		if p.Line == line && p.Column == col {
			return p.Message
		}
	}
	return ""
}

func importSessions(t *testing.T, db *gorm.DB, summitID uint, file string) *models.SessionImport {
	t.Helper()
	pv, err := models.CreateSessionImport(ctx, db, models.ActorOf(nil, ""), summitID, "sessions.csv", []byte(file), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return pv
}

// TestSessionImportListsEveryProblemByLineAndColumn: one file with each kind
// of problem; every one is named by its line and column, and nothing is
// written — no session, no speaker, no audit row.
func TestSessionImportListsEveryProblemByLineAndColumn(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		if _, err := models.CreateTrack(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.TrackInput{Name: "Skills", Pillar: "train", Color: "#336699"}); err != nil {
			t.Fatal(err)
		}
		in := f.session("Existing talk", "14:00", "15:00")
		in.SpeakerIDs = []string{id(f.ana.ID)}
		f.save(t, in)
		before := map[string]int64{}
		for _, tb := range []string{"sessions", "speakers", "audit_events", "session_speakers"} {
			before[tb] = countRows(t, db, tb)
		}
		file := sessionsHeader +
			"A1,Fine one,training,2027-03-11,09:00,10:00,Main Hall,Skills,José Núñez,40,\n" + // 2: fine
			"A2,Unknown room,training,2027-03-11,09:00,10:00,Ballroom,,,,\n" + // 3
			"A3,Unknown track,training,2027-03-11,10:00,11:00,,Cooking,,,\n" + // 4
			"A4,Bad kind,talk,2027-03-11,10:00,11:00,,,,,\n" + // 5
			"A5,Bad day,training,11/03/2027,10:00,11:00,,,,,\n" + // 6
			"A6,Outside,training,2027-04-01,10:00,11:00,,,,,\n" + // 7
			"A7,Backwards,training,2027-03-11,12:00,11:00,,,,,\n" + // 8
			"A8,Same room,training,2027-03-11,09:30,10:30,Main Hall,,,,\n" + // 9: clashes with line 2
			"A9,Speaker busy,panel,2027-03-11,14:30,15:30,,,Nguyễn Thị Ánh,,\n" + // 10: clashes with an existing session
			"A10,Seats,training,2027-03-12,09:00,10:00,Garden Studio,,,many,\n" + // 11
			"A11,Too many seats,training,2027-03-12,10:00,11:00,Garden Studio,,,30,\n" + // 12
			"A1,Twice,training,2027-03-12,11:00,12:00,,,,,\n" + // 13
			",No key,training,2027-03-12,12:00,13:00,,,,,\n" + // 14
			"A12,Bad time,training,2027-03-12,9h,10:00,,,,,\n" + // 15
			"A13,Unknown email,training,2027-03-12,14:00,15:00,,,nobody@example.com,,\n" // 16
		pv := importSessions(t, db, f.summit.ID, file)
		want := map[[2]any]string{
			{3, "room"}: "no room “Ballroom”", {4, "track"}: "no track “Cooking”", {5, "kind"}: "“talk” is not a kind",
			{6, "day"}: "YYYY-MM-DD", {7, "day"}: "not one of the summit's days", {8, "end"}: "after the start",
			{9, "room"}: "(line 2 of this file)", {10, "speakers"}: "“Existing talk”", {11, "seat_capacity"}: "“many” is not a number",
			{12, "seat_capacity"}: "more than Garden Studio holds (20)", {13, "key"}: "already on line 2", {14, "key"}: "Give each session a key",
			{15, "start"}: "09:30", {16, "speakers"}: "nobody's address",
		}
		for at, frag := range want {
			if m := sessionProblemAt(pv.Problems, at[0].(int), at[1].(string)); !strings.Contains(m, frag) {
				t.Errorf("line %d column %s: %q, want it to say %q", at[0], at[1], m, frag)
			}
		}
		if m := sessionProblemAt(pv.Problems, 2, ""); m != "" || len(pv.Problems) != len(want) {
			t.Errorf("problems: %+v", pv.Problems)
		}
		for tb, n := range before {
			if got := countRows(t, db, tb); got != n {
				t.Errorf("%s: %d rows, had %d: a preview wrote", tb, got, n)
			}
		}
		if _, err := models.CommitSessionImport(ctx, db, models.ActorOf(nil, ""), f.summit.ID, pv.ID, time.Now()); !errors.Is(err, models.ErrImportHasProblems) {
			t.Fatalf("commit of a file with problems: %v", err)
		}
	})
}

// TestSessionImportCommitsThenUpdatesByKey: a file commits all at once
// (Unicode, quotes and line breaks kept, formula-looking text kept as text,
// new guests and directory speakers); the same file again changes nothing;
// a changed line updates its session instead of adding one; the export in
// the same format imports back unchanged.
func TestSessionImportCommitsThenUpdatesByKey(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		boss, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Zoë Ølberg", Email: "zoe@example.com", Role: models.RoleStaff, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		who := models.ActorOf(boss, "127.0.0.1")
		file := sessionsHeader +
			"K1,=SUM(A1),keynote,2027-03-11,09:00,10:00,Main Hall,,ZOE@example.com,,\"Opening, with \"\"quotes\"\"\nand a second line\"\n" +
			"K2,Čaj a služba,training,2027-03-11,10:30,11:30,Garden Studio,,Nguyễn Thị Ánh; Ada Gästin,20,\n" +
			"K3,Lunch,break,2027-03-11,12:00,13:00,,,,,\n"
		pv, err := models.CreateSessionImport(ctx, db, who, f.summit.ID, "agenda.csv", []byte(file), time.Now())
		if err != nil || len(pv.Problems) > 0 {
			t.Fatalf("preview: %v %+v", err, pv.Problems)
		}
		c := pv.Counts()
		if c.Created != 3 || strings.Join(c.NewSpeakers, ",") != "Zoë Ølberg,Ada Gästin" {
			t.Fatalf("counts %+v", c)
		}
		res, err := models.CommitSessionImport(ctx, db, who, f.summit.ID, pv.ID, time.Now())
		if err != nil || res.Created != 3 {
			t.Fatalf("commit: %+v %v", res, err)
		}
		if _, err := models.CommitSessionImport(ctx, db, who, f.summit.ID, pv.ID, time.Now()); !errors.Is(err, models.ErrImportCommitted) {
			t.Fatalf("second commit: %v", err)
		}
		list, err := models.ListSessions(ctx, db, f.summit, models.AgendaFilter{})
		if err != nil || len(list) != 3 {
			t.Fatalf("sessions: %d %v", len(list), err)
		}
		first := list[0]
		if first.Title != "=SUM(A1)" || first.Abstract != "Opening, with \"quotes\"\nand a second line" || first.ImportKey != "K1" ||
			len(first.Speakers) != 1 || first.Speakers[0].PersonID == nil || *first.Speakers[0].PersonID != boss.ID {
			t.Fatalf("first session: %+v", first)
		}
		if len(list[1].Speakers) != 2 || list[1].Speakers[1].Name != "Ada Gästin" || list[1].Speakers[1].PersonID != nil || list[1].Title != "Čaj a služba" {
			t.Fatalf("second session: %+v", list[1])
		}
		var audits []models.AuditEvent
		db.Where("action = ?", "sessions.import").Find(&audits)
		var creates int64
		db.Model(&models.AuditEvent{}).Where("action = ? AND actor_id = ?", "session.create", boss.ID).Count(&creates)
		if len(audits) != 1 || audits[0].ActorID == nil || *audits[0].ActorID != boss.ID || creates != 3 {
			t.Fatalf("audit: %+v, %d creates by the importer", audits, creates)
		}

		// The same file again: nothing changes.
		again := importSessions(t, db, f.summit.ID, file)
		if c := again.Counts(); c.Unchanged != 3 || c.Created+c.Updated != 0 || len(c.NewSpeakers) != 0 {
			t.Fatalf("again: %+v %+v", c, again.Problems)
		}
		// One line moved: that session is updated, not copied.
		moved := strings.Replace(file, "K2,Čaj a služba,training,2027-03-11,10:30,11:30", "K2,Čaj a služba,training,2027-03-12,10:30,11:30", 1)
		pv2 := importSessions(t, db, f.summit.ID, moved)
		if c := pv2.Counts(); c.Updated != 1 || c.Unchanged != 2 || len(pv2.Problems) != 0 {
			t.Fatalf("moved: %+v %+v", c, pv2.Problems)
		}
		if _, err := models.CommitSessionImport(ctx, db, models.ActorOf(nil, ""), f.summit.ID, pv2.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		got, err := models.GetSession(ctx, db, f.summit.ID, list[1].ID)
		if err != nil || got.StartsAt.In(f.summit.Location()).Format(models.DateLayout) != "2027-03-12" {
			t.Fatalf("K2 after the update: %+v %v", got, err)
		}
		if n := countRows(t, db, "sessions"); n != 3 {
			t.Fatalf("%d sessions after importing twice, want 3", n)
		}

		// A session made in the form has no key; the export gives its uuid,
		// and the exported file imports back unchanged.
		f.save(t, f.session("Made by hand", "15:00", "16:00"))
		rows, err := models.SessionsImportCSV(ctx, db, f.summit)
		if err != nil {
			t.Fatal(err)
		}
		if rows[1][1] != "'=SUM(A1)" {
			t.Fatalf("export cell not formula-safe: %q", rows[1][1])
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.WriteAll(rows)
		back := importSessions(t, db, f.summit.ID, buf.String())
		if c := back.Counts(); c.Unchanged != 4 || len(back.Problems) != 0 {
			t.Fatalf("round trip: %+v %+v", c, back.Problems)
		}
	})
}

// TestSessionImportCommitChecksAgainAndWritesNothingOnAProblem: the agenda
// changed between the preview and the commit (a session took the room);
// the commit finds the clash and writes none of the file.
func TestSessionImportCommitChecksAgainAndWritesNothingOnAProblem(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		pv := importSessions(t, db, f.summit.ID, sessionsHeader+
			"B1,First,training,2027-03-11,09:00,10:00,Main Hall,,,,\n"+
			"B2,Second,training,2027-03-11,11:00,12:00,Main Hall,,,,\n")
		if len(pv.Problems) != 0 {
			t.Fatalf("%+v", pv.Problems)
		}
		f.save(t, f.session("Taken meanwhile", "11:30", "12:30"))
		_, err := models.CommitSessionImport(ctx, db, models.ActorOf(nil, ""), f.summit.ID, pv.ID, time.Now())
		var probs models.ImportProblems
		if !errors.As(err, &probs) || len(probs) != 1 || probs[0].Line != 3 || probs[0].Column != "room" || !strings.Contains(probs[0].Message, "Taken meanwhile") {
			t.Fatalf("commit: %v %+v", err, probs)
		}
		if n := countRows(t, db, "sessions"); n != 1 {
			t.Fatalf("%d sessions: the import wrote part of the file", n)
		}

		// An update previewed, then the session is changed in the form:
		// the commit refuses to overwrite it, naming the change.
		first := importSessions(t, db, f.summit.ID, sessionsHeader+"C1,Clinic,training,2027-03-12,09:00,10:00,Garden Studio,,,,\n")
		if _, err := models.CommitSessionImport(ctx, db, models.ActorOf(nil, ""), f.summit.ID, first.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		upd := importSessions(t, db, f.summit.ID, sessionsHeader+"C1,Clinic,training,2027-03-12,10:00,11:00,Garden Studio,,,,\n")
		if c := upd.Counts(); c.Updated != 1 || len(upd.Problems) != 0 {
			t.Fatalf("update preview: %+v %+v", c, upd.Problems)
		}
		var clinic models.Session
		db.Where("import_key = ?", "C1").First(&clinic)
		in := f.session("Clinic", "09:00", "10:00")
		in.Day, in.RoomID = "2027-03-12", id(f.studio.ID)
		in.EndTime = "10:30"
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, "Mira"), f.summit.ID, clinic.ID, in, time.Now()); err != nil {
			t.Fatal(err)
		}
		_, err = models.CommitSessionImport(ctx, db, models.ActorOf(nil, ""), f.summit.ID, upd.ID, time.Now())
		if !errors.As(err, &probs) || len(probs) != 1 || probs[0].Column != "key" || !strings.Contains(probs[0].Message, "was changed") {
			t.Fatalf("commit over a newer version: %v %+v", err, probs)
		}
		db.First(&clinic, clinic.ID)
		if got := clinic.EndsAt.In(f.summit.Location()).Format("15:04"); got != "10:30" {
			t.Fatalf("the form's change was overwritten: ends %s", got)
		}
	})
}

// TestSessionImportCommittedOnceUnderRace: two commits of one preview at the
// same moment; one imports, the other is told it was imported already.
func TestSessionImportCommittedOnceUnderRace(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		pv := importSessions(t, db, f.summit.ID, sessionsHeader+
			"R1,One,training,2027-03-11,09:00,10:00,Main Hall,,,,\nR2,Two,training,2027-03-11,10:00,11:00,Main Hall,,,,\n")
		errs := make(chan error, 2)
		var start sync.WaitGroup
		start.Add(1)
		for i := 0; i < 2; i++ {
			go func() {
				start.Wait()
				_, err := models.CommitSessionImport(ctx, db, models.ActorOf(nil, ""), f.summit.ID, pv.ID, time.Now())
				errs <- err
			}()
		}
		start.Done()
		var ok, twice int
		for i := 0; i < 2; i++ {
			switch err := <-errs; {
			case err == nil:
				ok++
			case errors.Is(err, models.ErrImportCommitted):
				twice++
			default:
				t.Errorf("commit: %v", err)
			}
		}
		if ok != 1 || twice != 1 || countRows(t, db, "sessions") != 2 {
			t.Fatalf("%d imported, %d told it was done, %d sessions", ok, twice, countRows(t, db, "sessions"))
		}
	})
}

// TestSessionImportHeaderProblems: an empty file, a wrong header, a missing
// column and a binary file are each one clear problem on line 1.
func TestSessionImportHeaderProblems(t *testing.T) {
	for name, c := range map[string]struct{ data, frag string }{
		"empty":    {"", "The file is empty"},
		"wrong":    {"name,email\nA,b@example.com\n", "Unknown column “name”"},
		"missing":  {"KEY,Title,kind,day,start,end,room,track,speakers,abstract\n", "no seat_capacity column"},
		"binary":   {"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "This file is not a CSV text file"},
		"latin1":   {"key,t\xeftle\n", "The first line is not valid UTF-8 text"},
		"utf16":    {"\xff\xfek", "UTF-16 text but is cut short"},
		"long":     {strings.Repeat("é", 5000) + "\n", "Unknown column “" + strings.Repeat("é", 80) + "…”"},
		"nobody":   {sessionsHeader, "no sessions"},
		"too many": {sessionsHeader + strings.Repeat("K,T,social,2027-03-11,09:00,10:00,,,,,\n", models.MaxSessionLines+1), "import at most 5000 at a time"},
	} {
		rows, probs := models.ParseSessionCSV([]byte(c.data))
		if name == "too many" {
			rows = nil // read, but not checked against a summit
		}
		if len(rows) != 0 || len(probs) == 0 || !strings.Contains(fmt.Sprint(probs), c.frag) {
			t.Errorf("%s: %d rows, %+v; want %q", name, len(rows), probs, c.frag)
		}
	}
}

// TestSessionImportReadsHeadersWrittenForPeople: "Seat capacity" with a
// space and "End" in capitals name the same columns as seat_capacity and end.
func TestSessionImportReadsHeadersWrittenForPeople(t *testing.T) {
	data := "Key,Title,Kind,Day,Start,End,Room,Track,Speakers,Seat capacity,Abstract\n" +
		"k1,Opening,social,2027-03-11,09:00,10:00,,,,25,Hello\n"
	rows, probs := models.ParseSessionCSV([]byte(data))
	if len(probs) != 0 || len(rows) != 1 || rows[0].Capacity != "25" || rows[0].End != "10:00" {
		t.Fatalf("rows %+v, problems %+v; want one row with 25 seats ending 10:00", rows, probs)
	}
}

// TestSessionImportOfManyLinesCommitsInOneTransaction: 2,000 lines (no
// room, so no clashes) are previewed and committed in one go, and the
// timing is logged (docs/PERFORMANCE.md).
func TestSessionImportOfManyLinesCommitsInOneTransaction(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAgenda(t, db)
		var b strings.Builder
		b.WriteString(sessionsHeader)
		for i := 0; i < 2000; i++ {
			day := "2027-03-11"
			if i >= 1000 {
				day = "2027-03-12"
			}
			m := (i % 1000) % 100
			fmt.Fprintf(&b, "S%04d,Session %d,training,%s,%02d:%02d,%02d:%02d,,,,,\n", i, i, day, 8+m/10, (m%10)*5, 8+m/10, (m%10)*5+5)
		}
		start := time.Now()
		pv := importSessions(t, db, f.summit.ID, b.String())
		took := time.Since(start)
		if len(pv.Problems) != 0 || pv.Counts().Created != 2000 {
			t.Fatalf("%d problems, first %+v", len(pv.Problems), pv.Problems[:min(3, len(pv.Problems))])
		}
		start = time.Now()
		res, err := models.CommitSessionImport(ctx, db, models.ActorOf(nil, ""), f.summit.ID, pv.ID, time.Now())
		if err != nil || res.Created != 2000 {
			t.Fatalf("commit: %+v %v", res, err)
		}
		t.Logf("2,000 lines: preview %v, commit %v", took.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
		if n := countRows(t, db, "sessions"); n != 2000 {
			t.Fatalf("%d sessions", n)
		}
	})
}
