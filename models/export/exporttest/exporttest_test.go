package exporttest

import (
	"os"
	"path/filepath"
	"testing"
)

// A git worktree's .git file leads back to the main checkout, beside which
// the shared folder lives; an ordinary checkout has no main checkout to find.
func TestMainCheckoutOfAWorktree(t *testing.T) {
	dir := t.TempDir()
	main := filepath.Join(dir, "main")
	wt := filepath.Join(dir, "wt", "feature")
	gitdir := filepath.Join(main, ".git", "worktrees", "feature")
	for _, d := range []string{gitdir, wt} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(wt, ".git"), "gitdir: "+gitdir+"\n")
	write(filepath.Join(gitdir, "commondir"), "../..\n")
	if got := mainCheckout(wt); got != main {
		t.Fatalf("main checkout of the worktree: %q, want %q", got, main)
	}
	if got := mainCheckout(main); got != "" {
		t.Fatalf("an ordinary checkout (.git is a folder) has no main checkout, got %q", got)
	}
	// The repository this test runs in finds the shared schemas without a
	// machine-specific path (CI fails here if they are missing).
	if d := SharedDir(t); d == "" {
		t.Fatal("no shared folder")
	}
}
