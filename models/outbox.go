package models

// The outbox is Summit's mail queue: a table in the application's own
// database, so a mail is queued in the same transaction as the change it
// tells about (it exists exactly when that change committed), and any number
// of `summit serve` instances deliver from it, each mail once.
//
// Claiming: a worker turns up to n due rows from pending to sending in one
// statement, marking them with its name and a lease. On Postgres the rows are
// chosen with FOR UPDATE SKIP LOCKED, so two instances never wait on or take
// the same row; on SQLite the UPDATE is one write under the database's single
// writer lock, so it is atomic as it stands. A worker that dies mid-send
// leaves its rows "sending" until the lease ends; then another instance
// takes them again (the one case where a mail can go out twice: the server
// accepted it but the worker died before it could record that).
//
// Why not River: see "Notices and the job queue" in docs/ARCHITECTURE.md.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Outbox statuses.
const (
	MailPending = "pending"
	MailSending = "sending"
	MailSent    = "sent"
	MailFailed  = "failed"
	MailUnsent  = "unsent"
)

// MailKindReset is the kind of a password-link mail (no notice: always sent,
// whatever the person's settings).
const MailKindReset = "reset"

// MailUnsentNoServer is the reason kept on a mail that could not be sent
// because no mail server is configured.
const MailUnsentNoServer = "not sent: no mail server configured"

// OutboxMaxAttempts is how many times a mail is tried before it is failed.
const OutboxMaxAttempts = 5

// OutboxLease is how long a claimed mail stays with its worker before
// another instance may take it again.
const OutboxLease = 5 * time.Minute

// OutboxBackoff is the wait before the next attempt after the given number of
// failed attempts: 30 s, 2 min, 8 min, 32 min … (capped at 2 hours).
func OutboxBackoff(attempts int) time.Duration {
	d := 30 * time.Second
	for i := 1; i < attempts && d < 2*time.Hour; i++ {
		d *= 4
	}
	return min(d, 2*time.Hour)
}

// OutboxMail is one mail in the outbox. Body is plain text with paragraphs;
// the sender adds the greeting, the link and the footer (app/mail.go).
type OutboxMail struct {
	ID            uint `gorm:"primaryKey"`
	PersonID      *uint
	SummitTitle   string
	Kind          string
	ToName        string
	ToAddress     string
	Subject       string
	Body          string
	Link          string
	Secret        bool
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	ClaimedBy     string
	ClaimedUntil  *time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        *time.Time
}

// TableName keeps the table name explicit.
func (OutboxMail) TableName() string { return "outbox" }

// StatusText says the mail's state the way the Outbox page shows it.
func (m *OutboxMail) StatusText() string {
	switch m.Status {
	case MailUnsent:
		return MailUnsentNoServer
	case MailFailed:
		return "failed after " + strconv.Itoa(m.Attempts) + " attempts"
	case MailPending:
		if m.Attempts > 0 {
			return "waiting to try again (" + strconv.Itoa(m.Attempts) + " failed)"
		}
		return "waiting to be sent"
	}
	return m.Status
}

// EnqueueMail queues one mail inside the caller's transaction.
func EnqueueMail(tx *gorm.DB, now time.Time, m *OutboxMail) error {
	m.ID = 0
	m.Status, m.Attempts = MailPending, 0
	m.NextAttemptAt, m.CreatedAt = now.UTC(), now.UTC()
	m.ToAddress = strings.TrimSpace(m.ToAddress)
	if err := tx.Create(m).Error; err != nil {
		return fmt.Errorf("models: enqueue mail: %w", err)
	}
	return nil
}

