package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// InviteTokenTTL is how long an invitation's link to set a password works.
const InviteTokenTTL = 7 * 24 * time.Hour

// CountWithoutPassword counts the active people who cannot sign in with a
// password yet: whom "invite everyone" invites.
func CountWithoutPassword(ctx context.Context, db *gorm.DB) (int64, error) {
	var n int64
	err := withCtx(ctx, db).Model(&Person{}).Where("active = ? AND (password_hash = '' OR password_hash IS NULL)", true).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("models: count people without a password: %w", err)
	}
	return n, nil
}

// InvitePeople invites people to sign in, each with a mail through the
// outbox: the chosen ids (deactivated people are skipped), or with ids nil
// every active person without a password. With passwordLink the mail
// carries a link to set a password (valid InviteTokenTTL, once; it ends
// their earlier links); without (single sign-on only) it points to the
// sign-in page. Each person's mail, link and invited_at are written
// together, with the audit row of that invitation. It returns who was
// invited.
func InvitePeople(ctx context.Context, db *gorm.DB, who Actor, ids []uint, passwordLink bool, now time.Time, mail func(p *Person, tok string) *OutboxMail) ([]Person, error) {
	byID := who.PersonID
	q := withCtx(ctx, db).Where("active = ?", true).Order("name, id")
	if ids == nil {
		q = q.Where("password_hash = '' OR password_hash IS NULL")
	} else if len(ids) == 0 {
		return nil, nil
	} else {
		q = q.Where("id IN ?", ids)
	}
	var people []Person
	if err := q.Find(&people).Error; err != nil {
		return nil, fmt.Errorf("models: invite: %w", err)
	}
	for i := range people {
		p := &people[i]
		err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
			if passwordLink {
				if _, err := issueResetToken(ctx, tx, p.ID, byID, InviteTokenTTL, mail); err != nil {
					return err
				}
			} else {
				m := mail(p, "")
				m.Kind = MailKindReset
				if err := EnqueueMail(tx, now, m); err != nil {
					return err
				}
			}
			if err := tx.Model(&Person{}).Where("id = ?", p.ID).UpdateColumn("invited_at", now.UTC()).Error; err != nil {
				return err
			}
			return Audit(ctx, tx, who, "person.invite", "person", p.ID, "Invited "+p.Name+" <"+p.Email+"> to sign in", nil, map[string]any{"password_link": passwordLink})
		})
		if err != nil {
			return nil, fmt.Errorf("models: invite %d: %w", p.ID, err)
		}
		t := now.UTC()
		p.InvitedAt = &t
	}
	return people, nil
}
