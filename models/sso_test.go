package models_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// A single sign-on state works once, however many callbacks bring it at
// the same moment, and not after models.OIDCLoginTTL.
func TestOIDCStateWorksOnceUnderRace(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		now := time.Now()
		state, _, err := models.StartOIDCLogin(ctx, db, "/", now)
		if err != nil {
			t.Fatal(err)
		}
		var won, refused atomic.Int32
		modelstest.Together(20, func(int) {
			_, err := models.TakeOIDCLogin(ctx, db, state, now)
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, models.ErrTokenInvalid):
				refused.Add(1)
			default:
				t.Error(err)
			}
		})
		if won.Load() != 1 || refused.Load() != 19 {
			t.Fatalf("%d callbacks went on, %d refused; want 1 and 19", won.Load(), refused.Load())
		}
		old, _, _ := models.StartOIDCLogin(ctx, db, "/", now)
		if _, err := models.TakeOIDCLogin(ctx, db, old, now.Add(models.OIDCLoginTTL+time.Second)); !errors.Is(err, models.ErrTokenInvalid) {
			t.Fatalf("an expired state: %v", err)
		}
	})
}

// A newcomer's first single sign-on, arriving twice at once (two tabs),
// creates one person, and neither tab gets an error.
func TestSSONewcomerCreatedOnceUnderRace(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		var failed atomic.Int32
		modelstest.Together(8, func(int) {
			_, _, err := models.SSOSignIn(ctx, db, models.SSOSignInInput{Email: "New.Comer@example.com", EmailVerified: true,
				AllowedDomains: []string{"example.com"}, CreatePeople: true}, time.Now())
			if err != nil {
				failed.Add(1)
				t.Log(err)
			}
		})
		var n int64
		db.Model(&models.Person{}).Where("lower(email) = ?", "new.comer@example.com").Count(&n)
		if n != 1 {
			t.Fatalf("%d people for one newcomer", n)
		}
		if failed.Load() != 0 {
			t.Fatalf("%d of 8 simultaneous first sign-ins failed", failed.Load())
		}
	})
}
