package models

// Editions in order, the previous edition, Summit's own measures worked out
// per edition, and every measure as a series across editions with the
// change against the previous one.

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Summit's own measures, by their computed key.
const (
	MeasureRegistered             = "registered"
	MeasureCheckedIn              = "checked_in"
	MeasureDepartments            = "departments"
	MeasureLeaders                = "leaders"
	MeasureNominations            = "nominations"
	MeasureRecognitionDepartments = "recognition_departments"
	MeasureTrainingSeats          = "training_seats"
	MeasureSessionRating          = "session_rating"
	MeasureCommitmentsKept        = "commitments_kept"
)

// editionOrder sorts editions oldest first; summits starting on the same day
// are ordered by when they were created.
const editionOrder = "start_date, id"

// ListEditions returns the summits that count as editions at now: published
// or archived (drafts are not held yet) and started (an edition still to
// come has no outcomes to compare), oldest first.
func ListEditions(ctx context.Context, db *gorm.DB, now time.Time) ([]Summit, error) {
	var all []Summit
	err := withCtx(ctx, db).Where("status IN ?", []SummitStatus{StatusPublished, StatusArchived}).Order(editionOrder).Find(&all).Error
	if err != nil {
		return nil, fmt.Errorf("models: list editions: %w", err)
	}
	out := all[:0]
	for _, s := range all {
		if !now.Before(s.Start()) {
			out = append(out, s)
		}
	}
	return out, nil
}

