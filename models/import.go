package models

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DirectoryColumns is the header of a directory CSV, for import and export.
var DirectoryColumns = []string{"name", "email", "department", "job_title", "manager_email", "role"}

// DirectoryDateColumns follow DirectoryColumns in the export: when an admin
// last invited the person and when they last signed in (UTC, empty for
// never). An import accepts them, so the export goes back in unchanged, and
// ignores them: only invitations and sign-ins write them.
var DirectoryDateColumns = []string{"invited_at_utc", "last_signed_in_at_utc"}

// directoryImportKind marks directory previews in import_previews.
const directoryImportKind = "directory"

// MaxImportBytes bounds a directory file.
const MaxImportBytes = 5 << 20

// ImportRow is one person read from a directory file.
type ImportRow struct {
	Line         int    `json:"line"`
	Name         string `json:"name"`
	Email        string `json:"email"`
	Department   string `json:"department"`
	JobTitle     string `json:"job_title"`
	ManagerEmail string `json:"manager_email"`
	Role         string `json:"role"`
	Action       string `json:"action"` // new, update, unchanged (filled by the preview)
}

// ImportProblem is one thing to fix in a directory file, by line and column.
type ImportProblem struct {
	Line    int    `json:"line"`
	Column  string `json:"column"`
	Message string `json:"message"`
}

// ImportPreview is an uploaded directory file, parsed and checked, kept on
// the server until an admin commits it.
type ImportPreview struct {
	ID           uint   `gorm:"primaryKey"`
	Kind         string // "directory" here; outcome values use the same table (outcomes_import.go)
	SummitID     *uint  // the summit a sessions file is for (sessions_import.go)
	CreatedByID  *uint
	CreatedAt    time.Time
	FileName     string
	RowsJSON     string
	ProblemsJSON string
	CommittedAt  *time.Time

	Rows     []ImportRow     `gorm:"-"`
	Problems []ImportProblem `gorm:"-"`
}

// TableName names the table of import previews.
func (ImportPreview) TableName() string { return "import_previews" }

// Counts tells how many rows are new, updates or unchanged.
func (p *ImportPreview) Counts() (created, updated, unchanged int) {
	for _, r := range p.Rows {
		switch r.Action {
		case "new":
			created++
		case "update":
			updated++
		default:
			unchanged++
		}
	}
	return
}

// ImportResult is what a committed import did.
type ImportResult struct {
	Created, Updated, Unchanged int
}

// ParseDirectoryCSV reads a directory file and lists every problem by line
// and column. It handles a BOM, CRLF line ends and quoted commas and line
// breaks; the header names the columns, in any order.
func ParseDirectoryCSV(data []byte) ([]ImportRow, []ImportProblem) {
	var problems []ImportProblem
	add := func(line int, col, msg string) {
		problems = append(problems, ImportProblem{Line: line, Column: col, Message: msg})
	}
	var rows []ImportRow
	seen := map[string]int{}
	known := append(append([]string{}, DirectoryColumns...), DirectoryDateColumns...)
	readCSVTable(data, known, DirectoryColumns, add, func(line int, get func(string) string) {
		row := ImportRow{Line: line, Name: get("name"), Email: get("email"), Department: get("department"), JobTitle: get("job_title"),
			ManagerEmail: get("manager_email"), Role: strings.ToLower(get("role"))}
		f := FieldErrors{}
		checkLine(f, "name", "Name", row.Name, true, 120)
		checkLine(f, "department", "Department", row.Department, false, 120)
		checkLine(f, "job_title", "Job title", row.JobTitle, false, 120)
		for _, name := range []string{"name", "department", "job_title"} {
			if m, ok := f[name]; ok {
				add(line, name, m)
			}
		}
		if !ValidEmail(row.Email) {
			add(line, "email", strconvQuote(row.Email)+" is not an email address like zoe.olberg@example.com.")
		} else if first, dup := seen[NormalizeEmail(row.Email)]; dup {
			add(line, "email", fmt.Sprintf("%s is already on line %d of this file. Each person appears once.", row.Email, first))
		} else {
			seen[NormalizeEmail(row.Email)] = line
		}
		if row.Role != "" && !slices.Contains(Roles, Role(row.Role)) {
			add(line, "role", strconvQuote(row.Role)+" is not a role. Use staff, organiser or admin (or leave it empty for staff).")
		}
		if row.ManagerEmail != "" && !ValidEmail(row.ManagerEmail) {
			add(line, "manager_email", strconvQuote(row.ManagerEmail)+" is not an email address.")
		} else if row.ManagerEmail != "" && NormalizeEmail(row.ManagerEmail) == NormalizeEmail(row.Email) {
			add(line, "manager_email", "A person cannot be their own manager.")
		}
		rows = append(rows, row)
	})
	if len(rows) == 0 && len(problems) == 0 {
		add(2, "", "The file has a header but nobody in it.")
	}
	return rows, problems
}

