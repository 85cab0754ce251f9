package models

// Ideas (the strategize pillar): from a time the organiser sets until the
// strategy workshop, anyone signed in submits an idea for serving better;
// everyone reads and comments on them and votes from a budget per summit
// (one vote per idea, movable until voting closes). Organisers merge
// duplicates, tag themes, hide abusive ideas (audited, with the reason) and
// shortlist ideas into strategy sessions.
//
// Anonymity: an idea posted without a name keeps author_id only in its row
// (so admins can moderate and its author can find it). Idea.AuthorID never
// reaches JSON, IdeaRow names no author for it, and its audit events carry
// no actor and no address.
//
// Locking: a vote locks the person's row (Postgres FOR NO KEY UPDATE, as
// Register does; SQLite transactions are IMMEDIATE and serialise anyway),
// so one person's parallel votes are counted against the budget one at a
// time; votes of different people never wait on each other, and a vote is a
// row of its own (no counter to lose an update). Merging locks both ideas;
// a vote takes the idea's lock after the person's, merging takes no person
// lock, so no two transactions wait on each other in a circle.

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// DefaultVoteBudget is how many votes each person has per summit unless an
// organiser sets another number.
const DefaultVoteBudget = 5

// MaxVoteBudget bounds the budget an organiser may set.
const MaxVoteBudget = 50

// Whom an idea helps.
const (
	HelpsCustomers  = "customers"
	HelpsColleagues = "colleagues"
	HelpsTeam       = "team"
)

// HelpsOptions are the answers to "whom does it help", in form order.
var HelpsOptions = []string{HelpsCustomers, HelpsColleagues, HelpsTeam}

// HelpsLabel says whom an idea helps in words.
func HelpsLabel(v string) string {
	switch v {
	case HelpsCustomers:
		return "Customers"
	case HelpsColleagues:
		return "Colleagues (people we serve inside the company)"
	case HelpsTeam:
		return "A team"
	}
	return v
}

// IdeaSettings is what an organiser set for a summit's ideas.
type IdeaSettings struct {
	SummitID   uint `gorm:"primaryKey;autoIncrement:false"`
	OpensAt    time.Time
	ClosesAt   time.Time
	VoteBudget int
	UpdatedAt  time.Time
}

// TableName names the idea settings table.
func (IdeaSettings) TableName() string { return "idea_settings" }

// IdeaWindow is when a summit takes ideas and votes, and the vote budget.
type IdeaWindow struct {
	OpensAt, ClosesAt time.Time // UTC
	Budget            int
	Set               bool // an organiser opened ideas for this summit
	Loc               *time.Location
}

// Open reports whether ideas and votes are taken at now.
func (w IdeaWindow) Open(now time.Time) bool {
	return w.Set && !now.Before(w.OpensAt) && now.Before(w.ClosesAt)
}

// Describe says in a sentence when ideas are taken.
func (w IdeaWindow) Describe(now time.Time) string {
	switch {
	case !w.Set:
		return "The organisers have not opened ideas for this summit yet."
	case now.Before(w.OpensAt):
		return "Ideas and votes open on " + fmtInstant(w.OpensAt, w.Loc) + "."
	case now.Before(w.ClosesAt):
		return "Ideas and votes are open until " + fmtInstant(w.ClosesAt, w.Loc) + " (the strategy workshop)."
	}
	return "Ideas and votes closed on " + fmtInstant(w.ClosesAt, w.Loc) + "."
}

// GetIdeaWindow reads a summit's idea window (not Set when no organiser has
// opened ideas).
func GetIdeaWindow(ctx context.Context, db *gorm.DB, s *Summit) (IdeaWindow, error) {
	w := IdeaWindow{Budget: DefaultVoteBudget, Loc: s.Location(), ClosesAt: s.Start()}
	var rows []IdeaSettings
	if err := withCtx(ctx, db).Where("summit_id = ?", s.ID).Limit(1).Find(&rows).Error; err != nil {
		return w, fmt.Errorf("models: idea window %d: %w", s.ID, err)
	}
	if len(rows) == 1 {
		w.OpensAt, w.ClosesAt, w.Budget, w.Set = rows[0].OpensAt.UTC(), rows[0].ClosesAt.UTC(), rows[0].VoteBudget, true
	}
	return w, nil
}

