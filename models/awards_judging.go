package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// --- Judges ---

// AddJudge assigns an active person to judge a category. Audited.
func AddJudge(ctx context.Context, db *gorm.DB, who Actor, summitID, categoryID, personID uint, now time.Time) error {
	err := inTx(ctx, db, "add judge", func(tx *gorm.DB) error {
		c, err := GetCategory(ctx, tx, summitID, categoryID)
		if err != nil {
			return err
		}
		if err := MaySeeOutcome(ctx, tx, c, who.PersonID, now); err != nil {
			return err
		}
		p, err := GetPerson(ctx, tx, personID)
		if err != nil || !p.Active {
			return FieldErrors{"person_id": "Choose an active person from the directory as judge."}
		}
		var n int64
		if err := tx.Model(&AwardJudge{}).Where("category_id = ? AND person_id = ?", c.ID, p.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldErrors{"person_id": p.Name + " already judges “" + c.Name + "”."}
		}
		if err := tx.Create(&AwardJudge{CategoryID: c.ID, PersonID: p.ID, CreatedAt: now.UTC()}).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"person_id": p.Name + " already judges “" + c.Name + "”."}
			}
			return err
		}
		return Audit(ctx, tx, who, "award.judge_add", "award_category", c.ID, "Added "+p.Name+" as judge of “"+c.Name+"”", nil, map[string]uint{"person_id": p.ID})
	})
	return err
}

// RemoveJudge takes a judge off a category; their scores stop counting. Audited.
func RemoveJudge(ctx context.Context, db *gorm.DB, who Actor, summitID, categoryID, personID uint, now time.Time) error {
	return withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		c, err := GetCategory(ctx, tx, summitID, categoryID)
		if err != nil {
			return err
		}
		if err := MaySeeOutcome(ctx, tx, c, who.PersonID, now); err != nil {
			return err
		}
		res := tx.Where("category_id = ? AND person_id = ?", c.ID, personID).Delete(&AwardJudge{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(ctx, tx, who, "award.judge_remove", "award_category", c.ID, fmt.Sprintf("Removed judge %d from “%s”", personID, c.Name), map[string]uint{"person_id": personID}, nil)
	})
}

// ListJudges lists a category's judges by name.
func ListJudges(ctx context.Context, db *gorm.DB, categoryID uint) ([]Person, error) {
	var out []Person
	err := withCtx(ctx, db).Joins("JOIN award_judges ON award_judges.person_id = people.id").
		Where("award_judges.category_id = ?", categoryID).Order("people.name").Find(&out).Error
	return out, err
}

