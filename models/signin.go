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

// Brute-force limits: at most SignInMaxFailures passwords are checked for
// one account, and for one client address, within SignInWindow. The count
// lives in the database, so every app instance agrees.
const (
	SignInMaxFailures = 10
	SignInWindow      = 5 * time.Minute
)

// SignInAttempt is one password check that did not (or not yet) succeed.
type SignInAttempt struct {
	ID    uint `gorm:"primaryKey"`
	At    time.Time
	Email string
	IP    string
}

// TableName names the table of failed sign-ins.
func (SignInAttempt) TableName() string { return "sign_in_attempts" }

// ErrTooManySignIns means the account or the client address has used up its
// tries for now; no password was checked.
var ErrTooManySignIns = errors.New("too many failed sign-ins")

// SignInInput is one try to sign in.
type SignInInput struct {
	Email     string
	Password  string
	IP        string // the client's address
	UserAgent string
	OldToken  string // the browser's session token before, if any; it ends
	// PasswordsOff is "single sign-on only": passwords are checked only for
	// the BreakGlass addresses, and work only for admins.
	PasswordsOff bool
	BreakGlass   []string
}

// ErrPasswordsOff means passwords are switched off (single sign-on only)
// and this is not a break-glass admin.
var ErrPasswordsOff = errors.New("passwords are switched off; sign in with single sign-on")

// IsBreakGlass reports whether email is one of the break-glass addresses,
// compared case-insensitively.
func IsBreakGlass(email string, list []string) bool {
	e := NormalizeEmail(email)
	for _, b := range list {
		if e != "" && NormalizeEmail(b) == e {
			return true
		}
	}
	return false
}

// SignIn is the whole sign-in: the brute-force limit, the password check,
// the audit and a new session. A try is counted before its password is
// checked, under a lock per account and per address, so however many
// arrive at once on however many instances, at most SignInMaxFailures
// passwords are checked in SignInWindow; past that the answer is
// ErrTooManySignIns without a check. A wrong email or password is
// ErrBadCredentials. On success the browser's old session ends, a new one
// starts (its token is returned) and the try is forgotten.
func SignIn(ctx context.Context, db *gorm.DB, in SignInInput, now time.Time) (*Person, string, error) {
	// Text no account can have is refused before the database sees it
	// (Postgres refuses a NUL in text outright).
	if !utf8.ValidString(in.Email) || strings.ContainsRune(in.Email, 0) || len(in.Email) > 254 {
		return nil, "", FieldErrors{"email": "That is not an email address. Type the address of your Summit account, like name@example.com."}
	}
	if in.PasswordsOff && !IsBreakGlass(in.Email, in.BreakGlass) {
		return nil, "", ErrPasswordsOff
	}
	try, err := claimSignInTry(ctx, db, NormalizeEmail(in.Email), in.IP, now, SignInMaxFailures, SignInWindow)
	if err != nil {
		return nil, "", err
	}
	p, err := Authenticate(ctx, db, in.Email, in.Password)
	if errors.Is(err, ErrBadCredentials) {
		shown := in.Email
		if len(shown) > 100 {
			shown = shown[:100] + "…" // a log line, visibly shortened
		}
		if err := Audit(ctx, db, ActorOf(nil, in.IP), "signin.failed", "person", "", "Failed sign-in for "+strings.ToValidUTF8(shown, "?"), nil, nil); err != nil {
			return nil, "", err
		}
		forgetOldSignInTries(ctx, db, now)
		return nil, "", ErrBadCredentials
	}
	if err != nil {
		// The database failed before a password was checked: the try does
		// not count (best effort; the database may be gone).
		withCtx(ctx, db).Delete(&SignInAttempt{}, try)
		return nil, "", fmt.Errorf("models: sign in: %w", err)
	}
	if in.PasswordsOff && !p.IsAdmin() {
		// A break-glass address that is no admin (any more) gets the
		// same answer as a wrong password.
		withCtx(ctx, db).Delete(&SignInAttempt{}, try)
		return nil, "", ErrPasswordsOff
	}
	var tok string
	err = withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := tx.Delete(&SignInAttempt{}, try).Error; err != nil {
			return err
		}
		var err error
		tok, err = startSignedIn(ctx, tx, p, in.IP, in.UserAgent, in.OldToken, "signin.ok", p.Name+" signed in")
		return err
	})
	if err != nil {
		return nil, "", fmt.Errorf("models: sign in %d: %w", p.ID, err)
	}
	return p, tok, nil
}

