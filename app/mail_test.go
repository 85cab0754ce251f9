package app_test

import (
	"bufio"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"summit/app"
	"summit/models"
)

// fakeSMTP is a minimal SMTP server that keeps the one message it receives.
type fakeSMTP struct {
	addr string
	mu   sync.Mutex
	rcpt string
	data string
}

func newFakeSMTP(t *testing.T) *fakeSMTP {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	f := &fakeSMTP{addr: ln.Addr().String()}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go f.serve(conn)
		}
	}()
	return f
}

func (f *fakeSMTP) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(s string) { conn.Write([]byte(s + "\r\n")) }
	say("220 fake ESMTP")
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 fake")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			f.mu.Lock()
			f.rcpt = strings.TrimSpace(line[len("RCPT TO:"):])
			f.mu.Unlock()
			say("250 ok")
		case cmd == "DATA":
			say("354 go on")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil || l == ".\r\n" {
					break
				}
				b.WriteString(l)
			}
			f.mu.Lock()
			f.data = b.String()
			f.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 ok")
		}
	}
}

// With SMTP configured, a reset link is mailed with net/smtp.
func TestResetLinkIsMailedWhenSMTPIsSetUp(t *testing.T) {
	ta0 := newTestApp(t, "sqlite")
	srv := newFakeSMTP(t)
	host, port, _ := net.SplitHostPort(srv.addr)
	ta := newTestAppCfg(t, ta0.DB, app.Config{SMTPHost: host, SMTPPort: atoi(t, port), SMTPFrom: "summit@example.com"})
	c, _ := ta.signedIn(t, models.RoleAdmin)
	bo := ta.addPerson(t, "Bo Berg", "bo@example.com", models.RoleStaff)
	res := c.post("/admin/people/"+itoa(bo.ID)+"/reset", nil)
	if res.Code != http.StatusOK || !strings.Contains(text(res.Body), "The link was mailed to bo@example.com") {
		t.Fatalf("reset: %d %s", res.Code, text(res.Body))
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	if srv.rcpt != "<bo@example.com>" || !strings.Contains(srv.data, "Subject: Set your Summit password\r\n") ||
		!strings.Contains(srv.data, "From: summit@example.com\r\n") || !strings.Contains(srv.data, "http://summit.test/reset/") {
		t.Fatalf("mail to %q:\n%s", srv.rcpt, srv.data)
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
