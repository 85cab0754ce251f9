package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// OIDCLoginTTL is how long a sign-in through the identity provider may take
// between leaving Summit and coming back.
const OIDCLoginTTL = 10 * time.Minute

// OIDCLogin is a sign-in through the identity provider under way: the
// state (stored as a hash), the nonce the ID token must carry and the PKCE
// verifier, kept on the server so any instance can finish it.
type OIDCLogin struct {
	ID        uint `gorm:"primaryKey"`
	StateHash string
	Nonce     string
	Verifier  string
	Next      string
	CreatedAt time.Time
}

// TableName names the table of sign-ins under way.
func (OIDCLogin) TableName() string { return "oidc_logins" }

// StartOIDCLogin records a new sign-in through the identity provider and
// returns its state, nonce and PKCE verifier.
func StartOIDCLogin(ctx context.Context, db *gorm.DB, next string, now time.Time) (state string, l *OIDCLogin, err error) {
	state = RandomToken(32)
	l = &OIDCLogin{StateHash: HashToken(state), Nonce: RandomToken(32), Verifier: RandomToken(48), Next: next, CreatedAt: now.UTC()}
	err = inTx(ctx, db, "start single sign-on", func(tx *gorm.DB) error {
		// Unfinished sign-ins are dropped once they cannot finish.
		if err := tx.Where("created_at < ?", now.UTC().Add(-OIDCLoginTTL)).Delete(&OIDCLogin{}).Error; err != nil {
			return err
		}
		return tx.Create(l).Error
	})
	if err != nil {
		return "", nil, err
	}
	return state, l, nil
}

// TakeOIDCLogin finds the sign-in a state belongs to and removes it, so a
// state works once. An unknown, used or expired state is ErrTokenInvalid.
func TakeOIDCLogin(ctx context.Context, db *gorm.DB, state string, now time.Time) (*OIDCLogin, error) {
	if state == "" || len(state) > 200 {
		return nil, ErrTokenInvalid
	}
	var l OIDCLogin
	err := withCtx(ctx, db).Where("state_hash = ?", HashToken(state)).First(&l).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("models: single sign-on state: %w", err)
	}
	// Whoever deletes the row owns the sign-in: two callbacks with one
	// state cannot both go on.
	res := withCtx(ctx, db).Where("id = ?", l.ID).Delete(&OIDCLogin{})
	if res.Error != nil {
		return nil, fmt.Errorf("models: single sign-on state: %w", res.Error)
	}
	if res.RowsAffected == 0 || now.UTC().Sub(l.CreatedAt.UTC()) > OIDCLoginTTL {
		return nil, ErrTokenInvalid
	}
	return &l, nil
}

// SSOSignInInput is a person the identity provider vouched for (its ID
// token checked already: signature, issuer, audience, expiry and nonce),
// and the rules of this Summit for them.
type SSOSignInInput struct {
	Email         string
	EmailVerified bool
	Name          string
	IP            string
	UserAgent     string
	OldToken      string
	// AllowedDomains, when not empty, are the only email domains that may
	// sign in through single sign-on.
	AllowedDomains []string
	// CreatePeople lets a person the directory does not know (with an
	// allowed domain) in, created as staff.
	CreatePeople bool
}

// Why single sign-on refused someone. Each is told plainly on the page.
var (
	ErrSSOUnverified  = errors.New("the identity provider has not verified this email address")
	ErrSSODomain      = errors.New("this email domain may not sign in here")
	ErrSSOUnknown     = errors.New("nobody in the directory has this email address")
	ErrSSODeactivated = errors.New("this account is deactivated")
)

// SSOSignIn signs in the person the identity provider vouched for: matched
// to the directory by verified email, compared case-insensitively. An
// unknown person with an allowed domain is created as staff only when
// CreatePeople is on; deactivated people are refused. Refusals are audited
// and create nothing; a sign-in ends the browser's old session and starts a
// new one, the same way as a password sign-in (startSignedIn).
func SSOSignIn(ctx context.Context, db *gorm.DB, in SSOSignInInput, now time.Time) (*Person, string, error) {
	email := NormalizeEmail(in.Email)
	refuse := func(why error) (*Person, string, error) {
		shown := email
		if len(shown) > 100 {
			shown = shown[:100] + "…"
		}
		if err := Audit(ctx, db, ActorOf(nil, in.IP), "signin.sso_refused", "person", "",
			"Single sign-on refused for "+strings.ToValidUTF8(shown, "?")+": "+why.Error(), nil, nil); err != nil {
			return nil, "", err
		}
		return nil, "", why
	}
	if email == "" || !in.EmailVerified {
		return refuse(ErrSSOUnverified)
	}
	if !DomainAllowed(email, in.AllowedDomains) {
		return refuse(ErrSSODomain)
	}
	var p *Person
	var tok string
	signIn := func(tx *gorm.DB) error {
		var err error
		p, err = PersonByEmail(ctx, tx, email)
		created := false
		switch {
		case errors.Is(err, ErrNotFound) && in.CreatePeople:
			name := strings.TrimSpace(in.Name)
			if name == "" {
				name = strings.SplitN(email, "@", 2)[0]
			}
			if p, err = CreatePerson(ctx, tx, ActorOf(nil, ""), PersonInput{Name: name, Email: email, Role: RoleStaff, Active: true}); err != nil {
				return err
			}
			created = true
			if err := Audit(ctx, tx, ActorOf(p, in.IP), "person.create", "person", p.ID, "Added "+p.Name+" <"+p.Email+"> as staff at their first single sign-on", nil, p); err != nil {
				return err
			}
		case errors.Is(err, ErrNotFound):
			return ErrSSOUnknown
		case err != nil:
			return err
		}
		if !p.Active {
			return ErrSSODeactivated
		}
		summary := p.Name + " signed in with single sign-on"
		if created {
			summary += " (new to the directory)"
		}
		tok, err = startSignedIn(ctx, tx, p, in.IP, in.UserAgent, in.OldToken, "signin.sso", summary)
		return err
	}
	err := inTx(ctx, db, "single sign-on", signIn, ErrSSOUnknown, ErrSSODeactivated)
	if fe := (FieldErrors{}); errors.As(err, &fe) && fe["email"] != "" {
		// A newcomer's first sign-in in two tabs at once: the other one
		// created them a moment ago. Now they are found.
		err = inTx(ctx, db, "single sign-on", signIn, ErrSSOUnknown, ErrSSODeactivated)
	}
	if errors.Is(err, ErrSSOUnknown) || errors.Is(err, ErrSSODeactivated) {
		return refuse(err)
	}
	if err != nil {
		return nil, "", err
	}
	return p, tok, nil
}

// DomainAllowed reports whether an address's domain is in the list (an
// empty list allows every domain), compared case-insensitively.
func DomainAllowed(email string, domains []string) bool {
	if len(domains) == 0 {
		return true
	}
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	d := strings.ToLower(email[at+1:])
	for _, allowed := range domains {
		if strings.ToLower(strings.TrimPrefix(strings.TrimSpace(allowed), "@")) == d {
			return true
		}
	}
	return false
}