// ClaimMail takes up to n mails that are due (pending and their time has
// come, or sending with a lease that ran out) for the worker named worker,
// counting an attempt for each.
func ClaimMail(ctx context.Context, db *gorm.DB, worker string, now time.Time, n int) ([]OutboxMail, error) {
	now = now.UTC()
	lock := ""
	if IsPostgres(db) {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	// An idle worker asks every few seconds: look before taking SQLite's
	// write lock (or Postgres row locks) for nothing.
	var due []uint
	if err := withCtx(ctx, db).Raw(`SELECT id FROM outbox WHERE (status = ? AND next_attempt_at <= ?) OR (status = ? AND claimed_until < ?) LIMIT 1`,
		MailPending, now, MailSending, now).Scan(&due).Error; err != nil {
		return nil, fmt.Errorf("models: claim mail: %w", err)
	}
	if len(due) == 0 {
		return nil, nil
	}
	var ids []uint
	err := withCtx(ctx, db).Raw(`UPDATE outbox SET status = ?, claimed_by = ?, claimed_until = ?, attempts = attempts + 1
WHERE id IN (SELECT id FROM outbox WHERE (status = ? AND next_attempt_at <= ?) OR (status = ? AND claimed_until < ?) ORDER BY id LIMIT ?`+lock+`)
AND (status = ? OR (status = ? AND claimed_until < ?))
RETURNING id`,
		MailSending, worker, now.Add(OutboxLease), MailPending, now, MailSending, now, n, MailPending, MailSending, now).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("models: claim mail: %w", err)
	}
	var out []OutboxMail
	if len(ids) == 0 {
		return out, nil
	}
	// Read back by id (SQLite's RETURNING carries no column types, so times would not scan).
	if err := withCtx(ctx, db).Where("id IN ? AND claimed_by = ?", ids, worker).Order("id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: claimed mail: %w", err)
	}
	return out, nil
}

// errNotMine is a mail whose lease another worker took over.
var errNotMine = errors.New("models: mail no longer claimed by this worker")

func finishMail(ctx context.Context, db *gorm.DB, m *OutboxMail, worker string, set map[string]any) error {
	if m.Secret && (set["status"] == MailSent || set["status"] == MailFailed) {
		set["body"] = "(a one-time link, removed once the mail was sent or given up)"
		set["link"] = ""
	}
	res := withCtx(ctx, db).Model(&OutboxMail{}).Where("id = ? AND status = ? AND claimed_by = ?", m.ID, MailSending, worker).Updates(set)
	if res.Error != nil {
		return fmt.Errorf("models: finish mail %d: %w", m.ID, res.Error)
	}
	if res.RowsAffected != 1 {
		return errNotMine
	}
	return nil
}

// MailDelivered records that the mail server accepted a claimed mail.
func MailDelivered(ctx context.Context, db *gorm.DB, m *OutboxMail, worker string, now time.Time) error {
	return finishMail(ctx, db, m, worker, map[string]any{"status": MailSent, "sent_at": now.UTC(), "last_error": "", "claimed_until": nil})
}

// MailNotDelivered records a failed attempt: the mail waits for its next
// attempt (OutboxBackoff), or is failed after OutboxMaxAttempts, keeping the
// error either way.
func MailNotDelivered(ctx context.Context, db *gorm.DB, m *OutboxMail, worker string, now time.Time, cause error) error {
	msg := cause.Error()
	if len(msg) > 1000 {
		msg = msg[:1000]
	}
	set := map[string]any{"last_error": msg, "claimed_until": nil}
	if m.Attempts >= OutboxMaxAttempts {
		set["status"] = MailFailed
	} else {
		set["status"] = MailPending
		set["next_attempt_at"] = now.UTC().Add(OutboxBackoff(m.Attempts))
	}
	return finishMail(ctx, db, m, worker, set)
}

// MailNoServer records that a claimed mail cannot be sent because no mail
// server is configured. It stays in the outbox, marked so, for an admin to
// send again once one is.
func MailNoServer(ctx context.Context, db *gorm.DB, m *OutboxMail, worker string) error {
	return finishMail(ctx, db, m, worker, map[string]any{"status": MailUnsent, "last_error": MailUnsentNoServer, "attempts": 0, "claimed_until": nil})
}

