package models

// Recognition awards: categories per summit, nominations by staff, judging
// panels with conflict-of-interest rules, and winners kept under embargo
// until each category's announcement moment.
//
// Conflicts of interest are computed when a judge's list or score is read or
// written, never stored: a judge never sees, scores or counts towards a
// nomination whose nominee they are, or whose nominee they themselves
// nominated in that category (so a conflict that appears after the judge was
// assigned takes effect at once, and their earlier scores stop counting).

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// DefaultCriteria are the three scoring criteria a category starts with.
var DefaultCriteria = []string{"Impact on the person served", "Going beyond the role", "Living the trait"}

// Who a nomination says was served.
const (
	ServedCustomer  = "customer"
	ServedColleague = "colleague"
	ServedTeam      = "team"
	ServedCommunity = "community"
)

// ServedChoices lists who can have been served, in form order, with labels.
var ServedChoices = [][2]string{
	{ServedCustomer, "An external customer"},
	{ServedColleague, "A colleague"},
	{ServedTeam, "A team"},
	{ServedCommunity, "The community"},
}

// ServedLabel is the label of a served value.
func ServedLabel(v string) string {
	for _, c := range ServedChoices {
		if c[0] == v {
			return c[1]
		}
	}
	return v
}

// Nomination statuses.
const (
	NominationActive    = "active"
	NominationWithdrawn = "withdrawn"
)

// Story length limits, in characters.
const (
	StoryMin = 50
	StoryMax = 3000
)

