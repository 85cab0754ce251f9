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

// Room is a place where sessions happen, with how many people it seats.
type Room struct {
	ID        uint `gorm:"primaryKey"`
	SummitID  uint
	Name      string
	Capacity  int
	Position  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RoomInput is what an organiser types for a room.
type RoomInput struct {
	Name     string
	Capacity string
	Position string
}

func (in RoomInput) validate() (Room, FieldErrors) {
	f := FieldErrors{}
	r := Room{}
	r.Name = checkLine(f, "name", "Name", in.Name, true, 100)
	r.Capacity = parseIntField(f, "capacity", "Capacity", in.Capacity, true, 1, 100000)
	if strings.TrimSpace(in.Position) != "" {
		r.Position = parseIntField(f, "position", "Position", in.Position, false, 0, 1000)
	}
	return r, f
}

// parseIntField parses a whole number between min and max, recording a message
// when it is missing (and required), not a number, or out of range.
func parseIntField(f FieldErrors, field, label, s string, required bool, min, max int) int {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			f.Add(field, label+" is required.")
		}
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Add(field, label+" must be a whole number, like 40.")
		return 0
	}
	if n < min || n > max {
		f.Add(field, fmt.Sprintf("%s must be between %d and %d.", label, min, max))
		return 0
	}
	return n
}

// CreateRoom adds a room to a summit. Audited.
func CreateRoom(ctx context.Context, db *gorm.DB, who Actor, summitID uint, in RoomInput) (*Room, error) {
	r, f := in.validate()
	if err := f.Err(); err != nil {
		return nil, err
	}
	r.SummitID = summitID
	err := inTx(ctx, db, "create room", func(tx *gorm.DB) error {
		summit, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		if strings.TrimSpace(in.Position) == "" {
			var n int64
			if err := tx.Model(&Room{}).Where("summit_id = ?", summitID).Count(&n).Error; err != nil {
				return err
			}
			r.Position = int(n) + 1
		}
		if err := tx.Create(&r).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"name": "This summit already has a room called " + r.Name + "."}
			}
			return err
		}
		return Audit(ctx, tx, who, "room.create", "room", r.ID, "Added room "+r.Name+" to "+summit.Title, nil, r)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// UpdateRoom changes a room. Sessions whose seat capacity is now above the
// room's are reported by SessionWarnings, not refused. Audited.
func UpdateRoom(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in RoomInput) (*Room, error) {
	r, f := in.validate()
	var out *Room
	err := inTx(ctx, db, fmt.Sprintf("update room %d", id), func(tx *gorm.DB) error {
		cur, err := GetRoom(ctx, tx, summitID, id)
		if err != nil {
			return err
		}
		if err := f.Err(); err != nil { // a missing room is a 404 first
			return err
		}
		before := *cur
		if strings.TrimSpace(in.Position) == "" {
			r.Position = cur.Position
		}
		err = tx.Model(cur).Select("name", "capacity", "position", "updated_at").Updates(&r).Error
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return FieldErrors{"name": "This summit already has a room called " + r.Name + "."}
		}
		if err != nil {
			return err
		}
		if out, err = GetRoom(ctx, tx, summitID, id); err != nil {
			return err
		}
		return Audit(ctx, tx, who, "room.update", "room", out.ID, "Edited room "+out.Name, before, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeleteRoom removes a room that no session uses. Audited.
func DeleteRoom(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint) error {
	return inTx(ctx, db, fmt.Sprintf("delete room %d", id), func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		var room Room
		if err := tx.Where("summit_id = ?", summitID).First(&room, id).Error; err != nil {
			return notFound(err)
		}
		var n int64
		if err := tx.Model(&Session{}).Where("room_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldErrors{"room": fmt.Sprintf("%s still has %d planned session(s); move them to another room first.", room.Name, n)}
		}
		res := tx.Where("summit_id = ? AND id = ?", summitID, id).Delete(&Room{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(ctx, tx, who, "room.delete", "room", id, "Deleted room "+room.Name, room, nil)
	})
}

// GetRoom loads a room of a summit.
func GetRoom(ctx context.Context, db *gorm.DB, summitID, id uint) (*Room, error) {
	var r Room
	if err := withCtx(ctx, db).Where("summit_id = ?", summitID).First(&r, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &r, nil
}

// ListRooms returns a summit's rooms in display order.
func ListRooms(ctx context.Context, db *gorm.DB, summitID uint) ([]Room, error) {
	var out []Room
	err := withCtx(ctx, db).Where("summit_id = ?", summitID).Order("position, name").Find(&out).Error
	return out, err
}
