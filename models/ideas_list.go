package models

// Ideas: submitting, listing and reading them, and the person's vote budget.
// See ideas.go for the rules of anonymity and locking.

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Idea is one idea for serving better.
type Idea struct {
	ID           uint `gorm:"primaryKey"`
	SummitID     uint
	AuthorID     uint `json:"-"` // never shown for an anonymous idea; see IdeaRow
	Anonymous    bool
	Title        string
	Change       string
	Helps        string
	Department   string // the department the idea concerns ("" none)
	Themes       string // comma-separated, as organisers tagged them
	HiddenReason string
	HiddenAt     *time.Time
	MergedIntoID *uint
	SessionID    *uint
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// ThemeList returns the idea's themes.
func (i *Idea) ThemeList() []string { return splitThemes(i.Themes) }

// Hidden reports whether organisers hid the idea.
func (i *Idea) Hidden() bool { return i.HiddenAt != nil }

// Open reports whether the idea takes votes (neither hidden nor merged).
func (i *Idea) Open() bool { return i.HiddenAt == nil && i.MergedIntoID == nil }

// IdeaInput is what a person types for an idea.
type IdeaInput struct {
	Title, Change, Helps, Department string
	Anonymous                        bool
}

// Idea field limits.
const (
	MaxIdeaTitle   = 120
	MaxIdeaChange  = 4000
	MaxIdeaComment = 2000
)

func (in IdeaInput) validate() (Idea, FieldErrors) {
	f := FieldErrors{}
	i := Idea{Anonymous: in.Anonymous}
	i.Title = checkLine(f, "title", "Title", in.Title, true, MaxIdeaTitle)
	i.Change = checkText(f, "change", "What would change", in.Change, true, MaxIdeaChange)
	i.Helps = strings.TrimSpace(in.Helps)
	switch i.Helps {
	case HelpsCustomers, HelpsColleagues, HelpsTeam:
	case "":
		f.Add("helps", "Say whom it helps: customers, colleagues or a team.")
	default:
		f.Add("helps", "Choose whom it helps from the list.")
	}
	i.Department = checkLine(f, "department", "Department", in.Department, false, 80)
	return i, f
}

// auditIdea is what an idea's audit events record: never its author.
type auditIdea struct {
	ID        uint
	Title     string
	Anonymous bool
	Themes    string `json:",omitempty"`
	SessionID *uint  `json:",omitempty"`
}

func ideaAudit(i *Idea) auditIdea {
	return auditIdea{ID: i.ID, Title: i.Title, Anonymous: i.Anonymous, Themes: i.Themes, SessionID: i.SessionID}
}

// SubmitIdea stores a person's idea while the summit takes ideas. An idea
// posted without a name is audited without an actor or address.
func SubmitIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, authorID uint, in IdeaInput, now time.Time) (*Idea, error) {
	idea, f := in.validate()
	var out *Idea
	err := inTx(ctx, db, "submit idea", func(tx *gorm.DB) error {
		s, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		w, err := GetIdeaWindow(ctx, tx, s)
		if err != nil {
			return err
		}
		if !w.Open(now) {
			f.Add("idea", w.Describe(now))
		}
		if err := f.Err(); err != nil {
			return err
		}
		idea.SummitID, idea.AuthorID = s.ID, authorID
		idea.CreatedAt, idea.UpdatedAt = now.UTC(), now.UTC()
		if err := tx.Create(&idea).Error; err != nil {
			return fmt.Errorf("models: submit idea: %w", err)
		}
		out = &idea
		if idea.Anonymous {
			who = Actor{Name: "anonymous"}
		}
		return Audit(ctx, tx, who, "idea.create", "idea", idea.ID, "idea: "+idea.Title, nil, ideaAudit(&idea))
	})
	return out, err
}

// IdeaRow is an idea as a list or page shows it: votes, comments, whether
// the viewer voted, and the author only when the idea carries a name.
type IdeaRow struct {
	Idea
	Votes            int
	Comments         int
	MyVote           bool
	Mine             bool   // the viewer wrote it (even without a name)
	AuthorName       string // "" for an anonymous idea
	AuthorDepartment string // "" for an anonymous idea
	MergedIntoTitle  string
	SessionTitle     string
}

// IdeaFilter narrows a list of ideas.
type IdeaFilter struct {
	ViewerID      uint
	IncludeHidden bool   // organisers: hidden and merged ideas too
	Theme         string // only ideas tagged with it
	Sort          string // "votes" (default) or "new"
}

// ListIdeas returns a summit's ideas with their votes and comments. Staff
// see open ideas (and their own hidden ones); organisers may ask for all.
func ListIdeas(ctx context.Context, db *gorm.DB, summitID uint, f IdeaFilter) ([]IdeaRow, error) {
	tx := withCtx(ctx, db)
	var ideas []Idea
	q := tx.Where("summit_id = ?", summitID)
	if !f.IncludeHidden {
		q = q.Where("merged_into_id IS NULL AND (hidden_at IS NULL OR author_id = ?)", f.ViewerID)
	}
	if err := q.Order("created_at DESC, id DESC").Find(&ideas).Error; err != nil {
		return nil, fmt.Errorf("models: list ideas of %d: %w", summitID, err)
	}
	rows, err := ideaRows(tx, ideas, f.ViewerID)
	if err != nil {
		return nil, err
	}
	if f.Theme != "" {
		out := rows[:0]
		for _, r := range rows {
			for _, th := range r.ThemeList() {
				if strings.EqualFold(th, f.Theme) {
					out = append(out, r)
					break
				}
			}
		}
		rows = out
	}
	if f.Sort != "new" {
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].Votes > rows[j].Votes })
	}
	return rows, nil
}

