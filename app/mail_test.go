package app_test

import (
	"bytes"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/http"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"summit/app"
	"summit/models"
)

// smtpServer is a real SMTP server (emersion/go-smtp) in the test process,
// keeping every message it accepts, parsed. stop and start take it down and
// bring it back on the same address, as a mail server that restarts.
type smtpServer struct {
	t    testing.TB
	addr string
	srv  *smtp.Server
	mu   sync.Mutex
	got  []received
}

// received is one accepted message.
type received struct {
	From, To   string
	Header     mail.Header
	Text, HTML string
}

func startSMTP(t testing.TB) *smtpServer {
	t.Helper()
	s := &smtpServer{t: t}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().String()
	s.serve(ln)
	t.Cleanup(s.stop)
	return s
}

func (s *smtpServer) serve(ln net.Listener) {
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.mu.Lock()
	s.srv = srv
	s.mu.Unlock()
	go srv.Serve(ln)
}

func (s *smtpServer) stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		srv.Close()
	}
}

func (s *smtpServer) start() {
	s.t.Helper()
	var ln net.Listener
	var err error
	for i := 0; i < 50; i++ { // the old socket may take a moment to go
		if ln, err = net.Listen("tcp", s.addr); err == nil {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		s.t.Fatal(err)
	}
	s.serve(ln)
}

// config points Summit at this server.
func (s *smtpServer) config() app.Config {
	host, port, _ := net.SplitHostPort(s.addr)
	p, _ := strconv.Atoi(port)
	return app.Config{SMTPHost: host, SMTPPort: p, SMTPFrom: "summit@example.com"}
}

func (s *smtpServer) mails() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func (s *smtpServer) NewSession(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }

type smtpSession struct {
	s        *smtpServer
	from, to string
}

func (x *smtpSession) Reset()        { x.from, x.to = "", "" }
func (x *smtpSession) Logout() error { return nil }
func (x *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	x.from = from
	return nil
}
func (x *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = to
	return nil
}
func (x *smtpSession) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	rec := received{From: x.from, To: x.to, Header: msg.Header}
	parsePart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body, &rec)
	x.s.mu.Lock()
	x.s.got = append(x.s.got, rec)
	x.s.mu.Unlock()
	return nil
}

// parsePart fills the plain-text and HTML bodies of a (multipart) message.
func parsePart(ctype, enc string, body io.Reader, rec *received) {
	mt, params, _ := mime.ParseMediaType(ctype)
	if strings.HasPrefix(mt, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return
			}
			parsePart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, rec)
		}
	}
	if strings.EqualFold(enc, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	}
	b, _ := io.ReadAll(body)
	switch mt {
	case "text/plain":
		rec.Text = string(b)
	case "text/html":
		rec.HTML = string(b)
	}
}

// deliverAll runs the instance's outbox worker until nothing is due.
func deliverAll(t *testing.T, ta *testApp) {
	t.Helper()
	for i := 0; i < 1000; i++ {
		n, err := ta.DeliverOutbox(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	t.Fatal("the outbox never emptied")
}

// A reset link goes through the outbox and arrives at a real SMTP server,
// in plain text and HTML.
func TestResetLinkIsMailedWhenSMTPIsSetUp(t *testing.T) {
	ta0 := newTestApp(t, "sqlite")
	srv := startSMTP(t)
	ta := newTestAppCfg(t, ta0.DB, srv.config())
	c, _ := ta.signedIn(t, models.RoleAdmin)
	bo := ta.addPerson(t, "Bo Berg", "bo@example.com", models.RoleStaff)
	res := c.post("/admin/people/"+itoa(bo.ID)+"/reset", nil)
	if res.Code != http.StatusOK || !strings.Contains(text(res.Body), "The link is on its way to bo@example.com") {
		t.Fatalf("reset: %d %s", res.Code, text(res.Body))
	}
	link := regexpFind(t, res.Body, `(http://summit\.test/reset/[A-Za-z0-9_-]+)`)
	deliverAll(t, ta)
	got := srv.mails()
	if len(got) != 1 {
		t.Fatalf("%d mails", len(got))
	}
	m := got[0]
	if m.To != "bo@example.com" || m.Header.Get("Subject") != "Set your Summit password" || !strings.Contains(m.Header.Get("From"), "summit@example.com") ||
		!strings.Contains(m.Text, link) || !strings.Contains(m.HTML, `href="`+link+`"`) {
		t.Fatalf("mail to %q: %v\ntext: %s\nhtml: %s", m.To, m.Header, m.Text, m.HTML)
	}
	// Once sent, the outbox no longer holds the link.
	var row models.OutboxMail
	ta.DB.Last(&row)
	if row.Status != models.MailSent || row.Link != "" || strings.Contains(row.Body, "/reset/") {
		t.Fatalf("row %+v", row)
	}
	if res := c.get("/admin/outbox"); strings.Contains(res.Body, link) {
		t.Fatal("the outbox page shows a sent reset link")
	}
}
