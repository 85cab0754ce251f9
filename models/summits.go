package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
)

// SummitStatus is where a summit is in its life, stored as its string.
type SummitStatus string

// Summit statuses.
const (
	StatusDraft     SummitStatus = "draft"
	StatusPublished SummitStatus = "published"
	StatusArchived  SummitStatus = "archived"
)

// DateLayout is how summit dates are written and stored: a calendar date in
// the summit's own time zone.
const DateLayout = "2006-01-02"

// Summit is one edition of the Service Summit; a year may have several
// (regional editions, say), each with its own title.
type Summit struct {
	ID        uint `gorm:"primaryKey"`
	Year      int
	Title     string
	Theme     string
	StartDate string // YYYY-MM-DD in TimeZone
	EndDate   string // YYYY-MM-DD in TimeZone, inclusive
	TimeZone  string // IANA name, e.g. Europe/Amsterdam
	Venue     string
	Status    SummitStatus
	// CopiedFromID is the edition this one was copied from (CloneSummit).
	CopiedFromID *uint
	CreatedAt    time.Time
	UpdatedAt    time.Time
	// Registration is when the summit takes training registrations
	// (registrations_window.go); only SetRegistrationWindow changes it.
	Registration RegistrationWindow `gorm:"embedded"`
	// Revision is raised by the database whenever something the summit's
	// public pages show changes (migration 0013); never written from Go.
	Revision int64 `gorm:"->"`
}

// DateRange writes the summit's dates the way people read them: "11–12
// March 2027", "30 March – 2 April 2027"; a one-day summit as "12 March
// 2027", or with weekday as "Friday 12 March 2027" (the printed documents).
func (s *Summit) DateRange(weekday bool) string {
	a, err1 := time.Parse(DateLayout, s.StartDate)
	b, err2 := time.Parse(DateLayout, s.EndDate)
	switch {
	case err1 != nil || err2 != nil:
		return s.StartDate + " – " + s.EndDate
	case a.Equal(b) && weekday:
		return a.Format("Monday 2 January 2006")
	case a.Equal(b):
		return a.Format("2 January 2006")
	case a.Month() == b.Month() && a.Year() == b.Year():
		return fmt.Sprintf("%d–%d %s", a.Day(), b.Day(), b.Format("January 2006"))
	}
	return a.Format("2 January") + " – " + b.Format("2 January 2006")
}

// Location returns the summit's time zone (UTC if the stored name is unknown).
func (s *Summit) Location() *time.Location { return LoadLocation(s.TimeZone) }

// locations remembers loaded time zones: time.LoadLocation reads and parses
// the zone file on every call, and pages ask for a summit's zone many times.
// A *time.Location is immutable and safe to share.
var locations sync.Map // name → *time.Location

// LoadLocation returns the named IANA time zone, loaded once per process
// (UTC if the name is unknown).
func LoadLocation(name string) *time.Location {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.UTC
	}
	locations.Store(name, loc)
	return loc
}

// Start is the first instant of the summit's first day.
func (s *Summit) Start() time.Time {
	d, _ := time.ParseInLocation(DateLayout, s.StartDate, s.Location())
	return d
}

// End is the first instant after the summit's last day.
func (s *Summit) End() time.Time {
	d, _ := time.ParseInLocation(DateLayout, s.EndDate, s.Location())
	return d.AddDate(0, 0, 1)
}

// Days lists the summit's dates as YYYY-MM-DD, first to last.
func (s *Summit) Days() []string {
	var out []string
	start, err1 := time.Parse(DateLayout, s.StartDate)
	end, err2 := time.Parse(DateLayout, s.EndDate)
	if err1 != nil || err2 != nil {
		return nil
	}
	for d := start; !d.After(end) && len(out) < 31; d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(DateLayout))
	}
	return out
}

// IsPublic reports whether visitors may see the summit.
func (s *Summit) IsPublic() bool { return s.Status == StatusPublished || s.Status == StatusArchived }

// SummitInput is what an organiser types to create or edit a summit.
type SummitInput struct {
	Title     string
	Theme     string
	StartDate string
	EndDate   string
	TimeZone  string
	Venue     string
}

// MaxSummitDays bounds a summit's length; a typo in a year should not make a
// thousand-day agenda.
const MaxSummitDays = 14

