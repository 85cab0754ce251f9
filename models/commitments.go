package models

// Commitments: after the strategy workshop, organisers turn ideas (or
// anything decided) into commitments for the year — what, an owner, a due
// date and how success will be seen. The owner (or an organiser) posts
// status updates over the year: on track, at risk, done, or dropped with a
// reason; each update is a row, and the commitment keeps its last status.
// Staff follow commitments. The next edition's agenda and program show
// every commitment of the previous edition with its last status ("What we
// promised last year"), and copying a summit carries open ones forward
// (CarryOpenCommitments).

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// CommitmentStatus is how a commitment stands, stored as its string.
type CommitmentStatus string

// Commitment statuses.
const (
	CommitOnTrack CommitmentStatus = "on_track"
	CommitAtRisk  CommitmentStatus = "at_risk"
	CommitDone    CommitmentStatus = "done"
	CommitDropped CommitmentStatus = "dropped"
)

// CommitmentStatuses are the statuses in the order forms offer them.
var CommitmentStatuses = []CommitmentStatus{CommitOnTrack, CommitAtRisk, CommitDone, CommitDropped}

// CommitmentStatusLabel says a status in words.
func CommitmentStatusLabel(s CommitmentStatus) string {
	switch s {
	case CommitOnTrack:
		return "On track"
	case CommitAtRisk:
		return "At risk"
	case CommitDone:
		return "Done"
	case CommitDropped:
		return "Dropped"
	}
	return string(s)
}

// Commitment is one promise of an edition.
type Commitment struct {
	ID            uint `gorm:"primaryKey"`
	SummitID      uint
	IdeaID        *uint
	What          string
	OwnerID       uint
	DueDate       string // YYYY-MM-DD
	Success       string // how success will be seen
	Status        CommitmentStatus
	StatusNote    string
	StatusAt      *time.Time
	CarriedFromID *uint
	CreatedAt     time.Time
	UpdatedAt     time.Time

	Owner *Person `gorm:"foreignKey:OwnerID" json:"-"`
	Idea  *Idea   `gorm:"foreignKey:IdeaID" json:"-"`
}

// StatusLabel says the commitment's status in words.
func (c *Commitment) StatusLabel() string { return CommitmentStatusLabel(c.Status) }

// Open reports whether the commitment is still being worked on (neither
// done nor dropped).
func (c *Commitment) Open() bool { return c.Status != CommitDone && c.Status != CommitDropped }

// OwnerName is the owner's name ("" when not loaded).
func (c *Commitment) OwnerName() string {
	if c.Owner == nil {
		return ""
	}
	return c.Owner.Name
}

// CommitmentUpdate is one status update of a commitment.
type CommitmentUpdate struct {
	ID           uint `gorm:"primaryKey"`
	CommitmentID uint
	AuthorID     uint
	Status       CommitmentStatus
	Note         string
	CreatedAt    time.Time
	Author       *Person `gorm:"foreignKey:AuthorID" json:"-"`
}

// StatusLabel says the update's status in words.
func (u *CommitmentUpdate) StatusLabel() string { return CommitmentStatusLabel(u.Status) }

// CommitmentInput is what an organiser types for a commitment.
type CommitmentInput struct {
	What, OwnerID, DueDate, Success, IdeaID string
}

// Commitment field limits.
const (
	MaxCommitmentWhat = 300
	MaxCommitmentText = 2000
)

func (in CommitmentInput) validate(f FieldErrors) Commitment {
	c := Commitment{}
	c.What = checkLine(f, "what", "What we commit to", in.What, true, MaxCommitmentWhat)
	c.Success = checkText(f, "success", "How success will be seen", in.Success, false, MaxCommitmentText)
	if id := parseOptionalID(f, "owner", "Owner", in.OwnerID); id != nil {
		c.OwnerID = *id
	} else if _, bad := f["owner"]; !bad {
		f.Add("owner", "Choose the owner from the directory: one person who answers for it.")
	}
	c.IdeaID = parseOptionalID(f, "idea_id", "Idea", in.IdeaID)
	day := strings.TrimSpace(in.DueDate)
	if day == "" {
		f.Add("due_date", "Due date is required, a date like 2027-12-01.")
	} else if _, err := time.Parse(DateLayout, day); err != nil {
		f.Add("due_date", "Due date must be a date like 2027-12-01.")
	}
	c.DueDate = day
	return c
}

// auditCommitment is what a commitment's audit events record.
type auditCommitment struct {
	ID                    uint
	What, DueDate         string
	Status                CommitmentStatus
	OwnerID               uint
	Success, StatusNote   string `json:",omitempty"`
	IdeaID, CarriedFromID *uint  `json:",omitempty"`
}

func commitmentAudit(c *Commitment) auditCommitment {
	return auditCommitment{ID: c.ID, What: c.What, DueDate: c.DueDate, Status: c.Status, OwnerID: c.OwnerID, Success: c.Success,
		StatusNote: c.StatusNote, IdeaID: c.IdeaID, CarriedFromID: c.CarriedFromID}
}