// StrategySessions are a summit's sessions on a strategize track, in time
// order: the ones ideas can be shortlisted into.
func StrategySessions(ctx context.Context, db *gorm.DB, summitID uint) ([]Session, error) {
	var out []Session
	err := withCtx(ctx, db).Joins("JOIN tracks ON tracks.id = sessions.track_id").
		Where("sessions.summit_id = ? AND tracks.pillar = ? AND sessions.kind <> ?", summitID, PillarStrategize, KindBreak).
		Order("sessions.starts_at, sessions.id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: strategy sessions of %d: %w", summitID, err)
	}
	return out, nil
}

// DefaultIdeasClose is when ideas close unless an organiser says otherwise:
// the start of the summit's first strategy workshop (a training or panel on
// a strategize track whose title names a workshop), else its first
// strategize session, else the summit's start.
func DefaultIdeasClose(ctx context.Context, db *gorm.DB, s *Summit) (time.Time, error) {
	list, err := StrategySessions(ctx, db, s.ID)
	if err != nil {
		return time.Time{}, err
	}
	for _, x := range list {
		if strings.Contains(strings.ToLower(x.Title), "workshop") {
			return x.StartsAt.UTC(), nil
		}
	}
	for _, x := range list {
		if x.Kind != KindKeynote {
			return x.StartsAt.UTC(), nil
		}
	}
	return s.Start().UTC(), nil
}

// IdeaSettingsInput is what an organiser types: opening and closing day and
// time in the summit's zone, and each person's vote budget.
type IdeaSettingsInput struct {
	OpensDay, OpensTime, ClosesDay, ClosesTime, Budget string
}

