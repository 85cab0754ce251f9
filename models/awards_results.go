package models

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ResultRow is one nominee in a category's ranking: all their nominations in
// the category count together.
type ResultRow struct {
	Rank        int
	Nominee     Person
	Nominations []Nomination
	Mean        float64 // mean point over every counted score, 0 when none
	Scores      int     // counted scores
	Judges      int     // distinct judges who scored
	Tie         bool    // same mean as another scored nominee
	FewScores   bool    // fewer than two scores
	Winner      *AwardWinner
	Notes       []ScoreNote // each counted score and each recusal, for organisers
}

// ScoreNote is one judge's score or recusal of a nominee, for organisers.
type ScoreNote struct {
	Judge   string
	Points  string
	Comment string
	Recusal string // the reason, when the judge stepped back
	Ignored string // why the score does not count, when it does not
}

// MeanText writes the mean with two decimals, or "–" without scores.
func (r ResultRow) MeanText() string {
	if r.Scores == 0 {
		return "–"
	}
	return strconv.FormatFloat(r.Mean, 'f', 2, 64)
}

// Results ranks a category's nominees by mean score. Only scores of judges
// still assigned and free of conflict count. For organisers only.
func Results(ctx context.Context, db *gorm.DB, summitID, categoryID uint) (*AwardCategory, []ResultRow, error) {
	tx := withCtx(ctx, db)
	c, err := GetCategory(ctx, tx, summitID, categoryID)
	if err != nil {
		return nil, nil, err
	}
	var noms []Nomination
	if err := tx.Preload("Nominee").Preload("Nominator").Where("category_id = ? AND status = ?", c.ID, NominationActive).Order("id").Find(&noms).Error; err != nil {
		return nil, nil, fmt.Errorf("models: results: %w", err)
	}
	judges, err := ListJudges(ctx, tx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	var winners []AwardWinner
	if err := tx.Where("category_id = ?", c.ID).Order("place").Find(&winners).Error; err != nil {
		return nil, nil, err
	}
	t := newTally(noms)
	if err := t.addScores(tx, c.ID, judges); err != nil {
		return nil, nil, err
	}
	if err := t.addRecusals(tx, c.ID, judges); err != nil {
		return nil, nil, err
	}
	return c, t.ranked(winners), nil
}

// tally gathers a category's results per nominee: the rows in the order of
// each nominee's first nomination, the counted points and who counted them.
type tally struct {
	rows      map[uint]*ResultRow
	order     []uint
	noms      []Nomination
	nomineeOf map[uint]uint // nomination → nominee
	sums      map[uint]float64
	judgeSets map[uint]map[uint]bool
}

// newTally starts one row per nominee; all their nominations count together.
func newTally(noms []Nomination) *tally {
	t := &tally{rows: map[uint]*ResultRow{}, noms: noms, nomineeOf: make(map[uint]uint, len(noms)),
		sums: map[uint]float64{}, judgeSets: map[uint]map[uint]bool{}}
	for _, n := range noms {
		t.nomineeOf[n.ID] = n.NomineeID
		r := t.rows[n.NomineeID]
		if r == nil {
			r = &ResultRow{}
			if n.Nominee != nil {
				r.Nominee = *n.Nominee
			}
			t.rows[n.NomineeID] = r
			t.order = append(t.order, n.NomineeID)
		}
		r.Nominations = append(r.Nominations, n)
	}
	return t
}

// addScores counts each judge's scores on the nominations they may score,
// and notes the scores of a judge nominated in the category without
// counting them.
func (t *tally) addScores(tx *gorm.DB, categoryID uint, judges []Person) error {
	// Which nominations each judge may score (one query), and the scores on
	// those (one more), instead of two queries per judge.
	pairs, err := judgePairs(tx, "award_judges.category_id = ?", categoryID)
	if err != nil {
		return err
	}
	eligible := map[[2]uint]bool{} // judge, nomination
	for _, p := range pairs {
		// A recused judge's score never counts, even one stored before the recusal.
		eligible[[2]uint{p.JudgeID, p.NominationID}] = !p.Recused
	}
	var allScores []AwardScore
	if err := tx.Joins("JOIN award_nominations ON award_nominations.id = award_scores.nomination_id").
		Where("award_nominations.category_id = ? AND award_nominations.status = ?", categoryID, NominationActive).
		Order("award_scores.id").Find(&allScores).Error; err != nil {
		return err
	}
	for _, j := range judges {
		// A judge who is nominated in this category competes with everyone
		// they score: their scores are shown to organisers but do not count.
		_, competing := t.rows[j.ID]
		for _, s := range allScores {
			if s.JudgeID != j.ID || !eligible[[2]uint{j.ID, s.NominationID}] {
				continue
			}
			nominee := t.nomineeOf[s.NominationID]
			r := t.rows[nominee]
			if r == nil {
				continue
			}
			if competing {
				r.Notes = append(r.Notes, ScoreNote{Judge: j.Name, Points: s.Points, Comment: s.Comment, Ignored: "not counted: " + j.Name + " is also nominated in this category"})
				continue
			}
			r.Scores++
			t.sums[nominee] += s.Mean()
			r.Notes = append(r.Notes, ScoreNote{Judge: j.Name, Points: s.Points, Comment: s.Comment})
			if t.judgeSets[nominee] == nil {
				t.judgeSets[nominee] = map[uint]bool{}
			}
			t.judgeSets[nominee][j.ID] = true
		}
	}
	return nil
}

// addRecusals notes each recusal, with its reason, on its nominee's row.
func (t *tally) addRecusals(tx *gorm.DB, categoryID uint, judges []Person) error {
	var recs []AwardRecusal
	if err := tx.Joins("JOIN award_nominations ON award_nominations.id = award_recusals.nomination_id").
		Where("award_nominations.category_id = ? AND award_nominations.status = ?", categoryID, NominationActive).Find(&recs).Error; err != nil {
		return err
	}
	for _, rc := range recs {
		for _, n := range t.noms {
			if n.ID != rc.NominationID || t.rows[n.NomineeID] == nil {
				continue
			}
			name := "a former judge"
			for _, j := range judges {
				if j.ID == rc.JudgeID {
					name = j.Name
				}
			}
			t.rows[n.NomineeID].Notes = append(t.rows[n.NomineeID].Notes, ScoreNote{Judge: name, Recusal: rc.Reason})
		}
	}
	return nil
}

// ranked is the rows by mean score (scored before unscored, then by name),
// with the winners marked; equal means share a rank and are marked as ties.
func (t *tally) ranked(winners []AwardWinner) []ResultRow {
	out := make([]ResultRow, 0, len(t.order))
	for _, id := range t.order {
		r := t.rows[id]
		if r.Scores > 0 {
			r.Mean = math.Round(t.sums[id]/float64(r.Scores)*100) / 100
		}
		r.Judges = len(t.judgeSets[id])
		r.FewScores = r.Scores < 2
		for i := range winners {
			if winners[i].NomineeID == id {
				w := winners[i]
				r.Winner = &w
			}
		}
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].Scores > 0) != (out[j].Scores > 0) {
			return out[i].Scores > 0
		}
		if out[i].Mean != out[j].Mean {
			return out[i].Mean > out[j].Mean
		}
		return strings.ToLower(out[i].Nominee.Name) < strings.ToLower(out[j].Nominee.Name)
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Scores > 0 && out[i-1].Scores > 0 && out[i].Mean == out[i-1].Mean {
			out[i].Rank = out[i-1].Rank
			out[i].Tie, out[i-1].Tie = true, true
		}
	}
	return out
}

