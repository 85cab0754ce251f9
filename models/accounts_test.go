package models_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

const (
	oldPassword = "an old passphrase of five words"
	newPassword = "a brand new passphrase for me"
)

// account is an active person with oldPassword.
func account(t *testing.T, db *gorm.DB, name string, role models.Role) *models.Person {
	t.Helper()
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.com"
	p, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: name, Email: email, Department: "Support", Role: role, Active: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := models.SetPassword(ctx, db, p.ID, oldPassword); err != nil {
		t.Fatal(err)
	}
	return p
}

func sessionsOf(t *testing.T, db *gorm.DB, personID uint) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.LoginSession{}).Where("person_id = ?", personID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func passwordIs(t *testing.T, db *gorm.DB, personID uint, pw string) bool {
	t.Helper()
	p, err := models.GetPerson(ctx, db, personID)
	if err != nil {
		t.Fatal(err)
	}
	return models.VerifyPassword(p.PasswordHash, pw)
}

// A reset link works once, for an active person, until it expires or a newer
// one is sent; using it sets the password and ends every session.
func TestResetLinkWorksOnceAndEndsSessions(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ann := account(t, db, "Ann Able", models.RoleStaff)
		admin := account(t, db, "Ada Admin", models.RoleAdmin)
		if _, err := models.StartLoginSession(ctx, db, ann.ID, "10.0.0.1", "test"); err != nil {
			t.Fatal(err)
		}
		first, err := models.IssueResetToken(ctx, db, models.Actor{PersonID: admin.ID}, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := models.IssueResetToken(ctx, db, models.Actor{PersonID: admin.ID}, ann.ID)
		if err != nil || tok == first {
			t.Fatalf("second link: %v", err)
		}
		if _, err := models.PersonForResetToken(ctx, db, first); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("an earlier link still works after a new one was sent: %v", err)
		}
		for _, bad := range []string{"", strings.Repeat("x", 201), "not-a-token"} {
			if _, err := models.PersonForResetToken(ctx, db, bad); !errors.Is(err, models.ErrTokenInvalid) {
				t.Fatalf("token %.10q: %v", bad, err)
			}
		}
		p, err := models.PersonForResetToken(ctx, db, tok)
		if err != nil || p.ID != ann.ID {
			t.Fatalf("the link is for %v: %v", p, err)
		}
		_, err = models.ResetPassword(ctx, db, tok, "short", "")
		fieldErr(t, err, "password", "at least")
		if p, err = models.ResetPassword(ctx, db, tok, newPassword, ""); err != nil || p.ID != ann.ID {
			t.Fatalf("reset: %v", err)
		}
		if !passwordIs(t, db, ann.ID, newPassword) || passwordIs(t, db, ann.ID, oldPassword) {
			t.Fatal("the password did not change")
		}
		if n := sessionsOf(t, db, ann.ID); n != 0 {
			t.Fatalf("%d sessions survive a password reset", n)
		}
		if _, err := models.ResetPassword(ctx, db, tok, oldPassword, ""); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("the link works twice: %v", err)
		}
		// An expired link, and a link of someone deactivated since, do not work.
		late, _ := models.IssueResetToken(ctx, db, models.Actor{PersonID: 0}, ann.ID)
		if err := db.Model(&models.AccountToken{}).Where("token_hash = ?", models.HashToken(late)).Update("expires_at", time.Now().UTC().Add(-time.Minute)).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := models.PersonForResetToken(ctx, db, late); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("an expired link works: %v", err)
		}
		gone, _ := models.IssueResetToken(ctx, db, models.Actor{PersonID: 0}, ann.ID)
		if _, err := models.UpdatePerson(ctx, db, models.ActorOf(nil, ""), ann.ID, models.PersonInput{Name: ann.Name, Email: ann.Email, Role: models.RoleStaff, Active: false}); err != nil {
			t.Fatal(err)
		}
		if _, err := models.PersonForResetToken(ctx, db, gone); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("a deactivated person's link works: %v", err)
		}
		_, err = models.IssueResetToken(ctx, db, models.Actor{PersonID: admin.ID}, ann.ID)
		fieldErr(t, err, "person", "is deactivated")
	})
}

// Changing one's own password needs the current one and a good new one.
func TestChangePasswordNeedsTheCurrentOne(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ann := account(t, db, "Ann Able", models.RoleStaff)
		fieldErr(t, models.ChangePassword(ctx, db, ann.ID, "wrong words entirely", newPassword, ""), "current", "not your current password")
		fieldErr(t, models.ChangePassword(ctx, db, ann.ID, oldPassword, "short", ""), "password", "at least")
		if err := models.ChangePassword(ctx, db, ann.ID, oldPassword, newPassword, ""); err != nil {
			t.Fatal(err)
		}
		if !passwordIs(t, db, ann.ID, newPassword) {
			t.Fatal("the password did not change")
		}
		// Someone without a password (imported, never set up) cannot "change" it.
		bo, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Bo Bright", Email: "bo@example.com", Role: models.RoleStaff, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		fieldErr(t, models.ChangePassword(ctx, db, bo.ID, "", newPassword, ""), "current", "not your current password")
	})
}