// SetIdeaSettings validates and stores when a summit takes ideas and votes
// and the vote budget, audited.
func SetIdeaSettings(ctx context.Context, db *gorm.DB, who Actor, summitID uint, in IdeaSettingsInput, now time.Time) (IdeaWindow, error) {
	var w IdeaWindow
	err := inTx(ctx, db, "idea settings", func(tx *gorm.DB) error {
		s, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		f := FieldErrors{}
		loc := s.Location()
		opensAt := momentField{Day: "opens_day", Time: "opens_time", Label: "Opening", ExampleDay: s.StartDate}.parse(f, loc, in.OpensDay, in.OpensTime, true)
		closesAt := momentField{Day: "closes_day", Time: "closes_time", Label: "Closing", ExampleDay: s.StartDate}.parse(f, loc, in.ClosesDay, in.ClosesTime, true)
		var opens, closes time.Time
		if opensAt != nil {
			opens = *opensAt
		}
		if closesAt != nil {
			closes = *closesAt
		}
		if !opens.IsZero() && !closes.IsZero() && !closes.After(opens) {
			f.Add("closes_day", "Ideas must close after they open.")
		}
		budget, err := strconv.Atoi(strings.TrimSpace(in.Budget))
		switch {
		case strings.TrimSpace(in.Budget) == "":
			f.Add("budget", fmt.Sprintf("Say how many votes each person has, for example %d.", DefaultVoteBudget))
		case err != nil:
			f.Add("budget", "Votes per person must be a whole number like 5.")
		case budget < 1 || budget > MaxVoteBudget:
			f.Add("budget", fmt.Sprintf("Votes per person must be between 1 and %d.", MaxVoteBudget))
		}
		if err := f.Err(); err != nil {
			return err
		}
		before, err := GetIdeaWindow(ctx, tx, s)
		if err != nil {
			return err
		}
		row := IdeaSettings{SummitID: s.ID, OpensAt: opens, ClosesAt: closes, VoteBudget: budget, UpdatedAt: now.UTC()}
		if err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "summit_id"}}, UpdateAll: true}).Create(&row).Error; err != nil {
			return fmt.Errorf("models: idea settings %d: %w", s.ID, err)
		}
		w = IdeaWindow{OpensAt: opens, ClosesAt: closes, Budget: budget, Set: true, Loc: loc}
		var b any
		if before.Set {
			b = before
		}
		return Audit(ctx, tx, who, "ideas.settings", "summit", s.ID, "ideas open "+fmtInstant(opens, loc)+", close "+fmtInstant(closes, loc)+fmt.Sprintf(", %d votes each", budget), b, w)
	})
	return w, err
}

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
	type count struct {
		IdeaID uint
		N      int
	}
	var votes, comments []count
	if err := tx.Raw("SELECT idea_id, COUNT(*) AS n FROM idea_votes WHERE idea_id IN ? GROUP BY idea_id", ids).Scan(&votes).Error; err != nil {
		return nil, err
	}
	if err := tx.Raw("SELECT idea_id, COUNT(*) AS n FROM idea_comments WHERE idea_id IN ? GROUP BY idea_id", ids).Scan(&comments).Error; err != nil {
		return nil, err
	}
	var mine []uint
	if viewerID != 0 {
		if err := tx.Raw("SELECT idea_id FROM idea_votes WHERE person_id = ? AND idea_id IN ?", viewerID, ids).Scan(&mine).Error; err != nil {
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
	titles := map[uint]string{}
	if len(merged) > 0 {
		var list []Idea
		if err := tx.Select("id, title").Where("id IN ?", merged).Find(&list).Error; err != nil {
			return nil, err
		}
		for _, x := range list {
			titles[x.ID] = x.Title
		}
	}
	sessTitles := map[uint]string{}
	if len(sessions) > 0 {
		var list []Session
		if err := tx.Select("id, title").Where("id IN ?", sessions).Find(&list).Error; err != nil {
			return nil, err
		}
		for _, x := range list {
			sessTitles[x.ID] = x.Title
		}
	}
	vm, cm, mm := map[uint]int{}, map[uint]int{}, map[uint]bool{}
	for _, v := range votes {
		vm[v.IdeaID] = v.N
	}
	for _, c := range comments {
		cm[c.IdeaID] = c.N
	}
	for _, id := range mine {
		mm[id] = true
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

// Vote gives an idea one of the person's votes while voting is open. It
// refuses (FieldErrors "vote") when the person has no vote left, already
// voted for it, or the idea is hidden or merged.
func Vote(ctx context.Context, db *gorm.DB, summitID, ideaID, personID uint, now time.Time) error {
	return inTx(ctx, db, "vote", func(tx *gorm.DB) error {
		if err := lockRow(tx, "people", personID); err != nil {
			return err
		}
		s, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		idea, err := lockIdea(tx, summitID, ideaID, "SHARE")
		if err != nil {
			return err
		}
		w, err := GetIdeaWindow(ctx, tx, s)
		if err != nil {
			return err
		}
		if !w.Open(now) {
			return refuseIdea("%s", w.Describe(now))
		}
		if !idea.Open() {
			return refuseIdea("This idea no longer takes votes.")
		}
		var mine int64
		if err := tx.Raw("SELECT COUNT(*) FROM idea_votes WHERE idea_id = ? AND person_id = ?", ideaID, personID).Scan(&mine).Error; err != nil {
			return err
		}
		if mine > 0 {
			return refuseIdea("You already voted for this idea.")
		}
		used, err := scalar(tx, "SELECT COUNT(*) FROM idea_votes WHERE summit_id = ? AND person_id = ?", summitID, personID)
		if err != nil {
			return err
		}
		if int(used) >= w.Budget {
			return refuseIdea("You have used all %d of your votes. Take one back from another idea to vote for this one.", w.Budget)
		}
		if err := tx.Exec("INSERT INTO idea_votes (idea_id, person_id, summit_id, created_at) VALUES (?, ?, ?, ?)", ideaID, personID, summitID, now.UTC()).Error; err != nil {
			return fmt.Errorf("models: vote for idea %d: %w", ideaID, err)
		}
		return nil
	})
}

// Unvote takes a person's vote back from an idea while voting is open.
func Unvote(ctx context.Context, db *gorm.DB, summitID, ideaID, personID uint, now time.Time) error {
	return inTx(ctx, db, "take back a vote", func(tx *gorm.DB) error {
		if err := lockRow(tx, "people", personID); err != nil {
			return err
		}
		s, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		if _, err := lockIdea(tx, summitID, ideaID, "SHARE"); err != nil {
			return err
		}
		w, err := GetIdeaWindow(ctx, tx, s)
		if err != nil {
			return err
		}
		if !w.Open(now) {
			return refuseIdea("%s Votes can no longer be moved.", w.Describe(now))
		}
		res := tx.Exec("DELETE FROM idea_votes WHERE idea_id = ? AND person_id = ?", ideaID, personID)
		if res.Error != nil {
			return fmt.Errorf("models: take back vote for idea %d: %w", ideaID, res.Error)
		}
		if res.RowsAffected == 0 {
			return refuseIdea("You had not voted for this idea.")
		}
		return nil
	})
}

// CommentOnIdea adds a person's comment to an idea that is not hidden.
func CommentOnIdea(ctx context.Context, db *gorm.DB, summitID, ideaID, personID uint, body string, now time.Time) (*IdeaComment, error) {
	f := FieldErrors{}
	body = checkText(f, "body", "Comment", body, true, MaxIdeaComment)
	var out *IdeaComment
	err := inTx(ctx, db, "comment on an idea", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "SHARE")
		if err != nil {
			return err
		}
		if !idea.Open() {
			f.Add("body", "This idea no longer takes comments.")
		}
		if err := f.Err(); err != nil {
			return err
		}
		c := IdeaComment{IdeaID: idea.ID, AuthorID: personID, Body: body, CreatedAt: now.UTC()}
		if err := tx.Create(&c).Error; err != nil {
			return fmt.Errorf("models: comment on idea %d: %w", ideaID, err)
		}
		out = &c
		return nil
	})
	return out, err
}

// ErrIdeaMerge is a merge that cannot be done (into itself, or into an
// idea that is itself merged or hidden).
var ErrIdeaMerge = errors.New("models: ideas cannot be merged so")

// MergeIdeas merges a duplicate into another idea of the same summit: its
// votes move (a person who voted for both keeps one vote, and gets the other
// back), its comments move, and it is kept as "merged into" the other.
// Audited. Returns how many votes moved.
func MergeIdeas(ctx context.Context, db *gorm.DB, who Actor, summitID, fromID, intoID uint, now time.Time) (int, error) {
	if fromID == intoID {
		return 0, FieldErrors{"into_id": "Choose another idea to merge this one into."}
	}
	moved := 0
	err := inTx(ctx, db, "merge ideas", func(tx *gorm.DB) error {
		// Lock both in id order, so two merges never wait on each other in a circle.
		first, second := fromID, intoID
		if second < first {
			first, second = second, first
		}
		a, err := lockIdea(tx, summitID, first, "UPDATE")
		if err != nil {
			return err
		}
		b, err := lockIdea(tx, summitID, second, "UPDATE")
		if err != nil {
			return err
		}
		from, into := a, b
		if from.ID != fromID {
			from, into = b, a
		}
		if !from.Open() {
			return FieldErrors{"into_id": "This idea is already merged or hidden."}
		}
		if !into.Open() {
			return FieldErrors{"into_id": "The idea to merge into is itself merged or hidden; choose another."}
		}
		if err := tx.Exec("DELETE FROM idea_votes WHERE idea_id = ? AND person_id IN (SELECT person_id FROM idea_votes WHERE idea_id = ?)", from.ID, into.ID).Error; err != nil {
			return err
		}
		res := tx.Exec("UPDATE idea_votes SET idea_id = ? WHERE idea_id = ?", into.ID, from.ID)
		if res.Error != nil {
			return res.Error
		}
		moved = int(res.RowsAffected)
		if err := tx.Exec("UPDATE idea_comments SET idea_id = ? WHERE idea_id = ?", into.ID, from.ID).Error; err != nil {
			return err
		}
		themes := joinThemes(append(splitThemes(into.Themes), splitThemes(from.Themes)...))
		if err := tx.Model(&Idea{}).Where("id = ?", into.ID).Updates(map[string]any{"themes": themes, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		if err := tx.Model(&Idea{}).Where("id = ?", from.ID).Updates(map[string]any{"merged_into_id": into.ID, "session_id": nil, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.merge", "idea", from.ID, fmt.Sprintf("merged %q into %q (%d votes moved)", from.Title, into.Title, moved), ideaAudit(from), ideaAudit(into))
	})
	return moved, err
}

func splitThemes(s string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range strings.Split(s, ",") {
		t = strings.Join(strings.Fields(t), " ")
		if t == "" || seen[strings.ToLower(t)] {
			continue
		}
		seen[strings.ToLower(t)] = true
		out = append(out, t)
	}
	return out
}

func joinThemes(list []string) string {
	return strings.Join(splitThemes(strings.Join(list, ",")), ", ")
}

// TagIdea sets an idea's themes (comma-separated), audited.
func TagIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, ideaID uint, themes string, now time.Time) error {
	f := FieldErrors{}
	themes = checkLine(f, "themes", "Themes", themes, false, 200)
	if err := f.Err(); err != nil {
		return err
	}
	return inTx(ctx, db, "tag an idea", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "UPDATE")
		if err != nil {
			return err
		}
		before := ideaAudit(idea)
		idea.Themes = joinThemes(splitThemes(themes))
		if err := tx.Model(&Idea{}).Where("id = ?", idea.ID).Updates(map[string]any{"themes": idea.Themes, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.themes", "idea", idea.ID, "themes of "+idea.Title+": "+idea.Themes, before, ideaAudit(idea))
	})
}

// HideIdea hides an abusive idea with a reason (required), audited. Its
// votes are given back to the people who gave them, and it leaves any
// session's shortlist.
func HideIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, ideaID uint, reason string, now time.Time) error {
	f := FieldErrors{}
	reason = checkLine(f, "reason", "Reason", reason, true, 300)
	if err := f.Err(); err != nil {
		return err
	}
	return inTx(ctx, db, "hide an idea", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "UPDATE")
		if err != nil {
			return err
		}
		if idea.Hidden() {
			return FieldErrors{"reason": "This idea is already hidden."}
		}
		res := tx.Exec("DELETE FROM idea_votes WHERE idea_id = ?", idea.ID)
		if res.Error != nil {
			return res.Error
		}
		t := now.UTC()
		if err := tx.Model(&Idea{}).Where("id = ?", idea.ID).Updates(map[string]any{"hidden_at": t, "hidden_reason": reason, "session_id": nil, "updated_at": t}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.hide", "idea", idea.ID, fmt.Sprintf("hid %q: %s (%d votes given back)", idea.Title, reason, res.RowsAffected), ideaAudit(idea), map[string]any{"reason": reason})
	})
}

// UnhideIdea shows a hidden idea again (its votes stay given back), audited.
func UnhideIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, ideaID uint, now time.Time) error {
	return inTx(ctx, db, "show an idea again", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "UPDATE")
		if err != nil {
			return err
		}
		if !idea.Hidden() {
			return nil
		}
		if err := tx.Model(&Idea{}).Where("id = ?", idea.ID).Updates(map[string]any{"hidden_at": nil, "hidden_reason": "", "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.unhide", "idea", idea.ID, "showed "+idea.Title+" again", map[string]any{"reason": idea.HiddenReason}, nil)
	})
}

