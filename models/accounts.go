package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// One-time token kinds.
const (
	TokenReset = "reset"
	TokenSetup = "setup"
)

// Token lifetimes.
const (
	ResetTokenTTL = 24 * time.Hour
	SetupTokenTTL = 7 * 24 * time.Hour
)

// AccountToken is a one-time link: a password reset or the first-run setup.
// Only a hash of the token is stored.
type AccountToken struct {
	ID          uint `gorm:"primaryKey"`
	Kind        string
	TokenHash   string
	PersonID    *uint
	CreatedByID *uint
	CreatedAt   time.Time
	ExpiresAt   time.Time
	UsedAt      *time.Time
}

// TableName names the table of one-time tokens.
func (AccountToken) TableName() string { return "account_tokens" }

// ErrTokenInvalid means a one-time link is unknown, used or expired.
var ErrTokenInvalid = errors.New("this link is not valid any more")

// IssueResetToken creates a password-reset link for a person, valid for
// ResetTokenTTL and once; earlier unused reset links for them stop working.
// Audited, with who sent it.
func IssueResetToken(ctx context.Context, db *gorm.DB, who Actor, personID uint) (string, error) {
	return IssueResetTokenMailed(ctx, db, who, personID, nil)
}

// IssueResetTokenMailed is IssueResetToken that also queues a mail in the
// same transaction: mail, when not nil, returns the mail to send for the
// person and the new token (the outbox delivers it).
func IssueResetTokenMailed(ctx context.Context, db *gorm.DB, who Actor, personID uint, mail func(p *Person, tok string) *OutboxMail) (string, error) {
	var tok string
	err := inTx(ctx, db, fmt.Sprintf("issue reset link for %d", personID), func(tx *gorm.DB) error {
		var err error
		if tok, err = issueResetToken(ctx, tx, personID, who.PersonID, ResetTokenTTL, mail); err != nil {
			return err
		}
		p, err := GetPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		return Audit(ctx, tx, who, "person.reset_link", "person", p.ID, "Issued a password reset link for "+p.Name, nil,
			map[string]any{"mail_queued": mail != nil, "expires_in_hours": int(ResetTokenTTL.Hours())})
	})
	return tok, err
}

// issueResetToken is IssueResetTokenMailed with the link's lifetime, not
// audited (a forgotten password asked for on the sign-in page leaves the
// same trace as an unknown address; invitations are audited by InvitePeople).
func issueResetToken(ctx context.Context, db *gorm.DB, personID, byID uint, ttl time.Duration, mail func(p *Person, tok string) *OutboxMail) (string, error) {
	tok := RandomToken(32)
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		p, err := GetPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		if !p.Active {
			return FieldErrors{"person": p.Name + " is deactivated; reactivate them before sending a reset link."}
		}
		now := Now()
		if err := tx.Model(&AccountToken{}).Where("kind = ? AND person_id = ? AND used_at IS NULL", TokenReset, personID).
			Update("used_at", now).Error; err != nil {
			return err
		}
		t := AccountToken{Kind: TokenReset, TokenHash: HashToken(tok), PersonID: &personID, CreatedAt: now, ExpiresAt: now.Add(ttl)}
		if byID != 0 {
			t.CreatedByID = &byID
		}
		if err := tx.Create(&t).Error; err != nil {
			return err
		}
		if mail != nil {
			m := mail(p, tok)
			m.Kind, m.Secret = MailKindReset, true
			if err := EnqueueMail(tx, now, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("models: issue reset link for %d: %w", personID, err)
	}
	return tok, nil
}

func validToken(ctx context.Context, db *gorm.DB, kind, tok string) (*AccountToken, error) {
	if tok == "" || len(tok) > 200 {
		return nil, ErrTokenInvalid
	}
	var t AccountToken
	err := withCtx(ctx, db).Where("kind = ? AND token_hash = ? AND used_at IS NULL AND expires_at > ?", kind, HashToken(tok), Now()).First(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrTokenInvalid
	}
	return &t, err
}

// useToken marks a token used, exactly once even when two requests race.
func useToken(tx *gorm.DB, t *AccountToken) error {
	res := tx.Model(&AccountToken{}).Where("id = ? AND used_at IS NULL", t.ID).Update("used_at", Now())
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected != 1 {
		return ErrTokenInvalid
	}
	return nil
}

// PersonForResetToken returns the active person a valid reset link is for.
func PersonForResetToken(ctx context.Context, db *gorm.DB, tok string) (*Person, error) {
	t, err := validToken(ctx, db, TokenReset, tok)
	if err != nil {
		return nil, err
	}
	if t.PersonID == nil {
		return nil, ErrTokenInvalid
	}
	p, err := GetPerson(ctx, db, *t.PersonID)
	if errors.Is(err, ErrNotFound) || err == nil && !p.Active {
		return nil, ErrTokenInvalid
	}
	return p, err
}

// ResetPassword sets a new password through a reset link, uses the link up
// and ends every session the person had. Audited as the person, from ip.
func ResetPassword(ctx context.Context, db *gorm.DB, tok, pw, ip string) (*Person, error) {
	if msg := CheckPassword(pw); msg != "" {
		return nil, FieldErrors{"password": msg}
	}
	var p *Person
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		var err error
		if p, err = PersonForResetToken(ctx, tx, tok); err != nil {
			return err
		}
		t, err := validToken(ctx, tx, TokenReset, tok)
		if err != nil {
			return err
		}
		if err := useToken(tx, t); err != nil {
			return err
		}
		if err := SetPassword(ctx, tx, p.ID, pw); err != nil {
			return err
		}
		if err := EndAllLoginSessions(ctx, tx, p.ID); err != nil {
			return err
		}
		return Audit(ctx, tx, ActorOf(p, ip), "person.password_reset", "person", p.ID, p.Name+" set a password through a reset link", nil, nil)
	})
	return p, err
}

