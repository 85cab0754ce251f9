package models

import (
	"context"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Role decides what a person may organise, stored as its string.
type Role string

// Roles. Everyone serves: a role decides what a person may organise, never
// whether they can be nominated, attend or judge.
const (
	RoleAdmin     Role = "admin"
	RoleOrganiser Role = "organiser"
	RoleStaff     Role = "staff"
)

// Roles lists the roles from least to most access.
var Roles = []Role{RoleStaff, RoleOrganiser, RoleAdmin}

// Person is an entry in the staff directory and, with a password, an account.
type Person struct {
	ID           uint `gorm:"primaryKey"`
	Name         string
	Email        string
	Department   string
	JobTitle     string
	ManagerID    *uint
	Role         Role
	Active       bool
	PasswordHash string `json:"-"`
	// InvitedAt is when an admin last invited the person to sign in;
	// SignedInAt when they last signed in (password or single sign-on).
	InvitedAt  *time.Time
	SignedInAt *time.Time
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName keeps the table name explicit.
func (Person) TableName() string { return "people" }

// IsOrganiser reports whether the person may organise summits.
func (p *Person) IsOrganiser() bool {
	return p != nil && (p.Role == RoleOrganiser || p.Role == RoleAdmin)
}

// IsAdmin reports whether the person administers people and roles.
func (p *Person) IsAdmin() bool { return p != nil && p.Role == RoleAdmin }

// PersonInput is what an admin types for a directory entry.
type PersonInput struct {
	Name       string
	Email      string
	Department string
	JobTitle   string
	ManagerID  *uint
	Role       Role
	Active     bool
}

// NormalizeEmail trims an address and lower-cases it, for comparison.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s looks like a single plain email address.
func ValidEmail(s string) bool {
	if s == "" || len(s) > 254 || strings.ContainsAny(s, " <>\"") {
		return false
	}
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && strings.Contains(s[strings.LastIndex(s, "@"):], ".")
}

func (in PersonInput) validate() (Person, FieldErrors) {
	f := FieldErrors{}
	p := Person{Active: in.Active, ManagerID: in.ManagerID}
	p.Name = checkLine(f, "name", "Name", in.Name, true, 120)
	p.Email = strings.TrimSpace(in.Email)
	if !ValidEmail(p.Email) {
		f.Add("email", "Enter an email address like zoe.olberg@example.com.")
	}
	p.Department = checkLine(f, "department", "Department", in.Department, false, 120)
	p.JobTitle = checkLine(f, "job_title", "Job title", in.JobTitle, false, 120)
	p.Role = Role(strings.TrimSpace(string(in.Role)))
	if p.Role == "" {
		p.Role = RoleStaff
	}
	if p.Role != RoleStaff && p.Role != RoleOrganiser && p.Role != RoleAdmin {
		f.Add("role", "Role must be staff, organiser or admin.")
	}
	return p, f
}

// CreatePerson adds a person to the directory. Audited.
func CreatePerson(ctx context.Context, db *gorm.DB, who Actor, in PersonInput) (*Person, error) {
	var out *Person
	err := inTx(ctx, db, "create person", func(tx *gorm.DB) error {
		var err error
		if out, err = createPerson(ctx, tx, in); err != nil {
			return err
		}
		return Audit(ctx, tx, who, "person.create", "person", out.ID, "Added "+out.Name+" <"+out.Email+"> as "+string(out.Role), nil, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// createPerson validates and stores a directory entry; its caller audits.
func createPerson(ctx context.Context, tx *gorm.DB, in PersonInput) (*Person, error) {
	p, f := in.validate()
	if err := checkManager(ctx, tx, f, 0, p.ManagerID); err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := tx.Create(&p).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, FieldErrors{"email": "Someone in the directory already has the address " + p.Email + "."}
		}
		return nil, err
	}
	return &p, nil
}

// lockDirectory is the name of the lock that changes of roles and of who is
// active take (see lockNamed), so the rule "Summit keeps an active admin"
// is checked and kept in one step even when two admins act at once.
const lockDirectory = "directory"

// UpdatePerson changes a directory entry. A person cannot be their own
// manager, nor the manager of their own manager chain. The last active
// admin cannot be demoted or deactivated: the check and the change happen
// under one lock, so two admins demoting each other at once leave one.
// Audited: the edit, and a role change and a deactivation as such.
func UpdatePerson(ctx context.Context, db *gorm.DB, who Actor, id uint, in PersonInput) (*Person, error) {
	var out *Person
	err := inTx(ctx, db, fmt.Sprintf("update person %d", id), func(tx *gorm.DB) error {
		if err := lockNamed(tx, lockDirectory); err != nil {
			return err
		}
		before, err := GetPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		if out, err = updatePerson(ctx, tx, id, in); err != nil {
			return err
		}
		return auditPersonChange(ctx, tx, who, before, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// auditPersonChange records an edit of a directory entry, and a change of
// role and a deactivation as events of their own.
func auditPersonChange(ctx context.Context, tx *gorm.DB, who Actor, before, after *Person) error {
	if err := Audit(ctx, tx, who, "person.update", "person", after.ID, "Edited "+after.Name, before, after); err != nil {
		return err
	}
	if before.Role != after.Role {
		if err := Audit(ctx, tx, who, "person.role", "person", after.ID, fmt.Sprintf("Role of %s changed from %s to %s", after.Name, before.Role, after.Role),
			map[string]string{"role": string(before.Role)}, map[string]string{"role": string(after.Role)}); err != nil {
			return err
		}
	}
	if before.Active && !after.Active {
		return Audit(ctx, tx, who, "person.deactivate", "person", after.ID, "Deactivated "+after.Name+" and ended their sessions", before, after)
	}
	return nil
}

// updatePerson applies UpdatePerson's rules inside its transaction; the
// caller audits.
func updatePerson(ctx context.Context, tx *gorm.DB, id uint, in PersonInput) (*Person, error) {
	p, f := in.validate()
	if err := lockNamed(tx, lockDirectory); err != nil {
		return nil, err
	}
	if err := checkManager(ctx, tx, f, id, p.ManagerID); err != nil {
		return nil, err
	}
	cur, err := GetPerson(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if cur.Role == RoleAdmin && cur.Active && (p.Role != RoleAdmin || !p.Active) {
		var others int64
		if err := tx.Model(&Person{}).Where("role = ? AND active = ? AND id <> ?", RoleAdmin, true, id).Count(&others).Error; err != nil {
			return nil, err
		}
		if others == 0 {
			f.Add("role", cur.Name+" is the only admin. Make someone else an admin first, so Summit keeps one.")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = tx.Model(cur).Select("name", "email", "department", "job_title", "manager_id", "role", "active", "updated_at").Updates(&p).Error
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, FieldErrors{"email": "Someone in the directory already has the address " + p.Email + "."}
	}
	if err != nil {
		return nil, err
	}
	if !p.Active {
		if err := EndAllLoginSessions(ctx, tx, id); err != nil {
			return nil, err
		}
	}
	return GetPerson(ctx, tx, id)
}

// checkManager records a message when the manager does not exist, is the
// person themselves, or reports (through any chain) to the person.
func checkManager(ctx context.Context, db *gorm.DB, f FieldErrors, id uint, managerID *uint) error {
	if managerID == nil {
		return nil
	}
	if id != 0 && *managerID == id {
		f.Add("manager_id", "A person cannot be their own manager.")
		return nil
	}
	m, err := GetPerson(ctx, db, *managerID)
	if errors.Is(err, ErrNotFound) {
		f.Add("manager_id", "That manager is not in the directory. Pick someone from the list.")
		return nil
	}
	if err != nil {
		return err
	}
	for steps := 0; id != 0 && m.ManagerID != nil && steps < 1000; steps++ {
		if *m.ManagerID == id {
			f.Add("manager_id", "That manager reports to this person, so the org chart would go round in a circle. Pick someone else.")
			return nil
		}
		if m, err = GetPerson(ctx, db, *m.ManagerID); err != nil {
			return notFoundOK(err)
		}
	}
	return nil
}

func notFoundOK(err error) error {
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// DeactivatePerson marks a person inactive and ends their sessions on every
// instance; they stay in the directory and in past records. Audited.
func DeactivatePerson(ctx context.Context, db *gorm.DB, who Actor, id uint) (*Person, error) {
	cur, err := GetPerson(ctx, db, id)
	if err != nil {
		return nil, err
	}
	return UpdatePerson(ctx, db, who, id, PersonInput{Name: cur.Name, Email: cur.Email, Department: cur.Department,
		JobTitle: cur.JobTitle, ManagerID: cur.ManagerID, Role: cur.Role, Active: false})
}

// CountPeople counts directory entries matching a filter (ignoring Limit).
func CountPeople(ctx context.Context, db *gorm.DB, f PeopleFilter) (int64, error) {
	var n int64
	err := peopleQuery(ctx, db, f).Count(&n).Error
	return n, err
}

// GetPerson loads a person by id.
func GetPerson(ctx context.Context, db *gorm.DB, id uint) (*Person, error) {
	var p Person
	if err := withCtx(ctx, db).First(&p, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// PersonByEmail finds a person by email, ignoring case.
func PersonByEmail(ctx context.Context, db *gorm.DB, email string) (*Person, error) {
	var p Person
	if err := withCtx(ctx, db).Where("lower(email) = ?", NormalizeEmail(email)).First(&p).Error; err != nil {
		return nil, notFound(err)
	}
	return &p, nil
}

// PeopleFilter narrows the directory list.
type PeopleFilter struct {
	Query      string // part of a name or email
	Department string
	ActiveOnly bool
	Role       string
	Limit      int
	Offset     int
}

// ListPeople returns directory entries by name.
func ListPeople(ctx context.Context, db *gorm.DB, f PeopleFilter) ([]Person, error) {
	q := peopleQuery(ctx, db, f)
	if f.Limit > 0 {
		q = q.Limit(f.Limit)
	}
	if f.Offset > 0 {
		q = q.Offset(f.Offset)
	}
	var out []Person
	err := q.Order("name, id").Find(&out).Error
	return out, err
}

func peopleQuery(ctx context.Context, db *gorm.DB, f PeopleFilter) *gorm.DB {
	q := withCtx(ctx, db).Model(&Person{})
	if s := strings.TrimSpace(f.Query); len(s) > 254 {
		q = q.Where("1 = 0") // longer than any name or address: nothing matches (SQLite refuses LIKE patterns past 50,000 bytes)
	} else if s != "" {
		like := "%" + strings.ToLower(strings.NewReplacer("%", "", "_", "").Replace(s)) + "%"
		q = q.Where("lower(name) LIKE ? OR lower(email) LIKE ? OR lower(department) LIKE ?", like, like, like)
	}
	if f.Department != "" {
		q = q.Where("department = ?", f.Department)
	}
	if f.ActiveOnly {
		q = q.Where("active = ?", true)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	return q
}

// Departments lists the distinct departments in the directory.
func Departments(ctx context.Context, db *gorm.DB) ([]string, error) {
	var out []string
	err := withCtx(ctx, db).Model(&Person{}).Where("department <> ''").Distinct().Order("department").Pluck("department", &out).Error
	return out, err
}
