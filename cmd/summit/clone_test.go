package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// summit clone copies the demo summit from the shell, on both databases:
// the chosen parts, sessions at the same local times on days past a
// daylight-saving change, nothing personal, the source recorded; --dry-run
// writes nothing and bad input is refused with the flag named.
func TestCloneCommandCopiesTheDemo(t *testing.T) {
	ctx := context.Background()
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			var flags []string
			var db *gorm.DB
			var err error
			if dialect == "sqlite" {
				t.Setenv("DATABASE_URL", "")
				dir := filepath.Join(t.TempDir(), "data")
				flags = []string{"--data-dir", dir}
				db, err = models.Open("", dir)
			} else {
				url := modelstest.NewPostgresURL(t)
				flags = []string{"--database-url", url}
				db, err = models.Open(url, "")
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, err := models.Migrate(ctx, db); err != nil {
				t.Fatal(err)
			}
			if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
				t.Fatal(err)
			}
			var from models.Summit
			if err := db.Where("year = 2027").First(&from).Error; err != nil {
				t.Fatal(err)
			}
			clone := func(args ...string) (string, error) {
				var out bytes.Buffer
				err := run(append(append([]string{"clone"}, args...), flags...), &out, strings.NewReader(""))
				return out.String(), err
			}
			count := func() int64 {
				var n int64
				db.Model(&models.Summit{}).Count(&n)
				return n
			}
			before := count()
			out, err := clone("--from", "Service Summit 2027", "--start", "2028-04-06", "--dry-run")
			if err != nil || !strings.Contains(out, "“Service Summit 2028”") || !strings.Contains(out, "35 sessions") || !strings.Contains(out, "Dry run") || count() != before {
				t.Fatalf("dry run: %v\n%s", err, out)
			}
			if _, err := clone("--from", "Service Summit 2027", "--start", "2028-04-06", "--parts", "rooms,winners"); err == nil || !strings.Contains(err.Error(), "winners") {
				t.Fatalf("an unknown part: %v", err)
			}
			if _, err := clone("--from", "Service Summit 1999", "--start", "2028-04-06"); err == nil || !strings.Contains(err.Error(), "no summit called") {
				t.Fatalf("an unknown summit: %v", err)
			}
			if _, err := clone("--from", strconv.FormatUint(uint64(from.ID), 10), "--start", "2027-01-01"); err == nil || !strings.Contains(err.Error(), "--start: ") {
				t.Fatalf("a start before the original: %v", err)
			}
			out, err = clone("--from", strconv.FormatUint(uint64(from.ID), 10), "--start", "2028-04-06", "--title", "Service Summit 2028 Europe", "--parts", "rooms,tracks,speakers,sessions")
			if err != nil || !strings.Contains(out, "Created draft") {
				t.Fatalf("clone: %v\n%s", err, out)
			}
			var to models.Summit
			if err := db.Where("title = ?", "Service Summit 2028 Europe").First(&to).Error; err != nil {
				t.Fatal(err)
			}
			if to.Status != models.StatusDraft || to.CopiedFromID == nil || *to.CopiedFromID != from.ID || to.StartDate != "2028-04-06" || to.EndDate != "2028-04-07" {
				t.Fatalf("the draft: %+v", to)
			}
			loc := from.Location()
			old, _ := models.ListSessions(ctx, db, &from, models.AgendaFilter{})
			got, _ := models.ListSessions(ctx, db, &to, models.AgendaFilter{})
			if len(got) != len(old) {
				t.Fatalf("%d of %d sessions", len(got), len(old))
			}
			for i := range old {
				if got[i].StartsAt.In(loc).Format("15:04") != old[i].StartsAt.In(loc).Format("15:04") || got[i].Title != old[i].Title {
					t.Fatalf("%q at %s became %q at %s", old[i].Title, old[i].StartsAt.In(loc), got[i].Title, got[i].StartsAt.In(loc))
				}
			}
			var cats, regs int64
			db.Model(&models.AwardCategory{}).Where("summit_id = ?", to.ID).Count(&cats)
			db.Raw("SELECT COUNT(*) FROM registrations r JOIN sessions x ON x.id = r.session_id WHERE x.summit_id = ?", to.ID).Scan(&regs)
			if cats != 0 || regs != 0 {
				t.Fatalf("awards were not chosen (%d copied) and registrations are never copied (%d)", cats, regs)
			}
			if w, _ := models.GetRegistrationWindow(ctx, db, to.ID); w.OpensAt != nil {
				t.Fatal("the registration window was not chosen")
			}
			if to.Theme != "" {
				t.Fatalf("texts were not chosen: %q", to.Theme)
			}
		})
	}
}

// summit clone --help explains the command and names every part.
func TestCloneHelpNamesEveryPart(t *testing.T) {
	var out bytes.Buffer
	if err := run([]string{"clone", "--help"}, &out, strings.NewReader("")); err != nil {
		t.Fatal(err)
	}
	for _, want := range append([]string{"--from", "--start", "--dry-run", "Never copied", "nominations"}, models.CloneParts...) {
		if !strings.Contains(out.String(), want) {
			t.Errorf("clone --help lacks %q:\n%s", want, out.String())
		}
	}
	if err := run([]string{"clone", "--start", "2028-01-01"}, &out, strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "usage: summit clone") {
		t.Fatalf("without --from: %v", err)
	}
}
