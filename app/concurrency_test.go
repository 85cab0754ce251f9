package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"summit/models"
)

// SQLite under load: 50 visitors read the agenda while organisers write
// sessions and rooms at the same moment. WAL, the busy timeout and IMMEDIATE
// transactions must queue the writers: no "database is locked", no 5xx.
func TestSQLiteConcurrentReadsAndWritesNeverLock(t *testing.T) {
	ta := newTestApp(t, "sqlite")
	agenda := strings.TrimPrefix(seedDemo(t, ta), ta.Server.URL)
	summit, err := models.CurrentSummit(ctx, ta.DB, ta.Now())
	if err != nil {
		t.Fatal(err)
	}
	org, _ := ta.signedIn(t, models.RoleOrganiser)
	base := "/organise/summits/" + itoa(summit.ID)
	org.csrf()

	const readers, writers = 50, 10
	var wg sync.WaitGroup
	gate := make(chan struct{})
	problems := make(chan string, readers+2*writers)
	for i := 0; i < readers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-gate
			path := agenda
			if i%2 == 1 {
				path += "?day=" + summit.EndDate + "&view=list"
			}
			res, err := http.Get(ta.Server.URL + path)
			if err != nil {
				problems <- fmt.Sprintf("reader %d: %v", i, err)
				return
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				problems <- fmt.Sprintf("reader %d: status %d", i, res.StatusCode)
			}
		}(i)
	}
	for i := 0; i < writers; i++ {
		wg.Add(2)
		go func(i int) {
			defer wg.Done()
			<-gate
			// Model writes straight to the database, as a second process would.
			_, err := models.SaveSession(ctx, ta.DB, models.ActorOf(nil, ""), summit.ID, 0, models.SessionInput{Title: fmt.Sprintf("Evening circle %d", i),
				Kind: models.KindSocial, Day: summit.EndDate, StartTime: fmt.Sprintf("%02d:00", 16+i/5), EndTime: fmt.Sprintf("%02d:59", 16+i/5)}, time.Now())
			if err != nil {
				problems <- fmt.Sprintf("writer %d: %v", i, err)
			}
		}(i)
		go func(i int) {
			defer wg.Done()
			<-gate
			// And through the organiser pages.
			res := org.postQuiet(base+"/rooms/new", url.Values{"name": {fmt.Sprintf("Breakout %d", i)}, "capacity": {"12"}})
			if res != http.StatusSeeOther {
				problems <- fmt.Sprintf("room writer %d: status %d", i, res)
			}
		}(i)
	}
	close(gate)
	wg.Wait()
	close(problems)
	for p := range problems {
		t.Error(p)
	}
	rooms, _ := models.ListRooms(ctx, ta.DB, summit.ID)
	if len(rooms) != 4+writers {
		t.Fatalf("want %d rooms after the writes, got %d", 4+writers, len(rooms))
	}
}

// postQuiet posts a form from any goroutine (no t.Fatal) and returns the status.
func (c *client) postQuiet(path string, form url.Values) int {
	form.Set("_csrf", c.csrf())
	req, _ := http.NewRequest(http.MethodPost, c.ta.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}