// NominatedJudges returns the judges of a category who are themselves
// nominated in it (their scores do not count). For organisers only.
func NominatedJudges(ctx context.Context, db *gorm.DB, categoryID uint) (map[uint]bool, error) {
	var ids []uint
	err := withCtx(ctx, db).Model(&Nomination{}).Distinct("nominee_id").
		Where("category_id = ? AND status = ? AND nominee_id IN (SELECT person_id FROM award_judges WHERE category_id = ?)", categoryID, NominationActive, categoryID).
		Pluck("nominee_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("models: nominated judges: %w", err)
	}
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// JudgeCategories lists the categories of a summit a person judges.
func JudgeCategories(ctx context.Context, db *gorm.DB, summitID, personID uint) ([]AwardCategory, error) {
	var out []AwardCategory
	err := withCtx(ctx, db).Joins("JOIN award_judges ON award_judges.category_id = award_categories.id").
		Where("award_categories.summit_id = ? AND award_judges.person_id = ?", summitID, personID).Order("award_categories.name").Find(&out).Error
	for i := range out {
		out[i].utc()
	}
	return out, err
}

// lockJudge holds a judge's assignment row to a category until the
// transaction ends, so that one judge's scores and recusals there are written
// one at a time: a score and a recusal sent at once cannot both be stored, and
// a first score sent twice finds the first one. It is ErrNotFound when the
// person does not judge the category (any more). SQLite transactions are
// IMMEDIATE (one writer at a time), which serialises them already.
func lockJudge(tx *gorm.DB, categoryID, personID uint) error {
	if !IsPostgres(tx) {
		return nil
	}
	var id uint
	if err := tx.Raw("SELECT id FROM award_judges WHERE category_id = ? AND person_id = ? FOR UPDATE", categoryID, personID).Scan(&id).Error; err != nil {
		return fmt.Errorf("models: lock judge %d of %d: %w", personID, categoryID, err)
	}
	if id == 0 {
		return ErrNotFound
	}
	return nil
}

func isJudge(tx *gorm.DB, categoryID, personID uint) (bool, error) {
	var n int64
	err := tx.Model(&AwardJudge{}).Where("category_id = ? AND person_id = ?", categoryID, personID).Count(&n).Error
	return n > 0, err
}

// noConflict limits a query on award_nominations to nominations the judge
// has no part in: not about them, not written by them, and not about anyone
// they nominated in the same category — even if they withdrew that
// nomination since (withdrawing must not be a way to score the person they
// wanted to win). Every judge path uses it.
func noConflict(q *gorm.DB, judgeID uint) *gorm.DB {
	return noConflictWith(q, "?", judgeID)
}

// noConflictWith is noConflict for a judge given as SQL: "?" with the id as
// arg, or a column (award_judges.person_id) to pair every judge with every
// nomination in one query.
func noConflictWith(q *gorm.DB, judge string, args ...any) *gorm.DB {
	return q.Where("award_nominations.nominee_id <> "+judge+" AND award_nominations.nominator_id <> "+judge, append(append([]any{}, args...), args...)...).
		Where("award_nominations.nominee_id NOT IN (SELECT mine.nominee_id FROM award_nominations mine WHERE mine.category_id = award_nominations.category_id AND mine.nominator_id = "+judge+")", args...)
}

// judgePair is a judge and a nomination they may judge (free of conflict),
// with whether they scored it or stepped back.
type judgePair struct {
	CategoryID   uint
	JudgeID      uint
	NominationID uint
	Scored       bool
	Recused      bool
}

// judgePairs lists, in one query, every (judge, active nomination) pair of
// the categories matched by where that the judge may judge.
func judgePairs(tx *gorm.DB, where string, arg uint) ([]judgePair, error) {
	var out []judgePair
	q := tx.Table("award_judges").
		Select("award_judges.category_id, award_judges.person_id AS judge_id, award_nominations.id AS nomination_id, "+
			"EXISTS (SELECT 1 FROM award_scores s WHERE s.nomination_id = award_nominations.id AND s.judge_id = award_judges.person_id) AS scored, "+
			"EXISTS (SELECT 1 FROM award_recusals r WHERE r.nomination_id = award_nominations.id AND r.judge_id = award_judges.person_id) AS recused").
		Joins("JOIN award_categories ON award_categories.id = award_judges.category_id").
		Joins("JOIN award_nominations ON award_nominations.category_id = award_judges.category_id").
		Where(where, arg).Where("award_nominations.status = ?", NominationActive)
	if err := noConflictWith(q, "award_judges.person_id").Order("award_nominations.id").Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("models: judging pairs: %w", err)
	}
	return out, nil
}

// JudgeItem is one nomination on a judge's list: the nominator is left out
// when judging is blind; only the judge's own score is included.
type JudgeItem struct {
	Nomination Nomination
	MyScore    *AwardScore
	Recusal    *AwardRecusal
}

// ChangedSinceScored reports whether the nominator changed the story (or who
// was served) after the judge last saved their score.
func (it JudgeItem) ChangedSinceScored() bool {
	return it.MyScore != nil && it.Nomination.UpdatedAt.After(it.MyScore.UpdatedAt)
}

// judgedCategory loads a category the person judges; ErrNotFound when they
// do not judge it.
func judgedCategory(ctx context.Context, tx *gorm.DB, summitID, categoryID, judgeID uint) (*AwardCategory, error) {
	c, err := GetCategory(ctx, tx, summitID, categoryID)
	if err != nil {
		return nil, err
	}
	ok, err := isJudge(tx, c.ID, judgeID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, ErrNotFound
	}
	return c, nil
}

