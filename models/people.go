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

// Roles. Everyone serves: a role decides what a person may organise, never
// whether they can be nominated, attend or judge.
const (
	RoleAdmin     = "admin"
	RoleOrganiser = "organiser"
	RoleStaff     = "staff"
)

// Roles lists the roles from least to most access.
var Roles = []string{RoleStaff, RoleOrganiser, RoleAdmin}

// Person is an entry in the staff directory and, with a password, an account.
type Person struct {
	ID           uint `gorm:"primaryKey"`
	Name         string
	Email        string
	Department   string
	JobTitle     string
	ManagerID    *uint
	Role         string
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
	Role       string
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
	p.Role = strings.TrimSpace(in.Role)
	if p.Role == "" {
		p.Role = RoleStaff
	}
	if p.Role != RoleStaff && p.Role != RoleOrganiser && p.Role != RoleAdmin {
		f.Add("role", "Role must be staff, organiser or admin.")
	}
	return p, f
}

// CreatePerson adds a person to the directory.
func CreatePerson(ctx context.Context, db *gorm.DB, in PersonInput) (*Person, error) {
	p, f := in.validate()
	if err := checkManager(ctx, db, f, 0, p.ManagerID); err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := withCtx(ctx, db).Create(&p).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, FieldErrors{"email": "Someone in the directory already has the address " + p.Email + "."}
		}
		return nil, fmt.Errorf("models: create person: %w", err)
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
func UpdatePerson(ctx context.Context, db *gorm.DB, id uint, in PersonInput) (*Person, error) {
	p, f := in.validate()
	var out *Person
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := lockNamed(tx, lockDirectory); err != nil {
			return err
		}
		if err := checkManager(ctx, tx, f, id, p.ManagerID); err != nil {
			return err
		}
		cur, err := GetPerson(ctx, tx, id)
		if err != nil {
			return err
		}
		if cur.Role == RoleAdmin && cur.Active && (p.Role != RoleAdmin || !p.Active) {
			var others int64
			if err := tx.Model(&Person{}).Where("role = ? AND active = ? AND id <> ?", RoleAdmin, true, id).Count(&others).Error; err != nil {
				return err
			}
			if others == 0 {
				f.Add("role", cur.Name+" is the only admin. Make someone else an admin first, so Summit keeps one.")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		err = tx.Model(cur).Select("name", "email", "department", "job_title", "manager_id", "role", "active", "updated_at").Updates(&p).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return FieldErrors{"email": "Someone in the directory already has the address " + p.Email + "."}
		}
		if err != nil {
			return err
		}
		if !p.Active {
			if err := EndAllLoginSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		out, err = GetPerson(ctx, tx, id)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.As(err, new(FieldErrors)) {
		return nil, fmt.Errorf("models: update person %d: %w", id, err)
	}
	return out, err
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
// instance; they stay in the directory and in past records.
func DeactivatePerson(ctx context.Context, db *gorm.DB, id uint) (*Person, error) {
	cur, err := GetPerson(ctx, db, id)
	if err != nil {
		return nil, err
	}
	return UpdatePerson(ctx, db, id, PersonInput{Name: cur.Name, Email: cur.Email, Department: cur.Department,
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
