package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/app"
	"summit/models"
	"summit/models/modelstest"
)

// twoInstances is two Summit instances, each with its own connection pool,
// on one fresh database of the dialect, mailing to srv (nil: no mail server).
func twoInstances(t *testing.T, dialect string, cfg app.Config) []*testApp {
	t.Helper()
	if dialect == "postgres" {
		return loadAppsCfg(t, dialect, cfg)
	}
	db := modelstest.Open(t, dialect)
	var path string
	if err := db.Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&path).Error; err != nil {
		t.Fatal(err)
	}
	db2, err := models.OpenSQLite(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if s, err := db2.DB(); err == nil {
			s.Close()
		}
	})
	return []*testApp{newTestAppCfg(t, db, cfg), newTestAppCfg(t, db2, cfg)}
}

func enqueueMails(t *testing.T, db *gorm.DB, n int, prefix string) {
	t.Helper()
	err := db.Transaction(func(tx *gorm.DB) error {
		for i := 0; i < n; i++ {
			m := &models.OutboxMail{Kind: models.NoticeSeat, ToName: fmt.Sprintf("Person %d", i), ToAddress: fmt.Sprintf("p%d@example.com", i),
				Subject: fmt.Sprintf("%s %d", prefix, i), Body: "Your seat is confirmed.", Link: "/my/agenda"}
			if err := models.EnqueueMail(tx, time.Now(), m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func outboxCounts(t *testing.T, db *gorm.DB) map[string]int {
	t.Helper()
	pg, err := models.ListOutbox(ctx, db, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for k, v := range pg.Counts {
		out[k] = int(v)
	}
	return out
}

// 500 mails, two instances delivering at once (released together): the SMTP
// server receives each mail exactly once, and every row ends sent.
func TestOutboxDeliversEachMailOnceAcrossTwoInstances(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			srv := startSMTP(t)
			apps := twoInstances(t, d, srv.config())
			enqueueMails(t, apps[0].DB, 500, "Mail")
			var mu sync.Mutex
			handled := map[int]int{}
			modelstest.Together(2, func(i int) {
				for {
					n, err := apps[i].DeliverOutbox(ctx)
					if err != nil {
						t.Error(err)
						return
					}
					if n == 0 {
						return
					}
					mu.Lock()
					handled[i] += n
					mu.Unlock()
				}
			})
			got := srv.mails()
			seen := map[string]int{}
			for _, m := range got {
				seen[m.Header.Get("X-Summit-Outbox")]++
			}
			if len(got) != 500 || len(seen) != 500 {
				t.Fatalf("%d mails arrived, %d different (handled %v)", len(got), len(seen), handled)
			}
			for id, n := range seen {
				if n != 1 {
					t.Fatalf("mail %s arrived %d times", id, n)
				}
			}
			if c := outboxCounts(t, apps[0].DB); c[models.MailSent] != 500 || len(c) != 1 {
				t.Fatalf("outbox: %v", c)
			}
			if handled[0] == 0 || handled[1] == 0 {
				t.Logf("one instance delivered everything: %v", handled)
			}
		})
	}
}

// The mail server is down: each mail is tried again with growing waits, then
// failed with the error, nothing lost; mail still waiting goes out when the
// server is back, and an admin sends the failed ones again from the Outbox.
func TestOutboxRetriesThenFailsWhileTheMailServerIsDown(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		srv := startSMTP(t)
		ta := twoInstances(t, dialect, srv.config())[0]
		srv.stop()
		enqueueMails(t, ta.DB, 3, "Down")
		clock := time.Now()
		ta.Now = func() time.Time { return clock }
		for attempt := 1; attempt <= models.OutboxMaxAttempts; attempt++ {
			if n, err := ta.DeliverOutbox(ctx); err != nil || n != 3 {
				t.Fatalf("attempt %d: %d, %v", attempt, n, err)
			}
			if n, _ := ta.DeliverOutbox(ctx); n != 0 {
				t.Fatalf("attempt %d: tried again at once", attempt)
			}
			clock = clock.Add(models.OutboxBackoff(attempt) + time.Second)
		}
		c := outboxCounts(t, ta.DB)
		if c[models.MailFailed] != 3 {
			t.Fatalf("after %d attempts: %v", models.OutboxMaxAttempts, c)
		}
		var failed []models.OutboxMail
		ta.DB.Order("id").Find(&failed)
		for _, m := range failed {
			if m.Attempts != models.OutboxMaxAttempts || !strings.Contains(m.LastError, "connect") {
				t.Fatalf("failed mail %+v", m)
			}
		}
		// A mail queued while the server is down waits (one failed attempt) …
		enqueueMails(t, ta.DB, 1, "Later")
		if n, _ := ta.DeliverOutbox(ctx); n != 1 {
			t.Fatal("the new mail was not tried")
		}
		adm, _ := ta.signedIn(t, models.RoleAdmin)
		page := text(adm.get("/admin/outbox").Body)
		if !strings.Contains(page, "failed after 5 attempts") || !strings.Contains(page, "waiting to try again (1 failed)") || !strings.Contains(page, "connect to") {
			t.Fatalf("outbox page: %s", page)
		}
		// … and goes out when the server is back.
		srv.start()
		clock = clock.Add(time.Hour)
		deliverAll(t, ta)
		if got := srv.mails(); len(got) != 1 || got[0].Header.Get("Subject") != "Later 0" {
			t.Fatalf("after the server came back: %d mails", len(got))
		}
		// The admin sends the failed ones again.
		for _, m := range failed {
			if res := adm.post(fmt.Sprintf("/admin/outbox/%d/retry", m.ID), url.Values{}); res.Code != http.StatusSeeOther {
				t.Fatalf("retry: %d %s", res.Code, text(res.Body))
			}
		}
		deliverAll(t, ta)
		if got := srv.mails(); len(got) != 4 {
			t.Fatalf("after retrying: %d mails", len(got))
		}
		if c := outboxCounts(t, ta.DB); c[models.MailSent] != 4 || len(c) != 1 {
			t.Fatalf("outbox: %v", c)
		}
		// A sent mail cannot be sent again.
		if res := adm.post(fmt.Sprintf("/admin/outbox/%d/retry", failed[0].ID), url.Values{}); !strings.Contains(text(adm.get("/admin/outbox").Body), "nothing to send again") {
			t.Fatalf("retry of a sent mail: %d", res.Code)
		}
	})
}

func eachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// Notices: the header counts the unread ones, the Notices page shows them and
// marks them read; each person chooses which kinds come by mail, and mail
// reaches the server with the summit's name and a settings link.
func TestNoticesPageUnreadCountAndMailSettings(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		srv := startSMTP(t)
		ta := twoInstances(t, dialect, srv.config())[0]
		c, me := ta.signedIn(t, models.RoleStaff)
		other := ta.addPerson(t, "Mo Quiet", "mo@example.com", models.RoleStaff)
		summit := newSummitRow(t, ta.DB)
		if res := c.get("/notices/settings"); res.Code != http.StatusOK {
			t.Fatalf("settings: %d", res.Code)
		}
		// Mo wants only recognition by mail.
		mo := ta.client(t)
		mo.signIn(other.Email)
		if res := mo.post("/notices/settings", url.Values{"mail": {models.NoticeRecognition}}); res.Code != http.StatusSeeOther {
			t.Fatalf("save settings: %d %s", res.Code, text(res.Body))
		}
		err := ta.DB.Transaction(func(tx *gorm.DB) error {
			_, err := models.Notify(tx, time.Now(),
				models.NoticeInput{PersonID: me.ID, SummitID: summit, Kind: models.NoticeSession, Subject: "“Listening first” moved", Body: "It now starts at 11:00 in Room B.", Link: "/my/agenda"},
				models.NoticeInput{PersonID: other.ID, SummitID: summit, Kind: models.NoticeSession, Subject: "“Listening first” moved", Body: "It now starts at 11:00 in Room B."})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		home := c.get("/notices")
		if !strings.Contains(home.Body, `aria-label="1 unread"`) || !strings.Contains(text(home.Body), "“Listening first” moved") || !strings.Contains(text(home.Body), "It now starts at 11:00 in Room B.") {
			t.Fatalf("notices page: %s", text(home.Body))
		}
		id := regexpFind(t, home.Body, `action="/notices/(\d+)/read"`)
		if res := c.post("/notices/"+id+"/read", url.Values{"open": {"1"}}); res.Code != http.StatusSeeOther || res.Header.Get("Location") != "/my/agenda" {
			t.Fatalf("open: %d %s", res.Code, res.Header.Get("Location"))
		}
		if res := c.get("/notices"); strings.Contains(res.Body, "unread-count") {
			t.Fatal("still unread after reading")
		}
		// Someone else's notice cannot be marked read.
		if res := mo.get("/notices"); !strings.Contains(res.Body, `aria-label="1 unread"`) {
			t.Fatalf("Mo's notices: %s", text(res.Body))
		}
		deliverAll(t, ta)
		got := srv.mails()
		if len(got) != 1 || got[0].To != me.Email {
			t.Fatalf("mails: %+v", got)
		}
		m := got[0]
		if !strings.Contains(m.Text, "Hello "+me.Name) || !strings.Contains(m.Text, "It now starts at 11:00 in Room B.") || !strings.Contains(m.Text, "http://summit.test/my/agenda") ||
			!strings.Contains(m.Text, "Notice Summit · Summit") || !strings.Contains(m.Text, "http://summit.test/notices/settings") ||
			!strings.Contains(m.HTML, `<a href="http://summit.test/notices/settings">`) {
			t.Fatalf("mail:\n%s\n%s", m.Text, m.HTML)
		}
	})
}

// newSummitRow inserts a bare summit and returns its id.
func newSummitRow(t *testing.T, db *gorm.DB) uint {
	t.Helper()
	s := models.Summit{Title: "Notice Summit", Year: 2031, StartDate: "2031-03-10", EndDate: "2031-03-11", TimeZone: "UTC", Status: models.StatusPublished}
	if err := db.Create(&s).Error; err != nil {
		t.Fatal(err)
	}
	return s.ID
}

// BenchmarkOutboxDelivery measures how fast one instance's worker empties
// the outbox into a local SMTP server (the in-process one of these tests):
// each iteration queues 500 mails (not timed) and delivers them, in batches
// of OutboxBatch over one connection each. Budget: at least 50 mails/s.
//
//	CI=1 go test -run '^$' -bench BenchmarkOutboxDelivery -benchtime 3x -count 3 ./app/
func BenchmarkOutboxDelivery(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			srv := startSMTP(b)
			ta := newTestAppCfg(b, modelstest.Open(b, d), srv.config())
			sent := 0
			var spent time.Duration
			for b.Loop() {
				b.StopTimer()
				err := ta.DB.Transaction(func(tx *gorm.DB) error {
					for i := 0; i < 500; i++ {
						if err := models.EnqueueMail(tx, time.Now(), &models.OutboxMail{Kind: models.NoticeSession, ToName: "Person", ToAddress: fmt.Sprintf("p%d@example.com", i),
							Subject: "“Listening first” moved", Body: "It was Thu 11 Mar 10:00–11:00, Room A; it is now Thu 11 Mar 11:00–12:00, Room B.", Link: "/my/agenda"}); err != nil {
							return err
						}
					}
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				for {
					n, err := ta.DeliverOutbox(ctx)
					if err != nil {
						b.Fatal(err)
					}
					if n == 0 {
						break
					}
					sent += n
				}
				spent += time.Since(start)
			}
			if got := len(srv.mails()); got != sent {
				b.Fatalf("%d mails arrived, %d sent", got, sent)
			}
			b.ReportMetric(float64(sent)/spent.Seconds(), "mails/s")
		})
	}
}

// The worker every `summit serve` runs delivers what is queued, runs the
// periodic check, and stops when its context ends.
func TestWorkerDeliversUntilStopped(t *testing.T) {
	srv := startSMTP(t)
	ta := twoInstances(t, "sqlite", srv.config())[0]
	old := app.WorkerPoll
	app.WorkerPoll = 20 * time.Millisecond
	t.Cleanup(func() { app.WorkerPoll = old })
	workCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { ta.RunWorker(workCtx); close(done) }()
	enqueueMails(t, ta.DB, 3, "Worker")
	deadline := time.Now().Add(10 * time.Second)
	for len(srv.mails()) < 3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the worker did not stop")
	}
	if got := len(srv.mails()); got != 3 {
		t.Fatalf("%d mails delivered by the worker", got)
	}
}