// ChooseWinners records a category's winners (replacing earlier choices). A
// choice that differs from the ranking's top places needs a written reason,
// kept in the audit log. For organisers only.
func ChooseWinners(ctx context.Context, db *gorm.DB, who Actor, summitID, categoryID uint, nomineeIDs []uint, reason string, now time.Time) error {
	err := inTx(ctx, db, "choose winners", func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		c, rows, err := Results(ctx, tx, summitID, categoryID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if who.PersonID != 0 && r.Nominee.ID == who.PersonID {
				return FieldErrors{"winners": "You are nominated in “" + c.Name + "”, so another organiser must choose its winners."}
			}
		}
		if err := MaySeeOutcome(ctx, tx, c, who.PersonID, now); err != nil {
			return err
		}
		f := FieldErrors{}
		seen := map[uint]bool{}
		var chosen []uint
		for _, id := range nomineeIDs {
			if id != 0 && !seen[id] {
				seen[id] = true
				chosen = append(chosen, id)
			}
		}
		if len(chosen) == 0 {
			f.Add("winners", "Choose at least one winner.")
		}
		if len(chosen) > c.Winners {
			f.Add("winners", fmt.Sprintf("“%s” has %d winner place(s); you chose %d.", c.Name, c.Winners, len(chosen)))
		}
		inResults := map[uint]bool{}
		for _, r := range rows {
			inResults[r.Nominee.ID] = true
		}
		for _, id := range chosen {
			if !inResults[id] {
				f.Add("winners", "Choose winners among the nominees of this category.")
			}
		}
		// In order when every chosen nominee ranks at or above the
		// len(chosen)-th place (ties share a place).
		inOrder := len(chosen) <= len(rows)
		if inOrder && len(chosen) > 0 {
			cut := rows[len(chosen)-1].Rank
			for _, r := range rows {
				if seen[r.Nominee.ID] && (r.Rank > cut || r.Scores == 0) {
					inOrder = false
				}
			}
		}
		reason = checkText(f, "reason", "Reason", reason, false, 2000)
		if !inOrder && reason == "" && f["winners"] == "" {
			f.Add("reason", "Your choice differs from the ranking; write why. The reason is kept in the audit log.")
		}
		if err := f.Err(); err != nil {
			return err
		}
		var before []AwardWinner
		if err := tx.Where("category_id = ?", c.ID).Order("place").Find(&before).Error; err != nil {
			return err
		}
		if err := tx.Where("category_id = ?", c.ID).Delete(&AwardWinner{}).Error; err != nil {
			return err
		}
		var by *uint
		if who.PersonID != 0 {
			id := who.PersonID
			by = &id
		}
		var names []string
		for i, id := range chosen {
			if err := tx.Create(&AwardWinner{CategoryID: c.ID, NomineeID: id, Place: i + 1, Reason: reason, ChosenBy: by, CreatedAt: now.UTC()}).Error; err != nil {
				return err
			}
			for _, r := range rows {
				if r.Nominee.ID == id {
					names = append(names, r.Nominee.Name)
				}
			}
		}
		summary := "Chose the winners of “" + c.Name + "”: " + strings.Join(names, ", ")
		if !inOrder {
			summary += " (out of ranking order: " + reason + ")"
		}
		return Audit(ctx, tx, who, "award.winners", "award_category", c.ID, summary, before, map[string]any{"nominee_ids": chosen, "reason": reason, "in_ranking_order": inOrder})
	})
	if err != nil {
		return err
	}
	return nil
}

