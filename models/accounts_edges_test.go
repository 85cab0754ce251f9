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

// tokenRow is the stored row of a one-time link, as the database holds it.
func tokenRow(t *testing.T, db *gorm.DB, tok string) models.AccountToken {
	t.Helper()
	var row models.AccountToken
	if err := db.Where("token_hash = ?", models.HashToken(tok)).First(&row).Error; err != nil {
		t.Fatalf("the link's row: %v", err)
	}
	return row
}

// A reset link records the admin who sent it (and nobody when none did), and
// however many tabs use one link at once, exactly one new password is set.
func TestResetLinkRecordsWhoSentItAndWorksOnceAtOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ann := account(t, db, "Ann Able", models.RoleStaff)
		admin := account(t, db, "Ada Admin", models.RoleAdmin)
		tok, err := models.IssueResetToken(ctx, db, models.Actor{PersonID: admin.ID}, ann.ID)
		if err != nil {
			t.Fatal(err)
		}
		if row := tokenRow(t, db, tok); row.CreatedByID == nil || *row.CreatedByID != admin.ID {
			t.Fatalf("the link does not record the admin who sent it: %v", row.CreatedByID)
		}
		self, err := models.IssueResetToken(ctx, db, models.Actor{PersonID: 0}, ann.ID)
		if err != nil {
			t.Fatalf("a link nobody sent: %v", err)
		}
		if row := tokenRow(t, db, self); row.CreatedByID != nil {
			t.Fatalf("a link nobody sent names person %d as its sender", *row.CreatedByID)
		}
		if p, err := models.PersonForResetToken(ctx, db, self); err != nil || p.ID != ann.ID {
			t.Fatalf("the link nobody sent: %v", err)
		}

		// Eight tabs submit the same link at once, each with its own
		// password, in rounds: one wins, the others are told the link is
		// used, and the password is the winner's.
		for round := 0; round < 3; round++ {
			link, err := models.IssueResetToken(ctx, db, models.Actor{PersonID: admin.ID}, ann.ID)
			if err != nil {
				t.Fatal(err)
			}
			errs := make([]error, 8)
			pw := func(i int) string { return fmt.Sprintf("round %d tab %d new passphrase", round, i) }
			modelstest.Together(len(errs), func(i int) {
				_, errs[i] = models.ResetPassword(ctx, db, link, pw(i), "")
			})
			winner := -1
			for i, err := range errs {
				switch {
				case err == nil && winner >= 0:
					t.Fatalf("round %d: one link set two passwords (tabs %d and %d)", round, winner, i)
				case err == nil:
					winner = i
				case !errors.Is(err, models.ErrTokenInvalid):
					t.Fatalf("round %d tab %d: %v", round, i, err)
				}
			}
			if winner < 0 || !passwordIs(t, db, ann.ID, pw(winner)) {
				t.Fatalf("round %d: the password is not the one of the tab that won (%d)", round, winner)
			}
		}
	})
}

// A first-run link that was never issued is refused; a real one stops
// working as soon as an admin exists some other way; and a form with several
// mistakes gets a message for each.
func TestFirstRunSetupRefusesUnknownLinksAndReportsEveryMistake(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		if err := models.SetupTokenValid(ctx, db, "a-link-nobody-issued"); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("an unknown setup link, with no admin yet: %v", err)
		}
		tok, err := models.NewSetupToken(ctx, db)
		if err != nil || tok == "" {
			t.Fatalf("setup link: %q %v", tok, err)
		}
		_, err = models.CompleteSetup(ctx, db, tok, "Ada Lovelace", "not an address", "short", "")
		fieldErr(t, err, "password", "at least")
		fieldErr(t, err, "email", "Enter an email address")

		// An admin made another way (the command line) ends the link.
		account(t, db, "Ada Admin", models.RoleAdmin)
		if err := models.SetupTokenValid(ctx, db, tok); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("the setup link works once an admin exists: %v", err)
		}
		if _, err := models.CompleteSetup(ctx, db, tok, "Eve", "eve@example.com", newPassword, ""); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("setup once an admin exists: %v", err)
		}
	})
}