// PreviousEdition returns the edition (published or archived summit) a new
// edition is compared with and looks back on. Several editions may share a
// year (regional editions), so it is, in order: the edition s was copied
// from, when that is public and started before s; else the one with the
// latest start in an earlier year (a sister edition of the same year is not
// "last year"); else the one with the latest start before s. ErrNotFound
// when s is the first.
func PreviousEdition(ctx context.Context, db *gorm.DB, s *Summit) (*Summit, error) {
	db = withCtx(ctx, db)
	public := []SummitStatus{StatusPublished, StatusArchived}
	if s.CopiedFromID != nil {
		var src []Summit
		if err := db.Where("id = ? AND status IN ? AND start_date < ?", *s.CopiedFromID, public, s.StartDate).Limit(1).Find(&src).Error; err != nil {
			return nil, fmt.Errorf("models: previous edition of %d: %w", s.ID, err)
		}
		if len(src) == 1 {
			return &src[0], nil
		}
	}
	var list []Summit
	err := db.Where("status IN ? AND year < ?", public, s.Year).Order("start_date DESC, id DESC").Limit(1).Find(&list).Error
	if err == nil && len(list) == 0 {
		err = db.Where("status IN ? AND (start_date < ? OR (start_date = ? AND id < ?))", public, s.StartDate, s.StartDate, s.ID).
			Order("start_date DESC, id DESC").Limit(1).Find(&list).Error
	}
	if err != nil {
		return nil, fmt.Errorf("models: previous edition of %d: %w", s.ID, err)
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	return &list[0], nil
}

// computedAvailable reports whether the feature behind a computed measure
// exists, so its measure can be shown.
func computedAvailable(key string) bool {
	if key == MeasureCommitmentsKept {
		return commitmentsMeasureAvailable()
	}
	return true
}

// commitmentsMeasureAvailable and commitmentsKept (the share of an
// edition's commitments marked done) live with the commitments
// (commitments.go).

// scalar runs a COUNT-like query returning one number.
func scalar(tx *gorm.DB, sql string, args ...any) (int64, error) {
	var n int64
	err := tx.Raw(sql, args...).Scan(&n).Error
	return n, err
}

// ComputeEdition works out Summit's own measures for one edition. A key is
// missing when the edition holds nothing to count: registrations need
// sessions that take them, nominations need award categories, the rating
// needs a session with enough answers.
func ComputeEdition(ctx context.Context, db *gorm.DB, s *Summit) (map[string]float64, error) {
	tx := withCtx(ctx, db)
	out := map[string]float64{}
	sessions, err := scalar(tx, "SELECT COUNT(*) FROM sessions WHERE summit_id = ?", s.ID)
	if err != nil {
		return nil, fmt.Errorf("models: compute edition %d: %w", s.ID, err)
	}
	withSeats, err := scalar(tx, "SELECT COUNT(*) FROM sessions WHERE summit_id = ? AND capacity IS NOT NULL", s.ID)
	if err != nil {
		return nil, err
	}
	categories, err := scalar(tx, "SELECT COUNT(*) FROM award_categories WHERE summit_id = ?", s.ID)
	if err != nil {
		return nil, err
	}
	const seat = "(registrations.status = 'confirmed' OR registrations.attended_at IS NOT NULL)"
	if withSeats > 0 {
		for key, sql := range map[string]string{
			MeasureRegistered:    "SELECT COUNT(DISTINCT registrations.person_id) FROM registrations JOIN sessions ON sessions.id = registrations.session_id WHERE sessions.summit_id = ? AND " + seat,
			MeasureCheckedIn:     "SELECT COUNT(DISTINCT registrations.person_id) FROM registrations JOIN sessions ON sessions.id = registrations.session_id WHERE sessions.summit_id = ? AND registrations.attended_at IS NOT NULL",
			MeasureTrainingSeats: "SELECT COUNT(*) FROM registrations JOIN sessions ON sessions.id = registrations.session_id WHERE sessions.summit_id = ? AND sessions.capacity IS NOT NULL AND registrations.status = 'confirmed'",
		} {
			n, err := scalar(tx, sql, s.ID)
			if err != nil {
				return nil, fmt.Errorf("models: compute %s of %d: %w", key, s.ID, err)
			}
			out[key] = float64(n)
		}
	}
	if sessions > 0 {
		depts, leaders, err := takingPart(tx, s.ID)
		if err != nil {
			return nil, err
		}
		out[MeasureDepartments], out[MeasureLeaders] = float64(depts), float64(leaders)
	}
	if categories > 0 {
		n, err := scalar(tx, "SELECT COUNT(*) FROM award_nominations JOIN award_categories ON award_categories.id = award_nominations.category_id WHERE award_categories.summit_id = ? AND award_nominations.status = ?", s.ID, NominationActive)
		if err != nil {
			return nil, err
		}
		out[MeasureNominations] = float64(n)
		d, err := scalar(tx, "SELECT COUNT(DISTINCT people.department) FROM award_nominations JOIN award_categories ON award_categories.id = award_nominations.category_id JOIN people ON people.id = award_nominations.nominee_id WHERE award_categories.summit_id = ? AND award_nominations.status = ? AND people.department <> ''", s.ID, NominationActive)
		if err != nil {
			return nil, err
		}
		out[MeasureRecognitionDepartments] = float64(d)
	}
	res, err := GetFeedbackResults(ctx, db, s)
	if err != nil {
		return nil, err
	}
	if v, ok := res.SessionRating(); ok {
		out[MeasureSessionRating] = v
	}
	if commitmentsMeasureAvailable() {
		v, ok, err := commitmentsKept(ctx, db, s)
		if err != nil {
			return nil, err
		}
		if ok {
			out[MeasureCommitmentsKept] = v
		}
	}
	return out, nil
}

// takingPart counts the departments and the leaders (people with active
// reports in the directory) among those who took part in an edition: a seat
// or check-in, a talk, a judging panel or a nomination given.
func takingPart(tx *gorm.DB, summitID uint) (departments, leaders int, err error) {
	var ids []uint
	queries := []string{
		"SELECT registrations.person_id FROM registrations JOIN sessions ON sessions.id = registrations.session_id WHERE sessions.summit_id = ? AND (registrations.status = 'confirmed' OR registrations.attended_at IS NOT NULL)",
		"SELECT speakers.person_id FROM speakers JOIN session_speakers ON session_speakers.speaker_id = speakers.id WHERE speakers.summit_id = ? AND speakers.person_id IS NOT NULL",
		"SELECT award_judges.person_id FROM award_judges JOIN award_categories ON award_categories.id = award_judges.category_id WHERE award_categories.summit_id = ?",
		"SELECT award_nominations.nominator_id FROM award_nominations JOIN award_categories ON award_categories.id = award_nominations.category_id WHERE award_categories.summit_id = ? AND award_nominations.status = 'active'",
	}
	seen := map[uint]bool{}
	for _, q := range queries {
		var part []uint
		if err := tx.Raw(q, summitID).Scan(&part).Error; err != nil {
			return 0, 0, fmt.Errorf("models: taking part in %d: %w", summitID, err)
		}
		for _, id := range part {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return 0, 0, nil
	}
	var people []Person
	if err := tx.Select("id, department").Where("id IN ?", ids).Find(&people).Error; err != nil {
		return 0, 0, err
	}
	var managers []uint
	if err := tx.Model(&Person{}).Where("manager_id IN ? AND active = ?", ids, true).Distinct().Pluck("manager_id", &managers).Error; err != nil {
		return 0, 0, err
	}
	depts := map[string]bool{}
	for _, p := range people {
		if p.Department != "" {
			depts[p.Department] = true
		}
	}
	return len(depts), len(managers), nil
}

// SeriesPoint is one edition's value of a measure; Has is false when the
// edition has none.
type SeriesPoint struct {
	Edition *Summit
	Value   float64
	Has     bool
}

// Change is how a value moved against the previous edition.
type Change struct {
	Has        bool // both values exist
	Prev       *Summit
	Delta      float64
	Percent    float64 // of the previous value
	HasPercent bool    // the previous value was not zero
	Better     bool    // moved the way the measure wants
	Worse      bool
}

// MeasureSeries is a measure across editions, oldest first.
type MeasureSeries struct {
	Measure OutcomeMeasure
	Points  []SeriesPoint
}

// ChangeAt is the change of point i against point i-1 (the previous edition).
func (ms MeasureSeries) ChangeAt(i int) Change {
	if i <= 0 || i >= len(ms.Points) {
		return Change{}
	}
	a, b := ms.Points[i-1], ms.Points[i]
	c := Change{Prev: a.Edition}
	if !a.Has || !b.Has {
		return c
	}
	c.Has, c.Delta = true, b.Value-a.Value
	if a.Value != 0 {
		c.Percent, c.HasPercent = c.Delta/math.Abs(a.Value)*100, true
	}
	up := c.Delta > 1e-9
	down := c.Delta < -1e-9
	c.Better = (up && ms.Measure.HigherIsBetter) || (down && !ms.Measure.HigherIsBetter)
	c.Worse = (down && ms.Measure.HigherIsBetter) || (up && !ms.Measure.HigherIsBetter)
	return c
}

// Latest is the change of the last edition against the one before it.
func (ms MeasureSeries) Latest() Change { return ms.ChangeAt(len(ms.Points) - 1) }

// Values counts the editions that have a value.
func (ms MeasureSeries) Values() int {
	n := 0
	for _, p := range ms.Points {
		if p.Has {
			n++
		}
	}
	return n
}

// EditionFigures is every measure's value for a set of editions: stored
// company values and Summit's computed ones.
type EditionFigures struct {
	Editions []Summit
	Measures []OutcomeMeasure
	Series   []MeasureSeries
}

// YearOverYear gathers every measure (or only those on the growth page)
// across the given editions, oldest first.
func YearOverYear(ctx context.Context, db *gorm.DB, editions []Summit, growthOnly bool) (*EditionFigures, error) {
	measures, err := ListMeasures(ctx, db)
	if err != nil {
		return nil, err
	}
	if growthOnly {
		keep := measures[:0]
		for _, m := range measures {
			if m.OnGrowthPage {
				keep = append(keep, m)
			}
		}
		measures = keep
	}
	out := &EditionFigures{Editions: editions, Measures: measures}
	stored := map[uint]map[uint]float64{} // summit → measure → value
	computed := map[uint]map[string]float64{}
	if len(editions) > 0 {
		ids := make([]uint, len(editions))
		for i := range editions {
			ids[i] = editions[i].ID
			stored[editions[i].ID] = map[uint]float64{}
		}
		var rows []OutcomeValue
		if err := withCtx(ctx, db).Where("summit_id IN ?", ids).Find(&rows).Error; err != nil {
			return nil, fmt.Errorf("models: outcome values: %w", err)
		}
		for _, r := range rows {
			stored[r.SummitID][r.MeasureID] = r.Value
		}
		needComputed := false
		for _, m := range measures {
			needComputed = needComputed || m.IsComputed()
		}
		for i := range editions {
			if needComputed {
				if computed[editions[i].ID], err = ComputeEdition(ctx, db, &editions[i]); err != nil {
					return nil, err
				}
			}
		}
	}
	for _, m := range measures {
		ms := MeasureSeries{Measure: m}
		for i := range editions {
			e := &editions[i]
			var v float64
			var ok bool
			if m.IsComputed() {
				v, ok = computed[e.ID][m.Computed]
			} else {
				v, ok = stored[e.ID][m.ID]
			}
			ms.Points = append(ms.Points, SeriesPoint{Edition: e, Value: v, Has: ok})
		}
		out.Series = append(out.Series, ms)
	}
	return out, nil
}

// EditionLabel is the short name of an edition on chart axes and in
// comparisons: its year.
func (s *Summit) EditionLabel() string { return strconv.Itoa(s.Year) }

// Describe says a change in words for measure m: "up 4 % (+5.1 %) on 2026",
// "down 2.5 hours on 2026", "the same as 2026", "no value for 2026 to compare
// with"; "" when there is no previous edition.
func (c Change) Describe(m *OutcomeMeasure) string {
	if c.Prev == nil {
		return ""
	}
	on := c.Prev.EditionLabel()
	if !c.Has {
		return "nothing to compare with " + on
	}
	if !c.Better && !c.Worse {
		return "the same as " + on
	}
	dir := "up"
	if c.Delta < 0 {
		dir = "down"
	}
	s := dir + " " + m.Format(math.Abs(c.Delta))
	if c.HasPercent && m.Unit != "%" {
		s += " (" + signed(c.Percent) + " %)"
	}
	return s + " on " + on
}

// signed writes a percentage with its sign and one decimal: "+5.1", "−3".
func signed(v float64) string {
	r := math.Round(v*10) / 10
	s := strconv.FormatFloat(math.Abs(r), 'f', -1, 64)
	if r < 0 {
		return "\u2212" + s
	}
	return "+" + s
}
