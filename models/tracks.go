package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Pillar is one of the three pillars a track belongs to, stored as its string.
type Pillar string

// The three pillars of every Service Summit.
const (
	PillarCelebrate  Pillar = "celebrate"
	PillarTrain      Pillar = "train"
	PillarStrategize Pillar = "strategize"
)

// Pillars lists the pillars in the order the product shows them.
var Pillars = []Pillar{PillarCelebrate, PillarTrain, PillarStrategize}

// PillarLabel returns the words shown for a pillar.
func PillarLabel(p Pillar) string {
	switch p {
	case PillarCelebrate:
		return "Celebrate — recognising the people who serve"
	case PillarTrain:
		return "Train — skills for serving well"
	case PillarStrategize:
		return "Strategize — where service goes next"
	}
	return string(p)
}

// Track groups sessions under one pillar, with a colour for the timetable.
type Track struct {
	ID          uint `gorm:"primaryKey"`
	SummitID    uint
	Name        string
	Pillar      Pillar
	Color       string // #rrggbb
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TrackInput is what an organiser types for a track.
type TrackInput struct {
	Name        string
	Pillar      Pillar
	Color       string
	Description string
}

var colorRe = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

func (in TrackInput) validate() (Track, FieldErrors) {
	f := FieldErrors{}
	t := Track{}
	t.Name = checkLine(f, "name", "Name", in.Name, true, 100)
	t.Description = checkText(f, "description", "Description", in.Description, false, 2000)
	t.Pillar = Pillar(strings.TrimSpace(string(in.Pillar)))
	switch t.Pillar {
	case PillarCelebrate, PillarTrain, PillarStrategize:
	default:
		f.Add("pillar", "Choose a pillar: celebrate, train or strategize.")
	}
	t.Color = strings.ToLower(strings.TrimSpace(in.Color))
	if !colorRe.MatchString(t.Color) {
		f.Add("color", "Colour must be written like #1d4ed8.")
	} else {
		checkTrackContrast(f, "color", t.Color)
	}
	return t, f
}

// CreateTrack adds a track to a summit. Audited.
func CreateTrack(ctx context.Context, db *gorm.DB, who Actor, summitID uint, in TrackInput) (*Track, error) {
	t, f := in.validate()
	if err := f.Err(); err != nil {
		return nil, err
	}
	t.SummitID = summitID
	err := inTx(ctx, db, "create track", func(tx *gorm.DB) error {
		summit, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		if err := tx.Create(&t).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"name": "This summit already has a track called " + t.Name + "."}
			}
			return err
		}
		return Audit(ctx, tx, who, "track.create", "track", t.ID, "Added track "+t.Name+" to "+summit.Title, nil, t)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// UpdateTrack changes a track. Audited.
func UpdateTrack(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in TrackInput) (*Track, error) {
	t, f := in.validate()
	var out *Track
	err := inTx(ctx, db, fmt.Sprintf("update track %d", id), func(tx *gorm.DB) error {
		cur, err := GetTrack(ctx, tx, summitID, id)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil { // a missing track is a 404 first
			return err
		}
		before := *cur
		err = tx.Model(cur).Select("name", "pillar", "color", "description", "updated_at").Updates(&t).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return FieldErrors{"name": "This summit already has a track called " + t.Name + "."}
		}
		if err != nil {
			return err
		}
		if out, err = GetTrack(ctx, tx, summitID, id); err != nil {
			return err
		}
		return Audit(ctx, tx, who, "track.update", "track", out.ID, "Edited track "+out.Name, before, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteTrack removes a track; its sessions stay, without a track. Audited.
func DeleteTrack(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint) error {
	return inTx(ctx, db, fmt.Sprintf("delete track %d", id), func(tx *gorm.DB) error {
		before, err := GetTrack(ctx, tx, summitID, id)
		if err != nil {
			return err
		}
		res := tx.Where("summit_id = ? AND id = ?", summitID, id).Delete(&Track{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(ctx, tx, who, "track.delete", "track", id, "Deleted track "+before.Name, before, nil)
	})
}

// GetTrack loads a track of a summit.
func GetTrack(ctx context.Context, db *gorm.DB, summitID, id uint) (*Track, error) {
	var t Track
	if err := withCtx(ctx, db).Where("summit_id = ?", summitID).First(&t, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &t, nil
}

// ListTracks returns a summit's tracks, by pillar then name.
func ListTracks(ctx context.Context, db *gorm.DB, summitID uint) ([]Track, error) {
	var out []Track
	err := withCtx(ctx, db).Where("summit_id = ?", summitID).
		Order("CASE pillar WHEN 'celebrate' THEN 1 WHEN 'train' THEN 2 ELSE 3 END, name").Find(&out).Error
	return out, err
}
