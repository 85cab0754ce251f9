package models

// Outcome measures: the figures a company follows year after year (customer
// satisfaction, engagement, complaint resolution time…), each with a unit
// and whether higher is better, and a value per edition typed by an
// organiser or imported from CSV (outcomes_import.go). Summit's own measures
// are rows too (Computed names them) but their values are worked out from
// each edition's data (outcomes_computed.go), never stored.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// OutcomeMeasure is one figure followed across editions.
type OutcomeMeasure struct {
	ID             uint `gorm:"primaryKey"`
	Computed       string
	Name           string
	Unit           string
	HigherIsBetter bool
	Description    string
	OnGrowthPage   bool
	Position       int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// TableName names the measures table.
func (OutcomeMeasure) TableName() string { return "outcome_measures" }

// IsComputed reports whether Summit works the value out itself.
func (m *OutcomeMeasure) IsComputed() bool { return m.Computed != "" }

// Key names the measure in forms: "m12".
func (m *OutcomeMeasure) Key() string { return "m" + strconv.FormatUint(uint64(m.ID), 10) }

// Format writes a value of the measure with its unit: "82 %", "4.3 of 5",
// "36 hours".
func (m *OutcomeMeasure) Format(v float64) string {
	s := FmtNumber(v)
	switch m.Unit {
	case "":
		return s
	case "%":
		return s + " %"
	}
	if one, ok := singular[m.Unit]; ok && s == "1" {
		return s + " " + one
	}
	return s + " " + m.Unit
}

// singular names one of the units Summit's own measures count in.
var singular = map[string]string{"people": "person", "departments": "department", "nominations": "nomination", "seats": "seat", "hours": "hour", "days": "day"}

// FmtNumber writes a number with at most two decimals and no trailing zeros;
// whole numbers stay whole ("36", "4.25", "-3.5").
func FmtNumber(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// OutcomeValue is a company measure's value for one edition.
type OutcomeValue struct {
	ID        uint `gorm:"primaryKey"`
	MeasureID uint
	SummitID  uint
	Value     float64
	UpdatedAt time.Time
}

// TableName names the values table.
func (OutcomeValue) TableName() string { return "outcome_values" }

// MeasureInput is what an organiser types for a measure. For Summit's own
// measures only OnGrowthPage counts.
type MeasureInput struct {
	Name, Unit, Description string
	HigherIsBetter          bool
	OnGrowthPage            bool
}

func (in MeasureInput) validate() (OutcomeMeasure, FieldErrors) {
	f := FieldErrors{}
	m := OutcomeMeasure{HigherIsBetter: in.HigherIsBetter, OnGrowthPage: in.OnGrowthPage}
	m.Name = checkLine(f, "name", "Name", in.Name, true, 120)
	m.Unit = checkLine(f, "unit", "Unit", in.Unit, false, 30)
	m.Description = checkText(f, "description", "Description", in.Description, false, 500)
	return m, f
}

// ListMeasures returns the measures in page order, the company's first; a
// computed measure whose feature does not exist yet is left out.
func ListMeasures(ctx context.Context, db *gorm.DB) ([]OutcomeMeasure, error) {
	var all []OutcomeMeasure
	if err := withCtx(ctx, db).Order("CASE WHEN computed = '' THEN 0 ELSE 1 END, position, id").Find(&all).Error; err != nil {
		return nil, fmt.Errorf("models: list measures: %w", err)
	}
	out := all[:0]
	for _, m := range all {
		if m.Computed == "" || computedAvailable(m.Computed) {
			out = append(out, m)
		}
	}
	return out, nil
}

// GetMeasure loads one measure.
func GetMeasure(ctx context.Context, db *gorm.DB, id uint) (*OutcomeMeasure, error) {
	var m OutcomeMeasure
	if err := withCtx(ctx, db).First(&m, id).Error; err != nil {
		return nil, notFound(err)
	}
	if m.Computed != "" && !computedAvailable(m.Computed) {
		return nil, ErrNotFound
	}
	return &m, nil
}

func duplicateMeasure(name string) FieldErrors {
	return FieldErrors{"name": "There is already a measure called " + strconvQuote(name) + "; edit that one or choose another name."}
}

// SaveMeasure creates (id 0) or changes a company measure; for Summit's own
// measures only whether it shows on "How we grew" changes. Audited.
func SaveMeasure(ctx context.Context, db *gorm.DB, who Actor, id uint, in MeasureInput, now time.Time) (*OutcomeMeasure, error) {
	next, f := in.validate()
	var out OutcomeMeasure
	err := inTx(ctx, db, fmt.Sprintf("save measure %d", id), func(tx *gorm.DB) error {
		if id == 0 {
			if err := f.Err(); err != nil {
				return err
			}
			var maxPos int
			if err := tx.Model(&OutcomeMeasure{}).Select("COALESCE(MAX(position), 0)").Scan(&maxPos).Error; err != nil {
				return err
			}
			next.Position, next.CreatedAt, next.UpdatedAt = maxPos+1, now.UTC(), now.UTC()
			if err := tx.Create(&next).Error; err != nil {
				return err
			}
			out = next
			return Audit(ctx, tx, who, "outcome.measure.create", "outcome_measure", next.ID, "Added the outcome measure "+next.Name, nil, next)
		}
		var cur OutcomeMeasure
		if err := tx.First(&cur, id).Error; err != nil {
			return notFound(err)
		}
		before := cur
		if cur.IsComputed() {
			cur.OnGrowthPage = in.OnGrowthPage
		} else {
			if err := f.Err(); err != nil {
				return err
			}
			cur.Name, cur.Unit, cur.Description, cur.HigherIsBetter, cur.OnGrowthPage = next.Name, next.Unit, next.Description, next.HigherIsBetter, next.OnGrowthPage
		}
		cur.UpdatedAt = now.UTC()
		if err := tx.Model(&OutcomeMeasure{}).Where("id = ?", cur.ID).Updates(map[string]any{"name": cur.Name, "unit": cur.Unit,
			"description": cur.Description, "higher_is_better": cur.HigherIsBetter, "on_growth_page": cur.OnGrowthPage, "updated_at": cur.UpdatedAt}).Error; err != nil {
			return err
		}
		out = cur
		return Audit(ctx, tx, who, "outcome.measure.update", "outcome_measure", cur.ID, "Changed the outcome measure "+cur.Name, before, cur)
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, duplicateMeasure(next.Name)
	}
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteMeasure removes a company measure and its values; Summit's own
// measures cannot be removed (hide them from "How we grew" instead). Audited.
func DeleteMeasure(ctx context.Context, db *gorm.DB, who Actor, id uint) error {
	err := inTx(ctx, db, fmt.Sprintf("delete measure %d", id), func(tx *gorm.DB) error {
		var m OutcomeMeasure
		if err := tx.First(&m, id).Error; err != nil {
			return notFound(err)
		}
		if m.IsComputed() {
			return FieldErrors{"name": m.Name + " is one of Summit's own measures and cannot be removed; untick “Show on How we grew” to hide it from staff."}
		}
		var n int64
		if err := tx.Model(&OutcomeValue{}).Where("measure_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if err := tx.Where("measure_id = ?", id).Delete(&OutcomeValue{}).Error; err != nil {
			return err
		}
		if err := tx.Delete(&OutcomeMeasure{}, id).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "outcome.measure.delete", "outcome_measure", id, fmt.Sprintf("Removed the outcome measure %s and its %d values", m.Name, n), m, nil)
	})
	return err
}

// MaxOutcomeValue bounds a typed value; anything larger is a typo.
const MaxOutcomeValue = 1e12

// ParseOutcomeValue reads a typed number: "82", "4.25", "-3", "4,25" (a
// decimal comma when there is no dot). Thousands separators are refused.
func ParseOutcomeValue(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || strings.ContainsAny(s, "xXpP_") {
		return 0, fmt.Errorf("%s is not a number; write it like 82 or 4.25 (no thousands separators)", strconvQuote(s))
	}
	if math.Abs(v) > MaxOutcomeValue {
		return 0, fmt.Errorf("%s is larger than any measure should be; check for a typo", strconvQuote(s))
	}
	return v, nil
}

// EditionValues returns the stored company values of one edition by measure.
func EditionValues(ctx context.Context, db *gorm.DB, summitID uint) (map[uint]float64, error) {
	var rows []OutcomeValue
	if err := withCtx(ctx, db).Where("summit_id = ?", summitID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: edition values %d: %w", summitID, err)
	}
	out := make(map[uint]float64, len(rows))
	for _, r := range rows {
		out[r.MeasureID] = r.Value
	}
	return out, nil
}

// SetEditionValues stores the company values an organiser typed for one
// edition, keyed by measure key ("m12"); an empty value removes it. Every
// value is checked before anything is written; field errors are keyed the
// same way. Audited once.
func SetEditionValues(ctx context.Context, db *gorm.DB, who Actor, summitID uint, typed map[string]string, now time.Time) error {
	err := inTx(ctx, db, fmt.Sprintf("set edition values %d", summitID), func(tx *gorm.DB) error {
		var s Summit
		if err := tx.First(&s, summitID).Error; err != nil {
			return notFound(err)
		}
		measures, err := ListMeasures(ctx, tx)
		if err != nil {
			return err
		}
		f := FieldErrors{}
		set := map[uint]*float64{}
		for _, m := range measures {
			raw, ok := typed[m.Key()]
			if !ok || m.IsComputed() {
				continue
			}
			if strings.TrimSpace(raw) == "" {
				set[m.ID] = nil
				continue
			}
			v, err := ParseOutcomeValue(raw)
			if err != nil {
				f.Add(m.Key(), m.Name+": "+err.Error()+".")
				continue
			}
			set[m.ID] = &v
		}
		if err := f.Err(); err != nil {
			return err
		}
		for id, v := range set {
			if err := putValue(tx, id, s.ID, v, now); err != nil {
				return err
			}
		}
		return Audit(ctx, tx, who, "outcome.values", "summit", s.ID, fmt.Sprintf("Outcome values of %s: %d measures saved", s.Title, len(set)), nil, typed)
	})
	return err
}

// putValue writes (or with v nil removes) one value.
func putValue(tx *gorm.DB, measureID, summitID uint, v *float64, now time.Time) error {
	if v == nil {
		return tx.Where("measure_id = ? AND summit_id = ?", measureID, summitID).Delete(&OutcomeValue{}).Error
	}
	res := tx.Model(&OutcomeValue{}).Where("measure_id = ? AND summit_id = ?", measureID, summitID).
		Updates(map[string]any{"value": *v, "updated_at": now.UTC()})
	if res.Error != nil || res.RowsAffected > 0 {
		return res.Error
	}
	return tx.Create(&OutcomeValue{MeasureID: measureID, SummitID: summitID, Value: *v, UpdatedAt: now.UTC()}).Error
}

// GrowthPage is the staff page "How we grew": whether it is published and
// the organisers' words above the charts.
type GrowthPage struct {
	ID        uint `gorm:"primaryKey"`
	Published bool
	Intro     string
	UpdatedAt time.Time
}

// TableName names the growth page table.
func (GrowthPage) TableName() string { return "growth_page" }

// GetGrowthPage reads the "How we grew" settings.
func GetGrowthPage(ctx context.Context, db *gorm.DB) (*GrowthPage, error) {
	var g GrowthPage
	if err := withCtx(ctx, db).Where("id = 1").Limit(1).Find(&g).Error; err != nil {
		return nil, fmt.Errorf("models: growth page: %w", err)
	}
	g.ID = 1
	return &g, nil
}

// GrowthPageInput is what an organiser chooses for "How we grew": publish or
// not, the introduction, and which measures show (by key, "m12").
type GrowthPageInput struct {
	Published bool
	Intro     string
	Measures  []string
}

// SetGrowthPage stores the "How we grew" settings and which measures it
// shows, audited.
func SetGrowthPage(ctx context.Context, db *gorm.DB, who Actor, in GrowthPageInput, now time.Time) error {
	f := FieldErrors{}
	intro := checkText(f, "intro", "Introduction", in.Intro, false, 2000)
	if err := f.Err(); err != nil {
		return err
	}
	err := inTx(ctx, db, "set growth page", func(tx *gorm.DB) error {
		measures, err := ListMeasures(ctx, tx)
		if err != nil {
			return err
		}
		show := map[string]bool{}
		for _, k := range in.Measures {
			show[k] = true
		}
		var names []string
		for _, m := range measures {
			if show[m.Key()] {
				names = append(names, m.Name)
			}
			if err := tx.Model(&OutcomeMeasure{}).Where("id = ?", m.ID).Update("on_growth_page", show[m.Key()]).Error; err != nil {
				return err
			}
		}
		if in.Published && len(names) == 0 {
			return FieldErrors{"measures": "Choose at least one measure to show before publishing the page."}
		}
		if err := tx.Model(&GrowthPage{}).Where("id = 1").Updates(map[string]any{"published": in.Published, "intro": intro, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		state := "unpublished"
		if in.Published {
			state = "published"
		}
		return Audit(ctx, tx, who, "outcome.growth_page", "growth_page", 1, "How we grew "+state+" showing: "+strings.Join(names, ", "), nil, in)
	})
	return err
}
