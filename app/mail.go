package app

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"summit/models"
)

// Mailer sends outbox mails, over one connection where it can. errs[i] is
// nil when the mail server accepted mails[i].
type Mailer func(ctx context.Context, mails []models.OutboxMail) (errs []error)

// smtpMailer sends through the configured server with go-mail: STARTTLS
// when the server offers it, AUTH only when a user is set.
func (a *App) smtpMailer() Mailer {
	cfg := a.Cfg
	port := cfg.SMTPPort
	if port == 0 {
		port = 587
	}
	from := cfg.SMTPFrom
	if from == "" {
		from = "summit@" + cfg.SMTPHost
	}
	return func(ctx context.Context, mails []models.OutboxMail) []error {
		errs := make([]error, len(mails))
		all := func(err error) []error {
			for i := range errs {
				errs[i] = err
			}
			return errs
		}
		opts := []gomail.Option{gomail.WithPort(port), gomail.WithTLSPolicy(gomail.TLSOpportunistic), gomail.WithTimeout(20 * time.Second)}
		if cfg.SMTPUser != "" {
			opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(cfg.SMTPUser), gomail.WithPassword(cfg.SMTPPassword))
		}
		client, err := gomail.NewClient(cfg.SMTPHost, opts...)
		if err != nil {
			return all(fmt.Errorf("mail client: %w", err))
		}
		msgs := make([]*gomail.Msg, 0, len(mails))
		index := make([]int, 0, len(mails))
		for i := range mails {
			m, err := a.composeMail(from, &mails[i])
			if err != nil {
				errs[i] = err
				continue
			}
			msgs = append(msgs, m)
			index = append(index, i)
		}
		if len(msgs) == 0 {
			return errs
		}
		conn, err := client.DialToSMTPClientWithContext(ctx)
		if err != nil {
			for _, i := range index {
				errs[i] = fmt.Errorf("connect to %s:%d: %w", cfg.SMTPHost, port, err)
			}
			return errs
		}
		sendErr := client.SendWithSMTPClient(conn, msgs...)
		for k, m := range msgs {
			if m.HasSendError() {
				errs[index[k]] = m.SendError()
			} else if sendErr != nil && !anySendError(msgs) {
				errs[index[k]] = sendErr // the connection itself failed before any mail
			}
		}
		if err := client.CloseWithSMTPClient(conn); err != nil {
			a.Log.Debug("mail: closing the connection", "err", err)
		}
		return errs
	}
}

func anySendError(msgs []*gomail.Msg) bool {
	for _, m := range msgs {
		if m.HasSendError() {
			return true
		}
	}
	return false
}

// MailContent is what a mail says, in plain text and HTML.
type MailContent struct {
	Subject, Text, HTML string
}