// startSignedIn is the end of every sign-in, with a password or through
// single sign-on: the browser's old session ends (a new session id at every
// sign-in), a new one starts, the person's last sign-in is noted and the
// sign-in is audited. It runs inside the caller's transaction.
func startSignedIn(ctx context.Context, tx *gorm.DB, p *Person, ip, userAgent, oldToken, action, summary string) (string, error) {
	if oldToken != "" {
		if err := EndLoginSession(ctx, tx, oldToken); err != nil {
			return "", err
		}
	}
	tok, err := StartLoginSession(ctx, tx, p.ID, ip, userAgent)
	if err != nil {
		return "", err
	}
	now := Now()
	if err := tx.Model(&Person{}).Where("id = ?", p.ID).UpdateColumn("signed_in_at", now).Error; err != nil {
		return "", err
	}
	p.SignedInAt = &now
	return tok, Audit(ctx, tx, ActorOf(p, ip), action, "person", p.ID, summary, nil, nil)
}

// claimSignInTry counts a try for the account and the address, unless
// either has had max within window: then it is
// ErrTooManySignIns. Counting and checking happen in one transaction under
// a lock per account and per address, so parallel tries queue there and
// each sees the ones before it.
func claimSignInTry(ctx context.Context, db *gorm.DB, e, ip string, now time.Time, max int64, window time.Duration) (uint, error) {
	since := now.UTC().Add(-window)
	var id uint
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := lockNamed(tx, "signin email "+e, "signin address "+ip); err != nil {
			return err
		}
		for _, by := range []struct{ column, value string }{{"email", e}, {"ip", ip}} {
			if by.value == "" {
				continue
			}
			var n int64
			if err := tx.Model(&SignInAttempt{}).Where(by.column+" = ? AND at > ?", by.value, since).Count(&n).Error; err != nil {
				return err
			}
			if n >= max {
				return ErrTooManySignIns
			}
		}
		a := SignInAttempt{At: now.UTC(), Email: e, IP: ip}
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		id = a.ID
		return nil
	})
	if err != nil && !errors.Is(err, ErrTooManySignIns) {
		return 0, fmt.Errorf("models: count sign-in try: %w", err)
	}
	return id, err
}

// forgetOldSignInTries drops tries older than an hour, so the table stays
// small. Best effort: a failure here changes no limit.
func forgetOldSignInTries(ctx context.Context, db *gorm.DB, now time.Time) {
	withCtx(ctx, db).Where("at < ?", now.UTC().Add(-time.Hour)).Delete(&SignInAttempt{})
}

// Workplace is where a person's work is when they sign in.
type Workplace struct {
	// Organise is the summit an organiser is working on (nil for staff,
	// and when there is no summit yet).
	Organise *Summit
	// Unscored counts the nominations waiting for the person's score (not
	// scored, not stepped back from) in categories whose judging is open.
	Unscored int
	// JudgeSummit and JudgeCategory are where the first of those waits.
	JudgeSummit   *Summit
	JudgeCategory *AwardCategory
}

// WorkFor finds where a person's work is at sign-in: an organiser's summit,
// and the nominations waiting for them as a judge in published summits.
func WorkFor(ctx context.Context, db *gorm.DB, p *Person, now time.Time) (*Workplace, error) {
	w := &Workplace{}
	if p.IsOrganiser() {
		s, err := OrganisingSummit(ctx, db, now)
		switch {
		case err == nil:
			w.Organise = s
		case !errors.Is(err, ErrNotFound):
			return nil, err
		}
	}
	var summits []Summit
	if err := withCtx(ctx, db).Where("status = ?", StatusPublished).Order("start_date, id").Find(&summits).Error; err != nil {
		return nil, fmt.Errorf("models: work for %d: %w", p.ID, err)
	}
	for i := range summits {
		cats, err := JudgeCategories(ctx, db, summits[i].ID, p.ID)
		if err != nil {
			return nil, err
		}
		for j := range cats {
			if !cats[j].JudgingOpen(now) {
				continue
			}
			_, items, err := JudgeQueue(ctx, db, summits[i].ID, cats[j].ID, p.ID)
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				if it.MyScore != nil || it.Recusal != nil {
					continue
				}
				w.Unscored++
				if w.JudgeCategory == nil {
					w.JudgeSummit, w.JudgeCategory = &summits[i], &cats[j]
				}
			}
		}
	}
	return w, nil
}
