package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AuditEvent records who did what to which record, when and from where.
type AuditEvent struct {
	ID         uint `gorm:"primaryKey"`
	At         time.Time
	ActorID    *uint
	ActorName  string
	Action     string // e.g. session.update, person.role, signin.failed
	RecordType string
	RecordID   string
	Summary    string
	BeforeJSON string
	AfterJSON  string
	IP         string
}

// Actor is who performs an audited change.
type Actor struct {
	PersonID uint
	Name     string
	IP       string
}

// ActorOf builds an Actor from a person (nil: the system).
func ActorOf(p *Person, ip string) Actor {
	if p == nil {
		return Actor{Name: "system", IP: ip}
	}
	return Actor{PersonID: p.ID, Name: p.Name, IP: ip}
}

// Audit writes one audit event. before and after are any values (usually
// the record before and after the change); nil is stored as empty. Pass the
// transaction's db when the change happens in one, so both commit together.
func Audit(ctx context.Context, db *gorm.DB, who Actor, action, recordType string, recordID any, summary string, before, after any) error {
	ev := AuditEvent{At: Now(), ActorName: who.Name, Action: action, RecordType: recordType,
		RecordID: fmt.Sprint(recordID), Summary: summary, IP: who.IP}
	if who.PersonID != 0 {
		id := who.PersonID
		ev.ActorID = &id
	}
	if before != nil {
		b, _ := json.Marshal(before)
		ev.BeforeJSON = string(b)
	}
	if after != nil {
		b, _ := json.Marshal(after)
		ev.AfterJSON = string(b)
	}
	if err := withCtx(ctx, db).Create(&ev).Error; err != nil {
		return fmt.Errorf("models: audit %s: %w", action, err)
	}
	return nil
}

// AuditFilter narrows the audit log.
type AuditFilter struct {
	ActorID    uint
	Action     string // prefix, e.g. "session."
	RecordType string
	RecordID   string
	Since      time.Time
	Until      time.Time
	Limit      int
	Offset     int
	// ViewerID, when set, leaves out the trail of award categories whose
	// outcome is kept from that person at Now (see MaySeeOutcome).
	ViewerID uint
	Now      time.Time
}

// ListAudit returns audit events, newest first.
func ListAudit(ctx context.Context, db *gorm.DB, f AuditFilter) ([]AuditEvent, error) {
	q, err := auditQuery(ctx, db, f)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	var out []AuditEvent
	err = q.Limit(f.Limit).Offset(f.Offset).Find(&out).Error
	return out, err
}

// AuditPage reads page p of the audit events f selects, newest first (f's
// Limit and Offset are not used; p says whether an older page follows).
func AuditPage(ctx context.Context, db *gorm.DB, f AuditFilter, p Paging) ([]AuditEvent, Paging, error) {
	q, err := auditQuery(ctx, db, f)
	if err != nil {
		return nil, p, err
	}
	out, err := readPage[AuditEvent](q, &p)
	if err != nil {
		return nil, p, fmt.Errorf("models: list audit: %w", err)
	}
	return out, p, nil
}

// auditQuery selects the audit events f asks for, newest first.
func auditQuery(ctx context.Context, db *gorm.DB, f AuditFilter) (*gorm.DB, error) {
	q := withCtx(ctx, db).Model(&AuditEvent{})
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.Action != "" {
		q = q.Where("action LIKE ?", f.Action+"%")
	}
	if f.RecordType != "" {
		q = q.Where("record_type = ?", f.RecordType)
	}
	if f.RecordID != "" {
		q = q.Where("record_id = ?", f.RecordID)
	}
	if !f.Since.IsZero() {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	if !f.Until.IsZero() {
		q = q.Where("at < ?", f.Until.UTC())
	}
	if f.ViewerID != 0 {
		hidden, err := HiddenOutcomes(ctx, db, f.ViewerID, f.Now)
		if err != nil {
			return nil, err
		}
		ids := make([]string, 0, len(hidden))
		for id := range hidden {
			ids = append(ids, fmt.Sprint(id))
		}
		if len(ids) > 0 {
			q = q.Where("NOT (record_type = ? AND record_id IN ?)", "award_category", ids)
		}
	}
	return q.Order("at DESC, id DESC"), nil
}
