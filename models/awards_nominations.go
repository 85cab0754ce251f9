package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// --- Nominating ---

// NominationInput is what a nominator types.
type NominationInput struct {
	CategoryID string
	NomineeID  string
	Story      string
	Served     Served
	Quotable   bool
}

func checkStory(f FieldErrors, story string) string {
	s := strings.TrimSpace(NormalizeLineEnds(story))
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s) || strayControl(s):
		f.Add("story", "The story contains characters that are not valid text; please retype it.")
	case n < StoryMin:
		f.Add("story", fmt.Sprintf("The story is too short: %d characters. Tell what they did and for whom in at least %d characters.", n, StoryMin))
	case n > StoryMax:
		f.Add("story", fmt.Sprintf("The story is too long: %d characters, at most %d. Keep the part that shows what they did.", n, StoryMax))
	}
	return s
}

func checkServed(f FieldErrors, v Served) Served {
	v = Served(strings.TrimSpace(string(v)))
	for _, c := range ServedChoices {
		if c[0] == string(v) {
			return v
		}
	}
	f.Add("served", "Say who was served: an external customer, a colleague, a team or the community.")
	return v
}

func parseID(s string) uint {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32) // 32 bits: a larger number is no id, and Postgres refuses it past bigint
	if err != nil {
		return 0
	}
	return uint(n)
}

// duplicateMessage is the refusal for a second nomination of the same person.
func duplicateMessage(nominee, category string) string {
	return fmt.Sprintf("You have already nominated %s for “%s”. Edit that nomination under “My nominations” instead.", nominee, category)
}