var mailHTML = template.Must(template.New("mail").Funcs(template.FuncMap{
	"isURL": func(s string) bool { return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") },
}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.5; color: #1b1f24; max-width: 36rem;">
<p>Hello {{.Name}},</p>
{{range .Paragraphs}}<p>{{if isURL .}}<a href="{{.}}">{{.}}</a>{{else}}{{.}}{{end}}</p>
{{end}}{{if .Link}}<p><a href="{{.Link}}">{{.LinkLabel}}</a></p>
{{end}}<hr>
<p style="font-size: 0.875rem; color: #555;">{{.From}}{{if .Settings}} · <a href="{{.Settings}}">Choose which notices reach you by mail</a>{{end}}</p>
</body></html>`))

// MailText renders an outbox mail as it is sent: a greeting, the body, the
// link, and a footer with the summit's name and a link to the person's
// notice settings (not for password links, which are no notice).
func (a *App) MailText(m *models.OutboxMail) MailContent {
	base := strings.TrimRight(a.Cfg.BaseURL, "/")
	link := m.Link
	if strings.HasPrefix(link, "/") {
		link = base + link
	}
	from := "Summit"
	if m.SummitTitle != "" {
		from = m.SummitTitle + " · Summit"
	}
	settings := ""
	if m.Kind != models.MailKindReset {
		settings = base + noticesSettingsURL()
	}
	// A paragraph that is a path on this site (a notice's PDF or calendar
	// link, say) becomes a full address.
	var paras []string
	for _, p := range strings.Split(strings.ReplaceAll(strings.TrimSpace(m.Body), "\r\n", "\n"), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			if strings.HasPrefix(p, "/") && !strings.ContainsAny(p, " \n") {
				p = base + p
			}
			paras = append(paras, p)
		}
	}
	var t strings.Builder
	fmt.Fprintf(&t, "Hello %s,\n\n%s\n", m.ToName, strings.Join(paras, "\n\n"))
	if link != "" {
		fmt.Fprintf(&t, "\n%s\n", link)
	}
	fmt.Fprintf(&t, "\n-- \n%s\n", from)
	if settings != "" {
		fmt.Fprintf(&t, "Choose which notices reach you by mail: %s\n", settings)
	}
	label := "Open it in Summit"
	if m.Kind == models.MailKindReset {
		label = "Set your password"
	}
	var h bytes.Buffer
	_ = mailHTML.Execute(&h, map[string]any{"Subject": m.Subject, "Name": m.ToName, "Paragraphs": paras, "Link": link, "LinkLabel": label, "From": from, "Settings": settings})
	return MailContent{Subject: m.Subject, Text: t.String(), HTML: h.String()}
}

func (a *App) composeMail(from string, m *models.OutboxMail) (*gomail.Msg, error) {
	c := a.MailText(m)
	msg := gomail.NewMsg()
	if err := msg.From(headerSafe(from)); err != nil {
		return nil, fmt.Errorf("sender %q: %w", from, err)
	}
	if err := msg.AddToFormat(headerSafe(m.ToName), headerSafe(m.ToAddress)); err != nil {
		return nil, fmt.Errorf("address %q: %w", m.ToAddress, err)
	}
	msg.Subject(headerSafe(c.Subject))
	msg.SetDate()
	msg.SetMessageIDWithValue("outbox-" + strconv.FormatUint(uint64(m.ID), 10) + "." + strconv.FormatInt(m.CreatedAt.Unix(), 10) + "@summit")
	msg.SetGenHeader("X-Summit-Outbox", strconv.FormatUint(uint64(m.ID), 10))
	msg.SetBodyString(gomail.TypeTextPlain, c.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, c.HTML)
	return msg, nil
}

// headerSafe removes line breaks so a value cannot add mail headers.
func headerSafe(s string) string { return strings.NewReplacer("\r", "", "\n", "").Replace(s) }

// workerName names this instance's outbox worker (host, process, random).
func workerName() string {
	h, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s-%d-%s", h, os.Getpid(), hex.EncodeToString(b))
}

// OutboxBatch is how many mails a worker claims at once.
const OutboxBatch = 50

// DeliverOutbox claims the mails that are due and sends them (or, with no
// mail server configured, marks them unsent). It returns how many it
// handled. Every instance runs it; the claim gives each mail to one of them.
func (a *App) DeliverOutbox(ctx context.Context) (int, error) {
	mails, err := models.ClaimMail(ctx, a.DB, a.worker, a.Now(), OutboxBatch)
	if err != nil || len(mails) == 0 {
		return 0, err
	}
	if a.Mailer == nil {
		for i := range mails {
			if err := models.MailNoServer(ctx, a.DB, &mails[i], a.worker); err != nil {
				a.Log.Error("outbox: mark unsent", "err", err, "mail", mails[i].ID)
			}
		}
		return len(mails), nil
	}
	errs := a.Mailer(ctx, mails)
	var firstErr error
	for i := range mails {
		var err error
		if errs[i] == nil {
			err = models.MailDelivered(ctx, a.DB, &mails[i], a.worker, a.Now())
		} else {
			a.Log.Warn("outbox: mail not delivered", "mail", mails[i].ID, "attempt", mails[i].Attempts, "err", errs[i])
			err = models.MailNotDelivered(ctx, a.DB, &mails[i], a.worker, a.Now(), errs[i])
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return len(mails), firstErr
}

// WorkerPoll is how long an idle worker waits before it looks for mail again.
var WorkerPoll = 2 * time.Second

// RunWorker delivers the outbox and runs the periodic notices (judging,
// your agenda tomorrow, recognition after the announcement) until ctx ends.
// Every `summit serve` runs one.
func (a *App) RunWorker(ctx context.Context) {
	var lastPeriodic time.Time
	for ctx.Err() == nil {
		if now := a.Now(); now.Sub(lastPeriodic) >= time.Minute {
			lastPeriodic = now
			if n, err := models.PeriodicNotices(ctx, a.DB, now); err != nil && ctx.Err() == nil {
				a.Log.Error("notices: periodic check", "err", err)
			} else if n > 0 {
				a.Log.Info("notices: periodic check", "created", n)
			}
		}
		n, err := a.DeliverOutbox(ctx)
		if err != nil && !errors.Is(err, context.Canceled) {
			a.Log.Error("outbox", "err", err)
		}
		if n == 0 || err != nil {
			select {
			case <-ctx.Done():
			case <-time.After(WorkerPoll):
			}
		}
	}
}