func csvErrText(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrQuote), errors.Is(pe.Err, csv.ErrBareQuote):
			return "a quote mark is not closed or sits inside an unquoted value."
		}
		return pe.Err.Error() + "."
	}
	return err.Error()
}

// strconvQuote quotes a value of a file in a message, cut to 80 characters
// (at a character, never inside one).
func strconvQuote(s string) string {
	return "\u201c" + shorten(s) + "\u201d"
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// directoryByEmail loads everyone, keyed by lower-case email.
func directoryByEmail(ctx context.Context, db *gorm.DB) (map[string]*Person, error) {
	var all []Person
	if err := withCtx(ctx, db).Find(&all).Error; err != nil {
		return nil, err
	}
	out := make(map[string]*Person, len(all))
	for i := range all {
		out[NormalizeEmail(all[i].Email)] = &all[i]
	}
	return out, nil
}

// checkAgainstDirectory marks each row new, update or unchanged and adds a
// problem for a manager who is neither in the file nor in the directory.
func checkAgainstDirectory(rows []ImportRow, dir map[string]*Person) []ImportProblem {
	var problems []ImportProblem
	inFile := map[string]bool{}
	for _, r := range rows {
		inFile[NormalizeEmail(r.Email)] = true
	}
	for i := range rows {
		r := &rows[i]
		m := NormalizeEmail(r.ManagerEmail)
		if m != "" && !inFile[m] && dir[m] == nil && ValidEmail(r.ManagerEmail) {
			problems = append(problems, ImportProblem{Line: r.Line, Column: "manager_email",
				Message: "The manager " + r.ManagerEmail + " is neither in this file nor in the directory. Add them, or fix the address."})
		}
		cur := dir[NormalizeEmail(r.Email)]
		switch {
		case cur == nil:
			r.Action = "new"
		case rowChanges(*r, cur, dir):
			r.Action = "update"
		default:
			r.Action = "unchanged"
		}
	}
	return problems
}

func rowRole(r ImportRow, cur *Person) Role {
	if r.Role != "" {
		return Role(r.Role)
	}
	if cur != nil {
		return cur.Role
	}
	return RoleStaff
}

func rowChanges(r ImportRow, cur *Person, dir map[string]*Person) bool {
	if cur.Name != r.Name || cur.Department != r.Department || cur.JobTitle != r.JobTitle || cur.Role != rowRole(r, cur) {
		return true
	}
	var want *uint
	if m := dir[NormalizeEmail(r.ManagerEmail)]; m != nil {
		want = &m.ID
	} else if r.ManagerEmail != "" {
		return true // a manager new in this file
	}
	return !sameID(cur.ManagerID, want)
}

func sameID(a, b *uint) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// CreateImportPreview parses and checks a directory file and stores the
// preview; nothing in the directory changes.
func CreateImportPreview(ctx context.Context, db *gorm.DB, byID uint, fileName string, data []byte) (*ImportPreview, error) {
	rows, problems := ParseDirectoryCSV(data)
	dir, err := directoryByEmail(ctx, db)
	if err != nil {
		return nil, err
	}
	problems = append(problems, checkAgainstDirectory(rows, dir)...)
	sortProblems(problems, DirectoryColumns)
	p := &ImportPreview{Kind: directoryImportKind, CreatedAt: Now(), FileName: fileName, Rows: rows, Problems: problems}
	if err := storePreview(ctx, db, p, byID, rows); err != nil {
		return nil, err
	}
	// Old previews are of no use after a day.
	withCtx(ctx, db).Where("created_at < ?", Now().Add(-24*time.Hour)).Delete(&ImportPreview{})
	return p, nil
}

// GetImportPreview loads a stored preview.
func GetImportPreview(ctx context.Context, db *gorm.DB, id uint) (*ImportPreview, error) {
	var rows []ImportRow
	p, err := loadPreview(ctx, db, directoryImportKind, id, &rows)
	if err != nil {
		return nil, err
	}
	p.Rows = rows
	return p, nil
}

// ErrImportHasProblems means a preview with problems cannot be committed.
var ErrImportHasProblems = errors.New("the file has problems to fix first")

// ErrImportCommitted means the preview has been imported already (a double
// click, another tab, another admin); it is imported once.
var ErrImportCommitted = errors.New("this file has been imported already")

// CommitImport writes a preview to the directory in one transaction: all or
// nothing. People are matched by email ignoring case and updated, never
// duplicated, so importing the same file again changes nothing. Role changes
// are audited one by one, the import as a whole once. A preview is
// committed once: the second of two commits at the same moment waits for
// the first and gets ErrImportCommitted. Imports and role changes take one
// lock, so the directory they check is the one they change.
func CommitImport(ctx context.Context, db *gorm.DB, id uint, who Actor) (ImportResult, error) {
	var res ImportResult
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := lockNamed(tx, lockDirectory); err != nil {
			return err
		}
		p, err := GetImportPreview(ctx, tx, id)
		if err != nil {
			return err
		}
		now := Now()
		if err := claimPreview(tx, p.ID, p.Problems, now); err != nil {
			return err
		}
		dir, err := directoryByEmail(ctx, tx)
		if err != nil {
			return err
		}
		// Checked again: the directory may have changed since the upload.
		if probs := checkAgainstDirectory(p.Rows, dir); len(probs) > 0 {
			return ErrImportHasProblems
		}
		hadAdmin, err := AdminExists(ctx, tx)
		if err != nil {
			return err
		}
		// First everyone, then the managers (a manager may come later in the file).
		for i := range p.Rows {
			r := &p.Rows[i]
			cur := dir[NormalizeEmail(r.Email)]
			if cur == nil {
				np := Person{Name: r.Name, Email: r.Email, Department: r.Department, JobTitle: r.JobTitle, Role: rowRole(*r, nil), Active: true, CreatedAt: now, UpdatedAt: now}
				if err := tx.Create(&np).Error; errors.Is(err, gorm.ErrDuplicatedKey) {
					// Added by hand since the directory was read.
					return FieldErrors{"email": "Someone with the address " + r.Email + " (line " + strconv.Itoa(r.Line) + ") was added to the directory meanwhile. Upload the file again to see what it would change now."}
				} else if err != nil {
					return fmt.Errorf("line %d: %w", r.Line, err)
				}
				dir[NormalizeEmail(r.Email)] = &np
				res.Created++
				continue
			}
			r.Action = "unchanged"
			role := rowRole(*r, cur)
			if cur.Name == r.Name && cur.Department == r.Department && cur.JobTitle == r.JobTitle && cur.Role == role {
				continue
			}
			if cur.Role != role {
				if err := Audit(ctx, tx, who, "person.role", "person", cur.ID, fmt.Sprintf("Role of %s changed from %s to %s by the directory import", cur.Name, cur.Role, role),
					map[string]string{"role": string(cur.Role)}, map[string]string{"role": string(role)}); err != nil {
					return err
				}
			}
			if err := tx.Model(&Person{}).Where("id = ?", cur.ID).Updates(map[string]any{"name": r.Name, "department": r.Department,
				"job_title": r.JobTitle, "role": role, "updated_at": now}).Error; err != nil {
				return fmt.Errorf("line %d: %w", r.Line, err)
			}
			cur.Name, cur.Department, cur.JobTitle, cur.Role = r.Name, r.Department, r.JobTitle, role
			r.Action = "update"
		}
		for i := range p.Rows {
			r := &p.Rows[i]
			cur := dir[NormalizeEmail(r.Email)]
			var want *uint
			if m := dir[NormalizeEmail(r.ManagerEmail)]; m != nil && r.ManagerEmail != "" {
				want = &m.ID
			}
			if sameID(cur.ManagerID, want) {
				continue
			}
			if err := tx.Model(&Person{}).Where("id = ?", cur.ID).Updates(map[string]any{"manager_id": want, "updated_at": now}).Error; err != nil {
				return fmt.Errorf("line %d: %w", r.Line, err)
			}
			cur.ManagerID = want
			if r.Action != "new" {
				r.Action = "update"
			}
		}
		if err := checkNoCycles(dir); err != nil {
			return err
		}
		if ok, err := AdminExists(ctx, tx); err != nil {
			return err
		} else if !ok && hadAdmin {
			return FieldErrors{"role": "This file would leave Summit without an admin. Keep at least one person's role as admin."}
		}
		for _, r := range p.Rows {
			if r.Action == "update" {
				res.Updated++
			}
		}
		res.Unchanged = len(p.Rows) - res.Created - res.Updated
		return Audit(ctx, tx, who, "directory.import", "import", p.ID,
			fmt.Sprintf("Imported %s: %d new, %d updated, %d unchanged", p.FileName, res.Created, res.Updated, res.Unchanged), nil, res)
	})
	if err != nil && !errors.Is(err, ErrImportHasProblems) && !errors.Is(err, ErrImportCommitted) && !errors.Is(err, ErrNotFound) && !errors.As(err, new(FieldErrors)) {
		err = fmt.Errorf("models: commit import %d: %w", id, err)
	}
	return res, err
}

