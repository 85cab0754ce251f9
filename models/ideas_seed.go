package models

// The strategize demo: ideas for the coming summit with votes and comments
// (one posted without a name, one hidden by an organiser, one merged, one
// shortlisted into the strategy workshop), a word of the summit's own for
// the hints, and the commitments of the two editions before it with their
// updates — so the coming summit's agenda and program show "What we
// promised last year", and the outcome measure "Commitments kept" has a
// series.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// demoIdea: author index, anonymous, title, what would change, whom it helps.
type demoIdea struct {
	author    int
	anonymous bool
	title     string
	change    string
	helps     string
	themes    string
	voters    []int
	comments  [][2]any // person index, text
}

var demoIdeas = []demoIdea{
	{5, false, "Call every customer back within one working day", "When we cannot solve something on the first call, we promise a call back within a day — and we keep it, even if only to say where things stand.", HelpsCustomers, "response time",
		[]int{1, 11, 14, 22, 30, 36, 9, 0}, [][2]any{{11, "Yes — and let the caller choose the time."}, {16, "Finance can help with the billing questions that wait longest."}}},
	{7, false, "Engineers spend a day a quarter answering customers", "Every engineer joins the help desk for one day each quarter, listening first and fixing what they hear about.", HelpsCustomers, "learning, product",
		[]int{2, 15, 27, 10, 24}, [][2]any{{2, "I did this last year: the best bug reports I ever got."}}},
	{34, true, "Let the front desk close the building on time", "Reception stays until the last visitor leaves, often long after six. A rota with facilities would let everyone go home on time, with dignity on both sides.", HelpsColleagues, "wellbeing",
		[]int{35, 6, 23, 28}, [][2]any{{35, "Facilities would gladly share the evenings."}}},
	{17, false, "One number for every internal question", "Colleagues are customers too: one service-desk number for IT, facilities and payroll questions, answered by people who know where to send them.", HelpsColleagues, "colleagues",
		[]int{25, 37, 31, 3}, nil},
	{21, false, "Warehouse and support meet every Monday", "Ten minutes each Monday so support hears about late deliveries before the customers call.", HelpsTeam, "colleagues",
		[]int{29, 13, 20}, [][2]any{{20, "Dispatch would like to join too."}}},
	{26, false, "Thank-you notes from customers on the screen in the canteen", "We read the kind words customers send, and so does everyone else — engineers, accountants and the warehouse too.", HelpsTeam, "recognition",
		[]int{12, 28}, nil},
	{30, false, "Callback in 24 hours", "Promise customers a callback within 24 hours when we cannot answer straight away.", HelpsCustomers, "response time",
		[]int{38, 4}, nil},
	{8, false, "Stop everything else and hit the targets", "Drop the training days until the quarter's targets are met.", HelpsTeam, "",
		nil, nil},
}

// seedDemoIdeas adds the strategize demo to the coming summit and its
// earlier editions (made by seedDemoOutcomes).
func seedDemoIdeas(ctx context.Context, db *gorm.DB, current *Summit, people []*Person) error {
	now := Now()
	org := ActorOf(people[3], "")
	workshops, err := StrategySessions(ctx, db, current.ID)
	if err != nil {
		return err
	}
	var workshop *Session
	for i := range workshops {
		if workshop == nil && strings.Contains(workshops[i].Title, "workshop") {
			workshop = &workshops[i]
		}
	}
	closes, err := DefaultIdeasClose(ctx, db, current)
	if err != nil {
		return err
	}
	if !closes.After(now) {
		closes = now.AddDate(0, 1, 0)
	}
	loc := current.Location()
	opens := now.AddDate(0, 0, -14).In(loc)
	if _, err := SetIdeaSettings(ctx, db, org, current.ID, IdeaSettingsInput{OpensDay: opens.Format(DateLayout), OpensTime: opens.Format("15:04"),
		ClosesDay: closes.In(loc).Format(DateLayout), ClosesTime: closes.In(loc).Format("15:04"), Budget: strconv.Itoa(DefaultVoteBudget)}, now); err != nil {
		return fmt.Errorf("idea settings: %w", err)
	}
	ideas := make([]*Idea, len(demoIdeas))
	for i, d := range demoIdeas {
		author := people[d.author]
		idea, err := SubmitIdea(ctx, db, ActorOf(author, ""), current.ID, author.ID, IdeaInput{Title: d.title, Change: d.change, Helps: d.helps, Anonymous: d.anonymous}, now)
		if err != nil {
			return fmt.Errorf("idea %q: %w", d.title, err)
		}
		ideas[i] = idea
		for _, v := range d.voters {
			if err := Vote(ctx, db, current.ID, idea.ID, people[v].ID, now); err != nil {
				return fmt.Errorf("vote on %q: %w", d.title, err)
			}
		}
		for _, c := range d.comments {
			if _, err := CommentOnIdea(ctx, db, current.ID, idea.ID, people[c[0].(int)].ID, c[1].(string), now); err != nil {
				return err
			}
		}
		if d.themes != "" {
			if err := TagIdea(ctx, db, org, current.ID, idea.ID, d.themes, now); err != nil {
				return err
			}
		}
	}
	if _, err := MergeIdeas(ctx, db, org, current.ID, ideas[6].ID, ideas[0].ID, now); err != nil {
		return err
	}
	if err := HideIdea(ctx, db, org, current.ID, ideas[7].ID, "Asks to drop training for targets; the summit's purpose is the opposite. Talk to us, not the board.", now); err != nil {
		return err
	}
	if workshop != nil {
		for _, i := range []int{0, 2} {
			if err := ShortlistIdea(ctx, db, org, current.ID, ideas[i].ID, workshop.ID, now); err != nil {
				return err
			}
		}
	}
	if _, err := AddHintWord(ctx, db, org, current.ID, "the queue", "Say “the people waiting for us”: a queue is made of people.", now); err != nil {
		return err
	}
	return seedDemoCommitments(ctx, db, current, people)
}