// ShortlistIdea puts an idea on a strategy session's shortlist (sessionID
// 0 takes it off), audited. The session must be on a strategize track of
// the same summit.
func ShortlistIdea(ctx context.Context, db *gorm.DB, who Actor, summitID, ideaID, sessionID uint, now time.Time) error {
	return inTx(ctx, db, "shortlist an idea", func(tx *gorm.DB) error {
		idea, err := lockIdea(tx, summitID, ideaID, "UPDATE")
		if err != nil {
			return err
		}
		if !idea.Open() {
			return FieldErrors{"session_id": "A hidden or merged idea cannot be shortlisted."}
		}
		var sid *uint
		summary := "took " + idea.Title + " off the shortlist"
		if sessionID != 0 {
			list, err := StrategySessions(ctx, tx, summitID)
			if err != nil {
				return err
			}
			for _, s := range list {
				if s.ID == sessionID {
					id := s.ID
					sid = &id
					summary = "shortlisted " + idea.Title + " into " + s.Title
				}
			}
			if sid == nil {
				return FieldErrors{"session_id": "Choose a session of this summit's strategize track."}
			}
		}
		before := ideaAudit(idea)
		idea.SessionID = sid
		if err := tx.Model(&Idea{}).Where("id = ?", idea.ID).Updates(map[string]any{"session_id": sid, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "idea.shortlist", "idea", idea.ID, summary, before, ideaAudit(idea))
	})
}

// SessionIdeas returns the ideas shortlisted into a session (titles and
// whom they help; never authors), most votes first.
func SessionIdeas(ctx context.Context, db *gorm.DB, sessionID uint) ([]Idea, error) {
	var out []Idea
	err := withCtx(ctx, db).Select("id, summit_id, title, helps, themes, session_id").
		Where("session_id = ? AND hidden_at IS NULL AND merged_into_id IS NULL", sessionID).
		Order("title, id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: ideas of session %d: %w", sessionID, err)
	}
	return out, nil
}

