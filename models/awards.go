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
	"strconv"
	"strings"
	"time"
)

// DefaultCriteria are the three scoring criteria a category starts with.
var DefaultCriteria = []string{"Impact on the person served", "Going beyond the role", "Living the trait"}

// Served says whom a nomination's story served, stored as its string.
type Served string

// Who a nomination says was served.
const (
	ServedCustomer  Served = "customer"
	ServedColleague Served = "colleague"
	ServedTeam      Served = "team"
	ServedCommunity Served = "community"
)

// ServedChoices lists who can have been served, in form order, with labels.
var ServedChoices = [][2]string{
	{string(ServedCustomer), "An external customer"},
	{string(ServedColleague), "A colleague"},
	{string(ServedTeam), "A team"},
	{string(ServedCommunity), "The community"},
}

// ServedLabel is the label of a served value.
func ServedLabel(v Served) string {
	for _, c := range ServedChoices {
		if c[0] == string(v) {
			return c[1]
		}
	}
	return string(v)
}

// NominationStatus is a nomination's status, stored as its string.
type NominationStatus string

// Nomination statuses.
const (
	NominationActive    NominationStatus = "active"
	NominationWithdrawn NominationStatus = "withdrawn"
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
func (c *AwardCategory) WindowState(now time.Time) WindowState {
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
	Served      Served
	Quotable    bool
	Status      NominationStatus
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
	cut, ok := CutAtWord(s, 90, 40)
	if !ok {
		return s
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

// SuggestionsFor lists the suggested categories a summit does not have yet:
// a suggestion whose name or trait one of the existing categories already
// uses is left out.
func SuggestionsFor(existing []AwardCategory) []SuggestedCategory {
	used := map[string]bool{}
	for _, c := range existing {
		for _, s := range []string{c.Name, c.Trait} {
			if s = strings.ToLower(strings.TrimSpace(s)); s != "" {
				used[s] = true
			}
		}
	}
	var out []SuggestedCategory
	for _, sg := range SuggestedCategories {
		if !used[strings.ToLower(sg.Name)] && !used[strings.ToLower(sg.Trait)] {
			out = append(out, sg)
		}
	}
	return out
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
