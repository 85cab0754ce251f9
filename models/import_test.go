package models_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

func problemAt(ps []models.ImportProblem, line int, column, part string) bool {
	for _, p := range ps {
		if p.Line == line && p.Column == column && strings.Contains(p.Message, part) {
			return true
		}
	}
	return false
}

func TestParseDirectoryCSVHandlesBOMCRLFAndQuotes(t *testing.T) {
	data := "\xEF\xBB\xBFname,email,department,job_title,manager_email,role\r\n" +
		"\"Olberg, Zoe\",zoe@example.com,Finance,\"Head of \"\"Finance\"\"\",,admin\r\n" +
		"Yusuf Ali,YUSUF@example.com,Warehouse,Picker,zoe@example.com,\r\n"
	rows, problems := models.ParseDirectoryCSV([]byte(data))
	if len(problems) != 0 {
		t.Fatalf("problems: %+v", problems)
	}
	if len(rows) != 2 || rows[0].Name != "Olberg, Zoe" || rows[0].JobTitle != `Head of "Finance"` || rows[1].Line != 3 {
		t.Fatalf("rows: %+v", rows)
	}
}

func TestParseDirectoryCSVListsEveryProblem(t *testing.T) {
	data := "name,email,department,job_title,manager_email,role\n" +
		"Ana,not-an-email,Support,,,staff\n" + // 2 bad email
		"Ben,ben@example.com,Support,,,boss\n" + // 3 unknown role
		"Ben Again,BEN@example.com,Support,,,\n" + // 4 duplicate
		"Cy,cy@example.com,Support\n" + // 5 wrong column count
		"Di,di@example.com,Supp\xffort,,,\n" + // 6 invalid UTF-8
		"Ed,ed@example.com,Support,,nobody@example.com,\n" // 7 unknown manager (checked against the directory)
	rows, problems := models.ParseDirectoryCSV([]byte(data))
	for _, want := range []struct {
		line      int
		col, part string
	}{
		{2, "email", "not an email address"},
		{3, "role", "not a role"},
		{4, "email", "already on line 3"},
		{5, "", "has 3 columns; the header has 6"},
		{6, "department", "not valid UTF-8"},
	} {
		if !problemAt(problems, want.line, want.col, want.part) {
			t.Errorf("no problem at line %d column %q (%s): %+v", want.line, want.col, want.part, problems)
		}
	}
	if len(rows) != 4 {
		t.Errorf("rows: %d", len(rows))
	}
	_, problems = models.ParseDirectoryCSV([]byte("name;email\nA;a@example.com\n"))
	if len(problems) == 0 || problems[0].Line != 1 {
		t.Fatalf("a bad header: %+v", problems)
	}
	_, problems = models.ParseDirectoryCSV([]byte("name,email,department,job_title,manager_email,role\nA,\"a@example.com,x,,,\n"))
	if len(problems) == 0 || !strings.Contains(problems[0].Message, "quote") {
		t.Fatalf("an open quote: %+v", problems)
	}
}

func TestImportCommitIsAllOrNothingAndIdempotent(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		boss, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Bea Boss", Email: "bea@example.com", Role: "admin", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		who := models.ActorOf(boss, "127.0.0.1")
		bad := "name,email,department,job_title,manager_email,role\nAna,ana@example.com,Support,,BEA@example.com,\nEd,ed@example.com,Support,,nobody@example.com,\n"
		pv, err := models.CreateImportPreview(ctx, db, boss.ID, "bad.csv", []byte(bad))
		if err != nil {
			t.Fatal(err)
		}
		if !problemAt(pv.Problems, 3, "manager_email", "neither in this file nor in the directory") {
			t.Fatalf("problems: %+v", pv.Problems)
		}
		if _, err := models.CommitImport(ctx, db, pv.ID, who); err != models.ErrImportHasProblems {
			t.Fatalf("commit with problems: %v", err)
		}
		var n int64
		db.Model(&models.Person{}).Count(&n)
		if n != 1 {
			t.Fatalf("%d people after a refused import", n)
		}
		// The manager may come later in the file.
		good := "name,email,department,job_title,manager_email,role\nAna,ana@example.com,Support,,cy@example.com,\nCy,cy@example.com,Support,Lead,bea@example.com,organiser\n"
		pv, _ = models.CreateImportPreview(ctx, db, boss.ID, "good.csv", []byte(good))
		res, err := models.CommitImport(ctx, db, pv.ID, who)
		if err != nil || res.Created != 2 {
			t.Fatalf("commit: %+v %v", res, err)
		}
		ana, _ := models.PersonByEmail(ctx, db, "ana@example.com")
		cy, _ := models.PersonByEmail(ctx, db, "cy@example.com")
		if ana.ManagerID == nil || *ana.ManagerID != cy.ID || cy.Role != "organiser" || *cy.ManagerID != boss.ID {
			t.Fatalf("ana %+v cy %+v", ana, cy)
		}
		pv, _ = models.CreateImportPreview(ctx, db, boss.ID, "good.csv", []byte(strings.ToUpper(good[:52])+good[52:]))
		res, err = models.CommitImport(ctx, db, pv.ID, who)
		if err != nil || res.Created != 0 || res.Updated != 0 || res.Unchanged != 2 {
			t.Fatalf("re-import: %+v %v", res, err)
		}
		// A cycle is refused as a whole.
		cyc := "name,email,department,job_title,manager_email,role\nAna,ana@example.com,Support,,cy@example.com,\nCy,cy@example.com,Support,Lead,ana@example.com,organiser\n"
		pv, _ = models.CreateImportPreview(ctx, db, boss.ID, "cycle.csv", []byte(cyc))
		if _, err := models.CommitImport(ctx, db, pv.ID, who); err == nil || !strings.Contains(err.Error(), "circle") {
			t.Fatalf("cycle: %v", err)
		}
		cy, _ = models.PersonByEmail(ctx, db, "cy@example.com")
		if *cy.ManagerID != boss.ID {
			t.Fatal("a refused import changed a manager")
		}
		// Export in the same format, formula-safe.
		models.UpdatePerson(ctx, db, models.ActorOf(nil, ""), ana.ID, models.PersonInput{Name: "=HYPERLINK(\"x\")", Email: ana.Email, Role: "staff", Active: true})
		rows, err := models.DirectoryCSV(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := csv.NewWriter(&buf).WriteAll(rows); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.HasPrefix(out, "name,email,department,job_title,manager_email,role,invited_at_utc,last_signed_in_at_utc\n") || !strings.Contains(out, `"'=HYPERLINK(""x"")"`) || !strings.Contains(out, "Cy,cy@example.com,Support,Lead,bea@example.com,organiser,,\n") {
			t.Fatalf("export:\n%s", out)
		}
	})
}
