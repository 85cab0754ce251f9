package app_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// getAs fetches a page as a fast user.
func getAs(ta *testApp, u fastUser, path string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, ta.Server.URL+path, nil)
	if err != nil {
		return 0, err
	}
	req.AddCookie(&http.Cookie{Name: "summit_session", Value: u.Token})
	res, err := loadClient.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	io.Copy(io.Discard, res.Body)
	return res.StatusCode, nil
}

// requireLoopbackPostgres refuses to terminate backends anywhere but on a
// Postgres on this machine. Like every test that cannot run, it goes through
// modelstest.NotRun: a failure under CI, a banner elsewhere.
func requireLoopbackPostgres(t testing.TB) {
	t.Helper()
	u, err := url.Parse(modelstest.PostgresURL())
	if err != nil {
		t.Fatal(err)
		return
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		modelstest.NotRun(t, "CONNECTION-LOSS TESTS", fmt.Sprintf("they end database backends, so they run only against a Postgres on this machine, not %s (point TEST_DATABASE_URL at a local one, or run `make test`)", u.Hostname()))
	}
}

// notRunRecorder stands in for a test: it records Fatal and Skip instead of
// stopping the goroutine.
type notRunRecorder struct {
	testing.TB
	fatal, skip string
}

func (r *notRunRecorder) Helper()                      {}
func (r *notRunRecorder) Fatal(args ...any)            { r.fatal = fmt.Sprint(args...) }
func (r *notRunRecorder) Fatalf(f string, args ...any) { r.fatal = fmt.Sprintf(f, args...) }
func (r *notRunRecorder) Skip(args ...any)             { r.skip = fmt.Sprint(args...) }

// With a Postgres elsewhere, the connection-loss tests do not run: under CI
// that fails, elsewhere the banner says so (it once skipped quietly).
func TestConnectionLossTestsFailUnderCIWithARemotePostgres(t *testing.T) {
	t.Setenv("TEST_DATABASE_URL", "postgres://postgres@db.example.org:5432/postgres?sslmode=disable")
	t.Setenv(modelstest.NotRunLogEnv, filepath.Join(t.TempDir(), "not-run.log"))
	t.Setenv("CI", "1")
	r := &notRunRecorder{TB: t}
	requireLoopbackPostgres(r)
	if r.skip != "" || !strings.Contains(r.fatal, "CONNECTION-LOSS TESTS NOT RUN") || !strings.Contains(r.fatal, "db.example.org") {
		t.Fatalf("under CI: fatal %q, skip %q; want a failure naming the tests and the host", r.fatal, r.skip)
	}
	t.Setenv("CI", "")
	r = &notRunRecorder{TB: t}
	requireLoopbackPostgres(r)
	if r.fatal != "" || !strings.Contains(r.skip, "CONNECTION-LOSS TESTS NOT RUN") {
		t.Fatalf("outside CI: fatal %q, skip %q; want a skip with the banner", r.fatal, r.skip)
	}
	for _, local := range []string{"postgres://postgres@127.0.0.1:5432/postgres", "postgres://postgres@localhost/postgres", "postgres://postgres@[::1]:5432/postgres"} {
		t.Setenv("TEST_DATABASE_URL", local)
		t.Setenv("CI", "1")
		r = &notRunRecorder{TB: t}
		requireLoopbackPostgres(r)
		if r.fatal != "" || r.skip != "" {
			t.Fatalf("%s: fatal %q, skip %q; want the tests to run", local, r.fatal, r.skip)
		}
	}
}

// adminDB connects to the maintenance database (not the test's own), from
// where the test's connections can be ended.
func adminDB(t *testing.T) *gorm.DB {
	t.Helper()
	admin, err := models.Open(modelstest.PostgresURL(), "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := admin.DB(); err == nil {
			s.Close()
		}
	})
	return admin
}