// AwardCategory is one award of a summit.
type AwardCategory struct {
	ID              uint `gorm:"primaryKey"`
	SummitID        uint
	Name            string
	Trait           string
	Description     string
	Criteria        string // one criterion per line
	Winners         int
	OpensAt         time.Time
	ClosesAt        time.Time
	AnnounceAt      time.Time
	JudgingClosesAt time.Time
	AllowSelf       bool
	Blind           bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName keeps the table name explicit.
func (AwardCategory) TableName() string { return "award_categories" }

func (c *AwardCategory) utc() {
	c.OpensAt, c.ClosesAt, c.AnnounceAt, c.JudgingClosesAt = c.OpensAt.UTC(), c.ClosesAt.UTC(), c.AnnounceAt.UTC(), c.JudgingClosesAt.UTC()
}

// CriteriaList returns the scoring criteria, in order.
func (c *AwardCategory) CriteriaList() []string {
	var out []string
	for _, l := range strings.Split(c.Criteria, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	if len(out) == 0 {
		return DefaultCriteria
	}
	return out
}

// WindowState says where now falls in the nomination window: not_open, open or closed.
func (c *AwardCategory) WindowState(now time.Time) string {
	switch {
	case now.Before(c.OpensAt):
		return WindowNotOpen
	case !now.Before(c.ClosesAt):
		return WindowClosed
	}
	return WindowOpen
}

// Announced reports whether the winners may be known.
func (c *AwardCategory) Announced(now time.Time) bool { return !now.Before(c.AnnounceAt) }

// JudgingOpen reports whether judges may still change scores.
func (c *AwardCategory) JudgingOpen(now time.Time) bool { return now.Before(c.JudgingClosesAt) }

// DescribeWindow says the nomination window's state in a sentence.
func (c *AwardCategory) DescribeWindow(now time.Time, loc *time.Location) string {
	switch c.WindowState(now) {
	case WindowNotOpen:
		return "Nominations open on " + fmtInstant(c.OpensAt, loc) + "."
	case WindowClosed:
		return "Nominations closed on " + fmtInstant(c.ClosesAt, loc) + "."
	}
	return "Nominations are open until " + fmtInstant(c.ClosesAt, loc) + "."
}

// Nomination is one person's story about a colleague for a category.
type Nomination struct {
	ID          uint `gorm:"primaryKey"`
	CategoryID  uint
	NomineeID   uint
	NominatorID uint
	Story       string
	Served      string
	Quotable    bool
	Status      string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	WithdrawnAt *time.Time

	Nominee   *Person        `gorm:"foreignKey:NomineeID"`
	Nominator *Person        `gorm:"foreignKey:NominatorID"`
	Category  *AwardCategory `gorm:"foreignKey:CategoryID"`
}

// TableName keeps the table name explicit.
func (Nomination) TableName() string { return "award_nominations" }

// ServedText is the label of who was served.
func (n *Nomination) ServedText() string { return ServedLabel(n.Served) }

// Excerpt is the story's beginning, about 90 characters on a word boundary,
// so that a judge can tell two nominations of one person apart in a list.
func (n *Nomination) Excerpt() string {
	s := strings.Join(strings.Fields(n.Story), " ")
	r := []rune(s)
	if len(r) <= 90 {
		return s
	}
	cut := string(r[:90])
	if i := strings.LastIndex(cut, " "); i > 40 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// AwardJudge assigns a person to judge a category.
type AwardJudge struct {
	ID         uint `gorm:"primaryKey"`
	CategoryID uint
	PersonID   uint
	CreatedAt  time.Time

	Person *Person `gorm:"foreignKey:PersonID"`
}

// TableName keeps the table name explicit.
func (AwardJudge) TableName() string { return "award_judges" }

// AwardScore is one judge's score of one nomination: a point (1–5) per
// criterion, comma-separated, their sum and an optional comment.
type AwardScore struct {
	ID           uint `gorm:"primaryKey"`
	NominationID uint
	JudgeID      uint
	Points       string
	Total        int
	Comment      string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// TableName keeps the table name explicit.
func (AwardScore) TableName() string { return "award_scores" }

// PointList returns the points per criterion.
func (s *AwardScore) PointList() []int {
	var out []int
	for _, p := range strings.Split(s.Points, ",") {
		n, _ := strconv.Atoi(strings.TrimSpace(p))
		out = append(out, n)
	}
	return out
}

// Max is the highest total the score could have (5 per criterion).
func (s *AwardScore) Max() int { return 5 * len(s.PointList()) }

// Mean is the score's average point.
func (s *AwardScore) Mean() float64 {
	n := len(s.PointList())
	if n == 0 {
		return 0
	}
	return float64(s.Total) / float64(n)
}

// AwardRecusal is a judge stepping back from one nomination, with a reason.
type AwardRecusal struct {
	ID           uint `gorm:"primaryKey"`
	NominationID uint
	JudgeID      uint
	Reason       string
	CreatedAt    time.Time
}

// TableName keeps the table name explicit.
func (AwardRecusal) TableName() string { return "award_recusals" }

// AwardWinner is a person chosen as a winner of a category.
type AwardWinner struct {
	ID         uint `gorm:"primaryKey"`
	CategoryID uint
	NomineeID  uint
	Place      int
	Reason     string
	ChosenBy   *uint
	CreatedAt  time.Time

	Nominee *Person `gorm:"foreignKey:NomineeID"`
}

// TableName keeps the table name explicit.
func (AwardWinner) TableName() string { return "award_winners" }

// --- Categories ---

// CategoryInput is what an organiser types for a category. Days and times
// are in the summit's time zone; an empty announcement means the start of the
// summit's ceremony session, an empty judging close means the announcement.
type CategoryInput struct {
	Name, Trait, Description  string
	Criteria                  string // one per line; empty: the three defaults
	Winners                   string
	OpensDay, OpensTime       string
	ClosesDay, ClosesTime     string
	AnnounceDay, AnnounceTime string
	JudgingDay, JudgingTime   string
	AllowSelf                 bool
	ShowNominator             bool // judging is blind unless set
}

// SuggestedCategory is a ready-made category built on a service trait.
type SuggestedCategory struct {
	Key, Name, Trait, Description string
}

// SuggestedCategories are categories built on the service traits worth honouring.
var SuggestedCategories = []SuggestedCategory{
	{"patience", "The Patience Award", "Patience", "For staying calm and attentive through long, confusing or repeated requests."},
	{"kindness", "The Kindness Award", "Kindness", "For kindness that made someone's day, a customer's or a colleague's."},
	{"positivity", "The Positivity Award", "Positivity", "For honest positivity that lifted a hard conversation."},
	{"flexibility", "The Flexibility Award", "Flexibility", "For bending the process for a person who needed it, wisely."},
	{"timeliness", "The Timeliness Award", "Timeliness", "For keeping promises about time, and saying early when they could not be kept."},
	{"focus", "The Focus Award", "Focus", "For giving one person full attention when ten things were waiting."},
	{"damage-control", "The Turnaround Award", "Damage control", "For turning a bad moment around for someone."},
	{"product-knowledge", "The Know-How Award", "Knowledge of the product", "For knowing the product well enough to answer the question people actually had."},
	{"learning", "The Open Mind Award", "Open to learning", "For learning something new to serve people better."},
	{"self-awareness", "The Self-Awareness Award", "Self-awareness", "For knowing their own limits and energy, and serving well all year because of it."},
	{"quality", "The Quality Award", "Quality over quantity", "For fewer, better conversations instead of a count of closed cases."},
	{"communication", "The Many Voices Award", "Communicating in many ways", "For choosing the channel that served the person: phone, chat, letter, in person."},
}

// Suggestion returns a suggested category by key, or nil.
func Suggestion(key string) *SuggestedCategory {
	for i := range SuggestedCategories {
		if SuggestedCategories[i].Key == key {
			return &SuggestedCategories[i]
		}
	}
	return nil
}

// CeremonyStart returns the start of the summit's first ceremony session, or nil.
func CeremonyStart(ctx context.Context, db *gorm.DB, summitID uint) (*time.Time, error) {
	var list []Session
	if err := withCtx(ctx, db).Where("summit_id = ? AND kind = ?", summitID, KindCeremony).Order("starts_at").Limit(1).Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: ceremony start: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	t := list[0].StartsAt.UTC()
	return &t, nil
}

// followCeremony keeps an award announcement that falls at the start of the
// summit's ceremony at that start when the ceremony moves. An organiser who
// left the announcement at "the start of the ceremony session" and then moves
// the ceremony later must never see the winners revealed at the old time,
// before the ceremony. SaveSession calls it inside its transaction with the
// ceremony start from before its change. Announcements already past stay.
func followCeremony(ctx context.Context, tx *gorm.DB, summitID uint, before *time.Time, loc *time.Location, now time.Time) error {
	if before == nil || !now.Before(*before) {
		return nil
	}
	after, err := CeremonyStart(ctx, tx, summitID)
	if err != nil {
		return err
	}
	if after == nil || after.Equal(*before) {
		return nil
	}
	cats, err := ListCategories(ctx, tx, summitID)
	if err != nil {
		return err
	}
	f := FieldErrors{}
	for _, c := range cats {
		if !c.AnnounceAt.Equal(*before) {
			continue
		}
		if after.Before(c.ClosesAt) {
			f.Add("start_time", "The award “"+c.Name+"” is announced at the start of the ceremony, and its nominations close on "+
				fmtInstant(c.ClosesAt, loc)+". Start the ceremony after that, or change the award's dates first.")
			continue
		}
		upd := map[string]any{"announce_at": after.UTC(), "updated_at": time.Now().UTC()}
		if c.JudgingClosesAt.Equal(*before) || c.JudgingClosesAt.After(*after) {
			upd["judging_closes_at"] = after.UTC()
		}
		if err := tx.Model(&AwardCategory{}).Where("id = ?", c.ID).Updates(upd).Error; err != nil {
			return err
		}
		if err := Audit(ctx, tx, Actor{Name: "system (the ceremony moved)"}, "award.update", "award_category", c.ID,
			"The announcement of “"+c.Name+"” moved with the ceremony to "+fmtInstant(*after, loc), map[string]time.Time{"announce_at": c.AnnounceAt}, upd); err != nil {
			return err
		}
	}
	return f.Err()
}

// SaveCategory creates (id 0) or updates a category of a summit. Audited.
func SaveCategory(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in CategoryInput) (*AwardCategory, error) {
	var out AwardCategory
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		var summit Summit
		if err := tx.First(&summit, summitID).Error; err != nil {
			return notFound(err)
		}
		var before *AwardCategory
		if id != 0 {
			var cur AwardCategory
			if err := tx.Where("summit_id = ?", summitID).First(&cur, id).Error; err != nil {
				return notFound(err)
			}
			cur.utc()
			before = &cur
			out = cur
		}
		f := FieldErrors{}
		out.SummitID = summitID
		out.Name = checkText(f, "name", "Name", in.Name, true, 120)
		out.Trait = checkText(f, "trait", "Trait", in.Trait, false, 80)
		out.Description = checkText(f, "description", "Description", in.Description, false, 1000)
		crit := checkText(f, "criteria", "Criteria", in.Criteria, false, 1000)
		var lines []string
		for _, l := range strings.Split(crit, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			lines = DefaultCriteria
		}
		if len(lines) > 6 {
			f.Add("criteria", "Use at most 6 criteria, one per line.")
		}
		out.Criteria = strings.Join(lines, "\n")
		out.Winners = 1
		if w := strings.TrimSpace(in.Winners); w != "" {
			n, err := strconv.Atoi(w)
			if err != nil || n < 1 || n > 10 {
				f.Add("winners", "Number of winners must be a whole number from 1 to 10.")
			} else {
				out.Winners = n
			}
		}
		out.AllowSelf, out.Blind = in.AllowSelf, !in.ShowNominator
		loc := summit.Location()
		parse := func(dayField, timeField, label, day, hhmm string, required bool) *time.Time {
			if strings.TrimSpace(day) == "" && strings.TrimSpace(hhmm) == "" && !required {
				return nil
			}
			if strings.TrimSpace(day) == "" {
				f.Add(dayField, label+" day is required, a date like 2027-02-01.")
				return nil
			}
			if strings.TrimSpace(hhmm) == "" {
				f.Add(timeField, label+" time is required, written like 09:00.")
				return nil
			}
			t, err := LocalTime(loc, day, hhmm)
			if err != nil {
				if strings.HasPrefix(err.Error(), "day") {
					f.Add(dayField, label+" day must be a date like 2027-02-01.")
				} else {
					f.Add(timeField, label+" "+err.Error()+".")
				}
				return nil
			}
			u := t.UTC()
			return &u
		}
		opens := parse("opens_day", "opens_time", "Nominations open", in.OpensDay, in.OpensTime, true)
		closes := parse("closes_day", "closes_time", "Nominations close", in.ClosesDay, in.ClosesTime, true)
		announce := parse("announce_day", "announce_time", "Announcement", in.AnnounceDay, in.AnnounceTime, false)
		judging := parse("judging_day", "judging_time", "Judging closes", in.JudgingDay, in.JudgingTime, false)
		if announce == nil && f["announce_day"] == "" && f["announce_time"] == "" {
			cs, err := CeremonyStart(ctx, tx, summitID)
			if err != nil {
				return err
			}
			if cs == nil {
				f.Add("announce_day", "Enter the announcement moment, or add a ceremony session to the agenda first (its start is the default).")
			}
			announce = cs
		}
		if judging == nil && announce != nil && f["judging_day"] == "" && f["judging_time"] == "" {
			judging = announce
		}
		if opens != nil && closes != nil && !closes.After(*opens) {
			f.Add("closes_day", "Nominations must close after they open.")
		}
		if closes != nil && announce != nil && announce.Before(*closes) {
			f.Add("announce_day", "The announcement must come after nominations close ("+fmtInstant(*closes, loc)+").")
		}
		if judging != nil && announce != nil && judging.After(*announce) {
			f.Add("judging_day", "Judging must close by the announcement ("+fmtInstant(*announce, loc)+").")
		}
		if judging != nil && closes != nil && judging.Before(*closes) {
			f.Add("judging_day", "Judging must close after nominations close.")
		}
		// Moving a coming announcement into the past reveals the chosen
		// winners at once; a slip of the date must not do that. Announcing
		// now (the current minute) stays possible.
		if now := time.Now(); before != nil && announce != nil && before.AnnounceAt.After(now) && announce.Before(now.Add(-5*time.Minute)) && f["announce_day"] == "" {
			var won int64
			if err := tx.Model(&AwardWinner{}).Where("category_id = ?", before.ID).Count(&won).Error; err != nil {
				return err
			}
			if won > 0 {
				f.Add("announce_day", "That announcement ("+fmtInstant(*announce, loc)+") is already past, so the chosen winners would be revealed at once. "+
					"To announce now, enter the current day and time; otherwise choose a moment still to come.")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		out.OpensAt, out.ClosesAt, out.AnnounceAt, out.JudgingClosesAt = *opens, *closes, *announce, *judging
		out.UpdatedAt = time.Now().UTC()
		action := "award.update"
		if id == 0 {
			out.CreatedAt = out.UpdatedAt
			action = "award.create"
			if err := tx.Create(&out).Error; err != nil {
				return err
			}
		} else if err := tx.Save(&out).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, action, "award_category", out.ID, "Award category “"+out.Name+"”", before, out)
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("models: save award category: %w", err)
	}
	return &out, nil
}

// DeleteCategory removes a category with everything in it. Audited. While
// staff nominations are in it (their stories would be lost for good), the
// organiser confirms by typing the category's name; otherwise a FieldErrors
// on "confirm" says how many nominations would go.
func DeleteCategory(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, confirm string) error {
	return withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		c, err := GetCategory(ctx, tx, summitID, id)
		if err != nil {
			return err
		}
		var active int64
		if err := tx.Model(&Nomination{}).Where("category_id = ? AND status = ?", c.ID, NominationActive).Count(&active).Error; err != nil {
			return err
		}
		if active > 0 && !strings.EqualFold(strings.TrimSpace(confirm), strings.TrimSpace(c.Name)) {
			what := "1 nomination"
			if active != 1 {
				what = strconv.FormatInt(active, 10) + " nominations"
			}
			return FieldErrors{"confirm": "“" + c.Name + "” holds " + what + " written by staff; deleting it deletes their stories, scores and any winners for good. To go ahead, type the category's name exactly: " + c.Name}
		}
		// Children first: SQLite may run without foreign-key cascades.
		nomIDs := tx.Model(&Nomination{}).Select("id").Where("category_id = ?", id)
		for _, q := range []any{&AwardScore{}, &AwardRecusal{}} {
			if err := tx.Where("nomination_id IN (?)", nomIDs).Delete(q).Error; err != nil {
				return err
			}
		}
		for _, q := range []any{&Nomination{}, &AwardJudge{}, &AwardWinner{}} {
			if err := tx.Where("category_id = ?", id).Delete(q).Error; err != nil {
				return err
			}
		}
		if err := tx.Delete(&AwardCategory{}, id).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "award.delete", "award_category", id, "Deleted award category “"+c.Name+"”", c, nil)
	})
}

// GetCategory loads a category of a summit.
func GetCategory(ctx context.Context, db *gorm.DB, summitID, id uint) (*AwardCategory, error) {
	var c AwardCategory
	if err := withCtx(ctx, db).Where("summit_id = ?", summitID).First(&c, id).Error; err != nil {
		return nil, notFound(err)
	}
	c.utc()
	return &c, nil
}

// ListCategories lists a summit's categories by name.
func ListCategories(ctx context.Context, db *gorm.DB, summitID uint) ([]AwardCategory, error) {
	var out []AwardCategory
	if err := withCtx(ctx, db).Where("summit_id = ?", summitID).Order("name, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list award categories: %w", err)
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}

// --- Nominating ---

// NominationInput is what a nominator types.
type NominationInput struct {
	CategoryID string
	NomineeID  string
	Story      string
	Served     string
	Quotable   bool
}

func checkStory(f FieldErrors, story string) string {
	s := strings.TrimSpace(strings.ReplaceAll(story, "\r\n", "\n"))
	n := utf8.RuneCountInString(s)
	switch {
	case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
		f.Add("story", "The story contains characters that are not valid text; please retype it.")
	case n < StoryMin:
		f.Add("story", fmt.Sprintf("The story is too short: %d characters. Tell what they did and for whom in at least %d characters.", n, StoryMin))
	case n > StoryMax:
		f.Add("story", fmt.Sprintf("The story is too long: %d characters, at most %d. Keep the part that shows what they did.", n, StoryMax))
	}
	return s
}

func checkServed(f FieldErrors, v string) string {
	v = strings.TrimSpace(v)
	for _, c := range ServedChoices {
		if c[0] == v {
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
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		f := FieldErrors{}
		var summit Summit
		if err := tx.First(&summit, summitID).Error; err != nil {
			return notFound(err)
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
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("models: nominate: %w", err)
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

// UpdateNomination changes the story, who was served and whether it may be
// quoted, until the window closes. Only the nominator may.
func UpdateNomination(ctx context.Context, db *gorm.DB, summitID, nominatorID, id uint, in NominationInput, now time.Time) (*Nomination, error) {
	var out *Nomination
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		n, c, err := myNomination(tx, summitID, nominatorID, id)
		if err != nil {
			return err
		}
		var summit Summit
		if err := tx.First(&summit, summitID).Error; err != nil {
			return notFound(err)
		}
		if c.WindowState(now) != WindowOpen {
			return closedForChanges(c, summit.Location())
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
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("models: update nomination %d: %w", id, err)
	}
	return out, nil
}

// WithdrawNomination withdraws a nomination until the window closes; its
// scores stop counting. Only the nominator may.
func WithdrawNomination(ctx context.Context, db *gorm.DB, summitID, nominatorID, id uint, now time.Time) error {
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		n, c, err := myNomination(tx, summitID, nominatorID, id)
		if err != nil {
			return err
		}
		var summit Summit
		if err := tx.First(&summit, summitID).Error; err != nil {
			return notFound(err)
		}
		if c.WindowState(now) != WindowOpen {
			return closedForChanges(c, summit.Location())
		}
		return tx.Model(&Nomination{}).Where("id = ? AND status = ?", n.ID, NominationActive).
			Updates(map[string]any{"status": NominationWithdrawn, "withdrawn_at": now.UTC(), "updated_at": now.UTC()}).Error
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return err
		}
		return fmt.Errorf("models: withdraw nomination %d: %w", id, err)
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

// --- Judges ---

// AddJudge assigns an active person to judge a category. Audited.
func AddJudge(ctx context.Context, db *gorm.DB, who Actor, summitID, categoryID, personID uint) error {
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		c, err := GetCategory(ctx, tx, summitID, categoryID)
		if err != nil {
			return err
		}
		p, err := GetPerson(ctx, tx, personID)
		if err != nil || !p.Active {
			return FieldErrors{"person_id": "Choose an active person from the directory as judge."}
		}
		var n int64
		if err := tx.Model(&AwardJudge{}).Where("category_id = ? AND person_id = ?", c.ID, p.ID).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return FieldErrors{"person_id": p.Name + " already judges “" + c.Name + "”."}
		}
		if err := tx.Create(&AwardJudge{CategoryID: c.ID, PersonID: p.ID, CreatedAt: time.Now().UTC()}).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return FieldErrors{"person_id": p.Name + " already judges “" + c.Name + "”."}
			}
			return err
		}
		return Audit(ctx, tx, who, "award.judge_add", "award_category", c.ID, "Added "+p.Name+" as judge of “"+c.Name+"”", nil, map[string]uint{"person_id": p.ID})
	})
	var fe FieldErrors
	if err != nil && !errors.As(err, &fe) && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("models: add judge: %w", err)
	}
	return err
}