// --- After the announcement ---

// Honoree is an announced award winner, safe to show publicly.
type Honoree struct {
	PersonName string
	Department string
	AwardName  string
	Trait      string
	Quote      string // the quotable part of the story, only when the nominator allowed it
	Announced  time.Time
}

// AwardSummary is what the public may know of an award category before the
// announcement: its name, trait and when winners are announced. Never winners.
type AwardSummary struct {
	Name        string
	Trait       string
	Description string
	AnnounceAt  time.Time
}

// Honorees returns the winners of a summit whose announcement moment is at
// or before now; before it, nothing.
func Honorees(ctx context.Context, db *gorm.DB, summitID uint, now time.Time) ([]Honoree, error) {
	return honorees(ctx, db, "award_categories.summit_id = ?", summitID, now)
}

// HonoreesAnnounced reports whether the first award announcement of a
// summit is at or before now, so the public agenda may link the honorees
// page. Before that moment it is false, so the link reveals nothing early.
func HonoreesAnnounced(ctx context.Context, db *gorm.DB, summitID uint, now time.Time) (bool, error) {
	var n int64
	if err := withCtx(ctx, db).Model(&AwardCategory{}).Where("summit_id = ? AND announce_at <= ?", summitID, now.UTC()).
		Count(&n).Error; err != nil {
		return false, fmt.Errorf("models: honorees announced %d: %w", summitID, err)
	}
	return n > 0, nil
}

