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
	"fmt"
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