// RemoveJudge takes a judge off a category; their scores stop counting. Audited.
func RemoveJudge(ctx context.Context, db *gorm.DB, who Actor, summitID, categoryID, personID uint) error {
	return withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		c, err := GetCategory(ctx, tx, summitID, categoryID)
		if err != nil {
			return err
		}
		res := tx.Where("category_id = ? AND person_id = ?", c.ID, personID).Delete(&AwardJudge{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return Audit(ctx, tx, who, "award.judge_remove", "award_category", c.ID, fmt.Sprintf("Removed judge %d from “%s”", personID, c.Name), map[string]uint{"person_id": personID}, nil)
	})
}

// ListJudges lists a category's judges by name.
func ListJudges(ctx context.Context, db *gorm.DB, categoryID uint) ([]Person, error) {
	var out []Person
	err := withCtx(ctx, db).Joins("JOIN award_judges ON award_judges.person_id = people.id").
		Where("award_judges.category_id = ?", categoryID).Order("people.name").Find(&out).Error
	return out, err
}

// NominatedJudges returns the judges of a category who are themselves
// nominated in it (their scores do not count). For organisers only.
func NominatedJudges(ctx context.Context, db *gorm.DB, categoryID uint) (map[uint]bool, error) {
	var ids []uint
	err := withCtx(ctx, db).Model(&Nomination{}).Distinct("nominee_id").
		Where("category_id = ? AND status = ? AND nominee_id IN (SELECT person_id FROM award_judges WHERE category_id = ?)", categoryID, NominationActive, categoryID).
		Pluck("nominee_id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("models: nominated judges: %w", err)
	}
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// JudgeCategories lists the categories of a summit a person judges.
func JudgeCategories(ctx context.Context, db *gorm.DB, summitID, personID uint) ([]AwardCategory, error) {
	var out []AwardCategory
	err := withCtx(ctx, db).Joins("JOIN award_judges ON award_judges.category_id = award_categories.id").
		Where("award_categories.summit_id = ? AND award_judges.person_id = ?", summitID, personID).Order("award_categories.name").Find(&out).Error
	for i := range out {
		out[i].utc()
	}
	return out, err
}

func isJudge(tx *gorm.DB, categoryID, personID uint) (bool, error) {
	var n int64
	err := tx.Model(&AwardJudge{}).Where("category_id = ? AND person_id = ?", categoryID, personID).Count(&n).Error
	return n > 0, err
}

// noConflict limits a query on award_nominations to nominations the judge
// has no part in: not about them, not written by them, and not about anyone
// they nominated in the same category — even if they withdrew that
// nomination since (withdrawing must not be a way to score the person they
// wanted to win). Every judge path uses it.
func noConflict(q *gorm.DB, judgeID uint) *gorm.DB {
	return q.Where("award_nominations.nominee_id <> ? AND award_nominations.nominator_id <> ?", judgeID, judgeID).
		Where("award_nominations.nominee_id NOT IN (SELECT mine.nominee_id FROM award_nominations mine WHERE mine.category_id = award_nominations.category_id AND mine.nominator_id = ?)", judgeID)
}

// JudgeItem is one nomination on a judge's list: the nominator is left out
// when judging is blind; only the judge's own score is included.
type JudgeItem struct {
	Nomination Nomination
	MyScore    *AwardScore
	Recusal    *AwardRecusal
}

// ChangedSinceScored reports whether the nominator changed the story (or who
// was served) after the judge last saved their score.
func (it JudgeItem) ChangedSinceScored() bool {
	return it.MyScore != nil && it.Nomination.UpdatedAt.After(it.MyScore.UpdatedAt)
}

// JudgeQueue lists the nominations of a category a judge may see, with their
// own score or recusal. ErrNotFound when they do not judge the category.
func JudgeQueue(ctx context.Context, db *gorm.DB, summitID, categoryID, judgeID uint) (*AwardCategory, []JudgeItem, error) {
	tx := withCtx(ctx, db)
	c, err := GetCategory(ctx, tx, summitID, categoryID)
	if err != nil {
		return nil, nil, err
	}
	ok, err := isJudge(tx, c.ID, judgeID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, ErrNotFound
	}
	var noms []Nomination
	q := tx.Preload("Nominee").Where("award_nominations.category_id = ? AND award_nominations.status = ?", c.ID, NominationActive)
	if err := noConflict(q, judgeID).Order("award_nominations.id").Find(&noms).Error; err != nil {
		return nil, nil, fmt.Errorf("models: judge queue: %w", err)
	}
	ids := make([]uint, len(noms))
	for i := range noms {
		ids[i] = noms[i].ID
	}
	var scores []AwardScore
	var recusals []AwardRecusal
	if len(ids) > 0 {
		if err := tx.Where("judge_id = ? AND nomination_id IN ?", judgeID, ids).Find(&scores).Error; err != nil {
			return nil, nil, err
		}
		if err := tx.Where("judge_id = ? AND nomination_id IN ?", judgeID, ids).Find(&recusals).Error; err != nil {
			return nil, nil, err
		}
	}
	out := make([]JudgeItem, len(noms))
	for i, n := range noms {
		n.Category = c
		out[i].Nomination = n
		if !c.Blind {
			p, _ := GetPerson(ctx, tx, n.NominatorID)
			out[i].Nomination.Nominator = p
		}
		for j := range scores {
			if scores[j].NominationID == n.ID {
				out[i].MyScore = &scores[j]
			}
		}
		for j := range recusals {
			if recusals[j].NominationID == n.ID {
				out[i].Recusal = &recusals[j]
			}
		}
	}
	return c, out, nil
}

// judgeNomination loads a nomination a judge may see; anything else (not a
// judge of its category, a conflict, withdrawn, another summit) is ErrNotFound.
func judgeNomination(ctx context.Context, tx *gorm.DB, summitID, nominationID, judgeID uint) (*AwardCategory, *Nomination, error) {
	var list []Nomination
	q := tx.Preload("Nominee").Where("award_nominations.id = ? AND award_nominations.status = ?", nominationID, NominationActive)
	if err := noConflict(q, judgeID).Limit(1).Find(&list).Error; err != nil {
		return nil, nil, err
	}
	if len(list) == 0 {
		return nil, nil, ErrNotFound
	}
	n := list[0]
	c, err := GetCategory(ctx, tx, summitID, n.CategoryID)
	if err != nil {
		return nil, nil, err
	}
	ok, err := isJudge(tx, c.ID, judgeID)
	if err != nil {
		return nil, nil, err
	}
	if !ok {
		return nil, nil, ErrNotFound
	}
	n.Category = c
	if !c.Blind {
		n.Nominator, _ = GetPerson(ctx, tx, n.NominatorID)
	}
	return c, &n, nil
}

// GetJudgeItem loads one nomination for a judge, with their own score.
func GetJudgeItem(ctx context.Context, db *gorm.DB, summitID, nominationID, judgeID uint) (*JudgeItem, error) {
	tx := withCtx(ctx, db)
	_, n, err := judgeNomination(ctx, tx, summitID, nominationID, judgeID)
	if err != nil {
		return nil, err
	}
	it := &JudgeItem{Nomination: *n}
	var s []AwardScore
	if err := tx.Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Limit(1).Find(&s).Error; err != nil {
		return nil, err
	}
	if len(s) > 0 {
		it.MyScore = &s[0]
	}
	var r []AwardRecusal
	if err := tx.Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Limit(1).Find(&r).Error; err != nil {
		return nil, err
	}
	if len(r) > 0 {
		it.Recusal = &r[0]
	}
	return it, nil
}

// ScoreInput is a judge's points (one per criterion, "1"–"5") and comment.
type ScoreInput struct {
	Points  []string
	Comment string
}

func judgingClosed(c *AwardCategory, loc *time.Location) error {
	return FieldErrors{"score": "Judging for “" + c.Name + "” closed on " + fmtInstant(c.JudgingClosesAt, loc) + "; scores can no longer change."}
}

// SaveScore records or changes a judge's score of a nomination until
// judging closes.
func SaveScore(ctx context.Context, db *gorm.DB, summitID, judgeID, nominationID uint, in ScoreInput, now time.Time) (*AwardScore, error) {
	var out AwardScore
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		c, n, err := judgeNomination(ctx, tx, summitID, nominationID, judgeID)
		if err != nil {
			return err
		}
		var summit Summit
		if err := tx.First(&summit, summitID).Error; err != nil {
			return notFound(err)
		}
		if !c.JudgingOpen(now) {
			return judgingClosed(c, summit.Location())
		}
		var rec int64
		if err := tx.Model(&AwardRecusal{}).Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Count(&rec).Error; err != nil {
			return err
		}
		if rec > 0 {
			return FieldErrors{"score": "You recused yourself from this nomination, so you cannot score it."}
		}
		f := FieldErrors{}
		crit := c.CriteriaList()
		pts := make([]string, len(crit))
		total := 0
		for i, name := range crit {
			v := ""
			if i < len(in.Points) {
				v = strings.TrimSpace(in.Points[i])
			}
			p, err := strconv.Atoi(v)
			if err != nil || p < 1 || p > 5 {
				f.Add("c"+strconv.Itoa(i), "Score “"+name+"” from 1 to 5.")
				continue
			}
			pts[i] = strconv.Itoa(p)
			total += p
		}
		comment := checkText(f, "comment", "Comment", in.Comment, false, 2000)
		if err := f.Err(); err != nil {
			return err
		}
		var cur []AwardScore
		if err := tx.Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Limit(1).Find(&cur).Error; err != nil {
			return err
		}
		out = AwardScore{NominationID: n.ID, JudgeID: judgeID, Points: strings.Join(pts, ","), Total: total, Comment: comment, CreatedAt: now.UTC(), UpdatedAt: now.UTC()}
		if len(cur) > 0 {
			out.ID, out.CreatedAt = cur[0].ID, cur[0].CreatedAt
			return tx.Model(&AwardScore{}).Where("id = ?", out.ID).
				UpdateColumns(map[string]any{"points": out.Points, "total": out.Total, "comment": out.Comment, "updated_at": out.UpdatedAt}).Error
		}
		return tx.Create(&out).Error
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return nil, err
		}
		return nil, fmt.Errorf("models: save score: %w", err)
	}
	return &out, nil
}