func (in SummitInput) validate() (Summit, FieldErrors) {
	f := FieldErrors{}
	s := Summit{}
	s.Title = checkLine(f, "title", "Title", in.Title, true, 200)
	s.Theme = checkLine(f, "theme", "Theme", in.Theme, false, 300)
	s.Venue = checkLine(f, "venue", "Venue", in.Venue, false, 300)
	s.TimeZone = checkTimeZone(f, "time_zone", in.TimeZone)
	start, err := time.Parse(DateLayout, strings.TrimSpace(in.StartDate))
	if err != nil {
		f.Add("start_date", "Start date must be a date like 2027-03-11.")
	}
	end, err2 := time.Parse(DateLayout, strings.TrimSpace(in.EndDate))
	if err2 != nil {
		f.Add("end_date", "End date must be a date like 2027-03-12.")
	}
	if err == nil && err2 == nil {
		switch {
		case end.Before(start):
			f.Add("end_date", "End date must be on or after the start date.")
		case end.Sub(start) > (MaxSummitDays-1)*24*time.Hour:
			f.Add("end_date", fmt.Sprintf("A summit lasts at most %d days.", MaxSummitDays))
		case start.Year() < 2000 || start.Year() > 2200:
			f.Add("start_date", "Start date must be a year between 2000 and 2200.")
		}
		s.StartDate, s.EndDate, s.Year = start.Format(DateLayout), end.Format(DateLayout), start.Year()
	}
	return s, f
}

// CreateSummit validates in and stores a new draft summit with its three
// pillar tracks (PillarTracks), in one transaction. Audited.
func CreateSummit(ctx context.Context, db *gorm.DB, who Actor, in SummitInput) (*Summit, error) {
	s, f := in.validate()
	if err := f.Err(); err != nil {
		return nil, err
	}
	s.Status = StatusDraft
	err := inTx(ctx, db, "create summit", func(tx *gorm.DB) error {
		if err := tx.Create(&s).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return duplicateTitle(s)
			}
			return err
		}
		if err := createPillarTracks(tx, s.ID); err != nil {
			return err
		}
		return Audit(ctx, tx, who, "summit.create", "summit", s.ID, "Created "+s.Title, nil, s)
	})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// duplicateTitle is the message when another edition of the year has the
// same title (summits_year_title): several editions may share a year, each
// with its own title.
func duplicateTitle(s Summit) FieldErrors {
	return FieldErrors{"title": fmt.Sprintf("There is already an edition called “%s” in %d; give this one its own title (a region, say).", s.Title, s.Year)}
}

