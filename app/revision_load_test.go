package app_test

import (
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"summit/models/modelstest"
)

var (
	loadTitleRE = regexp.MustCompile(`Load title (\d+)`)
	loadSeatsRE = regexp.MustCompile(`(\d+) of (\d+) seats left`)
)

// Under many visitors at once, on two instances with their own caches on
// one Postgres (one instance on SQLite), every change shows on every
// request that starts after it was committed, on both instances: a new
// title (which raises the revision) made on either instance, and a new
// seat capacity (which does not: the seat counts are read on each request)
// written straight to the database.
func TestPublicCacheChangeShowsUnderLoad(t *testing.T) {
	for _, d := range modelstest.Dialects {
		t.Run(d, func(t *testing.T) {
			apps := loadApps(t, d)
			w := newDemoWorld(t, apps[0])
			paths := []string{"/summits/" + w.sid, "/summits/" + w.sid + "/sessions/" + itoa(w.training.ID)}
			// Round k's change, known to every reader once committed:
			// titleAt[k] and capAt[k] are the title number and capacity a
			// request started after it must show (or later ones: both only
			// grow).
			const rounds = 12
			var titleAt, capAt [rounds + 1]int
			capAt[0] = *w.training.Capacity
			var committed atomic.Int64
			var checked, afterChange, failures atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			get := func(ta *testApp, path string) (int, string, error) {
				res, err := loadClient.Get(ta.Server.URL + path)
				if err != nil {
					return 0, "", err
				}
				defer res.Body.Close()
				b, err := io.ReadAll(res.Body)
				return res.StatusCode, string(b), err
			}
			// check says what is wrong with a response to a request started
			// after round k was committed ("" when nothing).
			check := func(k int, code int, body string) string {
				if code != http.StatusOK {
					return fmt.Sprintf("status %d", code)
				}
				title := 0
				if m := loadTitleRE.FindStringSubmatch(body); m != nil {
					title, _ = strconv.Atoi(m[1])
				}
				capacity := 0
				for _, m := range loadSeatsRE.FindAllStringSubmatch(body, -1) {
					if c, _ := strconv.Atoi(m[2]); c >= capAt[0] && c > capacity && c != 0 {
						capacity = c
					}
				}
				if title < titleAt[k] {
					return fmt.Sprintf("title %d, but title %d was committed before the request", title, titleAt[k])
				}
				if capacity < capAt[k] {
					return fmt.Sprintf("capacity %d, but %d was committed before the request", capacity, capAt[k])
				}
				return ""
			}
			for i := 0; i < 32; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					for n := 0; ; n++ {
						select {
						case <-stop:
							return
						default:
						}
						k := int(committed.Load())
						code, body, err := get(apps[(i+n)%len(apps)], paths[(i+n)%len(paths)])
						if err != nil {
							t.Error(err)
							return
						}
						checked.Add(1)
						if k > 0 {
							afterChange.Add(1)
						}
						if msg := check(k, code, body); msg != "" && failures.Add(1) <= 5 {
							t.Errorf("instance %d %s after round %d: %s", (i+n)%len(apps), paths[(i+n)%len(paths)], k, msg)
						}
					}
				}(i)
			}
			for k := 1; k <= rounds; k++ {
				time.Sleep(30 * time.Millisecond)
				ta := apps[k%len(apps)]
				titleAt[k], capAt[k] = titleAt[k-1], capAt[k-1]
				if k%2 == 1 {
					titleAt[k] = k
					w.retitle(t, ta, fmt.Sprintf("Load title %d", k))
				} else {
					capAt[k] = 1000 + k
					*w.training.Capacity = capAt[k] // the next retitle keeps it
					if err := ta.DB.Exec("UPDATE sessions SET capacity = ? WHERE id = ?", capAt[k], w.training.ID).Error; err != nil {
						t.Fatal(err)
					}
				}
				committed.Store(int64(k))
				// The very next request, on the other instance.
				other := apps[(k+1)%len(apps)]
				for _, p := range paths {
					code, body, err := get(other, p)
					if err != nil {
						t.Fatal(err)
					}
					if msg := check(k, code, body); msg != "" {
						t.Errorf("round %d, the next request on the other instance, %s: %s", k, p, msg)
					}
				}
			}
			time.Sleep(30 * time.Millisecond)
			close(stop)
			wg.Wait()
			if afterChange.Load() < rounds {
				t.Errorf("only %d requests after the first change: the load did not overlap the changes", afterChange.Load())
			}
			t.Logf("%d responses checked, %d after a change, %d wrong", checked.Load(), afterChange.Load(), failures.Load())
		})
	}
}