// Recuse records that a judge steps back from a nomination, with a reason;
// any score they gave it is removed.
func Recuse(ctx context.Context, db *gorm.DB, summitID, judgeID, nominationID uint, reason string, now time.Time) error {
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		c, n, err := judgeNomination(ctx, tx, summitID, nominationID, judgeID)
		if err != nil {
			return err
		}
		var summit Summit
		if err := tx.First(&summit, summitID).Error; err != nil {
			return notFound(err)
		}
		if !c.JudgingOpen(now) {
			return judgingClosed(c, summit.Location())
		}
		f := FieldErrors{}
		reason = checkText(f, "reason", "Reason", reason, true, 500)
		if f["reason"] == "Reason is required." {
			f["reason"] = "Say briefly why you step back from this nomination (it is shown to organisers only)."
		}
		if err := f.Err(); err != nil {
			return err
		}
		var rec int64
		if err := tx.Model(&AwardRecusal{}).Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Count(&rec).Error; err != nil {
			return err
		}
		if rec > 0 {
			return FieldErrors{"reason": "You have already recused yourself from this nomination."}
		}
		if err := tx.Where("nomination_id = ? AND judge_id = ?", n.ID, judgeID).Delete(&AwardScore{}).Error; err != nil {
			return err
		}
		return tx.Create(&AwardRecusal{NominationID: n.ID, JudgeID: judgeID, Reason: reason, CreatedAt: now.UTC()}).Error
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return err
		}
		return fmt.Errorf("models: recuse: %w", err)
	}
	return nil
}