// RetryMail puts a failed or unsent mail back in the queue, due now. Audited.
func RetryMail(ctx context.Context, db *gorm.DB, who Actor, id uint, now time.Time) error {
	return inTx(ctx, db, fmt.Sprintf("retry mail %d", id), func(tx *gorm.DB) error {
		res := tx.Model(&OutboxMail{}).Where("id = ? AND status IN ?", id, []string{MailFailed, MailUnsent}).
			Updates(map[string]any{"status": MailPending, "attempts": 0, "next_attempt_at": now.UTC()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var n int64
			if err := tx.Model(&OutboxMail{}).Where("id = ?", id).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return ErrNotFound
			}
			return FieldErrors{"mail": "This mail is not failed or unsent, so there is nothing to send again."}
		}
		return Audit(ctx, tx, who, "outbox.retry", "outbox", id, "Sent a mail again from the outbox", nil, nil)
	})
}

// OutboxPage is one page of the outbox, newest first, with counts per status.
type OutboxPage struct {
	Status string // "" for every status
	Mails  []OutboxMail
	Counts map[string]int64
	Page   Paging
}

// ListOutbox returns the newest mails (at most limit) of one status, or of
// every status when status is "".
func ListOutbox(ctx context.Context, db *gorm.DB, status string, limit int) (*OutboxPage, error) {
	return ListOutboxPage(ctx, db, status, Paging{Number: 1, Per: limit}, 0, time.Time{})
}

// ListOutboxPage returns page p of the mails of one status (or of every
// status when status is ""), newest first, as viewerID may read them at now
// (0: the system, every mail): the judging mails of a category whose
// outcome is kept from the viewer are left out, and not counted, since
// whom they went to says who judges it (MaySeeOutcome).
func ListOutboxPage(ctx context.Context, db *gorm.DB, status string, p Paging, viewerID uint, now time.Time) (*OutboxPage, error) {
	db = withCtx(ctx, db)
	out := &OutboxPage{Status: status, Counts: map[string]int64{}}
	hidden, err := hiddenJudgingLinks(ctx, db, viewerID, now)
	if err != nil {
		return nil, err
	}
	mails := func() *gorm.DB {
		q := db.Model(&OutboxMail{})
		if len(hidden) > 0 {
			q = q.Where("NOT (kind = ? AND link IN ?)", NoticeJudging, hidden)
		}
		return q
	}
	var counts []struct {
		Status string
		N      int64
	}
	if err := mails().Select("status, COUNT(*) AS n").Group("status").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("models: outbox counts: %w", err)
	}
	for _, c := range counts {
		out.Counts[c.Status] = c.N
	}
	q := mails().Order("created_at DESC, id DESC")
	if status != "" {
		q = q.Where("status = ?", status)
	}
	if out.Mails, err = readPage[OutboxMail](q, &p); err != nil {
		return nil, fmt.Errorf("models: list outbox: %w", err)
	}
	out.Page = p
	return out, nil
}

// hiddenJudgingLinks lists the links of the judging mails of the categories
// whose outcome is kept from personID at now.
func hiddenJudgingLinks(ctx context.Context, db *gorm.DB, personID uint, now time.Time) ([]string, error) {
	hidden, err := HiddenOutcomes(ctx, db, personID, now)
	if err != nil || len(hidden) == 0 {
		return nil, err
	}
	ids := make([]uint, 0, len(hidden))
	for id := range hidden {
		ids = append(ids, id)
	}
	var cats []AwardCategory
	if err := withCtx(ctx, db).Select("id", "summit_id").Where("id IN ?", ids).Find(&cats).Error; err != nil {
		return nil, fmt.Errorf("models: hidden judging mails of %d: %w", personID, err)
	}
	links := make([]string, len(cats))
	for i, c := range cats {
		links[i] = judgingLink(c.SummitID, c.ID)
	}
	return links, nil
}
