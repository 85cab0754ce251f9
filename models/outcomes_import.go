package models

// Outcome values from a CSV file, through the same stored preview as the
// directory import (import_previews, kind "outcomes"): upload, read every
// problem by line and column, then commit all or nothing.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// OutcomeColumns is the header of an outcome values file; unit and
// higher_is_better may be left out (they only describe a new measure).
var OutcomeColumns = []string{"measure", "edition", "value", "unit", "higher_is_better"}

var outcomeRequired = []string{"measure", "edition", "value"}

const outcomeImportKind = "outcomes"

// OutcomeImportRow is one value read from a file, checked against the
// database: Action is "new" (a value where there was none), "update",
// "unchanged"; NewMeasure says the measure will be created.
type OutcomeImportRow struct {
	Line           int      `json:"line"`
	Measure        string   `json:"measure"`
	MeasureID      uint     `json:"measure_id"`
	NewMeasure     bool     `json:"new_measure"`
	Unit           string   `json:"unit"`
	HigherIsBetter bool     `json:"higher_is_better"`
	Edition        string   `json:"edition"`
	SummitID       uint     `json:"summit_id"`
	Value          float64  `json:"value"`
	Old            *float64 `json:"old"`
	Action         string   `json:"action"`
}

// ValueText writes the value as read, in full.
func (r OutcomeImportRow) ValueText() string { return strconv.FormatFloat(r.Value, 'f', -1, 64) }

// OldText writes the value the edition has now, "" when none.
func (r OutcomeImportRow) OldText() string {
	if r.Old == nil {
		return ""
	}
	return strconv.FormatFloat(*r.Old, 'f', -1, 64)
}

// OutcomeImport is a stored preview of an outcome values file.
type OutcomeImport struct {
	ID          uint
	FileName    string
	CreatedAt   time.Time
	CommittedAt *time.Time
	Rows        []OutcomeImportRow
	Problems    []ImportProblem
}

// Counts says how many values are new, changed and unchanged, and how many
// measures the file creates.
func (p *OutcomeImport) Counts() (created, updated, unchanged, measures int) {
	seen := map[string]bool{}
	for _, r := range p.Rows {
		switch r.Action {
		case "new":
			created++
		case "update":
			updated++
		default:
			unchanged++
		}
		if r.NewMeasure && !seen[strings.ToLower(r.Measure)] {
			seen[strings.ToLower(r.Measure)] = true
			measures++
		}
	}
	return
}

// parseBool reads yes/no, true/false, 1/0 (empty: yes).
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "yes", "y", "true", "1", "higher":
		return true, true
	case "no", "n", "false", "0", "lower":
		return false, true
	}
	return false, false
}

// editionLabel names an edition the way files do: its year when it is the
// only one that year, else its title.
func editionLabel(s *Summit, all []Summit) string {
	n := 0
	for _, o := range all {
		if o.Year == s.Year {
			n++
		}
	}
	if n == 1 {
		return strconv.Itoa(s.Year)
	}
	return s.Title
}