// --- Organisers: progress, results, winners ---

// JudgeProgress is how far one judge got in one category.
type JudgeProgress struct {
	Judge    Person
	Eligible int // nominations they may judge
	Scored   int
	Recused  int
}

// Done reports whether the judge has scored or recused every nomination.
func (p JudgeProgress) Done() bool { return p.Scored+p.Recused >= p.Eligible }

// CategoryProgress is judging progress of one category.
type CategoryProgress struct {
	Category    AwardCategory
	Nominations int
	Judges      []JudgeProgress
	Scored      int // judge × nomination pairs scored or recused
	Needed      int // judge × nomination pairs to do
}

// Percent is how much of the category's judging is done, 0–100.
func (p CategoryProgress) Percent() int {
	if p.Needed == 0 {
		return 0
	}
	return p.Scored * 100 / p.Needed
}

// JudgingProgress returns, per category of a summit, how far each judge got.
// For organisers only.
func JudgingProgress(ctx context.Context, db *gorm.DB, summitID uint) ([]CategoryProgress, error) {
	tx := withCtx(ctx, db)
	cats, err := ListCategories(ctx, tx, summitID)
	if err != nil {
		return nil, err
	}
	var out []CategoryProgress
	for _, c := range cats {
		cp := CategoryProgress{Category: c}
		var n int64
		if err := tx.Model(&Nomination{}).Where("category_id = ? AND status = ?", c.ID, NominationActive).Count(&n).Error; err != nil {
			return nil, err
		}
		cp.Nominations = int(n)
		judges, err := ListJudges(ctx, tx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, j := range judges {
			jp := JudgeProgress{Judge: j}
			var e, s, r int64
			base := func() *gorm.DB {
				return noConflict(tx.Model(&Nomination{}).Where("award_nominations.category_id = ? AND award_nominations.status = ?", c.ID, NominationActive), j.ID)
			}
			if err := base().Count(&e).Error; err != nil {
				return nil, err
			}
			if err := base().Where("EXISTS (SELECT 1 FROM award_scores s WHERE s.nomination_id = award_nominations.id AND s.judge_id = ?)", j.ID).Count(&s).Error; err != nil {
				return nil, err
			}
			if err := base().Where("EXISTS (SELECT 1 FROM award_recusals r WHERE r.nomination_id = award_nominations.id AND r.judge_id = ?)", j.ID).Count(&r).Error; err != nil {
				return nil, err
			}
			jp.Eligible, jp.Scored, jp.Recused = int(e), int(s), int(r)
			cp.Judges = append(cp.Judges, jp)
			cp.Needed += jp.Eligible
			cp.Scored += jp.Scored + jp.Recused
		}
		out = append(out, cp)
	}
	return out, nil
}

// ResultRow is one nominee in a category's ranking: all their nominations in
// the category count together.
type ResultRow struct {
	Rank        int
	Nominee     Person
	Nominations []Nomination
	Mean        float64 // mean point over every counted score, 0 when none
	Scores      int     // counted scores
	Judges      int     // distinct judges who scored
	Tie         bool    // same mean as another scored nominee
	FewScores   bool    // fewer than two scores
	Winner      *AwardWinner
	Notes       []ScoreNote // each counted score and each recusal, for organisers
}

// ScoreNote is one judge's score or recusal of a nominee, for organisers.
type ScoreNote struct {
	Judge   string
	Points  string
	Comment string
	Recusal string // the reason, when the judge stepped back
	Ignored string // why the score does not count, when it does not
}

// MeanText writes the mean with two decimals, or "–" without scores.
func (r ResultRow) MeanText() string {
	if r.Scores == 0 {
		return "–"
	}
	return strconv.FormatFloat(r.Mean, 'f', 2, 64)
}

// Results ranks a category's nominees by mean score. Only scores of judges
// still assigned and free of conflict count. For organisers only.
func Results(ctx context.Context, db *gorm.DB, summitID, categoryID uint) (*AwardCategory, []ResultRow, error) {
	tx := withCtx(ctx, db)
	c, err := GetCategory(ctx, tx, summitID, categoryID)
	if err != nil {
		return nil, nil, err
	}
	var noms []Nomination
	if err := tx.Preload("Nominee").Preload("Nominator").Where("category_id = ? AND status = ?", c.ID, NominationActive).Order("id").Find(&noms).Error; err != nil {
		return nil, nil, fmt.Errorf("models: results: %w", err)
	}
	judges, err := ListJudges(ctx, tx, c.ID)
	if err != nil {
		return nil, nil, err
	}
	var winners []AwardWinner
	if err := tx.Where("category_id = ?", c.ID).Order("place").Find(&winners).Error; err != nil {
		return nil, nil, err
	}
	rows := map[uint]*ResultRow{}
	var order []uint
	for _, n := range noms {
		r := rows[n.NomineeID]
		if r == nil {
			r = &ResultRow{}
			if n.Nominee != nil {
				r.Nominee = *n.Nominee
			}
			rows[n.NomineeID] = r
			order = append(order, n.NomineeID)
		}
		r.Nominations = append(r.Nominations, n)
	}
	sums := map[uint]float64{}
	judgeSets := map[uint]map[uint]bool{}
	for _, j := range judges {
		var ids []uint
		q := tx.Model(&Nomination{}).Where("award_nominations.category_id = ? AND award_nominations.status = ?", c.ID, NominationActive)
		if err := noConflict(q, j.ID).Pluck("award_nominations.id", &ids).Error; err != nil {
			return nil, nil, err
		}
		if len(ids) == 0 {
			continue
		}
		var scores []AwardScore
		if err := tx.Where("judge_id = ? AND nomination_id IN ?", j.ID, ids).Find(&scores).Error; err != nil {
			return nil, nil, err
		}
		// A judge who is nominated in this category competes with everyone
		// they score: their scores are shown to organisers but do not count.
		_, competing := rows[j.ID]
		for _, s := range scores {
			var nominee uint
			for _, n := range noms {
				if n.ID == s.NominationID {
					nominee = n.NomineeID
				}
			}
			r := rows[nominee]
			if r == nil {
				continue
			}
			if competing {
				r.Notes = append(r.Notes, ScoreNote{Judge: j.Name, Points: s.Points, Comment: s.Comment, Ignored: "not counted: " + j.Name + " is also nominated in this category"})
				continue
			}
			r.Scores++
			sums[nominee] += s.Mean()
			r.Notes = append(r.Notes, ScoreNote{Judge: j.Name, Points: s.Points, Comment: s.Comment})
			if judgeSets[nominee] == nil {
				judgeSets[nominee] = map[uint]bool{}
			}
			judgeSets[nominee][j.ID] = true
		}
	}
	var recs []AwardRecusal
	if err := tx.Joins("JOIN award_nominations ON award_nominations.id = award_recusals.nomination_id").
		Where("award_nominations.category_id = ? AND award_nominations.status = ?", c.ID, NominationActive).Find(&recs).Error; err != nil {
		return nil, nil, err
	}
	for _, rc := range recs {
		for _, n := range noms {
			if n.ID != rc.NominationID || rows[n.NomineeID] == nil {
				continue
			}
			name := "a former judge"
			for _, j := range judges {
				if j.ID == rc.JudgeID {
					name = j.Name
				}
			}
			rows[n.NomineeID].Notes = append(rows[n.NomineeID].Notes, ScoreNote{Judge: name, Recusal: rc.Reason})
		}
	}
	out := make([]ResultRow, 0, len(order))
	for _, id := range order {
		r := rows[id]
		if r.Scores > 0 {
			r.Mean = math.Round(sums[id]/float64(r.Scores)*100) / 100
		}
		r.Judges = len(judgeSets[id])
		r.FewScores = r.Scores < 2
		for i := range winners {
			if winners[i].NomineeID == id {
				w := winners[i]
				r.Winner = &w
			}
		}
		out = append(out, *r)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if (out[i].Scores > 0) != (out[j].Scores > 0) {
			return out[i].Scores > 0
		}
		if out[i].Mean != out[j].Mean {
			return out[i].Mean > out[j].Mean
		}
		return strings.ToLower(out[i].Nominee.Name) < strings.ToLower(out[j].Nominee.Name)
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Scores > 0 && out[i-1].Scores > 0 && out[i].Mean == out[i-1].Mean {
			out[i].Rank = out[i-1].Rank
			out[i].Tie, out[i-1].Tie = true, true
		}
	}
	return c, out, nil
}

// ChooseWinners records a category's winners (replacing earlier choices). A
// choice that differs from the ranking's top places needs a written reason,
// kept in the audit log. For organisers only.
func ChooseWinners(ctx context.Context, db *gorm.DB, who Actor, summitID, categoryID uint, nomineeIDs []uint, reason string, now time.Time) error {
	err := withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		c, rows, err := Results(ctx, tx, summitID, categoryID)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if who.PersonID != 0 && r.Nominee.ID == who.PersonID {
				return FieldErrors{"winners": "You are nominated in “" + c.Name + "”, so another organiser must choose its winners."}
			}
		}
		f := FieldErrors{}
		seen := map[uint]bool{}
		var chosen []uint
		for _, id := range nomineeIDs {
			if id != 0 && !seen[id] {
				seen[id] = true
				chosen = append(chosen, id)
			}
		}
		if len(chosen) == 0 {
			f.Add("winners", "Choose at least one winner.")
		}
		if len(chosen) > c.Winners {
			f.Add("winners", fmt.Sprintf("“%s” has %d winner place(s); you chose %d.", c.Name, c.Winners, len(chosen)))
		}
		inResults := map[uint]bool{}
		for _, r := range rows {
			inResults[r.Nominee.ID] = true
		}
		for _, id := range chosen {
			if !inResults[id] {
				f.Add("winners", "Choose winners among the nominees of this category.")
			}
		}
		// In order when every chosen nominee ranks at or above the
		// len(chosen)-th place (ties share a place).
		inOrder := len(chosen) <= len(rows)
		if inOrder && len(chosen) > 0 {
			cut := rows[len(chosen)-1].Rank
			for _, r := range rows {
				if seen[r.Nominee.ID] && (r.Rank > cut || r.Scores == 0) {
					inOrder = false
				}
			}
		}
		reason = checkText(f, "reason", "Reason", reason, false, 2000)
		if !inOrder && reason == "" && f["winners"] == "" {
			f.Add("reason", "Your choice differs from the ranking; write why. The reason is kept in the audit log.")
		}
		if err := f.Err(); err != nil {
			return err
		}
		var before []AwardWinner
		if err := tx.Where("category_id = ?", c.ID).Order("place").Find(&before).Error; err != nil {
			return err
		}
		if err := tx.Where("category_id = ?", c.ID).Delete(&AwardWinner{}).Error; err != nil {
			return err
		}
		var by *uint
		if who.PersonID != 0 {
			id := who.PersonID
			by = &id
		}
		var names []string
		for i, id := range chosen {
			if err := tx.Create(&AwardWinner{CategoryID: c.ID, NomineeID: id, Place: i + 1, Reason: reason, ChosenBy: by, CreatedAt: now.UTC()}).Error; err != nil {
				return err
			}
			for _, r := range rows {
				if r.Nominee.ID == id {
					names = append(names, r.Nominee.Name)
				}
			}
		}
		summary := "Chose the winners of “" + c.Name + "”: " + strings.Join(names, ", ")
		if !inOrder {
			summary += " (out of ranking order: " + reason + ")"
		}
		return Audit(ctx, tx, who, "award.winners", "award_category", c.ID, summary, before, map[string]any{"nominee_ids": chosen, "reason": reason, "in_ranking_order": inOrder})
	})
	if err != nil {
		var fe FieldErrors
		if errors.As(err, &fe) || errors.Is(err, ErrNotFound) {
			return err
		}
		return fmt.Errorf("models: choose winners: %w", err)
	}
	return nil
}