// ChangePassword sets a person's own password after checking the current
// one. Audited as the person, from ip.
func ChangePassword(ctx context.Context, db *gorm.DB, personID uint, current, pw, ip string) error {
	return inTx(ctx, db, fmt.Sprintf("change password %d", personID), func(tx *gorm.DB) error {
		p, err := GetPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		if p.PasswordHash == "" || !VerifyPassword(p.PasswordHash, current) {
			return FieldErrors{"current": "That is not your current password. Type it again."}
		}
		if msg := CheckPassword(pw); msg != "" {
			return FieldErrors{"password": msg}
		}
		if err := SetPassword(ctx, tx, personID, pw); err != nil {
			return err
		}
		return Audit(ctx, tx, ActorOf(p, ip), "person.password", "person", p.ID, p.Name+" changed their password", nil, nil)
	})
}

// AdminExists reports whether an active admin with a password exists.
func AdminExists(ctx context.Context, db *gorm.DB) (bool, error) {
	var n int64
	err := withCtx(ctx, db).Model(&Person{}).Where("role = ? AND active = ? AND password_hash <> ''", RoleAdmin, true).Count(&n).Error
	return n > 0, err
}

// NewSetupToken creates a first-run setup link when no admin exists; it
// returns "" when there is one. The link works once, until an admin exists.
func NewSetupToken(ctx context.Context, db *gorm.DB) (string, error) {
	ok, err := AdminExists(ctx, db)
	if err != nil || ok {
		return "", err
	}
	tok := RandomToken(32)
	now := Now()
	t := AccountToken{Kind: TokenSetup, TokenHash: HashToken(tok), CreatedAt: now, ExpiresAt: now.Add(SetupTokenTTL)}
	if err := withCtx(ctx, db).Create(&t).Error; err != nil {
		return "", fmt.Errorf("models: setup link: %w", err)
	}
	return tok, nil
}

// SetupTokenValid reports whether a first-run link may still be used.
func SetupTokenValid(ctx context.Context, db *gorm.DB, tok string) error {
	if _, err := validToken(ctx, db, TokenSetup, tok); err != nil {
		return err
	}
	if ok, err := AdminExists(ctx, db); err != nil || ok {
		if err == nil {
			err = ErrTokenInvalid
		}
		return err
	}
	return nil
}

// CompleteSetup creates the first admin through a first-run link (or makes
// an existing directory entry with that email the admin). Audited as the new
// admin, from ip.
func CompleteSetup(ctx context.Context, db *gorm.DB, tok, name, email, pw, ip string) (*Person, error) {
	f := FieldErrors{}
	if msg := CheckPassword(pw); msg != "" {
		f["password"] = msg
	}
	in := PersonInput{Name: name, Email: email, Role: RoleAdmin, Active: true}
	if _, vf := in.validate(); len(vf) > 0 {
		for k, v := range vf {
			f.Add(k, v)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var p *Person
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := SetupTokenValid(ctx, tx, tok); err != nil {
			return err
		}
		t, err := validToken(ctx, tx, TokenSetup, tok)
		if err != nil {
			return err
		}
		if err := useToken(tx, t); err != nil {
			return err
		}
		p, err = PersonByEmail(ctx, tx, email)
		switch {
		case errors.Is(err, ErrNotFound):
			p, err = createPerson(ctx, tx, in)
		case err == nil:
			in.Department, in.JobTitle, in.ManagerID = p.Department, p.JobTitle, p.ManagerID
			p, err = updatePerson(ctx, tx, p.ID, in)
		}
		if err != nil {
			return err
		}
		if err := SetPassword(ctx, tx, p.ID, pw); err != nil {
			return err
		}
		return Audit(ctx, tx, ActorOf(p, ip), "person.setup", "person", p.ID, p.Name+" created the first admin account", nil, p)
	})
	return p, err
}

// AuditActorOption is someone who appears in the audit log.
type AuditActorOption struct {
	ActorID   uint
	ActorName string
}

// AuditChoices lists the people, actions and record types in the audit log,
// for the filters of the audit page.
func AuditChoices(ctx context.Context, db *gorm.DB) (actors []AuditActorOption, actions, recordTypes []string, err error) {
	q := withCtx(ctx, db).Model(&AuditEvent{})
	if err = q.Session(&gorm.Session{}).Where("actor_id IS NOT NULL").Distinct("actor_id", "actor_name").Order("actor_name").Scan(&actors).Error; err != nil {
		return
	}
	if err = q.Session(&gorm.Session{}).Distinct().Order("action").Pluck("action", &actions).Error; err != nil {
		return
	}
	err = q.Session(&gorm.Session{}).Where("record_type <> ''").Distinct().Order("record_type").Pluck("record_type", &recordTypes).Error
	return
}