// terminateBackends ends every connection to the test database, as an
// administrator or a failover would, and waits until they are gone. It
// returns how many it ended.
func terminateBackends(t *testing.T, admin *gorm.DB, dbName string) int {
	t.Helper()
	var n int
	if err := admin.Raw("SELECT count(*) FROM (SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()) x", dbName).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// When Postgres drops every connection (several times, under load from two
// instances), only requests in flight at that moment may fail: a dead
// pooled connection is found before use, never by a person's request. No
// POST is applied twice. In the quiet rounds the load pauses while the
// connections are dropped (nothing is in flight, so nothing may fail after);
// in the busy rounds it goes on (requests overlapping the drop may fail).
func TestLostConnectionsFailOnlyRequestsInFlight(t *testing.T) {
	requireLoopbackPostgres(t)
	apps := loadApps(t, "postgres")
	db := apps[0].DB
	admin := adminDB(t)
	var dbName string
	db.Raw("SELECT current_database()").Scan(&dbName)
	w := newRegWorld(t, db, 50)
	users := makeUsers(t, db, 6, "Org")
	for _, u := range users {
		db.Model(&models.Person{}).Where("id = ?", u.ID).Update("role", models.RoleOrganiser)
	}
	type outcome struct {
		start, end time.Time
		what       string
		code       int
		err        error
	}
	var (
		mu       sync.Mutex
		outcomes []outcome
		posted   = map[string]int{} // room name → status of its POST
		stop     = make(chan struct{})
		wg       sync.WaitGroup
		quiet    sync.RWMutex // held by the terminator in quiet rounds
	)
	for i, u := range users {
		wg.Add(1)
		go func(i int, u fastUser) {
			defer wg.Done()
			ta := apps[i%len(apps)]
			for k := 0; ; k++ {
				select {
				case <-stop:
					return
				default:
				}
				quiet.RLock()
				o := outcome{start: time.Now()}
				switch k % 3 {
				case 0:
					o.what = "GET " + w.base
					o.code, o.err = getAs(ta, u, w.base)
				case 1:
					o.what = "GET " + w.sessionPath(w.training)
					o.code, o.err = getAs(ta, u, w.sessionPath(w.training))
				default:
					room := fmt.Sprintf("Room %d-%d", i, k)
					o.what = "POST room " + room
					o.code, _, o.err = postAs(ta, u, "/organise/summits/"+itoa(w.summit.ID)+"/rooms/new", url.Values{"name": {room}, "capacity": {"10"}})
					mu.Lock()
					posted[room] = o.code
					mu.Unlock()
				}
				o.end = time.Now()
				quiet.RUnlock()
				mu.Lock()
				outcomes = append(outcomes, o)
				mu.Unlock()
			}
		}(i, u)
	}
	type window struct{ from, to time.Time }
	var windows []window // busy rounds only
	for round := 0; round < 6; round++ {
		time.Sleep(300 * time.Millisecond)
		var n int
		if round%2 == 0 {
			quiet.Lock()
			n = terminateBackends(t, admin, dbName)
			quiet.Unlock()
		} else {
			from := time.Now()
			n = terminateBackends(t, admin, dbName)
			windows = append(windows, window{from, time.Now()})
		}
		if n == 0 {
			t.Errorf("round %d: no connection to terminate; the load did not reach the database", round)
		}
	}
	time.Sleep(300 * time.Millisecond)
	close(stop)
	wg.Wait()

	inFlight := func(o outcome) bool {
		for _, w := range windows {
			if o.start.Before(w.to) && o.end.After(w.from) {
				return true
			}
		}
		return false
	}
	var failed, after int
	for _, o := range outcomes {
		ok := o.err == nil && (o.code == http.StatusOK || o.code == http.StatusSeeOther)
		if !ok {
			failed++
			if !inFlight(o) {
				t.Errorf("%s failed (%d %v) though it started after the connections were dropped", o.what, o.code, o.err)
			}
		}
		if o.start.After(windows[len(windows)-1].to) && ok {
			after++
		}
	}
	if after == 0 {
		t.Fatal("no request succeeded after the last drop")
	}
	// Every room whose POST succeeded exists once; none exists twice.
	var names []string
	db.Model(&models.Room{}).Where("summit_id = ?", w.summit.ID).Pluck("name", &names)
	seen := map[string]int{}
	for _, n := range names {
		seen[n]++
	}
	for room, code := range posted {
		if code == http.StatusSeeOther && seen[room] != 1 {
			t.Errorf("%s: POST answered %d, stored %d times", room, code, seen[room])
		}
	}
	for room, n := range seen {
		if n > 1 {
			t.Errorf("%s stored %d times", room, n)
		}
	}
	t.Logf("%d requests, %d failed (all while their connection was dropped), %d after the last drop", len(outcomes), failed, after)
}

// /healthz tells the truth: 503 while the database cannot be reached, 200
// again once it can.
func TestHealthzPingsTheDatabase(t *testing.T) {
	t.Run("postgres", func(t *testing.T) {
		requireLoopbackPostgres(t)
		ta := newTestApp(t, "postgres")
		var dbName string
		ta.DB.Raw("SELECT current_database()").Scan(&dbName)
		if res := ta.client(t).get("/healthz"); res.Code != http.StatusOK {
			t.Fatalf("healthy: %d", res.Code)
		}
		admin := adminDB(t)
		defer admin.Exec("ALTER DATABASE " + dbName + " ALLOW_CONNECTIONS true")
		// The database refuses new connections and its open ones end.
		if err := admin.Exec("ALTER DATABASE " + dbName + " ALLOW_CONNECTIONS false").Error; err != nil {
			t.Fatal(err)
		}
		terminateBackends(t, admin, dbName)
		res := ta.client(t).get("/healthz")
		if res.Code != http.StatusServiceUnavailable || !strings.Contains(res.Body, "database") {
			t.Fatalf("database gone: %d %q", res.Code, res.Body)
		}
		admin.Exec("ALTER DATABASE " + dbName + " ALLOW_CONNECTIONS true")
		if res := ta.client(t).get("/healthz"); res.Code != http.StatusOK {
			t.Fatalf("database back: %d %q", res.Code, res.Body)
		}
	})
	t.Run("sqlite", func(t *testing.T) {
		ta := newTestApp(t, "sqlite")
		if res := ta.client(t).get("/healthz"); res.Code != http.StatusOK {
			t.Fatalf("healthy: %d", res.Code)
		}
		s, _ := ta.DB.DB()
		s.Close()
		if res := ta.client(t).get("/healthz"); res.Code != http.StatusServiceUnavailable {
			t.Fatalf("database closed: %d %q", res.Code, res.Body)
		}
	})
}