// The first-run link exists only while there is no admin, works once, and
// makes a directory entry with the same email the admin (keeping its
// department).
func TestFirstRunSetupOnlyWhileThereIsNoAdmin(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		if ok, err := models.AdminExists(ctx, db); err != nil || ok {
			t.Fatalf("a fresh database has an admin: %v %v", ok, err)
		}
		if _, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Ada Lovelace", Email: "ada@example.com", Department: "Engineering", Role: models.RoleStaff, Active: true}); err != nil {
			t.Fatal(err)
		}
		tok, err := models.NewSetupToken(ctx, db)
		if err != nil || tok == "" {
			t.Fatalf("setup link: %q %v", tok, err)
		}
		if err := models.SetupTokenValid(ctx, db, tok); err != nil {
			t.Fatalf("a fresh setup link: %v", err)
		}
		_, err = models.CompleteSetup(ctx, db, tok, "Ada Lovelace", "ada@example.com", "short", "")
		fieldErr(t, err, "password", "at least")
		_, err = models.CompleteSetup(ctx, db, tok, "", "not an address", newPassword, "")
		fieldErr(t, err, "email", "Enter an email address")
		p, err := models.CompleteSetup(ctx, db, tok, "Ada Lovelace", "ada@example.com", newPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		if p.Role != models.RoleAdmin || p.Department != "Engineering" || !passwordIs(t, db, p.ID, newPassword) {
			t.Fatalf("the admin: %+v", p)
		}
		var people int64
		db.Model(&models.Person{}).Count(&people)
		if people != 1 {
			t.Fatalf("%d people: the directory entry should have become the admin", people)
		}
		if ok, err := models.AdminExists(ctx, db); err != nil || !ok {
			t.Fatalf("no admin after setup: %v", err)
		}
		if err := models.SetupTokenValid(ctx, db, tok); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("the setup link works after setup: %v", err)
		}
		if _, err := models.CompleteSetup(ctx, db, tok, "Eve", "eve@example.com", newPassword, ""); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("a second setup: %v", err)
		}
		if again, err := models.NewSetupToken(ctx, db); err != nil || again != "" {
			t.Fatalf("a setup link while an admin exists: %q %v", again, err)
		}
	})
}

// At most SignInMaxFailures passwords are checked per account and per
// address in SignInWindow, in sequence and all at once; a success does not
// count and ends the browser's old session; the window moves on.
func TestSignInLimitsPerAccountAndAddress(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ann := account(t, db, "Ann Able", models.RoleStaff)
		now := time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
		try := func(email, pw, ip string, at time.Time) error {
			_, _, err := models.SignIn(ctx, db, models.SignInInput{Email: email, Password: pw, IP: ip, UserAgent: "test"}, at)
			return err
		}
		_, _, err := models.SignIn(ctx, db, models.SignInInput{Email: "bad\xffaddress", Password: "x"}, now)
		fieldErr(t, err, "email", "not an email address")

		// A success ends the old session, starts a new one and is not counted.
		old, _ := models.StartLoginSession(ctx, db, ann.ID, "10.0.0.9", "old browser")
		p, tok, err := models.SignIn(ctx, db, models.SignInInput{Email: "ANN.able@example.com", Password: oldPassword, IP: "10.0.0.9", OldToken: old}, now)
		if err != nil || p.ID != ann.ID || tok == "" || tok == old {
			t.Fatalf("sign in: %v", err)
		}
		if _, err := models.PersonForSession(ctx, db, old); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("the old session survives sign-in: %v", err)
		}
		if got, err := models.PersonForSession(ctx, db, tok); err != nil || got.ID != ann.ID {
			t.Fatalf("the new session: %v", err)
		}
		var attempts int64
		db.Model(&models.SignInAttempt{}).Count(&attempts)
		if attempts != 0 {
			t.Fatalf("%d tries counted after a success", attempts)
		}

		// Per account: ten wrong passwords from ten addresses, then even the
		// right one is not checked.
		for i := 0; i < models.SignInMaxFailures; i++ {
			if err := try(ann.Email, "wrong", fmt.Sprintf("10.1.0.%d", i), now); !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("wrong password %d: %v", i+1, err)
			}
		}
		if err := try(ann.Email, oldPassword, "10.1.1.1", now.Add(time.Minute)); !errors.Is(err, models.ErrTooManySignIns) {
			t.Fatalf("the 11th try for one account: %v", err)
		}
		// The window moves on.
		if err := try(ann.Email, oldPassword, "10.1.1.1", now.Add(models.SignInWindow+time.Second)); err != nil {
			t.Fatalf("after the window: %v", err)
		}
		var failed int64
		db.Model(&models.AuditEvent{}).Where("action = ?", "signin.failed").Count(&failed)
		if failed != int64(models.SignInMaxFailures) {
			t.Fatalf("%d failed sign-ins audited, want %d", failed, models.SignInMaxFailures)
		}

		// Per address: ten unknown accounts from one address, then it waits.
		later := now.Add(time.Hour)
		for i := 0; i < models.SignInMaxFailures; i++ {
			if err := try(fmt.Sprintf("nobody%d@example.com", i), "guess", "10.2.0.1", later); !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("unknown account %d: %v", i, err)
			}
		}
		if err := try(ann.Email, oldPassword, "10.2.0.1", later); !errors.Is(err, models.ErrTooManySignIns) {
			t.Fatalf("the 11th try from one address: %v", err)
		}
		if err := try(ann.Email, oldPassword, "10.2.0.2", later); err != nil {
			t.Fatalf("another address: %v", err)
		}

		// All at once: thirty wrong passwords released together get exactly
		// SignInMaxFailures checks.
		burst := now.Add(2 * time.Hour)
		errs := make([]error, 30)
		modelstest.Together(len(errs), func(i int) {
			errs[i] = try(ann.Email, "wrong", fmt.Sprintf("10.3.0.%d", i), burst)
		})
		checked := 0
		for i, err := range errs {
			switch {
			case errors.Is(err, models.ErrBadCredentials):
				checked++
			case errors.Is(err, models.ErrTooManySignIns):
			default:
				t.Fatalf("burst try %d: %v", i, err)
			}
		}
		if checked != models.SignInMaxFailures {
			t.Fatalf("%d passwords checked in a burst of %d, want %d", checked, len(errs), models.SignInMaxFailures)
		}
	})
}
