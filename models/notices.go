package models

// Notices: what a person should know — a seat, a move, a promotion, judging,
// recognition — created in the same transaction as its cause (Notify), shown
// on the person's Notices page, and also queued as mail (the outbox) for the
// kinds the person wants by mail.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Notice kinds.
const (
	NoticeSeat         = "seat"         // seat confirmed, promoted from the waitlist, a seat lost
	NoticeSession      = "session"      // a registered (or own) session moved, re-roomed, shortened or cancelled
	NoticeRegistration = "registration" // registration opens or closes soon
	NoticeAgenda       = "agenda"       // your agenda tomorrow
	NoticeJudging      = "judging"      // judging opens, closes in three days
	NoticeRecognition  = "recognition"  // you were recognised; thank you for nominating
)

// NoticeKind describes one kind for the settings page.
type NoticeKind struct {
	Kind  string
	Label string
	Mail  bool // mailed unless the person turns it off
}

// NoticeKinds lists every kind in the order the settings page shows them.
var NoticeKinds = []NoticeKind{
	{NoticeSeat, "Your seats: confirmed, moved up from the waitlist, or lost", true},
	{NoticeSession, "Changes to sessions you registered for or speak in (moved, new room, shorter, cancelled)", true},
	{NoticeRegistration, "Registration for training opens or closes soon", false},
	{NoticeAgenda, "Your agenda for tomorrow, the day before", true},
	{NoticeJudging, "Judging: when it opens and three days before it closes", true},
	{NoticeRecognition, "Recognition: when you are honoured, and thanks for your nominations", true},
}

// Notice is one thing a person should know.
type Notice struct {
	ID        uint `gorm:"primaryKey"`
	PersonID  uint
	SummitID  *uint
	Kind      string
	OnceKey   *string
	Subject   string
	Body      string
	Link      string
	CreatedAt time.Time
	ReadAt    *time.Time
}

// NoticeInput is a notice to create. OnceKey, when set, makes it once-only:
// a second Notify with the same key (from another instance, or the next run
// of a periodic check) creates nothing. Build it with OnceKeyFor.
type NoticeInput struct {
	PersonID uint
	SummitID uint // 0: none
	Kind     string
	OnceKey  string
	Subject  string
	Body     string
	Link     string // a path on this site, e.g. /my/agenda?summit=3
}

// OnceKeyFor is the once-only key of a (kind, person, subject) — subject
// being what the notice is about, e.g. "category:4:closes".
func OnceKeyFor(kind string, personID uint, subject string) string {
	return kind + ":" + strconv.Itoa(int(personID)) + ":" + subject
}

// Notify creates notices inside the caller's transaction, and queues a mail
// for each one whose person wants that kind by mail (and has an address).
// It returns how many notices it created (once-only ones that existed
// already are not counted). Thousands of notices take a handful of
// statements: the inserts go in batches.
func Notify(tx *gorm.DB, now time.Time, list ...NoticeInput) (int, error) {
	now = now.UTC()
	var created []NoticeInput
	var plain []Notice
	var plainIn []NoticeInput
	// Periodic checks ask again every minute: skip the once-only keys that
	// exist already in a few reads instead of one insert each.
	exists, err := existingOnceKeys(tx, list)
	if err != nil {
		return 0, err
	}
	for _, in := range list {
		if in.OnceKey != "" && exists[in.OnceKey] {
			continue
		}
		n := Notice{PersonID: in.PersonID, Kind: in.Kind, Subject: in.Subject, Body: in.Body, Link: in.Link, CreatedAt: now}
		if in.SummitID != 0 {
			id := in.SummitID
			n.SummitID = &id
		}
		if in.OnceKey == "" {
			plain = append(plain, n)
			plainIn = append(plainIn, in)
			continue
		}
		key := in.OnceKey
		n.OnceKey = &key
		res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "once_key"}}, DoNothing: true}).Create(&n)
		if res.Error != nil {
			return 0, fmt.Errorf("models: notify: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			created = append(created, in)
		}
	}
	if len(plain) > 0 {
		if err := tx.CreateInBatches(plain, 500).Error; err != nil {
			return 0, fmt.Errorf("models: notify: %w", err)
		}
		created = append(created, plainIn...)
	}
	if err := queueNoticeMail(tx, now, created); err != nil {
		return 0, err
	}
	return len(created), nil
}

// queueNoticeMail puts a mail in the outbox for each notice its person wants
// by mail.
func queueNoticeMail(tx *gorm.DB, now time.Time, list []NoticeInput) error {
	if len(list) == 0 {
		return nil
	}
	people := map[uint]Person{}
	summits := map[uint]string{}
	off := map[string]bool{} // "person:kind" → its setting
	var ids []uint
	seen := map[uint]bool{}
	for _, in := range list {
		if !seen[in.PersonID] {
			seen[in.PersonID] = true
			ids = append(ids, in.PersonID)
		}
		if in.SummitID != 0 {
			summits[in.SummitID] = ""
		}
	}
	for start := 0; start < len(ids); start += 500 {
		chunk := ids[start:min(start+500, len(ids))]
		var ps []Person
		if err := tx.Select("id, name, email, active").Where("id IN ?", chunk).Find(&ps).Error; err != nil {
			return err
		}
		for _, p := range ps {
			people[p.ID] = p
		}
		var settings []NoticeSetting
		if err := tx.Where("person_id IN ?", chunk).Find(&settings).Error; err != nil {
			return err
		}
		for _, s := range settings {
			off[strconv.Itoa(int(s.PersonID))+":"+s.Kind] = s.Mail
		}
	}
	for id := range summits {
		var title string
		if err := tx.Raw("SELECT title FROM summits WHERE id = ?", id).Scan(&title).Error; err != nil {
			return err
		}
		summits[id] = title
	}
	var mails []OutboxMail
	for _, in := range list {
		p, ok := people[in.PersonID]
		if !ok || !p.Active || strings.TrimSpace(p.Email) == "" {
			continue
		}
		want, set := off[strconv.Itoa(int(p.ID))+":"+in.Kind]
		if !set {
			want = defaultMail(in.Kind)
		}
		if !want {
			continue
		}
		pid := p.ID
		mails = append(mails, OutboxMail{PersonID: &pid, SummitTitle: summits[in.SummitID], Kind: in.Kind, ToName: p.Name, ToAddress: p.Email,
			Subject: in.Subject, Body: in.Body, Link: in.Link, Status: MailPending, NextAttemptAt: now, CreatedAt: now})
	}
	if len(mails) == 0 {
		return nil
	}
	if err := tx.CreateInBatches(mails, 500).Error; err != nil {
		return fmt.Errorf("models: queue notice mail: %w", err)
	}
	return nil
}

