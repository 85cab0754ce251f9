package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"summit/app"
	"summit/models"
)

// settingsInSource lists the environment variables main.go reads, so a new
// setting cannot be added without the help text naming it.
func settingsInSource(t *testing.T) []string {
	t.Helper()
	src, err := os.ReadFile("main.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`env\("([A-Z_]+)"`).FindAllStringSubmatch(string(src), -1) {
		out = append(out, m[1])
	}
	if len(out) < 7 {
		t.Fatalf("found only %v in main.go", out)
	}
	return out
}

func TestHelpListsCommandsAndEverySetting(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"serve", "--help"}, {"migrate", "-h"}} {
		var out bytes.Buffer
		if err := run(args, &out, strings.NewReader("")); err != nil {
			t.Fatalf("summit %v: %v", args, err)
		}
		help := out.String()
		for _, cmd := range []string{"summit [serve]", "summit migrate", "summit seed --demo", "summit user create", "summit clone --from", "summit help"} {
			if !strings.Contains(help, cmd) {
				t.Errorf("summit %v does not list %q:\n%s", args, cmd, help)
			}
		}
		for _, env := range settingsInSource(t) {
			if !strings.Contains(help, env) {
				t.Errorf("summit %v does not name the setting %s", args, env)
			}
		}
		// Every flag the commands accept is named too.
		fs := flag.NewFlagSet("x", flag.ContinueOnError)
		bindConfig(fs, &app.Config{})
		fs.VisitAll(func(f *flag.Flag) {
			if !strings.Contains(help, "--"+f.Name) {
				t.Errorf("summit %v does not name the flag --%s", args, f.Name)
			}
		})
	}
}

func TestUnknownCommandIsAnError(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"launch"}, &out, strings.NewReader(""))
	if err == nil || !strings.Contains(err.Error(), `unknown command "launch"`) {
		t.Fatalf("want an unknown-command error, got %v", err)
	}
	if err := run([]string{"serve", "--no-such-flag"}, &out, strings.NewReader("")); err == nil {
		t.Fatal("an unknown flag was accepted")
	}
}

func TestMigrateAndSeedOnAFreshDataFolder(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := filepath.Join(t.TempDir(), "data")
	var out bytes.Buffer
	if err := run([]string{"migrate", "--data-dir", dir, "--log-level", "error"}, &out, strings.NewReader("")); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "summit.db")); err != nil {
		t.Fatalf("no SQLite file after migrate: %v", err)
	}
	out.Reset()
	if err := run([]string{"seed", "--data-dir", dir, "--log-level", "error"}, &out, strings.NewReader("")); err == nil || !strings.Contains(err.Error(), "--demo") {
		t.Fatalf("seed without --demo: %v", err)
	}
	if err := run([]string{"seed", "--demo", "--data-dir", dir, "--log-level", "error"}, &out, strings.NewReader("")); err != nil {
		t.Fatalf("seed --demo: %v", err)
	}
	for _, want := range []string{"Demo summit created", models.DemoPassword, models.DemoEmail("anh.nguyen"), "organiser", "admin"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("seed output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run([]string{"seed", "--demo", "--data-dir", dir, "--log-level", "error"}, &out, strings.NewReader("")); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	if !strings.Contains(out.String(), "already holds a summit") {
		t.Fatalf("second seed: %s", out.String())
	}
}

// seed --demo --sessions N adds a published synthetic summit of N sessions
// (for benchmarks) beside the demo, and says where it is.
func TestSeedSyntheticSessions(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := filepath.Join(t.TempDir(), "data")
	var out bytes.Buffer
	if err := run([]string{"seed", "--demo", "--sessions", "150", "--data-dir", dir, "--log-level", "error", "--base-url", "http://summit.test/"}, &out, strings.NewReader("")); err != nil {
		t.Fatalf("seed --demo --sessions 150: %v\n%s", err, out.String())
	}
	m := regexp.MustCompile(`Synthetic summit created: .*\(150 sessions\)\. Open http://summit\.test/summits/(\d+)`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("seed output does not name the synthetic summit:\n%s", out.String())
	}
	db, err := models.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	if err := db.Model(&models.Session{}).Where("summit_id = ?", m[1]).Count(&n).Error; err != nil || n != 150 {
		t.Fatalf("the synthetic summit has %d sessions (%v), want 150", n, err)
	}
	var status string // Pluck fills a plain string, not a named one
	if err := db.Model(&models.Summit{}).Where("id = ?", m[1]).Pluck("status", &status).Error; err != nil || models.SummitStatus(status) != models.StatusPublished {
		t.Fatalf("the synthetic summit is %q (%v), want published", status, err)
	}
	if err := run([]string{"seed", "--demo", "--sessions", "0x", "--data-dir", dir, "--log-level", "error"}, &out, strings.NewReader("")); err == nil {
		t.Fatal("--sessions 0x was accepted")
	}
}