// --- After the announcement ---

// Honorees returns the winners of a summit whose announcement moment is at
// or before now; before it, nothing.
func Honorees(ctx context.Context, db *gorm.DB, summitID uint, now time.Time) ([]Honoree, error) {
	return honorees(ctx, db, "award_categories.summit_id = ?", summitID, now)
}

// MyRecognition lists a person's announced awards, across summits.
func MyRecognition(ctx context.Context, db *gorm.DB, personID uint, now time.Time) ([]Honoree, error) {
	return honorees(ctx, db, "award_winners.nominee_id = ?", personID, now)
}

func honorees(ctx context.Context, db *gorm.DB, where string, arg uint, now time.Time) ([]Honoree, error) {
	tx := withCtx(ctx, db)
	type row struct {
		CategoryID uint
		NomineeID  uint
		Name       string
		Department string
		AwardName  string
		Trait      string
		AnnounceAt time.Time
	}
	var rows []row
	err := tx.Table("award_winners").
		Select("award_winners.category_id, award_winners.nominee_id, people.name, people.department, award_categories.name AS award_name, award_categories.trait, award_categories.announce_at").
		Joins("JOIN award_categories ON award_categories.id = award_winners.category_id").
		Joins("JOIN people ON people.id = award_winners.nominee_id").
		Where(where, arg).Where("award_categories.announce_at <= ?", now.UTC()).
		// A winner whose every nomination was withdrawn afterwards is no honoree.
		Where("EXISTS (SELECT 1 FROM award_nominations n WHERE n.category_id = award_winners.category_id AND n.nominee_id = award_winners.nominee_id AND n.status = ?)", NominationActive).
		Order("award_categories.announce_at, award_categories.name, award_winners.place").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: honorees: %w", err)
	}
	out := make([]Honoree, 0, len(rows))
	for _, r := range rows {
		var quotes []string
		if err := tx.Model(&Nomination{}).Where("category_id = ? AND nominee_id = ? AND status = ? AND quotable = ?", r.CategoryID, r.NomineeID, NominationActive, true).
			Order("id").Limit(1).Pluck("story", &quotes).Error; err != nil {
			return nil, err
		}
		h := Honoree{PersonName: r.Name, Department: r.Department, AwardName: r.AwardName, Trait: r.Trait, Announced: r.AnnounceAt.UTC()}
		if len(quotes) > 0 {
			h.Quote = quotes[0]
		}
		out = append(out, h)
	}
	return out, nil
}