// UpdateSummit changes a summit's details. Moving its dates or time zone so that
// sessions would fall outside is refused with a message listing them. Audited.
func UpdateSummit(ctx context.Context, db *gorm.DB, who Actor, id uint, in SummitInput, now time.Time) (*Summit, error) {
	next, f := in.validate()
	var out Summit
	err := inTx(ctx, db, fmt.Sprintf("update summit %d", id), func(tx *gorm.DB) error {
		if err := lockSummit(tx, id); err != nil {
			return err
		}
		if err := tx.First(&out, id).Error; err != nil {
			return notFound(err)
		}
		if err := f.Err(); err != nil { // a missing summit is a 404 first
			return err
		}
		before := out
		next.ID, next.Status, next.CreatedAt = out.ID, out.Status, out.CreatedAt
		announcements, err := guardAnnouncements(ctx, tx, id, now)
		if err != nil {
			return err
		}
		var outside []Session
		if err := tx.Where("summit_id = ? AND (starts_at < ? OR ends_at > ?)", id, next.Start().UTC(), next.End().UTC()).
			Order("starts_at").Find(&outside).Error; err != nil {
			return err
		}
		if len(outside) > 0 {
			names := make([]string, 0, len(outside))
			loc := next.Location()
			for i, s := range outside {
				if i == 8 {
					names = append(names, fmt.Sprintf("and %d more", len(outside)-8))
					break
				}
				names = append(names, fmt.Sprintf("“%s” (%s)", s.Title, s.StartsAt.In(loc).Format("Mon 2 Jan 15:04")))
			}
			return FieldErrors{"start_date": "These sessions would fall outside the new dates; move them first: " + strings.Join(names, ", ") + "."}
		}
		if err := tx.Model(&out).Select("year", "title", "theme", "start_date", "end_date", "time_zone", "venue", "updated_at").
			Updates(&next).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return duplicateTitle(next)
			}
			return err
		}
		if err := tx.First(&out, id).Error; err != nil {
			return err
		}
		if err := announcements.settle(ctx, tx, out.Location(), now, "start_date", "Keep the summit's dates, or change that award's announcement first."); err != nil {
			return err
		}
		return Audit(ctx, tx, who, "summit.update", "summit", out.ID, "Edited "+out.Title, before, out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// SetSummitStatus moves a summit between draft, published and archived. Audited.
func SetSummitStatus(ctx context.Context, db *gorm.DB, who Actor, id uint, status SummitStatus) (*Summit, error) {
	var out *Summit
	err := inTx(ctx, db, fmt.Sprintf("set summit %d status", id), func(tx *gorm.DB) error {
		before, err := loadSummit(tx, id)
		if err != nil {
			return err
		}
		switch status {
		case StatusDraft, StatusPublished, StatusArchived:
		default:
			return FieldErrors{"status": "Status must be draft, published or archived."}
		}
		if err := tx.Model(&Summit{}).Where("id = ?", id).Updates(map[string]any{"status": status, "updated_at": Now()}).Error; err != nil {
			return err
		}
		if out, err = loadSummit(tx, id); err != nil {
			return err
		}
		return Audit(ctx, tx, who, "summit.status", "summit", out.ID, out.Title+": "+string(before.Status)+" → "+string(out.Status),
			map[string]string{"status": string(before.Status)}, map[string]string{"status": string(out.Status)})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// GetSummit loads one summit by id.
func GetSummit(ctx context.Context, db *gorm.DB, id uint) (*Summit, error) {
	var s Summit
	if err := withCtx(ctx, db).First(&s, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &s, nil
}

// GetPublicSummit loads a summit only if it is published or archived.
func GetPublicSummit(ctx context.Context, db *gorm.DB, id uint) (*Summit, error) {
	return VisibleSummit(ctx, db, id, nil, false)
}

// VisibleSummit loads a summit as viewer (nil: a visitor) may see it: a
// published or archived summit anyone; a draft nobody, except that with
// preview an organiser or admin sees it (its pages, before publishing).
// Exports and feeds, which leave the site, pass preview false. Anything not
// visible is ErrNotFound, so a draft's existence does not show.
func VisibleSummit(ctx context.Context, db *gorm.DB, id uint, viewer *Person, preview bool) (*Summit, error) {
	s, err := GetSummit(ctx, db, id)
	if err != nil {
		return nil, err
	}
	if !s.IsPublic() && !(preview && viewer.IsOrganiser()) {
		return nil, ErrNotFound
	}
	return s, nil
}

// ListSummits returns every summit, newest year first.
func ListSummits(ctx context.Context, db *gorm.DB) ([]Summit, error) {
	var out []Summit
	err := withCtx(ctx, db).Order("year DESC").Find(&out).Error
	return out, err
}

// ListPublicSummits returns published and archived summits, newest first.
func ListPublicSummits(ctx context.Context, db *gorm.DB) ([]Summit, error) {
	var out []Summit
	err := withCtx(ctx, db).Where("status IN ?", []SummitStatus{StatusPublished, StatusArchived}).Order("year DESC").Find(&out).Error
	return out, err
}

// OrganisingSummit returns the summit organisers are working on now, draft
// or published: the earliest one that has not ended yet, else the most
// recent one that is not archived. ErrNotFound when there is none.
func OrganisingSummit(ctx context.Context, db *gorm.DB, now time.Time) (*Summit, error) {
	return summitNow(ctx, db, now, StatusDraft, StatusPublished)
}

// CurrentSummit returns the published summit people should see now: the
// earliest one that has not ended yet, else the most recent one.
func CurrentSummit(ctx context.Context, db *gorm.DB, now time.Time) (*Summit, error) {
	return summitNow(ctx, db, now, StatusPublished)
}

// summitNow returns, among the summits with one of the statuses, the
// earliest that has not ended yet, else the most recent one.
func summitNow(ctx context.Context, db *gorm.DB, now time.Time, statuses ...SummitStatus) (*Summit, error) {
	var list []Summit
	if err := withCtx(ctx, db).Where("status IN ?", statuses).Order("start_date, id").Find(&list).Error; err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	for i := range list {
		if list[i].End().After(now) {
			return &list[i], nil
		}
	}
	return &list[len(list)-1], nil
}

// SummitParts counts what a summit holds, for its overview.
type SummitParts struct {
	Sessions, Rooms, Tracks, Speakers, Categories int64
}

// CountSummitParts counts a summit's sessions, rooms, tracks, speakers and
// award categories in one statement.
func CountSummitParts(ctx context.Context, db *gorm.DB, summitID uint) (SummitParts, error) {
	var n SummitParts
	err := withCtx(ctx, db).Raw(`SELECT
  (SELECT COUNT(*) FROM sessions WHERE summit_id = ?) AS sessions,
  (SELECT COUNT(*) FROM rooms WHERE summit_id = ?) AS rooms,
  (SELECT COUNT(*) FROM tracks WHERE summit_id = ?) AS tracks,
  (SELECT COUNT(*) FROM speakers WHERE summit_id = ?) AS speakers,
  (SELECT COUNT(*) FROM award_categories WHERE summit_id = ?) AS categories`,
		summitID, summitID, summitID, summitID, summitID).Scan(&n).Error
	if err != nil {
		return n, fmt.Errorf("models: count parts of %d: %w", summitID, err)
	}
	return n, nil
}

// CurrentEditions returns the published editions people should see now:
// those that have not ended yet, earliest first (several when a year has
// regional editions), else the most recent one. ErrNotFound when none is
// published.
func CurrentEditions(ctx context.Context, db *gorm.DB, now time.Time) ([]Summit, error) {
	var list []Summit
	if err := withCtx(ctx, db).Where("status = ?", StatusPublished).Order("start_date, id").Find(&list).Error; err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, ErrNotFound
	}
	var out []Summit
	for _, s := range list {
		if s.End().After(now) {
			out = append(out, s)
		}
	}
	if len(out) == 0 {
		out = list[len(list)-1:]
	}
	return out, nil
}
