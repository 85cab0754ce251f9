package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"gorm.io/gorm"
)

// Password rules: at least 12 characters; long passphrases are kept whole.
const (
	MinPasswordLen = 12
	MaxPasswordLen = 1024
)

// argon2id parameters, OWASP's recommendation: m=19 MiB, t=2, p=1.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// hashSlots bounds how many argon2 hashes run at once (19 MiB each), so a
// burst of sign-ins cannot exhaust memory.
var hashSlots = make(chan struct{}, 4)

// ErrBadCredentials means the email or password is wrong; callers never say which.
var ErrBadCredentials = errors.New("email or password is not right")

// CheckPassword returns a message when pw is not acceptable as a password.
func CheckPassword(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case !utf8.ValidString(pw):
		return "The password contains characters that are not valid text."
	case n < MinPasswordLen:
		return fmt.Sprintf("Use at least %d characters; a few words make a good passphrase.", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return fmt.Sprintf("Use at most %d characters.", MaxPasswordLen)
	}
	return ""
}

// HashPassword returns an encoded argon2id hash of pw.
func HashPassword(pw string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	hashSlots <- struct{}{}
	key := argon2.IDKey([]byte(pw), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	<-hashSlots
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether pw matches an encoded hash.
func VerifyPassword(encoded, pw string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil || m > 256*1024 || t > 10 || p == 0 || p > 8 {
		return false
	}
	hashSlots <- struct{}{}
	got := argon2.IDKey([]byte(pw), salt, t, m, p, uint32(len(want)))
	<-hashSlots
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash is verified against when the email is unknown, so unknown email
// and wrong password take the same time. It is made on first use: hashing
// takes 19 MiB and a fifth of a second, which every start of the binary (and
// every CLI command) paid when it was made at package initialisation.
var dummyHash = sync.OnceValue(func() string {
	h, _ := HashPassword("summit-dummy-password-for-timing")
	return h
})

// Authenticate checks an email and password and returns the active person.
func Authenticate(ctx context.Context, db *gorm.DB, email, pw string) (*Person, error) {
	p, err := PersonByEmail(ctx, db, email)
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			return nil, err
		}
		VerifyPassword(dummyHash(), pw)
		return nil, ErrBadCredentials
	}
	hash := p.PasswordHash
	if hash == "" {
		hash = dummyHash()
	}
	ok := VerifyPassword(hash, pw)
	if !ok || p.PasswordHash == "" || !p.Active {
		return nil, ErrBadCredentials
	}
	return p, nil
}

// SetPassword stores a new password for a person after checking it. Every
// path that changes a password comes here (own account, reset link, first
// run, the command line), so here the person's outstanding reset links end:
// a link sent before the change must not undo it.
func SetPassword(ctx context.Context, db *gorm.DB, personID uint, pw string) error {
	if msg := CheckPassword(pw); msg != "" {
		return FieldErrors{"password": msg}
	}
	h, err := HashPassword(pw)
	if err != nil {
		return err
	}
	now := Now()
	err = withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Person{}).Where("id = ?", personID).Updates(map[string]any{"password_hash": h, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return tx.Model(&AccountToken{}).Where("kind = ? AND person_id = ? AND used_at IS NULL", TokenReset, personID).Update("used_at", now).Error
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("models: set password %d: %w", personID, err)
	}
	return err
}

// Login session time-outs.
const (
	SessionIdleTimeout     = 12 * time.Hour
	SessionAbsoluteTimeout = 7 * 24 * time.Hour
)

// LoginSession is a signed-in browser. Only a hash of its token is stored.
type LoginSession struct {
	ID         uint `gorm:"primaryKey"`
	TokenHash  string
	PersonID   uint
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// TableName names the table of login sessions.
func (LoginSession) TableName() string { return "auth_sessions" }

// RandomToken returns n random bytes, URL-safe encoded.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a token, as stored in the database.
func HashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

// StartLoginSession creates a session for a person and returns its token.
func StartLoginSession(ctx context.Context, db *gorm.DB, personID uint, ip, userAgent string) (string, error) {
	tok := RandomToken(32)
	now := Now()
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	s := LoginSession{TokenHash: HashToken(tok), PersonID: personID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionAbsoluteTimeout), IP: ip, UserAgent: strings.ToValidUTF8(userAgent, "")}
	if err := withCtx(ctx, db).Create(&s).Error; err != nil {
		return "", fmt.Errorf("models: start session: %w", err)
	}
	return tok, nil
}

// PersonForSession returns the active person signed in with token, ending
// sessions that are idle or past their absolute time-out.
func PersonForSession(ctx context.Context, db *gorm.DB, token string) (*Person, error) {
	if token == "" || len(token) > 200 {
		return nil, ErrNotFound
	}
	var s LoginSession
	if err := withCtx(ctx, db).Where("token_hash = ?", HashToken(token)).First(&s).Error; err != nil {
		return nil, notFound(err)
	}
	now := Now()
	if now.After(s.ExpiresAt) || now.Sub(s.LastSeenAt) > SessionIdleTimeout {
		withCtx(ctx, db).Delete(&s)
		return nil, ErrNotFound
	}
	p, err := GetPerson(ctx, db, s.PersonID)
	if err != nil {
		return nil, err
	}
	if !p.Active {
		return nil, ErrNotFound
	}
	if now.Sub(s.LastSeenAt) > time.Minute {
		withCtx(ctx, db).Model(&s).Update("last_seen_at", now)
	}
	return p, nil
}

// EndLoginSession signs a browser out.
func EndLoginSession(ctx context.Context, db *gorm.DB, token string) error {
	return withCtx(ctx, db).Where("token_hash = ?", HashToken(token)).Delete(&LoginSession{}).Error
}

// EndAllLoginSessions signs a person out everywhere.
func EndAllLoginSessions(ctx context.Context, db *gorm.DB, personID uint) error {
	return withCtx(ctx, db).Where("person_id = ?", personID).Delete(&LoginSession{}).Error
}