// JudgeQueue lists the nominations of a category a judge may see, with their
// own score or recusal. ErrNotFound when they do not judge the category.
func JudgeQueue(ctx context.Context, db *gorm.DB, summitID, categoryID, judgeID uint) (*AwardCategory, []JudgeItem, error) {
	tx := withCtx(ctx, db)
	c, err := judgedCategory(ctx, tx, summitID, categoryID, judgeID)
	if err != nil {
		return nil, nil, err
	}
	var noms []Nomination
	q := tx.Preload("Nominee").Where("award_nominations.category_id = ? AND award_nominations.status = ?", c.ID, NominationActive)
	if !c.Blind {
		q = q.Preload("Nominator")
	}
	if err := noConflict(q, judgeID).Order("award_nominations.id").Find(&noms).Error; err != nil {
		return nil, nil, fmt.Errorf("models: judge queue: %w", err)
	}
	ids := make([]uint, len(noms))
	for i := range noms {
		ids[i] = noms[i].ID
	}
	var scores []AwardScore
	var recusals []AwardRecusal
	if len(ids) > 0 {
		if err := tx.Where("judge_id = ? AND nomination_id IN ?", judgeID, ids).Find(&scores).Error; err != nil {
			return nil, nil, err
		}
		if err := tx.Where("judge_id = ? AND nomination_id IN ?", judgeID, ids).Find(&recusals).Error; err != nil {
			return nil, nil, err
		}
	}
	out := make([]JudgeItem, len(noms))
	for i, n := range noms {
		n.Category = c
		if c.Blind {
			n.Nominator = nil
		}
		out[i].Nomination = n
		for j := range scores {
			if scores[j].NominationID == n.ID {
				out[i].MyScore = &scores[j]
			}
		}
		for j := range recusals {
			if recusals[j].NominationID == n.ID {
				out[i].Recusal = &recusals[j]
			}
		}
	}
	return c, out, nil
}

// NextToScore returns the judge's next nomination of a category that they
// have neither scored nor recused: the first such after nomination after in
// their queue's order, else the first from the start; 0 when none is left.
func NextToScore(ctx context.Context, db *gorm.DB, summitID, categoryID, judgeID, after uint) (uint, error) {
	_, items, err := JudgeQueue(ctx, db, summitID, categoryID, judgeID)
	if err != nil {
		return 0, err
	}
	var first uint
	for _, it := range items {
		if it.MyScore != nil || it.Recusal != nil || it.Nomination.ID == after {
			continue
		}
		if it.Nomination.ID > after {
			return it.Nomination.ID, nil
		}
		if first == 0 {
			first = it.Nomination.ID
		}
	}
	return first, nil
}

// judgeNomination loads a nomination a judge may see; anything else (not a
// judge of its category, a conflict, withdrawn, another summit) is ErrNotFound.
func judgeNomination(ctx context.Context, tx *gorm.DB, summitID, nominationID, judgeID uint) (*AwardCategory, *Nomination, error) {
	var list []Nomination
	q := tx.Preload("Nominee").Where("award_nominations.id = ? AND award_nominations.status = ?", nominationID, NominationActive)
	if err := noConflict(q, judgeID).Limit(1).Find(&list).Error; err != nil {
		return nil, nil, err
	}
	if len(list) == 0 {
		return nil, nil, ErrNotFound
	}
	n := list[0]
	c, err := judgedCategory(ctx, tx, summitID, n.CategoryID, judgeID)
	if err != nil {
		return nil, nil, err
	}
	n.Category = c
	if !c.Blind {
		if n.Nominator, err = GetPerson(ctx, tx, n.NominatorID); err != nil {
			return nil, nil, err
		}
	}
	return c, &n, nil
}

// GetJudgeItem loads one nomination for a judge, with their own score.
func GetJudgeItem(ctx context.Context, db *gorm.DB, summitID, nominationID, judgeID uint) (*JudgeItem, error) {
	tx := withCtx(ctx, db)
	_, n, err := judgeNomination(ctx, tx, summitID, nominationID, judgeID)
	if err != nil {
		return nil, err
	}
	it := &JudgeItem{Nomination: *n}
	var s []AwardScore
	if err := tx.Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Limit(1).Find(&s).Error; err != nil {
		return nil, err
	}
	if len(s) > 0 {
		it.MyScore = &s[0]
	}
	var r []AwardRecusal
	if err := tx.Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Limit(1).Find(&r).Error; err != nil {
		return nil, err
	}
	if len(r) > 0 {
		it.Recusal = &r[0]
	}
	return it, nil
}

// ScoreInput is a judge's points (one per criterion, "1"–"5") and comment.
type ScoreInput struct {
	Points  []string
	Comment string
}

func judgingClosed(c *AwardCategory, loc *time.Location) error {
	return FieldErrors{"score": "Judging for “" + c.Name + "” closed on " + fmtInstant(c.JudgingClosesAt, loc) + "; scores can no longer change."}
}

