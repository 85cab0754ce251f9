package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Speaker is someone who speaks at a summit: a person from the directory
// (PersonID set) or a guest.
type Speaker struct {
	ID           uint `gorm:"primaryKey"`
	SummitID     uint
	PersonID     *uint
	Name         string
	Organisation string
	Bio          string
	// KeptFromID is the earlier edition's speaker this one carries on (a
	// copy of a summit, or picked from earlier speakers).
	KeptFromID *uint
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// SpeakerInput is what an organiser types for a speaker. With PersonID set,
// the name comes from the directory.
type SpeakerInput struct {
	PersonID     string
	Name         string
	Organisation string
	Bio          string
}

// SaveSpeaker creates (id == 0) or updates a speaker of a summit.
func SaveSpeaker(ctx context.Context, db *gorm.DB, summitID, id uint, in SpeakerInput) (*Speaker, error) {
	f := FieldErrors{}
	sp := Speaker{SummitID: summitID}
	if id != 0 {
		if err := withCtx(ctx, db).Where("summit_id = ?", summitID).First(&sp, id).Error; err != nil {
			return nil, notFound(err)
		}
	}
	sp.PersonID = nil
	if p := strings.TrimSpace(in.PersonID); p != "" && p != "0" {
		n, err := strconv.ParseUint(p, 10, 32)
		var person Person
		if err != nil || withCtx(ctx, db).First(&person, n).Error != nil {
			f.Add("person_id", "Choose a person from the directory, or leave it empty for a guest.")
		} else {
			pid := person.ID
			sp.PersonID = &pid
			if strings.TrimSpace(in.Name) == "" {
				in.Name = person.Name
			}
		}
	}
	sp.Name = checkLine(f, "name", "Name", in.Name, true, 120)
	sp.Organisation = checkLine(f, "organisation", "Organisation", in.Organisation, false, 120)
	sp.Bio = checkText(f, "bio", "Short bio", in.Bio, false, 1500)
	if err := f.Err(); err != nil {
		return nil, err
	}
	var err error
	if id == 0 {
		err = withCtx(ctx, db).Create(&sp).Error
	} else {
		err = withCtx(ctx, db).Model(&sp).Select("person_id", "name", "organisation", "bio", "updated_at").Updates(&sp).Error
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, FieldErrors{"person_id": "This person is already a speaker at this summit."}
	}
	if err != nil {
		return nil, fmt.Errorf("models: save speaker: %w", err)
	}
	return &sp, nil
}

// GetSpeaker loads a speaker of a summit.
func GetSpeaker(ctx context.Context, db *gorm.DB, summitID, id uint) (*Speaker, error) {
	var sp Speaker
	if err := withCtx(ctx, db).Where("summit_id = ?", summitID).First(&sp, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &sp, nil
}

// ListSpeakers returns a summit's speakers by name.
func ListSpeakers(ctx context.Context, db *gorm.DB, summitID uint) ([]Speaker, error) {
	var out []Speaker
	err := withCtx(ctx, db).Where("summit_id = ?", summitID).Order("name").Find(&out).Error
	return out, err
}

// DeleteSpeaker removes a speaker (and takes them off their sessions).
func DeleteSpeaker(ctx context.Context, db *gorm.DB, summitID, id uint) error {
	res := withCtx(ctx, db).Where("summit_id = ? AND id = ?", summitID, id).Delete(&Speaker{})
	if res.Error != nil {
		return fmt.Errorf("models: delete speaker %d: %w", id, res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}
