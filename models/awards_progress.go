package models

// Judging progress for organisers: per category and judge, how much is
// scored, recused and still open.

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// JudgeProgress is how far one judge got in one category.
type JudgeProgress struct {
	Judge    Person
	Eligible int // nominations they may judge
	Scored   int
	Recused  int
}

// Done reports whether the judge has scored or recused every nomination.
func (p JudgeProgress) Done() bool { return p.Scored+p.Recused >= p.Eligible }

// CategoryProgress is judging progress of one category.
type CategoryProgress struct {
	Category    AwardCategory
	Nominations int
	Judges      []JudgeProgress
	Scored      int // judge × nomination pairs scored or recused
	Needed      int // judge × nomination pairs to do
}

// Percent is how much of the category's judging is done, 0–100.
func (p CategoryProgress) Percent() int {
	if p.Needed == 0 {
		return 0
	}
	return p.Scored * 100 / p.Needed
}

// JudgingProgress returns, per category of a summit, how far each judge got.
// For organisers only.
func JudgingProgress(ctx context.Context, db *gorm.DB, summitID uint) ([]CategoryProgress, error) {
	tx := withCtx(ctx, db)
	cats, err := ListCategories(ctx, tx, summitID)
	if err != nil {
		return nil, err
	}
	// Four queries whatever the number of categories, judges and nominations:
	// categories, judges, nomination counts, and every judge's pairs.
	type judgeRow struct {
		CategoryID uint
		Person
	}
	var judges []judgeRow
	if err := tx.Table("people").Select("award_judges.category_id, people.*").
		Joins("JOIN award_judges ON award_judges.person_id = people.id").
		Joins("JOIN award_categories ON award_categories.id = award_judges.category_id").
		Where("award_categories.summit_id = ?", summitID).Order("people.name").Scan(&judges).Error; err != nil {
		return nil, fmt.Errorf("models: judging progress: %w", err)
	}
	type countRow struct {
		CategoryID uint
		N          int
	}
	var counts []countRow
	if err := tx.Model(&Nomination{}).Select("award_nominations.category_id, COUNT(*) AS n").
		Joins("JOIN award_categories ON award_categories.id = award_nominations.category_id").
		Where("award_categories.summit_id = ? AND award_nominations.status = ?", summitID, NominationActive).
		Group("award_nominations.category_id").Scan(&counts).Error; err != nil {
		return nil, fmt.Errorf("models: judging progress: %w", err)
	}
	pairs, err := judgePairs(tx, "award_categories.summit_id = ?", summitID)
	if err != nil {
		return nil, err
	}
	type key struct{ cat, judge uint }
	progress := map[key]*JudgeProgress{}
	for _, p := range pairs {
		jp := progress[key{p.CategoryID, p.JudgeID}]
		if jp == nil {
			jp = &JudgeProgress{}
			progress[key{p.CategoryID, p.JudgeID}] = jp
		}
		jp.Eligible++
		if p.Scored && !p.Recused { // a score stored beside a recusal does not count
			jp.Scored++
		}
		if p.Recused {
			jp.Recused++
		}
	}
	var out []CategoryProgress
	for _, c := range cats {
		cp := CategoryProgress{Category: c}
		for _, n := range counts {
			if n.CategoryID == c.ID {
				cp.Nominations = n.N
			}
		}
		for _, j := range judges {
			if j.CategoryID != c.ID {
				continue
			}
			jp := JudgeProgress{Judge: j.Person}
			if p := progress[key{c.ID, j.ID}]; p != nil {
				jp.Eligible, jp.Scored, jp.Recused = p.Eligible, p.Scored, p.Recused
			}
			cp.Judges = append(cp.Judges, jp)
			cp.Needed += jp.Eligible
			cp.Scored += jp.Scored + jp.Recused
		}
		out = append(out, cp)
	}
	return out, nil
}
