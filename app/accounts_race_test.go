package app_test

import (
	"fmt"
	"io"
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

// postFrom posts a form (with its _csrf already set) from any goroutine: no
// t.Fatal; a request that got no answer has Code 0.
func (c *client) postFrom(path string, form url.Values) *response {
	req, _ := http.NewRequest(http.MethodPost, c.ta.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		return &response{Body: err.Error()}
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return &response{Code: res.StatusCode, Body: string(b), Header: res.Header, Location: res.Header.Get("Location")}
}

// flashOf returns the one-time message a redirect carries.
func flashOf(r *response) string {
	for _, ck := range (&http.Response{Header: r.Header}).Cookies() {
		if ck.Name == "summit_flash" {
			v, _ := url.ParseQuery(ck.Value)
			return v.Get("m")
		}
	}
	return ""
}

// Two admins demoting (or deactivating) each other at the same moment, on
// two instances: one wins, the other is told Summit keeps an admin, and
// one active admin always remains.
func TestTwoAdminsDemotingEachOtherKeepOne(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			ta := apps[0]
			ana := ta.addPerson(t, "Ana Admin", "ana@example.com", models.RoleAdmin)
			bo := ta.addPerson(t, "Bo Admin", "bo@example.com", models.RoleAdmin)
			for round := 0; round < 12; round++ {
				ta.DB.Model(&models.Person{}).Where("id IN ?", []uint{ana.ID, bo.ID}).Updates(map[string]any{"role": models.RoleAdmin, "active": true})
				admins := []*models.Person{ana, bo}
				clients := make([]*client, 2)
				forms := make([]url.Values, 2)
				paths := make([]string, 2)
				for i, me := range admins {
					other := admins[1-i]
					clients[i] = apps[i%len(apps)].client(t)
					clients[i].signIn(me.Email)
					if round%2 == 0 {
						paths[i] = "/admin/people/" + itoa(other.ID) + "/edit"
						forms[i] = url.Values{"name": {other.Name}, "email": {other.Email}, "role": {string(models.RoleStaff)}, "active": {"1"}}
					} else {
						paths[i] = "/admin/people/" + itoa(other.ID) + "/deactivate"
						forms[i] = url.Values{}
					}
					forms[i].Set("_csrf", clients[i].csrf())
				}
				res := make([]*response, 2)
				fire(2, func(i int) { res[i] = clients[i].postFrom(paths[i], forms[i]) })
				var left int64
				ta.DB.Model(&models.Person{}).Where("role = ? AND active = ?", models.RoleAdmin, true).Count(&left)
				if left != 1 {
					t.Fatalf("round %d: %d active admins left (answers %d, %d)", round, left, res[0].Code, res[1].Code)
				}
				// One won; the other was told Summit keeps an admin or, when
				// it came second, found it was no longer an admin (403) or
				// was signed out by the deactivation (401).
				won, lost := 0, 0
				for i := range res {
					msg := text(res[i].Body) + flashOf(res[i])
					switch {
					case strings.Contains(msg, "only admin"):
						lost++
					case res[i].Code == http.StatusSeeOther:
						won++
					case res[i].Code == http.StatusForbidden || res[i].Code == http.StatusUnauthorized:
						lost++
					}
				}
				if won != 1 || lost != 1 {
					t.Fatalf("round %d: %d won, %d lost (answers %d, %d)", round, won, lost, res[0].Code, res[1].Code)
				}
			}
		})
	}
}

// One directory preview committed twice at the same moment (a double click,
// two tabs, two instances): one import happens, the other is told it was
// already imported, nobody is stored twice and no 500.
func TestImportCommittedTwiceAtOnce(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			ta := apps[0]
			adm, me := ta.signedIn(t, models.RoleAdmin)
			preview := adm.upload("/admin/import", "staff.csv", directoryCSV(60, false)).Location
			if !strings.HasPrefix(preview, "/admin/import/") {
				t.Fatalf("upload: %q", preview)
			}
			const n = 4
			clients := make([]*client, n)
			forms := make([]url.Values, n)
			for i := range clients {
				clients[i] = apps[i%len(apps)].client(t)
				clients[i].signIn(me.Email)
				forms[i] = url.Values{"_csrf": {clients[i].csrf()}}
			}
			res := make([]*response, n)
			fire(n, func(i int) { res[i] = clients[i].postFrom(preview+"/commit", forms[i]) })
			imported, told := 0, 0
			for i, r := range res {
				switch {
				case r.Code == http.StatusSeeOther && r.Location == "/admin/people":
					if page := text(clients[i].get("/admin/people").Body); strings.Contains(page, "Directory imported: 60 new") {
						imported++
					}
				case r.Code == http.StatusSeeOther && r.Location == preview:
					if page := text(clients[i].get(preview).Body); strings.Contains(page, "already imported") && !strings.Contains(page, "Import 60 people") {
						told++
					}
				default:
					t.Errorf("commit %d: %d %s", i, r.Code, text(r.Body))
				}
			}
			var people int64
			ta.DB.Model(&models.Person{}).Count(&people)
			evs, _ := models.ListAudit(ctx, ta.DB, models.AuditFilter{Action: "directory.import"})
			if imported != 1 || told != n-1 || people != 61 || len(evs) != 1 {
				t.Fatalf("imported %d times, %d told it was done; %d people, %d import audits", imported, told, people, len(evs))
			}
		})
	}
}