// ParseOutcomeCSV reads an outcome values file and checks it against the
// measures and summits: every problem is listed by line and column.
func ParseOutcomeCSV(ctx context.Context, db *gorm.DB, data []byte) ([]OutcomeImportRow, []ImportProblem, error) {
	var problems []ImportProblem
	add := func(line int, col, msg string) {
		problems = append(problems, ImportProblem{Line: line, Column: col, Message: msg})
	}
	measures, err := ListMeasures(ctx, db)
	if err != nil {
		return nil, nil, err
	}
	var summits []Summit
	if err := withCtx(ctx, db).Order(editionOrder).Find(&summits).Error; err != nil {
		return nil, nil, err
	}
	byName := map[string]*OutcomeMeasure{}
	for i := range measures {
		byName[strings.ToLower(measures[i].Name)] = &measures[i]
	}
	values := map[uint]map[uint]float64{}
	var rows []OutcomeImportRow
	seen := map[string]int{}
	var failed error
	readCSVTable(data, OutcomeColumns, outcomeRequired, add, func(line int, get func(string) string) {
		if failed != nil {
			return
		}
		row := OutcomeImportRow{Line: line, Measure: get("measure"), Edition: get("edition"), Unit: get("unit")}
		f := FieldErrors{}
		checkLine(f, "measure", "Measure", row.Measure, true, 120)
		checkLine(f, "unit", "Unit", row.Unit, false, 30)
		for _, k := range []string{"measure", "unit"} {
			if m, ok := f[k]; ok {
				add(line, k, m)
			}
		}
		ok := len(f) == 0
		hib, good := parseBool(get("higher_is_better"))
		if !good {
			add(line, "higher_is_better", strconvQuote(get("higher_is_better"))+" is not yes or no.")
			ok = false
		}
		row.HigherIsBetter = hib
		if m := byName[strings.ToLower(row.Measure)]; m != nil {
			row.MeasureID, row.Measure, row.Unit, row.HigherIsBetter = m.ID, m.Name, m.Unit, m.HigherIsBetter
			if m.IsComputed() {
				add(line, "measure", m.Name+" is one of Summit's own measures; Summit works it out itself, so it cannot be imported.")
				ok = false
			}
		} else if row.Measure != "" {
			row.NewMeasure = true
		}
		var ed *Summit
		for i := range summits {
			s := &summits[i]
			if row.Edition != "" && (strings.EqualFold(s.Title, row.Edition) || editionLabel(s, summits) == row.Edition) {
				ed = s
				break
			}
		}
		switch {
		case row.Edition == "":
			add(line, "edition", "Edition is required: the year of the summit (or its title when a year has several).")
			ok = false
		case ed == nil:
			add(line, "edition", "There is no summit "+strconvQuote(row.Edition)+". Use the year (or the title when a year has several editions); create the summit first if it is missing.")
			ok = false
		default:
			row.SummitID, row.Edition = ed.ID, editionLabel(ed, summits)
		}
		v, err := ParseOutcomeValue(get("value"))
		if err != nil {
			add(line, "value", err.Error()+".")
			ok = false
		}
		row.Value = v
		if !ok {
			return
		}
		key := strings.ToLower(row.Measure) + "\x00" + strconv.FormatUint(uint64(row.SummitID), 10)
		if first, dup := seen[key]; dup {
			add(line, "measure", fmt.Sprintf("%s for %s is already on line %d of this file. Each measure has one value per edition.", row.Measure, row.Edition, first))
			return
		}
		seen[key] = line
		row.Action = "new"
		if row.MeasureID != 0 {
			if values[row.SummitID] == nil {
				if values[row.SummitID], failed = EditionValues(ctx, db, row.SummitID); failed != nil {
					return
				}
			}
			if old, has := values[row.SummitID][row.MeasureID]; has {
				o := old
				row.Old = &o
				row.Action = "update"
				if old == row.Value {
					row.Action = "unchanged"
				}
			}
		}
		rows = append(rows, row)
	})
	if failed != nil {
		return nil, nil, failed
	}
	if len(rows) == 0 && len(problems) == 0 {
		add(2, "", "The file has a header but no values.")
	}
	return rows, problems, nil
}

// CreateOutcomeImport reads and checks a file and stores the preview;
// nothing else changes.
func CreateOutcomeImport(ctx context.Context, db *gorm.DB, byID uint, fileName string, data []byte, now time.Time) (*OutcomeImport, error) {
	rows, problems, err := ParseOutcomeCSV(ctx, db, data)
	if err != nil {
		return nil, err
	}
	p := ImportPreview{Kind: outcomeImportKind, CreatedAt: now.UTC(), FileName: fileName, Problems: problems}
	if err := storePreview(ctx, db, &p, byID, rows); err != nil {
		return nil, err
	}
	return &OutcomeImport{ID: p.ID, FileName: p.FileName, CreatedAt: p.CreatedAt, Rows: rows, Problems: problems}, nil
}

