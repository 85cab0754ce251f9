package modelstest

import (
	"fmt"
	"os"
	"path/filepath"
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