// AwardSummaries lists a summit's award categories as the public may see
// them: never counts, nominees or winners.
func AwardSummaries(ctx context.Context, db *gorm.DB, summitID uint) ([]AwardSummary, error) {
	cats, err := ListCategories(ctx, db, summitID)
	if err != nil {
		return nil, err
	}
	out := make([]AwardSummary, len(cats))
	for i, c := range cats {
		out[i] = AwardSummary{Name: c.Name, Trait: c.Trait, Description: c.Description, AnnounceAt: c.AnnounceAt}
	}
	return out, nil
}

// --- Coverage ---

// Bar is one bar of a chart.
type Bar struct {
	Label   string
	Count   int
	Percent int // of the largest bar, 0–100
	Zero    bool
}

// Coverage is how far recognition reaches across the company.
type Coverage struct {
	Total       int
	Departments []Bar
	Roles       []Bar
	Served      []Bar
	Unreached   []string // departments nobody has nominated anyone in
}

func bars(counts map[string]int, labels []string) []Bar {
	max := 0
	for _, n := range counts {
		if n > max {
			max = n
		}
	}
	out := make([]Bar, 0, len(labels))
	for _, l := range labels {
		b := Bar{Label: l, Count: counts[l], Zero: counts[l] == 0}
		if max > 0 {
			b.Percent = b.Count * 100 / max
		}
		out = append(out, b)
	}
	return out
}

