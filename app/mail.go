package app

import (
	"fmt"
	"net"
	"net/smtp"
	"strconv"
	"strings"
	"time"
)

// smtpSender mails through the configured server with net/smtp (STARTTLS
// when the server offers it; AUTH PLAIN only when a user is set).
func smtpSender(cfg Config) func(to, subject, body string) error {
	port := cfg.SMTPPort
	if port == 0 {
		port = 587
	}
	addr := net.JoinHostPort(cfg.SMTPHost, strconv.Itoa(port))
	from := cfg.SMTPFrom
	if from == "" {
		from = "summit@" + cfg.SMTPHost
	}
	var auth smtp.Auth
	if cfg.SMTPUser != "" {
		auth = smtp.PlainAuth("", cfg.SMTPUser, cfg.SMTPPassword, cfg.SMTPHost)
	}
	return func(to, subject, body string) error {
		msg := mailMessage(from, to, subject, body, time.Now())
		if err := smtp.SendMail(addr, auth, headerSafe(from), []string{headerSafe(to)}, msg); err != nil {
			return fmt.Errorf("app: send mail: %w", err)
		}
		return nil
	}
}

// headerSafe removes line breaks so a value cannot add mail headers.
func headerSafe(s string) string { return strings.NewReplacer("\r", "", "\n", "").Replace(s) }

func mailMessage(from, to, subject, body string, now time.Time) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nDate: %s\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n",
		headerSafe(from), headerSafe(to), headerSafe(subject), now.Format(time.RFC1123Z))
	b.WriteString(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n"))
	return []byte(b.String())
}
