package models

// The stored preview every CSV import shares (the directory, outcome
// values, sessions): a file is read (readCSVTable, csvread.go), checked and
// kept in import_previews with its problems until it is committed, once.

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// storePreview keeps a checked file (its rows, any JSON, and its problems)
// until it is committed; every import (directory, outcome values,
// sessions) stores its preview this way.
func storePreview(ctx context.Context, db *gorm.DB, p *ImportPreview, byID uint, rows any) error {
	p.FileName = strings.ToValidUTF8(p.FileName, "?")
	if len(p.FileName) > 200 {
		p.FileName = p.FileName[:200]
	}
	if byID != 0 {
		p.CreatedByID = &byID
	}
	rj, _ := json.Marshal(rows)
	pj, _ := json.Marshal(p.Problems)
	p.RowsJSON, p.ProblemsJSON = string(rj), string(pj)
	if err := withCtx(ctx, db).Create(p).Error; err != nil {
		return fmt.Errorf("models: store %s import preview: %w", p.Kind, err)
	}
	return nil
}

// loadPreview reads a stored preview of one kind, its rows into rows (a
// pointer to a slice) and its problems into p.Problems.
func loadPreview(ctx context.Context, db *gorm.DB, kind string, id uint, rows any) (*ImportPreview, error) {
	var p ImportPreview
	if err := withCtx(ctx, db).Where("kind = ?", kind).First(&p, id).Error; err != nil {
		return nil, notFound(err)
	}
	if err := json.Unmarshal([]byte(p.RowsJSON), rows); err != nil && p.RowsJSON != "" && p.RowsJSON != "null" {
		return nil, fmt.Errorf("models: %s import %d rows: %w", kind, id, err)
	}
	if err := json.Unmarshal([]byte(p.ProblemsJSON), &p.Problems); err != nil && p.ProblemsJSON != "" && p.ProblemsJSON != "null" {
		return nil, fmt.Errorf("models: %s import %d problems: %w", kind, id, err)
	}
	return &p, nil
}

// claimPreview marks a preview committed, first thing in the commit's
// transaction: a preview with problems is refused (ErrImportHasProblems),
// and one conditional update makes sure that of two commits at the same
// moment exactly one finds it uncommitted; the other gets ErrImportCommitted.
func claimPreview(tx *gorm.DB, id uint, problems []ImportProblem, now time.Time) error {
	if len(problems) > 0 {
		return ErrImportHasProblems
	}
	claim := tx.Model(&ImportPreview{}).Where("id = ? AND committed_at IS NULL", id).Update("committed_at", now)
	if claim.Error != nil {
		return claim.Error
	}
	if claim.RowsAffected != 1 {
		return ErrImportCommitted
	}
	return nil
}

// sortProblems orders problems by line, then by column in the file's order.
func sortProblems(ps []ImportProblem, columns []string) {
	order := map[string]int{}
	for i, c := range columns {
		order[c] = i + 1
	}
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && (ps[j].Line < ps[j-1].Line || ps[j].Line == ps[j-1].Line && order[ps[j].Column] < order[ps[j-1].Column]); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}