func defaultMail(kind string) bool {
	for _, k := range NoticeKinds {
		if k.Kind == kind {
			return k.Mail
		}
	}
	return false
}

// NoticeSetting is whether a person wants one kind of notice by mail.
type NoticeSetting struct {
	PersonID uint   `gorm:"primaryKey"`
	Kind     string `gorm:"primaryKey"`
	Mail     bool
}

// MailChoice is one kind with the person's choice, for the settings page.
type MailChoice struct {
	NoticeKind
	On bool
}

// NoticeMailChoices returns every kind with whether it reaches the person by mail.
func NoticeMailChoices(ctx context.Context, db *gorm.DB, personID uint) ([]MailChoice, error) {
	var settings []NoticeSetting
	if err := withCtx(ctx, db).Where("person_id = ?", personID).Find(&settings).Error; err != nil {
		return nil, fmt.Errorf("models: notice settings: %w", err)
	}
	mine := map[string]bool{}
	for _, s := range settings {
		mine[s.Kind] = s.Mail
	}
	out := make([]MailChoice, len(NoticeKinds))
	for i, k := range NoticeKinds {
		on, set := mine[k.Kind]
		if !set {
			on = k.Mail
		}
		out[i] = MailChoice{NoticeKind: k, On: on}
	}
	return out, nil
}

// SetNoticeMail stores which kinds reach the person by mail (every kind not
// in mailKinds is off). Unknown kinds are ignored.
func SetNoticeMail(ctx context.Context, db *gorm.DB, personID uint, mailKinds []string) error {
	on := map[string]bool{}
	for _, k := range mailKinds {
		on[k] = true
	}
	return withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		for _, k := range NoticeKinds {
			s := NoticeSetting{PersonID: personID, Kind: k.Kind, Mail: on[k.Kind]}
			if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "person_id"}, {Name: "kind"}}, DoUpdates: clause.AssignmentColumns([]string{"mail"})}).
				Create(&s).Error; err != nil {
				return fmt.Errorf("models: set notice mail: %w", err)
			}
		}
		return nil
	})
}

// UnreadNotices counts a person's unread notices.
func UnreadNotices(ctx context.Context, db *gorm.DB, personID uint) (int, error) {
	var n int64
	err := withCtx(ctx, db).Model(&Notice{}).Where("person_id = ? AND read_at IS NULL", personID).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("models: unread notices: %w", err)
	}
	return int(n), nil
}

// ListNotices returns a person's newest notices (at most limit).
func ListNotices(ctx context.Context, db *gorm.DB, personID uint, limit int) ([]Notice, error) {
	out, _, err := NoticesPage(ctx, db, personID, Paging{Number: 1, Per: limit})
	return out, err
}

// NoticesPage returns one page of a person's notices, newest first.
func NoticesPage(ctx context.Context, db *gorm.DB, personID uint, p Paging) ([]Notice, Paging, error) {
	out, err := readPage[Notice](withCtx(ctx, db).Where("person_id = ?", personID).Order("created_at DESC, id DESC"), &p)
	if err != nil {
		return nil, p, fmt.Errorf("models: list notices: %w", err)
	}
	return out, p, nil
}

// GetNotice returns one of a person's notices (ErrNotFound for another's).
func GetNotice(ctx context.Context, db *gorm.DB, personID, id uint) (*Notice, error) {
	var n Notice
	if err := withCtx(ctx, db).Where("person_id = ?", personID).First(&n, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &n, nil
}

// MarkNoticesRead marks a person's notices read: one (id > 0) or all (id == 0).
func MarkNoticesRead(ctx context.Context, db *gorm.DB, personID, id uint, now time.Time) error {
	q := withCtx(ctx, db).Model(&Notice{}).Where("person_id = ? AND read_at IS NULL", personID)
	if id != 0 {
		q = q.Where("id = ?", id)
	}
	if err := q.Update("read_at", now.UTC()).Error; err != nil {
		return fmt.Errorf("models: mark notices read: %w", err)
	}
	return nil
}

func existingOnceKeys(tx *gorm.DB, list []NoticeInput) (map[string]bool, error) {
	var keys []string
	for _, in := range list {
		if in.OnceKey != "" {
			keys = append(keys, in.OnceKey)
		}
	}
	out := map[string]bool{}
	for start := 0; start < len(keys); start += 500 {
		var found []string
		if err := tx.Model(&Notice{}).Where("once_key IN ?", keys[start:min(start+500, len(keys))]).Pluck("once_key", &found).Error; err != nil {
			return nil, fmt.Errorf("models: notify: %w", err)
		}
		for _, k := range found {
			out[k] = true
		}
	}
	return out, nil
}