// judgeWhileOpen loads a nomination the judge may judge and serialises the
// judge's writes in its category, refusing once judging has closed.
func judgeWhileOpen(ctx context.Context, tx *gorm.DB, summitID, nominationID, judgeID uint, now time.Time) (*AwardCategory, *Nomination, error) {
	c, n, err := judgeNomination(ctx, tx, summitID, nominationID, judgeID)
	if err != nil {
		return nil, nil, err
	}
	if err := lockJudge(tx, c.ID, judgeID); err != nil {
		return nil, nil, err
	}
	summit, err := loadSummit(tx, summitID)
	if err != nil {
		return nil, nil, err
	}
	if !c.JudgingOpen(now) {
		return nil, nil, judgingClosed(c, summit.Location())
	}
	return c, n, nil
}

// SaveScore records or changes a judge's score of a nomination until
// judging closes.
func SaveScore(ctx context.Context, db *gorm.DB, summitID, judgeID, nominationID uint, in ScoreInput, now time.Time) (*AwardScore, error) {
	var out AwardScore
	err := inTx(ctx, db, "save score", func(tx *gorm.DB) error {
		c, n, err := judgeWhileOpen(ctx, tx, summitID, nominationID, judgeID, now)
		if err != nil {
			return err
		}
		var rec int64
		if err := tx.Model(&AwardRecusal{}).Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Count(&rec).Error; err != nil {
			return err
		}
		if rec > 0 {
			return FieldErrors{"score": "You recused yourself from this nomination, so you cannot score it."}
		}
		f := FieldErrors{}
		crit := c.CriteriaList()
		pts := make([]string, len(crit))
		total := 0
		for i, name := range crit {
			v := ""
			if i < len(in.Points) {
				v = strings.TrimSpace(in.Points[i])
			}
			p, err := strconv.Atoi(v)
			if err != nil || p < 1 || p > 5 {
				f.Add("c"+strconv.Itoa(i), "Score “"+name+"” from 1 to 5.")
				continue
			}
			pts[i] = strconv.Itoa(p)
			total += p
		}
		comment := checkText(f, "comment", "Comment", in.Comment, false, 2000)
		if err := f.Err(); err != nil {
			return err
		}
		var cur []AwardScore
		if err := tx.Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Limit(1).Find(&cur).Error; err != nil {
			return err
		}
		out = AwardScore{NominationID: n.ID, JudgeID: judgeID, Points: strings.Join(pts, ","), Total: total, Comment: comment, CreatedAt: now.UTC(), UpdatedAt: now.UTC()}
		if len(cur) > 0 {
			out.ID, out.CreatedAt = cur[0].ID, cur[0].CreatedAt
			return tx.Model(&AwardScore{}).Where("id = ?", out.ID).
				UpdateColumns(map[string]any{"points": out.Points, "total": out.Total, "comment": out.Comment, "updated_at": out.UpdatedAt}).Error
		}
		if err := tx.Create(&out).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) { // cannot happen under lockJudge; a clear word if it does
				return FieldErrors{"score": "Your score of this nomination was saved at the same moment from elsewhere; open it again to see what is stored."}
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// Recuse records that a judge steps back from a nomination, with a reason;
// any score they gave it is removed.
func Recuse(ctx context.Context, db *gorm.DB, summitID, judgeID, nominationID uint, reason string, now time.Time) error {
	err := inTx(ctx, db, "recuse", func(tx *gorm.DB) error {
		_, n, err := judgeWhileOpen(ctx, tx, summitID, nominationID, judgeID, now)
		if err != nil {
			return err
		}
		f := FieldErrors{}
		reason = checkText(f, "reason", "Reason", reason, true, 500)
		if f["reason"] == "Reason is required." {
			f["reason"] = "Say briefly why you step back from this nomination (it is shown to organisers only)."
		}
		if err := f.Err(); err != nil {
			return err
		}
		var rec int64
		if err := tx.Model(&AwardRecusal{}).Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Count(&rec).Error; err != nil {
			return err
		}
		if rec > 0 {
			return FieldErrors{"reason": "You have already recused yourself from this nomination."}
		}
		if err := tx.Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Delete(&AwardScore{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&AwardRecusal{NominationID: n.ID, JudgeID: judgeID, Reason: reason, CreatedAt: now.UTC()}).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) { // cannot happen under lockJudge; a clear word if it does
				return FieldErrors{"reason": "You have already recused yourself from this nomination."}
			}
			return err
		}
		return nil
	})
	if err != nil {
		return err
	}
	return nil
}