// checkNoCycles refuses a manager chain that goes round in a circle.
func checkNoCycles(dir map[string]*Person) error {
	byID := map[uint]*Person{}
	for _, p := range dir {
		byID[p.ID] = p
	}
	for _, p := range byID {
		cur := p
		for steps := 0; cur.ManagerID != nil; steps++ {
			if *cur.ManagerID == p.ID || steps > len(byID) {
				return FieldErrors{"manager_email": p.Name + "'s managers go round in a circle. Fix the manager_email column and upload again."}
			}
			if cur = byID[*cur.ManagerID]; cur == nil {
				break
			}
		}
	}
	return nil
}

// DirectoryCSV is the directory in the import format, then the invitation
// and sign-in dates (DirectoryDateColumns): the header and one row per
// person, every cell guarded against formula injection.
func DirectoryCSV(ctx context.Context, db *gorm.DB) ([][]string, error) {
	dir, err := directoryByEmail(ctx, db)
	if err != nil {
		return nil, err
	}
	byID := map[uint]*Person{}
	for _, p := range dir {
		byID[p.ID] = p
	}
	people, err := ListPeople(ctx, db, PeopleFilter{})
	if err != nil {
		return nil, err
	}
	rows := [][]string{append(append([]string{}, DirectoryColumns...), DirectoryDateColumns...)}
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04")
	}
	for _, p := range people {
		mgr := ""
		if p.ManagerID != nil && byID[*p.ManagerID] != nil {
			mgr = byID[*p.ManagerID].Email
		}
		rows = append(rows, CSVRow(p.Name, p.Email, p.Department, p.JobTitle, mgr, string(p.Role), stamp(p.InvitedAt), stamp(p.SignedInAt)))
	}
	return rows, nil
}