// AwardCoverage counts a summit's active nominations per nominee department
// and job title, and by who was served; departments of the directory that
// nobody has nominated stand out. For organisers only.
func AwardCoverage(ctx context.Context, db *gorm.DB, summitID uint) (*Coverage, error) {
	tx := withCtx(ctx, db)
	type row struct {
		Department string
		JobTitle   string
		Served     string
	}
	var rows []row
	err := tx.Table("award_nominations").Select("people.department, people.job_title, award_nominations.served").
		Joins("JOIN award_categories ON award_categories.id = award_nominations.category_id").
		Joins("JOIN people ON people.id = award_nominations.nominee_id").
		Where("award_categories.summit_id = ? AND award_nominations.status = ?", summitID, NominationActive).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: coverage: %w", err)
	}
	depts, err := Departments(ctx, tx)
	if err != nil {
		return nil, err
	}
	dc, rc, sc := map[string]int{}, map[string]int{}, map[string]int{}
	var roles []string
	for _, r := range rows {
		d := r.Department
		if d == "" {
			d = "(no department)"
		}
		dc[d]++
		jt := r.JobTitle
		if jt == "" {
			jt = "(no job title)"
		}
		if rc[jt] == 0 {
			roles = append(roles, jt)
		}
		rc[jt]++
		sc[r.Served]++
	}
	all := append([]string{}, depts...)
	for d := range dc {
		found := false
		for _, x := range all {
			found = found || x == d
		}
		if !found {
			all = append(all, d)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if dc[all[i]] != dc[all[j]] {
			return dc[all[i]] > dc[all[j]]
		}
		return all[i] < all[j]
	})
	sort.SliceStable(roles, func(i, j int) bool {
		if rc[roles[i]] != rc[roles[j]] {
			return rc[roles[i]] > rc[roles[j]]
		}
		return roles[i] < roles[j]
	})
	cov := &Coverage{Total: len(rows), Departments: bars(dc, all), Roles: bars(rc, roles)}
	var servedLabels []string
	servedCounts := map[string]int{}
	for _, c := range ServedChoices {
		servedLabels = append(servedLabels, c[1])
		servedCounts[c[1]] = sc[c[0]]
	}
	cov.Served = bars(servedCounts, servedLabels)
	for i := range cov.Served {
		cov.Served[i].Zero = false // only departments are flagged as not reached
	}
	for _, d := range all {
		if dc[d] == 0 {
			cov.Unreached = append(cov.Unreached, d)
		}
	}
	return cov, nil
}

// --- Organiser export ---

// NominationsCSV returns every nomination of a summit as CSV rows (header
// first), formula-safe. For organisers only: it holds stories and names.
func NominationsCSV(ctx context.Context, db *gorm.DB, summitID uint, loc *time.Location) ([][]string, error) {
	var noms []Nomination
	err := withCtx(ctx, db).Preload("Nominee").Preload("Nominator").Preload("Category").
		Joins("JOIN award_categories ON award_categories.id = award_nominations.category_id").
		Where("award_categories.summit_id = ?", summitID).Order("award_categories.name, award_nominations.id").Find(&noms).Error
	if err != nil {
		return nil, fmt.Errorf("models: nominations csv: %w", err)
	}
	rows := [][]string{CSVRow("category", "nominee", "nominee department", "nominator", "nominator department", "served", "may be quoted", "status", "submitted", "story")}
	for _, n := range noms {
		nominee, nominator, cat := n.Nominee, n.Nominator, n.Category
		if nominee == nil {
			nominee = &Person{}
		}
		if nominator == nil {
			nominator = &Person{}
		}
		if cat == nil {
			cat = &AwardCategory{}
		}
		q := "no"
		if n.Quotable {
			q = "yes"
		}
		rows = append(rows, CSVRow(cat.Name, nominee.Name, nominee.Department, nominator.Name, nominator.Department,
			n.ServedText(), q, n.Status, n.CreatedAt.In(loc).Format("2006-01-02 15:04"), n.Story))
	}
	return rows, nil
}
