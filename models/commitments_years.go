package models

// Commitments across editions: what was promised last year, carrying open
// commitments into a copy, and the "commitments kept" measure.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Promises is "What we promised last year": the previous edition and its
// commitments with their last status.
type Promises struct {
	Edition *Summit
	Items   []Commitment // with Owner
}

// Kept counts the promises marked done.
func (p *Promises) Kept() int {
	n := 0
	for _, c := range p.Items {
		if c.Status == CommitDone {
			n++
		}
	}
	return n
}

// PromisedLastYear returns the commitments of the edition before s (nil
// when s has no previous edition or it made no commitments); the previous
// edition is the one PreviousEdition chooses (several editions may share a
// year).
func PromisedLastYear(ctx context.Context, db *gorm.DB, s *Summit) (*Promises, error) {
	tx := withCtx(ctx, db)
	prevEdition, err := PreviousEdition(ctx, db, s)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var items []Commitment
	err = tx.Preload("Owner").Where("summit_id = ?", prevEdition.ID).Order("due_date, id").Find(&items).Error
	if err != nil {
		return nil, fmt.Errorf("models: promises before %d: %w", s.ID, err)
	}
	if len(items) == 0 {
		return nil, nil
	}
	return &Promises{Edition: prevEdition, Items: items}, nil
}

// CarryOpenCommitments copies the open commitments (neither done nor
// dropped) of one summit into another, in the caller's transaction: each
// keeps its owner, what, how success is seen, its idea and its last status,
// remembers the commitment it came from, and gets its due date moved by the
// distance between the two summits' starts — and no earlier than the new
// summit's last day. A commitment already carried into the target is not
// carried twice. It returns how many were carried.
func CarryOpenCommitments(tx *gorm.DB, fromSummitID, toSummitID uint) (int, error) {
	from, err := loadSummit(tx, fromSummitID)
	if err != nil {
		return 0, err
	}
	to, err := loadSummit(tx, toSummitID)
	if err != nil {
		return 0, err
	}
	var open []Commitment
	if err := tx.Where("summit_id = ? AND status NOT IN ?", from.ID, []CommitmentStatus{CommitDone, CommitDropped}).Order("id").Find(&open).Error; err != nil {
		return 0, fmt.Errorf("models: carry commitments from %d: %w", from.ID, err)
	}
	fromStart, err1 := time.Parse(DateLayout, from.StartDate)
	toStart, err2 := time.Parse(DateLayout, to.StartDate)
	toEnd, err3 := time.Parse(DateLayout, to.EndDate)
	if err1 != nil || err2 != nil || err3 != nil {
		return 0, fmt.Errorf("models: carry commitments: summit dates %q %q %q", from.StartDate, to.StartDate, to.EndDate)
	}
	gap := toStart.Sub(fromStart)
	now := Now()
	carried := 0
	for _, c := range open {
		due := c.DueDate
		if d, err := time.Parse(DateLayout, c.DueDate); err == nil {
			moved := d.Add(gap)
			if moved.Before(toEnd) {
				moved = toEnd
			}
			due = moved.Format(DateLayout)
		}
		id := c.ID
		n := Commitment{SummitID: to.ID, IdeaID: c.IdeaID, What: c.What, OwnerID: c.OwnerID, DueDate: due, Success: c.Success,
			Status: c.Status, StatusNote: "Carried over from " + from.Title + ".", CarriedFromID: &id, CreatedAt: now, UpdatedAt: now}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&n)
		if res.Error != nil {
			return carried, fmt.Errorf("models: carry commitment %d: %w", c.ID, res.Error)
		}
		carried += int(res.RowsAffected)
	}
	return carried, nil
}

// commitmentsMeasureAvailable: the strategize feature exists, so the
// outcomes' "Commitments kept" measure is shown.
func commitmentsMeasureAvailable() bool { return true }

// commitmentsKept is the share (percent) of an edition's commitments marked
// done; not ok when the edition made none.
func commitmentsKept(ctx context.Context, db *gorm.DB, s *Summit) (float64, bool, error) {
	tx := withCtx(ctx, db)
	total, err := scalar(tx, "SELECT COUNT(*) FROM commitments WHERE summit_id = ?", s.ID)
	if err != nil || total == 0 {
		return 0, false, err
	}
	done, err := scalar(tx, "SELECT COUNT(*) FROM commitments WHERE summit_id = ? AND status = ?", s.ID, CommitDone)
	if err != nil {
		return 0, false, err
	}
	return float64(done) * 100 / float64(total), true, nil
}