// IdeaDepartment is how many ideas and votes came from one department.
type IdeaDepartment struct {
	Department string
	Ideas      int
	Votes      int // votes given by its people
}

// IdeaCoverage says which departments contributed ideas or votes (everyone
// serves: is every department taking part?). Ideas posted without a name
// are counted apart, never by department: in a small department that would
// name the author.
type IdeaCoverage struct {
	Departments []IdeaDepartment // every directory department, most ideas first
	Anonymous   int
	Silent      []string // departments with neither an idea nor a vote
}

// GetIdeaCoverage counts a summit's ideas and votes per department.
func GetIdeaCoverage(ctx context.Context, db *gorm.DB, summitID uint) (*IdeaCoverage, error) {
	tx := withCtx(ctx, db)
	depts, err := Departments(ctx, db)
	if err != nil {
		return nil, err
	}
	type row struct {
		Department string
		N          int
	}
	var ideas, votes []row
	if err := tx.Raw("SELECT people.department, COUNT(*) AS n FROM ideas JOIN people ON people.id = ideas.author_id WHERE ideas.summit_id = ? AND NOT ideas.anonymous AND ideas.hidden_at IS NULL GROUP BY people.department", summitID).Scan(&ideas).Error; err != nil {
		return nil, err
	}
	if err := tx.Raw("SELECT people.department, COUNT(*) AS n FROM idea_votes JOIN people ON people.id = idea_votes.person_id WHERE idea_votes.summit_id = ? GROUP BY people.department", summitID).Scan(&votes).Error; err != nil {
		return nil, err
	}
	anon, err := scalar(tx, "SELECT COUNT(*) FROM ideas WHERE summit_id = ? AND anonymous AND hidden_at IS NULL", summitID)
	if err != nil {
		return nil, err
	}
	by := map[string]*IdeaDepartment{}
	out := &IdeaCoverage{Anonymous: int(anon)}
	for _, d := range depts {
		by[d] = &IdeaDepartment{Department: d}
	}
	get := func(d string) *IdeaDepartment {
		if d == "" {
			d = "(no department)"
		}
		if by[d] == nil {
			by[d] = &IdeaDepartment{Department: d}
		}
		return by[d]
	}
	for _, r := range ideas {
		get(r.Department).Ideas += r.N
	}
	for _, r := range votes {
		get(r.Department).Votes += r.N
	}
	for _, d := range by {
		out.Departments = append(out.Departments, *d)
		if d.Ideas == 0 && d.Votes == 0 {
			out.Silent = append(out.Silent, d.Department)
		}
	}
	sort.Slice(out.Departments, func(i, j int) bool {
		a, b := out.Departments[i], out.Departments[j]
		if a.Ideas != b.Ideas {
			return a.Ideas > b.Ideas
		}
		if a.Votes != b.Votes {
			return a.Votes > b.Votes
		}
		return a.Department < b.Department
	})
	sort.Strings(out.Silent)
	return out, nil
}