// ideaRows adds votes, comments, authors, merge targets and sessions to
// ideas, in a fixed number of statements.
func ideaRows(tx *gorm.DB, ideas []Idea, viewerID uint) ([]IdeaRow, error) {
	rows := make([]IdeaRow, len(ideas))
	if len(ideas) == 0 {
		return rows, nil
	}
	ids := make([]uint, len(ideas))
	var authors, merged, sessions []uint
	for i, idea := range ideas {
		ids[i] = idea.ID
		rows[i] = IdeaRow{Idea: idea, Mine: viewerID != 0 && idea.AuthorID == viewerID}
		if !idea.Anonymous {
			authors = append(authors, idea.AuthorID)
		}
		if idea.MergedIntoID != nil {
			merged = append(merged, *idea.MergedIntoID)
		}
		if idea.SessionID != nil {
			sessions = append(sessions, *idea.SessionID)
		}
	}
	vm, err := countsByID(tx, "SELECT idea_id AS id, COUNT(*) AS n FROM idea_votes WHERE idea_id IN ? GROUP BY idea_id", ids)
	if err != nil {
		return nil, err
	}
	cm, err := countsByID(tx, "SELECT idea_id AS id, COUNT(*) AS n FROM idea_comments WHERE idea_id IN ? GROUP BY idea_id", ids)
	if err != nil {
		return nil, err
	}
	mm := map[uint]bool{}
	if viewerID != 0 {
		if mm, err = idSet(tx, "SELECT idea_id FROM idea_votes WHERE person_id = ? AND idea_id IN ?", viewerID, ids); err != nil {
			return nil, err
		}
	}
	people := map[uint]Person{}
	if len(authors) > 0 {
		var list []Person
		if err := tx.Select("id, name, department").Where("id IN ?", authors).Find(&list).Error; err != nil {
			return nil, err
		}
		for _, p := range list {
			people[p.ID] = p
		}
	}
	titles, err := titlesByID(tx, &Idea{}, merged)
	if err != nil {
		return nil, err
	}
	sessTitles, err := titlesByID(tx, &Session{}, sessions)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		r := &rows[i]
		r.Votes, r.Comments, r.MyVote = vm[r.ID], cm[r.ID], mm[r.ID]
		if !r.Anonymous {
			p := people[r.AuthorID]
			r.AuthorName, r.AuthorDepartment = p.Name, p.Department
		}
		if r.MergedIntoID != nil {
			r.MergedIntoTitle = titles[*r.MergedIntoID]
		}
		if r.SessionID != nil {
			r.SessionTitle = sessTitles[*r.SessionID]
		}
	}
	return rows, nil
}

// IdeaComment is one comment on an idea (comments always carry a name).
type IdeaComment struct {
	ID        uint `gorm:"primaryKey"`
	IdeaID    uint
	AuthorID  uint
	Body      string
	CreatedAt time.Time
	Author    *Person `gorm:"foreignKey:AuthorID" json:"-"`
}

// IdeaPage is one idea with its comments, as the viewer may see it.
type IdeaPage struct {
	Summit   *Summit
	Row      IdeaRow
	Comments []IdeaComment
}

// GetIdea returns one idea of a summit with its comments. A hidden idea is
// ErrNotFound except for its author and organisers (mayModerate).
func GetIdea(ctx context.Context, db *gorm.DB, summitID, ideaID, viewerID uint, mayModerate bool) (*IdeaPage, error) {
	tx := withCtx(ctx, db)
	s, err := loadSummit(tx, summitID)
	if err != nil {
		return nil, err
	}
	var idea Idea
	if err := tx.Where("summit_id = ?", summitID).First(&idea, ideaID).Error; err != nil {
		return nil, notFound(err)
	}
	if idea.Hidden() && !mayModerate && idea.AuthorID != viewerID {
		return nil, ErrNotFound
	}
	rows, err := ideaRows(tx, []Idea{idea}, viewerID)
	if err != nil {
		return nil, err
	}
	p := &IdeaPage{Summit: s, Row: rows[0]}
	if err := tx.Preload("Author").Where("idea_id = ?", idea.ID).Order("created_at, id").Find(&p.Comments).Error; err != nil {
		return nil, err
	}
	return p, nil
}

// IdeaBudget is how many of a person's votes are used and left in a summit.
type IdeaBudget struct {
	Used, Budget int
}

// Left is how many votes the person may still give.
func (b IdeaBudget) Left() int {
	if b.Used >= b.Budget {
		return 0
	}
	return b.Budget - b.Used
}

// GetIdeaBudget counts a person's votes in a summit.
func GetIdeaBudget(ctx context.Context, db *gorm.DB, s *Summit, personID uint) (IdeaBudget, error) {
	w, err := GetIdeaWindow(ctx, db, s)
	if err != nil {
		return IdeaBudget{}, err
	}
	used, err := scalar(withCtx(ctx, db), "SELECT COUNT(*) FROM idea_votes WHERE summit_id = ? AND person_id = ?", s.ID, personID)
	return IdeaBudget{Used: int(used), Budget: w.Budget}, err
}

// refuseIdea is a refusal a person can read, shown beside the idea.
func refuseIdea(format string, args ...any) error {
	return FieldErrors{"vote": fmt.Sprintf(format, args...)}
}

// lockIdea loads an idea of a summit, locked against a merge on Postgres.
func lockIdea(tx *gorm.DB, summitID, ideaID uint, mode string) (*Idea, error) {
	q := tx.Where("summit_id = ?", summitID)
	if IsPostgres(tx) {
		q = q.Clauses(clause.Locking{Strength: mode})
	}
	var idea Idea
	if err := q.First(&idea, ideaID).Error; err != nil {
		return nil, notFound(err)
	}
	return &idea, nil
}
