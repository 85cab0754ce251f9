package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"summit/app"
	"summit/models"
	"summit/models/modelstest"
)

// signInQuiet posts a sign-in from any goroutine (no t.Fatal) as if from a
// client address behind the proxy, and returns the status (0: no answer).
func (c *client) signInQuiet(ip, email, pw, csrf string) int {
	form := url.Values{"email": {email}, "password": {pw}, "_csrf": {csrf}}
	req, _ := http.NewRequest(http.MethodPost, c.ta.Server.URL+"/signin", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-For", ip)
	res, err := c.http.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// parallelSignIns sends n wrong passwords at once, spread over the
// instances, and counts the answers by status.
func parallelSignIns(t *testing.T, apps []*testApp, n int, ip, email func(i int) string) map[int]int {
	t.Helper()
	clients := make([]*client, n)
	tokens := make([]string, n)
	for i := range clients {
		clients[i] = apps[i%len(apps)].client(t)
		tokens[i] = clients[i].csrf()
	}
	codes := make([]int, n)
	fire(n, func(i int) { codes[i] = clients[i].signInQuiet(ip(i), email(i), wrongPassword, tokens[i]) })
	out := map[int]int{}
	for _, c := range codes {
		out[c]++
	}
	return out
}

// checkLimitHeld asserts that exactly SignInMaxFailures passwords were
// checked (422, audited, counted) and every other try got 429 unchecked.
func checkLimitHeld(t *testing.T, ta *testApp, n int, codes map[int]int) {
	t.Helper()
	max := models.SignInMaxFailures
	if codes[http.StatusUnprocessableEntity] != max || codes[http.StatusTooManyRequests] != n-max || len(codes) != 2 {
		t.Fatalf("%d parallel wrong passwords: answers by status %v; want %d checked (422) and %d refused unchecked (429)", n, codes, max, n-max)
	}
	var attempts int64
	ta.DB.Model(&models.SignInAttempt{}).Count(&attempts)
	evs, _ := models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "signin.failed"})
	if attempts != int64(max) || len(evs) != max {
		t.Fatalf("failed sign-ins counted %d, audited %d; want %d", attempts, len(evs), max)
	}
}

// The limit holds whatever the concurrency: 40 and 100 wrong passwords for
// one account sent at the same moment, each from another address, over two
// app instances on Postgres (one on SQLite), get exactly 10 password checks.
func TestSignInLimitPerAccountHoldsInParallel(t *testing.T) {
	for _, d := range modelstest.Dialects {
		for _, n := range []int{40, 100} {
			t.Run(fmt.Sprintf("%s/%d", d, n), func(t *testing.T) {
				apps := loadAppsCfg(t, d, app.Config{TrustedProxies: []string{"127.0.0.1"}})
				ana := apps[0].addPerson(t, "Ana", "ana@example.com", models.RoleStaff)
				codes := parallelSignIns(t, apps, n,
					func(i int) string { return fmt.Sprintf("198.51.%d.%d", 100+i/200, i%200+1) },
					func(int) string { return ana.Email })
				checkLimitHeld(t, apps[0], n, codes)
				// The right password now waits too (the account is limited) …
				if res := apps[len(apps)-1].client(t).signInFrom("198.51.102.1", ana.Email, testPassword); res.Code != http.StatusTooManyRequests {
					t.Fatalf("right password after the burst: %d", res.Code)
				}
				// … while another account is not affected.
				apps[0].addPerson(t, "Ben", "ben@example.com", models.RoleStaff)
				if res := apps[0].client(t).signInFrom("198.51.102.2", "ben@example.com", testPassword); res.Code != http.StatusSeeOther {
					t.Fatalf("another account: %d", res.Code)
				}
			})
		}
	}
}

// The same for one client address trying many accounts at once.
func TestSignInLimitPerAddressHoldsInParallel(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			const n = 40
			apps := loadAppsCfg(t, d, app.Config{TrustedProxies: []string{"127.0.0.1"}})
			codes := parallelSignIns(t, apps, n,
				func(int) string { return "203.0.113.9" },
				func(i int) string { return fmt.Sprintf("nobody%d@example.com", i) })
			checkLimitHeld(t, apps[0], n, codes)
		})
	}
}