// demoUpdate is one status update of a demo commitment.
type demoUpdate struct {
	status CommitmentStatus
	note   string
}

// demoCommitment: owner index, what, due (month-day in the edition's year
// after it), how success is seen, the updates (status, note) in order.
type demoCommitment struct {
	owner   int
	what    string
	due     string
	success string
	updates []demoUpdate
}

var demoCommitments = map[int][]demoCommitment{
	2: { // two editions back
		{1, "Answer every support email within one working day", "09-30", "The weekly report shows no email older than a day.",
			[]demoUpdate{{CommitOnTrack, "Two new colleagues start in May."}, {CommitDone, "Since September no email waited more than a day."}}},
		{15, "Engineers join the help desk one day a quarter", "12-15", "Every engineer has done at least two days.",
			[]demoUpdate{{CommitAtRisk, "Release crunch in June."}, {CommitDone, "All 14 engineers took part; the bug reports got better."}}},
		{3, "A recognition moment in every team meeting", "06-30", "Team leads tell us in the survey.",
			[]demoUpdate{{CommitOnTrack, "Started in support and finance."}}},
	},
	1: { // the previous edition: shown on the coming summit's agenda and program
		{14, "Every caller hears back within one working day", "11-30", "Customers say so in the satisfaction survey.",
			[]demoUpdate{{CommitOnTrack, "The callback list is shared between the teams."}, {CommitDone, "Kept since October: 97 % of callbacks within a day."}}},
		{16, "Payroll answers colleagues' questions within two days", "09-30", "No question waits longer in the service desk's list.",
			[]demoUpdate{{CommitDone, "Two days or less since July."}}},
		{21, "Warehouse and support meet every Monday", "06-30", "Fewer calls about late deliveries.",
			[]demoUpdate{{CommitAtRisk, "Mondays clash with the delivery peak; trying Tuesdays."}}},
		{9, "A new ticket system for the front desk", "05-31", "",
			[]demoUpdate{{CommitDropped, "Reception asked for a rota instead, and got one: the system would not have helped the people waiting."}}},
	},
}

// seedDemoCommitments gives the two editions before current their
// commitments and updates; the older edition's open one is carried into
// the previous edition (as copying a summit does).
func seedDemoCommitments(ctx context.Context, db *gorm.DB, current *Summit, people []*Person) error {
	org := ActorOf(people[3], "")
	byBack := map[int]*Summit{}
	for _, back := range []int{2, 1} {
		var found []Summit
		if err := db.Where("year = ?", current.Year-back).Limit(1).Find(&found).Error; err != nil {
			return err
		}
		if len(found) == 0 {
			continue
		}
		s := &found[0]
		byBack[back] = s
		start, err := time.Parse(DateLayout, s.StartDate)
		if err != nil {
			return err
		}
		for _, d := range demoCommitments[back] {
			c, err := SaveCommitment(ctx, db, org, s.ID, 0, CommitmentInput{What: d.what, OwnerID: strconv.FormatUint(uint64(people[d.owner].ID), 10),
				DueDate: strconv.Itoa(start.Year()) + "-" + d.due, Success: d.success}, start)
			if err != nil {
				return fmt.Errorf("commitment %q: %w", d.what, err)
			}
			for k, u := range d.updates {
				at := start.AddDate(0, 2*(k+1), 0)
				if err := PostCommitmentUpdate(ctx, db, ActorOf(people[d.owner], ""), s.ID, c.ID, people[d.owner].ID, false, CommitmentUpdateInput{Status: u.status, Note: u.note}, at); err != nil {
					return fmt.Errorf("update of %q: %w", d.what, err)
				}
			}
		}
	}
	if older, prev := byBack[2], byBack[1]; older != nil && prev != nil {
		if _, err := CarryOpenCommitments(db, older.ID, prev.ID); err != nil {
			return err
		}
	}
	return nil
}