// MyRecognition lists a person's announced awards, across summits.
func MyRecognition(ctx context.Context, db *gorm.DB, personID uint, now time.Time) ([]Honoree, error) {
	return honorees(ctx, db, "award_winners.nominee_id = ?", personID, now)
}

func honorees(ctx context.Context, db *gorm.DB, where string, arg uint, now time.Time) ([]Honoree, error) {
	tx := withCtx(ctx, db)
	type row struct {
		CategoryID uint
		NomineeID  uint
		Name       string
		Department string
		AwardName  string
		Trait      string
		AnnounceAt time.Time
	}
	var rows []row
	err := tx.Table("award_winners").
		Select("award_winners.category_id, award_winners.nominee_id, people.name, people.department, award_categories.name AS award_name, award_categories.trait, award_categories.announce_at").
		Joins("JOIN award_categories ON award_categories.id = award_winners.category_id").
		Joins("JOIN people ON people.id = award_winners.nominee_id").
		Where(where, arg).Where("award_categories.announce_at <= ?", now.UTC()).
		// A winner whose every nomination was withdrawn afterwards is no honoree.
		Where("EXISTS (SELECT 1 FROM award_nominations n WHERE n.category_id = award_winners.category_id AND n.nominee_id = award_winners.nominee_id AND n.status = ?)", NominationActive).
		Order("award_categories.announce_at, award_categories.name, award_winners.place").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: honorees: %w", err)
	}
	// Each honoree's quote is the first quotable story of their live
	// nominations in the category: one query for all of them.
	quotes := map[[2]uint]string{} // category, nominee
	if len(rows) > 0 {
		cats := make([]uint, 0, len(rows))
		for _, r := range rows {
			cats = append(cats, r.CategoryID)
		}
		var qs []Nomination
		if err := tx.Select("category_id", "nominee_id", "story").Where("category_id IN ? AND status = ? AND quotable = ?", cats, NominationActive, true).
			Order("id").Find(&qs).Error; err != nil {
			return nil, fmt.Errorf("models: honorees' quotes: %w", err)
		}
		for _, q := range qs {
			if _, ok := quotes[[2]uint{q.CategoryID, q.NomineeID}]; !ok {
				quotes[[2]uint{q.CategoryID, q.NomineeID}] = q.Story
			}
		}
	}
	out := make([]Honoree, 0, len(rows))
	for _, r := range rows {
		h := Honoree{PersonName: r.Name, Department: r.Department, AwardName: r.AwardName, Trait: r.Trait, Announced: r.AnnounceAt.UTC()}
		h.Quote = quotes[[2]uint{r.CategoryID, r.NomineeID}]
		out = append(out, h)
	}
	return out, nil
}

// AwardSummaries lists a summit's award categories as the public may see
// them: never counts, nominees or winners.
func AwardSummaries(ctx context.Context, db *gorm.DB, summitID uint) ([]AwardSummary, error) {
	cats, err := ListCategories(ctx, db, summitID)
	if err != nil {
		return nil, err
	}
	out := make([]AwardSummary, len(cats))
	for i, c := range cats {
		out[i] = AwardSummary{Name: c.Name, Trait: c.Trait, Description: c.Description, AnnounceAt: c.AnnounceAt}
	}
	return out, nil
}
