package app_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"summit/models"
)

var (
	noticeSubject = regexp.MustCompile(`<strong>(Notice \d+)</strong>`)
	mailSubject   = regexp.MustCompile(`<td>(Mail \d+)`)
)

// pageOf reads one page of a paged list: the subjects it shows, in order,
// and its Newer and Older links ("" when absent).
func pageOf(t *testing.T, c *client, path string, subject *regexp.Regexp) (subjects []string, newer, older string) {
	t.Helper()
	res := c.get(path)
	if res.Code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, res.Code, text(res.Body))
	}
	for _, m := range subject.FindAllStringSubmatch(res.Body, -1) {
		subjects = append(subjects, m[1])
	}
	link := func(id string) string {
		m := regexp.MustCompile(`<a href="([^"]*)" rel="[a-z]+" id="` + id + `"`).FindStringSubmatch(res.Body)
		if m == nil {
			return ""
		}
		return strings.ReplaceAll(m[1], "&amp;", "&")
	}
	return subjects, link("pager-newer"), link("pager-older")
}

func numbered(prefix string, from, to int) []string {
	var out []string
	for i := from; i >= to; i-- {
		out = append(out, fmt.Sprintf("%s %d", prefix, i))
	}
	return out
}

// A person with 120 notices reads them 50 a page, newest first: the first
// page links only to older ones, the middle one both ways, the last only to
// newer ones; following the links walks every notice once. A notice on the
// last page still opens its link; another person's notice is not found;
// a page number that is not one shows the first page.
func TestNoticesPageAndOutboxArePaged(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		staff, me := ta.signedIn(t, models.RoleStaff)
		_, other := ta.signedIn(t, models.RoleStaff)
		start := time.Now().UTC().Add(-time.Hour)
		var oldest, othersNotice models.Notice
		for i := 1; i <= 120; i++ {
			n := models.Notice{PersonID: me.ID, Kind: models.NoticeSeat, Subject: fmt.Sprintf("Notice %d", i), Body: "b", Link: "/my/agenda", CreatedAt: start.Add(time.Duration(i) * time.Second)}
			if err := ta.DB.Create(&n).Error; err != nil {
				t.Fatal(err)
			}
			if i == 1 {
				oldest = n
			}
		}
		othersNotice = models.Notice{PersonID: other.ID, Kind: models.NoticeSeat, Subject: "Not yours", Link: "/summits", CreatedAt: start}
		if err := ta.DB.Create(&othersNotice).Error; err != nil {
			t.Fatal(err)
		}

		got, newer, older := pageOf(t, staff, "/notices", noticeSubject)
		if strings.Join(got, ",") != strings.Join(numbered("Notice", 120, 71), ",") || newer != "" || older != "/notices?page=2" {
			t.Fatalf("page 1: %v newer=%q older=%q", got, newer, older)
		}
		got, newer, older = pageOf(t, staff, older, noticeSubject)
		if strings.Join(got, ",") != strings.Join(numbered("Notice", 70, 21), ",") || newer != "/notices" || older != "/notices?page=3" {
			t.Fatalf("page 2: %v newer=%q older=%q", got, newer, older)
		}
		got, newer, older = pageOf(t, staff, older, noticeSubject)
		if strings.Join(got, ",") != strings.Join(numbered("Notice", 20, 1), ",") || newer != "/notices?page=2" || older != "" {
			t.Fatalf("page 3: %v newer=%q older=%q", got, newer, older)
		}
		if got, _, _ := pageOf(t, staff, "/notices?page=x1", noticeSubject); len(got) != 50 || got[0] != "Notice 120" {
			t.Fatalf("a bad page number: %v", got)
		}
		if got, newer, _ := pageOf(t, staff, "/notices?page=9", noticeSubject); len(got) != 0 || newer != "/notices?page=8" {
			t.Fatalf("a page past the end: %v newer=%q", got, newer)
		}
		if res := staff.post("/notices/"+itoa(oldest.ID)+"/read", map[string][]string{"open": {"1"}}); res.Code != http.StatusSeeOther || res.Location != "/my/agenda" {
			t.Fatalf("opening the oldest notice: %d %s", res.Code, res.Location)
		}
		if res := staff.post("/notices/"+itoa(othersNotice.ID)+"/read", map[string][]string{"open": {"1"}}); res.Code != http.StatusNotFound {
			t.Fatalf("opening another person's notice: %d %s", res.Code, res.Location)
		}

		// The outbox: 120 mails, 50 a page, the status kept in the links.
		enqueueMails(t, ta.DB, 120, "Mail")
		adm, _ := ta.signedIn(t, models.RoleAdmin)
		got, newer, older = pageOf(t, adm, "/admin/outbox", mailSubject)
		if strings.Join(got, ",") != strings.Join(numbered("Mail", 119, 70), ",") || newer != "" || older != "/admin/outbox?page=2" {
			t.Fatalf("outbox page 1: %v newer=%q older=%q", got, newer, older)
		}
		got, newer, older = pageOf(t, adm, "/admin/outbox?status=pending&page=2", mailSubject)
		if strings.Join(got, ",") != strings.Join(numbered("Mail", 69, 20), ",") || newer != "/admin/outbox?status=pending" || older != "/admin/outbox?page=3&status=pending" {
			t.Fatalf("outbox pending page 2: %v newer=%q older=%q", got, newer, older)
		}
		got, newer, older = pageOf(t, adm, older, mailSubject)
		if strings.Join(got, ",") != strings.Join(numbered("Mail", 19, 0), ",") || newer != "/admin/outbox?page=2&status=pending" || older != "" {
			t.Fatalf("outbox pending page 3: %v newer=%q older=%q", got, newer, older)
		}
	})
}
