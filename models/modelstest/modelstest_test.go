package modelstest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// recorder stands in for a test: it records Fatal and Skip instead of
// stopping the goroutine.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Fatal(args ...any)            { r.fatal = fmt.Sprint(args...) }
func (r *recorder) Skip(args ...any)             { r.skip = fmt.Sprint(args...) }
func (r *recorder) Fatalf(f string, args ...any) { r.fatal = fmt.Sprintf(f, args...) }

// Under CI a missing tool fails the test; elsewhere the test skips and the
// banner names what did not run, in the log file scripts/test.sh repeats.
func TestNotRunFailsUnderCIAndSkipsLoudlyElsewhere(t *testing.T) {
	log := filepath.Join(t.TempDir(), "not-run.log")
	t.Setenv(NotRunLogEnv, log)

	t.Setenv("CI", "1")
	r := &recorder{TB: t}
	NotRun(r, "WIDGET CHECKS", "widget is not installed")
	if r.fatal == "" || r.skip != "" || !strings.Contains(r.fatal, "WIDGET CHECKS NOT RUN: widget is not installed") {
		t.Fatalf("under CI: fatal %q, skip %q; want a failure naming what did not run", r.fatal, r.skip)
	}

	t.Setenv("CI", "")
	for i := 0; i < 2; i++ {
		r = &recorder{TB: t}
		NotRun(r, "GADGET CHECKS", "gadget is not installed")
		if r.fatal != "" || !strings.Contains(r.skip, "GADGET CHECKS NOT RUN: gadget is not installed") {
			t.Fatalf("outside CI: fatal %q, skip %q; want a skip naming what did not run", r.fatal, r.skip)
		}
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatalf("the banner log was not written: %v", err)
	}
	if got := string(b); got != "!!! GADGET CHECKS NOT RUN: gadget is not installed\n" {
		t.Fatalf("banner log %q: want the banner once (and nothing for the CI failure)", got)
	}
}

// No test gives up on its own: every skip in the repository goes through
// NotRun, so under CI it fails and elsewhere it prints its banner. A bare
// t.Skip (found once, in the connection-loss tests) would pass quietly.
func TestEverySkipGoesThroughNotRun(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the repository root %s: %v", root, err)
	}
	own := filepath.Join(root, "models", "modelstest", "modelstest.go")
	skip := regexp.MustCompile(`\.Sk` + `ip(f|Now)?\(`)
	files := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); path != root && (strings.HasPrefix(n, ".") || n == "test-output" || n == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || path == own {
			return nil
		}
		files++
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if skip.MatchString(line) {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s:%d skips without modelstest.NotRun: %s", rel, i+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read only %d Go files under %s", files, root)
	}
}