// Every sign-in is in the audit log: a success under the person's name, a
// failure with the address typed, shortened visibly only past 100
// characters. The longest address an account may have (254 characters)
// signs in.
func TestSignInIsAuditedAndTakesTheLongestAddress(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ann := account(t, db, "Ann Able", models.RoleStaff)
		now := time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
		if _, _, err := models.SignIn(ctx, db, models.SignInInput{Email: ann.Email, Password: oldPassword, IP: "10.0.0.1"}, now); err != nil {
			t.Fatal(err)
		}
		ok, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "signin.ok"})
		if err != nil || len(ok) != 1 || ok[0].ActorID == nil || *ok[0].ActorID != ann.ID || ok[0].Summary != "Ann Able signed in" || ok[0].IP != "10.0.0.1" {
			t.Fatalf("the audit of a sign-in: %+v %v", ok, err)
		}

		// Failed sign-ins: an address of exactly 100 characters is shown
		// whole, one of 101 cut to 100 and marked "…".
		domain := "@example.com"
		at100 := strings.Repeat("a", 100-len(domain)) + domain
		at101 := "b" + at100
		for _, email := range []string{at100, at101} {
			if _, _, err := models.SignIn(ctx, db, models.SignInInput{Email: email, Password: "guess", IP: "10.0.0.2"}, now); !errors.Is(err, models.ErrBadCredentials) {
				t.Fatalf("unknown %d-character address: %v", len(email), err)
			}
		}
		failed, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "signin.failed"})
		if err != nil || len(failed) != 2 {
			t.Fatalf("failed sign-ins audited: %+v %v", failed, err)
		}
		got := map[string]bool{failed[0].Summary: true, failed[1].Summary: true}
		for _, want := range []string{"Failed sign-in for " + at100, "Failed sign-in for " + at101[:100] + "…"} {
			if !got[want] {
				t.Fatalf("audit lacks %q: %v", want, got)
			}
		}

		// 64 + 1 + 189 = 254 characters, the most an address may have.
		long := strings.Repeat("l", 64) + "@" + strings.Repeat("d", 63) + "." + strings.Repeat("e", 63) + "." + strings.Repeat("f", 57) + ".org"
		if len(long) != 254 {
			t.Fatalf("the long address has %d characters", len(long))
		}
		lo, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Lo Long", Email: long, Role: models.RoleStaff, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := models.SetPassword(ctx, db, lo.ID, oldPassword); err != nil {
			t.Fatal(err)
		}
		if p, _, err := models.SignIn(ctx, db, models.SignInInput{Email: long, Password: oldPassword, IP: "10.0.0.3"}, now); err != nil || p.ID != lo.ID {
			t.Fatalf("sign in with a 254-character address: %v", err)
		}
	})
}

// The audit page's filters offer the people who did something (not the
// anonymous), every action and every kind of record, each once, in order.
func TestAuditChoicesListWhoDidWhat(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		ann := account(t, db, "Ann Able", models.RoleStaff)
		admin := account(t, db, "Ada Admin", models.RoleAdmin)
		now := time.Date(2027, 2, 1, 9, 0, 0, 0, time.UTC)
		for _, in := range []models.SignInInput{
			{Email: ann.Email, Password: oldPassword},
			{Email: ann.Email, Password: oldPassword},
			{Email: admin.Email, Password: oldPassword},
			{Email: "nobody@example.com", Password: "guess"},
		} {
			in.IP = "10.0.0.1"
			if _, _, err := models.SignIn(ctx, db, in, now); err != nil && !errors.Is(err, models.ErrBadCredentials) {
				t.Fatal(err)
			}
		}
		if err := models.Audit(ctx, db, models.ActorOf(admin, "10.0.0.1"), "settings.update", "", "", "Changed the settings", nil, nil); err != nil {
			t.Fatal(err)
		}
		actors, actions, records, err := models.AuditChoices(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		want := []models.AuditActorOption{{ActorID: admin.ID, ActorName: "Ada Admin"}, {ActorID: ann.ID, ActorName: "Ann Able"}}
		if fmt.Sprint(actors) != fmt.Sprint(want) {
			t.Fatalf("people: %v, want %v", actors, want)
		}
		if got := strings.Join(actions, " "); got != "person.create settings.update signin.failed signin.ok" { // the accounts are made through models, audited as the system
			t.Fatalf("actions: %s", got)
		}
		if got := strings.Join(records, " "); got != "person" {
			t.Fatalf("kinds of record: %q", got)
		}
	})
}