// GetOutcomeImport loads a stored outcome values preview.
func GetOutcomeImport(ctx context.Context, db *gorm.DB, id uint) (*OutcomeImport, error) {
	var rows []OutcomeImportRow
	p, err := loadPreview(ctx, db, outcomeImportKind, id, &rows)
	if err != nil {
		return nil, err
	}
	return &OutcomeImport{ID: p.ID, FileName: p.FileName, CreatedAt: p.CreatedAt, CommittedAt: p.CommittedAt, Rows: rows, Problems: p.Problems}, nil
}

// CommitOutcomeImport writes a preview in one transaction, all or nothing:
// the file is checked again (measures or summits may have changed since the
// upload), new measures are created, values written. A preview is committed
// once (the second of two gets ErrImportCommitted). Audited once.
func CommitOutcomeImport(ctx context.Context, db *gorm.DB, who Actor, id uint, now time.Time) (created, updated int, err error) {
	err = inTx(ctx, db, fmt.Sprintf("commit outcome import %d", id), func(tx *gorm.DB) error {
		p, err := GetOutcomeImport(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := claimPreview(tx, p.ID, p.Problems, now.UTC()); err != nil {
			return err
		}
		ids := map[string]uint{}
		for _, r := range p.Rows {
			k := strings.ToLower(r.Measure)
			if r.MeasureID != 0 {
				if _, err := GetMeasure(ctx, tx, r.MeasureID); err != nil {
					return ErrImportHasProblems
				}
				ids[k] = r.MeasureID
				continue
			}
			if ids[k] != 0 {
				continue
			}
			m, err := SaveMeasure(ctx, tx, who, 0, MeasureInput{Name: r.Measure, Unit: r.Unit, HigherIsBetter: r.HigherIsBetter}, now)
			if err != nil {
				return ErrImportHasProblems // a measure of that name appeared since the upload
			}
			ids[k] = m.ID
		}
		for _, r := range p.Rows {
			if _, err := GetSummit(ctx, tx, r.SummitID); err != nil {
				return ErrImportHasProblems
			}
			if r.Action == "unchanged" {
				continue
			}
			v := r.Value
			if err := putValue(tx, ids[strings.ToLower(r.Measure)], r.SummitID, &v, now); err != nil {
				return err
			}
			if r.Action == "update" {
				updated++
			} else {
				created++
			}
		}
		return Audit(ctx, tx, who, "outcome.import", "import", p.ID,
			fmt.Sprintf("Imported outcome values from %s: %d new, %d changed", p.FileName, created, updated), nil, nil)
	}, ErrImportHasProblems, ErrImportCommitted)
	return created, updated, err
}

// OutcomesCSV returns every company value as CSV rows in the import format
// (header first), formula-safe, so a file can be edited and imported again.
func OutcomesCSV(ctx context.Context, db *gorm.DB) ([][]string, error) {
	measures, err := ListMeasures(ctx, db)
	if err != nil {
		return nil, err
	}
	var summits []Summit
	if err := withCtx(ctx, db).Order(editionOrder).Find(&summits).Error; err != nil {
		return nil, err
	}
	var vals []OutcomeValue
	if err := withCtx(ctx, db).Find(&vals).Error; err != nil {
		return nil, err
	}
	by := map[[2]uint]float64{}
	for _, v := range vals {
		by[[2]uint{v.MeasureID, v.SummitID}] = v.Value
	}
	rows := [][]string{CSVRow(OutcomeColumns...)}
	for _, m := range measures {
		if m.IsComputed() {
			continue
		}
		hib := "no"
		if m.HigherIsBetter {
			hib = "yes"
		}
		for i := range summits {
			if v, ok := by[[2]uint{m.ID, summits[i].ID}]; ok {
				rows = append(rows, CSVRow(m.Name, editionLabel(&summits[i], summits), strconv.FormatFloat(v, 'f', -1, 64), m.Unit, hib))
			}
		}
	}
	return rows, nil
}
