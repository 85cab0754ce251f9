package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"summit/models"
)

func TestUserCreateMakesAnAdminFromTheShell(t *testing.T) {
	t.Setenv("DATABASE_URL", "")
	dir := filepath.Join(t.TempDir(), "data")
	var out bytes.Buffer
	err := run([]string{"user", "create", "--role", "admin", "--email", "Root@Example.com", "--name", "Ria Root", "--data-dir", dir, "--log-level", "error"},
		&out, strings.NewReader("a long admin passphrase\n"))
	if err != nil {
		t.Fatalf("user create: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "with role admin") {
		t.Fatalf("output: %s", out.String())
	}
	db, err := models.Open("", dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if ok, err := models.AdminExists(ctx, db); err != nil || !ok {
		t.Fatalf("no admin: %v", err)
	}
	if _, err := models.Authenticate(ctx, db, "root@example.com", "a long admin passphrase"); err != nil {
		t.Fatalf("sign in: %v", err)
	}
	// The account is audited like one made on the People page.
	if evs, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "person.create"}); err != nil || len(evs) != 1 ||
		!strings.Contains(evs[0].Summary, "Ria Root") || !strings.Contains(evs[0].ActorName, "summit user create") {
		t.Fatalf("audit of user create: %v %+v", err, evs)
	}
	if tok, err := models.NewSetupToken(ctx, db); err != nil || tok != "" {
		t.Fatalf("a setup link was made although an admin exists: %q %v", tok, err)
	}
	// A short password is refused with a message.
	err = run([]string{"user", "create", "--email", "x@example.com", "--data-dir", dir, "--log-level", "error"}, &out, strings.NewReader("short\n"))
	if err == nil || !strings.Contains(err.Error(), "at least 12") {
		t.Fatalf("short password: %v", err)
	}
}