// SaveCommitment creates (id 0) or edits a commitment of a summit, audited.
// The owner must be an active person; the idea, when given, one of the
// summit's ideas that is not hidden.
func SaveCommitment(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in CommitmentInput, now time.Time) (*Commitment, error) {
	f := FieldErrors{}
	c := in.validate(f)
	var out *Commitment
	err := inTx(ctx, db, "save a commitment", func(tx *gorm.DB) error {
		if _, err := loadSummit(tx, summitID); err != nil {
			return err
		}
		if c.OwnerID != 0 {
			var owner []Person
			if err := tx.Where("id = ? AND active = ?", c.OwnerID, true).Limit(1).Find(&owner).Error; err != nil {
				return err
			}
			if len(owner) == 0 {
				f.Add("owner", "Choose the owner from the directory: one person who answers for it.")
			}
		}
		if c.IdeaID != nil {
			var n int64
			if err := tx.Model(&Idea{}).Where("id = ? AND summit_id = ? AND hidden_at IS NULL", *c.IdeaID, summitID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				f.Add("idea_id", "Choose one of this summit's ideas, or none.")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		if id == 0 {
			c.SummitID, c.Status, c.CreatedAt, c.UpdatedAt = summitID, CommitOnTrack, now.UTC(), now.UTC()
			if err := tx.Create(&c).Error; err != nil {
				return err
			}
			out = &c
			return Audit(ctx, tx, who, "commitment.create", "commitment", c.ID, "commitment: "+c.What, nil, commitmentAudit(&c))
		}
		var cur Commitment
		if err := tx.Where("summit_id = ?", summitID).First(&cur, id).Error; err != nil {
			return notFound(err)
		}
		before := commitmentAudit(&cur)
		if err := tx.Model(&Commitment{}).Where("id = ?", cur.ID).Updates(map[string]any{"what": c.What, "owner_id": c.OwnerID, "due_date": c.DueDate,
			"success": c.Success, "idea_id": c.IdeaID, "updated_at": now.UTC()}).Error; err != nil {
			return err
		}
		cur.What, cur.OwnerID, cur.DueDate, cur.Success, cur.IdeaID = c.What, c.OwnerID, c.DueDate, c.Success, c.IdeaID
		out = &cur
		return Audit(ctx, tx, who, "commitment.update", "commitment", cur.ID, "commitment: "+cur.What, before, commitmentAudit(&cur))
	})
	return out, err
}

// CommitmentUpdateInput is a status update as typed.
type CommitmentUpdateInput struct {
	Status CommitmentStatus
	Note   string
}

// PostCommitmentUpdate records a status update by the commitment's owner or
// an organiser (mayOrganise): the new status and a note (a reason is
// required to drop it). The commitment keeps the last status. Audited.
func PostCommitmentUpdate(ctx context.Context, db *gorm.DB, who Actor, summitID, commitmentID, authorID uint, mayOrganise bool, in CommitmentUpdateInput, now time.Time) error {
	f := FieldErrors{}
	status := CommitmentStatus(strings.TrimSpace(string(in.Status)))
	valid := false
	for _, s := range CommitmentStatuses {
		valid = valid || s == status
	}
	if !valid {
		f.Add("status", "Choose a status: on track, at risk, done or dropped.")
	}
	note := checkText(f, "note", "Note", in.Note, status == CommitDropped, MaxCommitmentText)
	if _, bad := f["note"]; bad && status == CommitDropped && strings.TrimSpace(in.Note) == "" {
		f["note"] = "Say why it is dropped: people who followed it will read the reason."
	}
	return inTx(ctx, db, "update a commitment", func(tx *gorm.DB) error {
		var c Commitment
		if err := tx.Where("summit_id = ?", summitID).First(&c, commitmentID).Error; err != nil {
			return notFound(err)
		}
		if c.OwnerID != authorID && !mayOrganise {
			return FieldErrors{"status": "Only the commitment's owner or an organiser posts its updates."}
		}
		if err := f.Err(); err != nil {
			return err
		}
		t := now.UTC()
		u := CommitmentUpdate{CommitmentID: c.ID, AuthorID: authorID, Status: status, Note: note, CreatedAt: t}
		if err := tx.Create(&u).Error; err != nil {
			return err
		}
		before := commitmentAudit(&c)
		if err := tx.Model(&Commitment{}).Where("id = ?", c.ID).Updates(map[string]any{"status": status, "status_note": note, "status_at": t, "updated_at": t}).Error; err != nil {
			return err
		}
		c.Status, c.StatusNote = status, note
		return Audit(ctx, tx, who, "commitment.status", "commitment", c.ID, c.What+": "+CommitmentStatusLabel(status), before, commitmentAudit(&c))
	})
}

// CommitmentRow is a commitment in a list: its owner and idea loaded, how
// many follow it and whether the viewer does.
type CommitmentRow struct {
	Commitment
	Followers   int
	Following   bool
	IdeaTitle   string
	CarriedFrom string // the title of the edition it was carried from
}

// ListCommitments returns a summit's commitments, soonest due first, with
// their owners.
func ListCommitments(ctx context.Context, db *gorm.DB, summitID, viewerID uint) ([]CommitmentRow, error) {
	tx := withCtx(ctx, db)
	var list []Commitment
	if err := tx.Preload("Owner").Where("summit_id = ?", summitID).Order("due_date, id").Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: commitments of %d: %w", summitID, err)
	}
	return commitmentRows(tx, list, viewerID)
}

func commitmentRows(tx *gorm.DB, list []Commitment, viewerID uint) ([]CommitmentRow, error) {
	rows := make([]CommitmentRow, len(list))
	if len(list) == 0 {
		return rows, nil
	}
	ids := make([]uint, len(list))
	var ideaIDs, fromIDs []uint
	for i, c := range list {
		ids[i] = c.ID
		rows[i] = CommitmentRow{Commitment: c}
		if c.IdeaID != nil {
			ideaIDs = append(ideaIDs, *c.IdeaID)
		}
		if c.CarriedFromID != nil {
			fromIDs = append(fromIDs, *c.CarriedFromID)
		}
	}
	cm, err := countsByID(tx, "SELECT commitment_id AS id, COUNT(*) AS n FROM commitment_followers WHERE commitment_id IN ? GROUP BY commitment_id", ids)
	if err != nil {
		return nil, err
	}
	mm := map[uint]bool{}
	if viewerID != 0 {
		if mm, err = idSet(tx, "SELECT commitment_id FROM commitment_followers WHERE person_id = ? AND commitment_id IN ?", viewerID, ids); err != nil {
			return nil, err
		}
	}
	titles, err := titlesByID(tx, &Idea{}, ideaIDs)
	if err != nil {
		return nil, err
	}
	editions := map[uint]string{}
	if len(fromIDs) > 0 {
		var from []struct {
			ID    uint
			Title string
		}
		if err := tx.Raw("SELECT commitments.id, summits.title FROM commitments JOIN summits ON summits.id = commitments.summit_id WHERE commitments.id IN ?", fromIDs).Scan(&from).Error; err != nil {
			return nil, err
		}
		for _, f := range from {
			editions[f.ID] = f.Title
		}
	}
	for i := range rows {
		r := &rows[i]
		r.Followers, r.Following = cm[r.ID], mm[r.ID]
		if r.IdeaID != nil {
			r.IdeaTitle = titles[*r.IdeaID]
		}
		if r.CarriedFromID != nil {
			r.CarriedFrom = editions[*r.CarriedFromID]
		}
	}
	return rows, nil
}

// CommitmentPage is one commitment with its updates.
type CommitmentPage struct {
	Summit  *Summit
	Row     CommitmentRow
	Updates []CommitmentUpdate // newest first
}

// GetCommitment returns one commitment of a summit with its updates.
func GetCommitment(ctx context.Context, db *gorm.DB, summitID, id, viewerID uint) (*CommitmentPage, error) {
	tx := withCtx(ctx, db)
	s, err := loadSummit(tx, summitID)
	if err != nil {
		return nil, err
	}
	var c Commitment
	if err := tx.Preload("Owner").Where("summit_id = ?", summitID).First(&c, id).Error; err != nil {
		return nil, notFound(err)
	}
	rows, err := commitmentRows(tx, []Commitment{c}, viewerID)
	if err != nil {
		return nil, err
	}
	p := &CommitmentPage{Summit: s, Row: rows[0]}
	if err := tx.Preload("Author").Where("commitment_id = ?", c.ID).Order("created_at DESC, id DESC").Find(&p.Updates).Error; err != nil {
		return nil, err
	}
	return p, nil
}

// FollowCommitment makes a person follow a commitment (follow false: stop).
func FollowCommitment(ctx context.Context, db *gorm.DB, summitID, commitmentID, personID uint, follow bool, now time.Time) error {
	return inTx(ctx, db, "follow a commitment", func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Commitment{}).Where("id = ? AND summit_id = ?", commitmentID, summitID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		if !follow {
			return tx.Exec("DELETE FROM commitment_followers WHERE commitment_id = ? AND person_id = ?", commitmentID, personID).Error
		}
		return tx.Exec("INSERT INTO commitment_followers (commitment_id, person_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING", commitmentID, personID, now.UTC()).Error
	})
}

// FollowedCommitments returns the commitments a person owns or follows, of
// every edition, soonest due first.
func FollowedCommitments(ctx context.Context, db *gorm.DB, personID uint) ([]CommitmentRow, error) {
	tx := withCtx(ctx, db)
	var list []Commitment
	err := tx.Preload("Owner").Where("owner_id = ? OR id IN (SELECT commitment_id FROM commitment_followers WHERE person_id = ?)", personID, personID).
		Order("due_date, id").Find(&list).Error
	if err != nil {
		return nil, fmt.Errorf("models: commitments of person %d: %w", personID, err)
	}
	return commitmentRows(tx, list, personID)
}
