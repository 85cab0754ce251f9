package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
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
	// Department is a directory speaker's department, read from the
	// directory with the speaker (never stored on the speaker).
	Department string `gorm:"->"`
}

// Affiliation is what is shown beside a speaker's name: a directory
// speaker's department (and their organisation when it says more), a
// guest's organisation.
func (sp Speaker) Affiliation() string {
	if sp.PersonID == nil || sp.Department == "" {
		return sp.Organisation
	}
	if sp.Organisation == "" || strings.EqualFold(strings.TrimSpace(sp.Organisation), strings.TrimSpace(sp.Department)) {
		return sp.Department
	}
	return sp.Department + " · " + sp.Organisation
}

// speakersWithDepartment selects speakers with their directory department.
func speakersWithDepartment(db *gorm.DB) *gorm.DB {
	return db.Table("speakers").Select("speakers.*, COALESCE(people.department, '') AS department").
		Joins("LEFT JOIN people ON people.id = speakers.person_id")
}

// SpeakerInput is what an organiser types for a speaker. With PersonID set,
// the name comes from the directory.
type SpeakerInput struct {
	PersonID     string
	Name         string
	Organisation string
	Bio          string
}

// SaveSpeaker creates (id == 0) or updates a speaker of a summit. Audited.
func SaveSpeaker(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in SpeakerInput) (*Speaker, error) {
	var sp Speaker
	err := inTx(ctx, db, "save speaker", func(tx *gorm.DB) error {
		f := FieldErrors{}
		sp = Speaker{SummitID: summitID}
		var before *Speaker
		if id != 0 {
			if err := tx.Where("summit_id = ?", summitID).First(&sp, id).Error; err != nil {
				return notFound(err)
			}
			b := sp
			before = &b
		}
		sp.PersonID = nil
		if p := strings.TrimSpace(in.PersonID); p != "" && p != "0" {
			n, err := strconv.ParseUint(p, 10, 32)
			var person Person
			if err != nil || tx.First(&person, n).Error != nil {
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
			return err
		}
		var err error
		if id == 0 {
			err = tx.Create(&sp).Error
		} else {
			err = tx.Model(&sp).Select("person_id", "name", "organisation", "bio", "updated_at").Updates(&sp).Error
		}
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return FieldErrors{"person_id": "This person is already a speaker at this summit."}
		}
		if err != nil {
			return err
		}
		if before != nil {
			return Audit(ctx, tx, who, "speaker.update", "speaker", sp.ID, "Edited speaker "+sp.Name, before, sp)
		}
		summit, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		return Audit(ctx, tx, who, "speaker.create", "speaker", sp.ID, "Added speaker "+sp.Name+" to "+summit.Title, nil, sp)
	})
	if err != nil {
		return nil, err
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
	err := speakersWithDepartment(withCtx(ctx, db)).Where("speakers.summit_id = ?", summitID).Order("speakers.name, speakers.id").Find(&out).Error
	return out, err
}

// DeleteSpeaker removes a speaker (and takes them off their sessions). Audited.
func DeleteSpeaker(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint) error {
	return inTx(ctx, db, fmt.Sprintf("delete speaker %d", id), func(tx *gorm.DB) error {
		before, err := GetSpeaker(ctx, tx, summitID, id)
		if err != nil {
			return err
		}
		res := tx.Where("summit_id = ? AND id = ?", summitID, id).Delete(&Speaker{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(ctx, tx, who, "speaker.delete", "speaker", id, "Deleted speaker "+before.Name, before, nil)
	})
}

// EarlierSpeakers lists the speakers of other editions that this summit
// could keep: each directory person (still active) and each guest once, as
// they were last described (the latest edition first wins), leaving out
// those already speaking here.
func EarlierSpeakers(ctx context.Context, db *gorm.DB, summitID uint) ([]Speaker, error) {
	var all []Speaker
	err := speakersWithDepartment(withCtx(ctx, db)).Joins("JOIN summits ON summits.id = speakers.summit_id").
		Where("speakers.summit_id <> ? AND (people.id IS NULL OR people.active)", summitID).
		Order("summits.start_date DESC, speakers.id DESC").Find(&all).Error
	if err != nil {
		return nil, fmt.Errorf("models: earlier speakers of %d: %w", summitID, err)
	}
	here, err := ListSpeakers(ctx, db, summitID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, sp := range here {
		seen[speakerKey(sp)] = true
	}
	var out []Speaker
	for _, sp := range all {
		if k := speakerKey(sp); !seen[k] {
			seen[k] = true
			out = append(out, sp)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	return out, nil
}

// speakerKey tells the same speaker in different editions: a directory
// person by their id, a guest by name.
func speakerKey(sp Speaker) string {
	if sp.PersonID != nil {
		return "p" + strconv.FormatUint(uint64(*sp.PersonID), 10)
	}
	return "g" + strings.ToLower(strings.Join(strings.Fields(sp.Name), " "))
}

// KeepSpeaker adds an earlier edition's speaker to a summit, as the same
// person (directory) or guest (name, organisation and bio), remembering
// whom they carry on. Audited.
func KeepSpeaker(ctx context.Context, db *gorm.DB, who Actor, summitID, fromSpeakerID uint) (*Speaker, error) {
	var sp Speaker
	err := inTx(ctx, db, fmt.Sprintf("keep speaker %d", fromSpeakerID), func(tx *gorm.DB) error {
		var from Speaker
		if err := tx.Where("summit_id <> ?", summitID).First(&from, fromSpeakerID).Error; err != nil {
			return notFound(err)
		}
		list, err := EarlierSpeakers(ctx, tx, summitID)
		if err != nil {
			return err
		}
		ok := false
		for _, e := range list {
			ok = ok || speakerKey(e) == speakerKey(from)
		}
		if !ok {
			return FieldErrors{"speaker": from.Name + " already speaks at this summit, or has left."}
		}
		sp = Speaker{SummitID: summitID, PersonID: from.PersonID, Name: from.Name, Organisation: from.Organisation, Bio: from.Bio, KeptFromID: &from.ID}
		if err := tx.Create(&sp).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"speaker": from.Name + " already speaks at this summit."}
			}
			return err
		}
		summit, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		return Audit(ctx, tx, who, "speaker.keep", "speaker", sp.ID, "Kept speaker "+sp.Name+" for "+summit.Title, nil, sp)
	})
	if err != nil {
		return nil, err
	}
	return &sp, nil
}