// Nominate records a nomination. Each refusal has its own message: the window
// is not open or has closed, self-nomination, a second nomination of the same
// person in the same category, an inactive nominee, a story out of bounds.
func Nominate(ctx context.Context, db *gorm.DB, summitID, nominatorID uint, in NominationInput, now time.Time) (*Nomination, error) {
	var out Nomination
	err := inTx(ctx, db, "nominate", func(tx *gorm.DB) error {
		f := FieldErrors{}
		summit, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		cat, err := GetCategory(ctx, tx, summitID, parseID(in.CategoryID))
		if err != nil {
			if !errors.Is(err, ErrNotFound) {
				return err
			}
			f.Add("category_id", "Choose an award category.")
		}
		var nominee *Person
		if id := parseID(in.NomineeID); id != 0 {
			if p, err := GetPerson(ctx, tx, id); err == nil {
				nominee = p
			}
		}
		if nominee == nil {
			f.Add("nominee_id", "Choose a colleague from the directory (start typing their name or department).")
		}
		story := checkStory(f, in.Story)
		served := checkServed(f, in.Served)
		if cat != nil {
			switch cat.WindowState(now) {
			case WindowNotOpen:
				f.Add("category_id", "Nominations for “"+cat.Name+"” are not open yet: they open on "+fmtInstant(cat.OpensAt, summit.Location())+".")
			case WindowClosed:
				f.Add("category_id", "Nominations for “"+cat.Name+"” closed on "+fmtInstant(cat.ClosesAt, summit.Location())+".")
			}
		}
		if nominee != nil {
			switch {
			case !nominee.Active:
				f.Add("nominee_id", nominee.Name+" is no longer active in the directory, so they cannot be nominated.")
			case nominee.ID == nominatorID && (cat == nil || !cat.AllowSelf):
				f.Add("nominee_id", "You cannot nominate yourself for this award; choose a colleague whose service stood out.")
			}
		}
		if cat != nil && nominee != nil && f["nominee_id"] == "" {
			var n int64
			if err := tx.Model(&Nomination{}).Where("category_id = ? AND nominator_id = ? AND nominee_id = ? AND status = ?",
				cat.ID, nominatorID, nominee.ID, NominationActive).Count(&n).Error; err != nil {
				return err
			}
			if n > 0 {
				f.Add("nominee_id", duplicateMessage(nominee.Name, cat.Name))
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		out = Nomination{CategoryID: cat.ID, NomineeID: nominee.ID, NominatorID: nominatorID, Story: story, Served: served,
			Quotable: in.Quotable, Status: NominationActive, CreatedAt: now.UTC(), UpdatedAt: now.UTC()}
		if err := tx.Create(&out).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"nominee_id": duplicateMessage(nominee.Name, cat.Name)}
			}
			return err
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// myNomination loads an active nomination of a summit written by nominatorID.
func myNomination(tx *gorm.DB, summitID, nominatorID, id uint) (*Nomination, *AwardCategory, error) {
	var n Nomination
	if err := tx.Preload("Nominee").Where("nominator_id = ? AND status = ?", nominatorID, NominationActive).First(&n, id).Error; err != nil {
		return nil, nil, notFound(err)
	}
	var c AwardCategory
	if err := tx.Where("summit_id = ?", summitID).First(&c, n.CategoryID).Error; err != nil {
		return nil, nil, notFound(err)
	}
	c.utc()
	n.Category = &c
	return &n, &c, nil
}

// GetMyNomination loads one of the nominator's own active nominations.
func GetMyNomination(ctx context.Context, db *gorm.DB, summitID, nominatorID, id uint) (*Nomination, error) {
	n, _, err := myNomination(withCtx(ctx, db), summitID, nominatorID, id)
	return n, err
}

func closedForChanges(c *AwardCategory, loc *time.Location) error {
	return FieldErrors{"nomination": "Nominations for “" + c.Name + "” closed on " + fmtInstant(c.ClosesAt, loc) + "; your nomination can no longer be changed."}
}

// myOpenNomination loads the nominator's own nomination while its
// category's window is open; afterwards it refuses the change.
func myOpenNomination(tx *gorm.DB, summitID, nominatorID, id uint, now time.Time) (*Nomination, error) {
	n, c, err := myNomination(tx, summitID, nominatorID, id)
	if err != nil {
		return nil, err
	}
	summit, err := loadSummit(tx, summitID)
	if err != nil {
		return nil, err
	}
	if c.WindowState(now) != WindowOpen {
		return nil, closedForChanges(c, summit.Location())
	}
	return n, nil
}

// UpdateNomination changes the story, who was served and whether it may be
// quoted, until the window closes. Only the nominator may.
func UpdateNomination(ctx context.Context, db *gorm.DB, summitID, nominatorID, id uint, in NominationInput, now time.Time) (*Nomination, error) {
	var out *Nomination
	err := inTx(ctx, db, fmt.Sprintf("update nomination %d", id), func(tx *gorm.DB) error {
		n, err := myOpenNomination(tx, summitID, nominatorID, id, now)
		if err != nil {
			return err
		}
		f := FieldErrors{}
		story := checkStory(f, in.Story)
		served := checkServed(f, in.Served)
		if err := f.Err(); err != nil {
			return err
		}
		upd := map[string]any{"story": story, "served": served, "quotable": in.Quotable}
		if story != n.Story || served != n.Served {
			// What judges read changed: their queue marks earlier scores.
			upd["updated_at"] = now.UTC()
			n.UpdatedAt = now.UTC()
		}
		if err := tx.Model(&Nomination{}).Where("id = ?", n.ID).UpdateColumns(upd).Error; err != nil { // no automatic updated_at
			return err
		}
		n.Story, n.Served, n.Quotable = story, served, in.Quotable
		out = n
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WithdrawNomination withdraws a nomination until the window closes; its
// scores stop counting. Only the nominator may.
func WithdrawNomination(ctx context.Context, db *gorm.DB, summitID, nominatorID, id uint, now time.Time) error {
	err := inTx(ctx, db, fmt.Sprintf("withdraw nomination %d", id), func(tx *gorm.DB) error {
		n, err := myOpenNomination(tx, summitID, nominatorID, id, now)
		if err != nil {
			return err
		}
		return tx.Model(&Nomination{}).Where("id = ? AND status = ?", n.ID, NominationActive).
			Updates(map[string]any{"status": NominationWithdrawn, "withdrawn_at": now.UTC(), "updated_at": now.UTC()}).Error
	})
	if err != nil {
		return err
	}
	return nil
}

// MyNominations lists the active nominations a person wrote in a summit.
func MyNominations(ctx context.Context, db *gorm.DB, summitID, nominatorID uint) ([]Nomination, error) {
	var out []Nomination
	err := withCtx(ctx, db).Preload("Nominee").Preload("Category").
		Joins("JOIN award_categories ON award_categories.id = award_nominations.category_id").
		Where("award_categories.summit_id = ? AND award_nominations.nominator_id = ? AND award_nominations.status = ?", summitID, nominatorID, NominationActive).
		Order("award_nominations.created_at, award_nominations.id").Find(&out).Error
	if err != nil {
		return nil, fmt.Errorf("models: my nominations: %w", err)
	}
	for i := range out {
		if out[i].Category != nil {
			out[i].Category.utc()
		}
	}
	return out, nil
}

// Nominatable lists the active people anyone may nominate, by name.
func Nominatable(ctx context.Context, db *gorm.DB) ([]Person, error) {
	return ListPeople(ctx, db, PeopleFilter{ActiveOnly: true})
}
