package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// "Forgot password?": a person asks for a link to set their password. The
// link works once, for ForgotTokenTTL. At most ForgotMaxPerAddress links
// are asked for one address, and ForgotMaxPerClient from one client
// address, within ForgotWindow (counted like failed sign-ins, apart from
// them).
const (
	ForgotTokenTTL      = time.Hour
	ForgotMaxPerAddress = 3
	ForgotMaxPerClient  = 10
	ForgotWindow        = time.Hour
)

// ForgotPassword sends a one-hour, single-use link to set a password to the
// active person with this address, through the outbox (mail makes the
// mail). The answer is the same whether or not the address has an account,
// and so is the work: for an unknown (or deactivated) address the same
// token and mail are written and taken out again in one committed
// transaction, so the time does not tell either. Limits: ErrTooManySignIns.
func ForgotPassword(ctx context.Context, db *gorm.DB, email, ip string, now time.Time, mail func(p *Person, tok string) *OutboxMail) error {
	e := NormalizeEmail(email)
	if !utf8.ValidString(e) || strings.ContainsRune(e, 0) || len(e) > 254 || !ValidEmail(e) {
		return FieldErrors{"email": "That is not an email address. Type the address of your Summit account, like name@example.com."}
	}
	// Each ask counts, per address and per client, whatever happens next.
	for _, lim := range []struct {
		email, ip string
		max       int64
	}{{"forgot " + e, "", ForgotMaxPerAddress}, {"", "forgot " + ip, ForgotMaxPerClient}} {
		if _, err := claimSignInTry(ctx, db, lim.email, lim.ip, now, lim.max, ForgotWindow); err != nil {
			return err
		}
	}
	p, err := PersonByEmail(ctx, db, e)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return err
	}
	if err == nil && p.Active {
		if _, err := issueResetToken(ctx, db, p.ID, 0, ForgotTokenTTL, mail); err != nil {
			return err
		}
	} else {
		// The same reads and writes as for an account, committed the same
		// way (a rollback is cheaper than a commit, and that would show),
		// then taken out again before the commit: nothing is left, and no
		// worker ever sees the mail.
		stand := &Person{Name: e, Email: e}
		err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
			var none Person
			if err := tx.Where("id = ?", 0).Limit(1).Find(&none).Error; err != nil {
				return err
			}
			if err := tx.Model(&AccountToken{}).Where("kind = ? AND person_id = ? AND used_at IS NULL", TokenReset, 0).Update("used_at", now).Error; err != nil {
				return err
			}
			tok := RandomToken(32)
			t := AccountToken{Kind: TokenReset, TokenHash: HashToken(tok), CreatedAt: now, ExpiresAt: now}
			if err := tx.Create(&t).Error; err != nil {
				return err
			}
			m := mail(stand, tok)
			m.PersonID = nil
			m.Kind, m.Secret = MailKindReset, true
			if err := EnqueueMail(tx, now, m); err != nil {
				return err
			}
			if err := tx.Delete(&OutboxMail{}, m.ID).Error; err != nil {
				return err
			}
			return tx.Delete(&AccountToken{}, t.ID).Error
		})
		if err != nil {
			return fmt.Errorf("models: forgot password: %w", err)
		}
	}
	shown := e
	if len(shown) > 100 {
		shown = shown[:100] + "…"
	}
	return Audit(ctx, db, ActorOf(nil, ip), "password.forgot", "person", "", "A password link was asked for "+shown, nil, nil)
}
