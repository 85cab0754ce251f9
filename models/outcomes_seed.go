package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Demo data for outcomes: three small earlier editions (archived) that grew
// year by year, feedback on their sessions above the threshold, the
// company's own measures with a value per edition (one missing), and a
// published "How we grew" page, so the charts and the report have something
// to show on the first run.

// pastDemo is one earlier demo edition: how many demo people had a seat in
// each training (by index into demoPeople, in order), how many of them were
// checked in, and the nominations (nominee, nominator).
type pastDemo struct {
	back      int
	theme     string
	trainings [2]int
	checkedIn int
	noms      [][2]int
	rated     bool // sessions got feedback (the oldest edition predates it)
}

var pastDemos = []pastDemo{
	{3, "Service is a team sport", [2]int{6, 4}, 8, [][2]int{{5, 1}, {17, 7}, {11, 14}, {22, 1}}, false},
	{2, "Listening first", [2]int{9, 7}, 13, [][2]int{{5, 1}, {17, 7}, {20, 13}, {29, 21}, {4, 16}, {22, 2}, {31, 11}}, true},
	{1, "Colleagues are customers too", [2]int{14, 10}, 21, [][2]int{{5, 1}, {17, 7}, {20, 13}, {29, 21}, {4, 16}, {22, 2}, {31, 11}, {35, 23}, {34, 0}, {18, 38}, {12, 26}}, true},
}

// pastSessions: start, end, room, kind, title, capacity, speakers.
var pastSessions = []struct {
	start, end string
	room       int
	kind       SessionKind
	title      string
	capacity   int
	speakers   []int
}{
	{"09:00", "10:00", 0, KindKeynote, "Why service is everyone's job", 0, []int{0}},
	{"10:30", "12:00", 1, KindTraining, "Listening before answering", 30, []int{14}},
	{"10:30", "12:00", 0, KindTraining, "Handling complaints with care", 20, []int{5}},
	{"13:00", "14:00", 0, KindPanel, "What our customers told us", 0, []int{1, 8}},
	{"14:15", "15:15", 0, KindCeremony, "Service Awards ceremony", 0, []int{3}},
}

// demoComments are feedback comments the demo spreads over sessions.
var demoComments = []string{
	"Practical from the first minute; I used the opening question the next morning.",
	"Good pace, and the examples came from our own customers.",
	"I would have liked more time for questions.",
	"The role play felt awkward at first but it helped.",
	"Useful for anyone who answers the phone, not only support.",
	"Please repeat this next year for new starters.",
	"",
	"",
}

// seedDemoOutcomes adds the earlier editions before current, the company's
// measures and the growth page.
func seedDemoOutcomes(ctx context.Context, db *gorm.DB, current *Summit, people []*Person) error {
	editions := make([]*Summit, len(pastDemos))
	for i, pd := range pastDemos {
		s, err := seedPastEdition(ctx, db, current.Year-pd.back, pd, people)
		if err != nil {
			return fmt.Errorf("models: seed edition %d: %w", current.Year-pd.back, err)
		}
		editions[i] = s
	}
	now := Now()
	sys := ActorOf(nil, "")
	company := []struct {
		in     MeasureInput
		values []string // per earlier edition, "" missing
	}{
		{MeasureInput{Name: "Customer satisfaction (CSAT)", Unit: "%", HigherIsBetter: true, OnGrowthPage: true,
			Description: "Share of customers who rated their last conversation with us 4 or 5 out of 5."}, []string{"78", "81", "84"}},
		{MeasureInput{Name: "Employee engagement", Unit: "of 100", HigherIsBetter: true, OnGrowthPage: true,
			Description: "The yearly engagement survey's overall score. The survey did not run in one year."}, []string{"64", "", "71"}},
		{MeasureInput{Name: "Complaint resolution time", Unit: "hours", HigherIsBetter: false, OnGrowthPage: true,
			Description: "Median time from a complaint to a resolution the customer accepted."}, []string{"52", "41", "36.5"}},
	}
	for _, c := range company {
		m, err := SaveMeasure(ctx, db, sys, 0, c.in, now)
		if err != nil {
			return fmt.Errorf("models: seed measure %s: %w", c.in.Name, err)
		}
		for i, v := range c.values {
			if v == "" {
				continue
			}
			if err := SetEditionValues(ctx, db, sys, editions[i].ID, map[string]string{m.Key(): v}, now); err != nil {
				return err
			}
		}
	}
	return SetGrowthPage(ctx, db, sys, GrowthPageInput{Published: true,
		Intro:    "Every year we take a day to celebrate, train and plan how we serve. These are the figures we follow from one summit to the next — the company's and the summit's own.",
		Measures: growthDefaults(ctx, db)}, now)
}

// growthDefaults are the measures the demo's "How we grew" shows: the
// company's and a few of Summit's own.
func growthDefaults(ctx context.Context, db *gorm.DB) []string {
	ms, _ := ListMeasures(ctx, db)
	var out []string
	for _, m := range ms {
		switch m.Computed {
		case "", MeasureCheckedIn, MeasureDepartments, MeasureLeaders, MeasureRecognitionDepartments, MeasureSessionRating:
			out = append(out, m.Key())
		}
	}
	return out
}

// seedPastEdition makes one small archived edition: one day, two rooms,
// five sessions, seats and check-ins, two award categories with
// nominations, and (when rated) feedback with at least three answers on
// most sessions and too few on one.
func seedPastEdition(ctx context.Context, db *gorm.DB, year int, pd pastDemo, people []*Person) (*Summit, error) {
	day := fmt.Sprintf("%d-03-12", year)
	// Another feature's demo may have made this year's edition already (the
	// strategize demo keeps last year's commitments): add to it.
	var found []Summit
	if err := db.Where("year = ?", year).Limit(1).Find(&found).Error; err != nil {
		return nil, err
	}
	var s *Summit
	if len(found) == 1 {
		s, day = &found[0], found[0].StartDate
	} else {
		created, err := CreateSummit(ctx, db, ActorOf(nil, ""), SummitInput{Title: fmt.Sprintf("Service Summit %d", year), Theme: pd.theme,
			StartDate: day, EndDate: day, TimeZone: "Europe/Amsterdam", Venue: "Harbourside Conference Centre, Rotterdam"})
		if err != nil {
			return nil, err
		}
		s = created
	}
	var rooms []*Room
	for _, r := range []RoomInput{{Name: "Main Hall", Capacity: "300"}, {Name: "Harbour Room", Capacity: "30"}} {
		var have []Room
		if err := db.Where("summit_id = ? AND name = ?", s.ID, r.Name).Limit(1).Find(&have).Error; err != nil {
			return nil, err
		}
		if len(have) == 1 {
			rooms = append(rooms, &have[0])
			continue
		}
		room, err := CreateRoom(ctx, db, ActorOf(nil, ""), s.ID, r)
		if err != nil {
			return nil, err
		}
		rooms = append(rooms, room)
	}
	speakers := map[int]uint{}
	id := func(n uint) string { return strconv.FormatUint(uint64(n), 10) }
	sessions := make([]*Session, len(pastSessions))
	for k, ps := range pastSessions {
		in := SessionInput{Title: ps.title, Kind: ps.kind, Day: day, StartTime: ps.start, EndTime: ps.end, RoomID: id(rooms[ps.room].ID)}
		if ps.capacity > 0 {
			in.Capacity = strconv.Itoa(ps.capacity)
		}
		for _, i := range ps.speakers {
			if speakers[i] == 0 {
				sp, err := SaveSpeaker(ctx, db, ActorOf(nil, ""), s.ID, 0, SpeakerInput{PersonID: id(people[i].ID), Organisation: demoPeople[i][2]})
				if err != nil {
					return nil, err
				}
				speakers[i] = sp.ID
			}
			in.SpeakerIDs = append(in.SpeakerIDs, id(speakers[i]))
		}
		res, err := SaveSession(ctx, db, ActorOf(nil, ""), s.ID, 0, in, Now())
		if err != nil {
			return nil, fmt.Errorf("session %q: %w", ps.title, err)
		}
		sessions[k] = res.Session
	}
	// Seats: the first people of the directory (after the speakers' own
	// sessions) fill the two trainings; most of them were checked in.
	next, seated := 2, 0
	at := s.Start().Add(-20 * 24 * time.Hour).UTC()
	for t, n := range pd.trainings {
		sess := sessions[1+t]
		for k := 0; k < n; k++ {
			next = (next + 1) % len(people)
			p := people[next]
			reg := Registration{SessionID: sess.ID, PersonID: p.ID, Status: RegConfirmed, CreatedAt: at, UpdatedAt: at, ConfirmedAt: &at}
			if seated < pd.checkedIn {
				in := sess.StartsAt.Add(-5 * time.Minute)
				reg.AttendedAt = &in
			}
			seated++
			if err := db.Create(&reg).Error; err != nil {
				return nil, err
			}
		}
		if err := db.Model(&Session{}).Where("id = ?", sess.ID).Update("seats_taken", n).Error; err != nil {
			return nil, err
		}
	}
	if err := seedPastAwards(ctx, db, s, pd, people); err != nil {
		return nil, err
	}
	if pd.rated {
		if err := seedPastFeedback(ctx, db, s, sessions, pd, people); err != nil {
			return nil, err
		}
	}
	if _, err := SetSummitStatus(ctx, db, ActorOf(nil, ""), s.ID, StatusArchived); err != nil {
		return nil, err
	}
	return s, nil
}

// seedPastAwards gives an earlier edition two closed categories with the
// edition's nominations (stories short and kind) and a judge each.
func seedPastAwards(ctx context.Context, db *gorm.DB, s *Summit, pd pastDemo, people []*Person) error {
	opens := s.Start().AddDate(0, -2, 0).UTC()
	closes := s.Start().AddDate(0, 0, -7).UTC()
	announce := s.Start().Add(15 * time.Hour).UTC()
	var cats []AwardCategory
	for k, key := range []string{"patience", "kindness"} {
		sg := Suggestion(key)
		c := AwardCategory{SummitID: s.ID, Name: sg.Name, Trait: sg.Trait, Description: sg.Description, Winners: 1, OpensAt: opens,
			ClosesAt: closes, AnnounceAt: announce, JudgingClosesAt: announce, Blind: true, CreatedAt: opens, UpdatedAt: opens}
		if err := db.Create(&c).Error; err != nil {
			return err
		}
		if err := db.Create(&AwardJudge{CategoryID: c.ID, PersonID: people[15+k].ID, CreatedAt: opens}).Error; err != nil {
			return err
		}
		cats = append(cats, c)
	}
	for k, n := range pd.noms {
		nominee, nominator := people[n[0]], people[n[1]]
		story := fmt.Sprintf("%s stayed with a person who needed help until it was really solved, and made them feel welcome while doing it. Colleagues still talk about it.", nominee.Name)
		nom := Nomination{CategoryID: cats[k%2].ID, NomineeID: nominee.ID, NominatorID: nominator.ID, Story: story, Served: Served(ServedChoices[k%len(ServedChoices)][0]),
			Status: NominationActive, CreatedAt: opens.Add(time.Duration(k) * time.Hour), UpdatedAt: opens.Add(time.Duration(k) * time.Hour)}
		if err := db.Create(&nom).Error; err != nil {
			return err
		}
	}
	return nil
}

// seedPastFeedback answers about an earlier edition's sessions: at least
// four answers on each but the ceremony (two: too few to show), ratings
// that improve from one edition to the next, and a few comments.
func seedPastFeedback(ctx context.Context, db *gorm.DB, s *Summit, sessions []*Session, pd pastDemo, people []*Person) error {
	lift := 0
	if pd.back == 1 {
		lift = 1
	}
	for k, sess := range sessions {
		n := 4 + k%3 + lift*2
		if sess.Kind == KindCeremony {
			n = 2
		}
		for j := 0; j < n; j++ {
			p := people[(20+k*3+j)%len(people)]
			useful := 3 + (j+k+lift)%3
			if useful > 5 {
				useful = 5
			}
			recommend := useful
			if j%2 == 1 && recommend > 3 {
				recommend--
			}
			sid := sess.ID
			at := sess.EndsAt.Add(time.Duration(j+1) * time.Hour)
			fb := Feedback{SummitID: s.ID, SessionID: &sid, PersonID: p.ID, Useful: useful, Recommend: recommend,
				Comment: demoComments[(k+j)%len(demoComments)], CreatedAt: at, UpdatedAt: at}
			if err := db.Create(&fb).Error; err != nil {
				return err
			}
		}
	}
	for j := 0; j < 5+lift*3; j++ {
		at := s.End().Add(time.Duration(j) * time.Hour)
		fb := Feedback{SummitID: s.ID, PersonID: people[(j*5+1)%len(people)].ID, Useful: 4 + (j+lift)%2, Recommend: 4 + lift, CreatedAt: at, UpdatedAt: at}
		if j == 0 {
			fb.Comment = "The mixed tables were the best part: I met people I email every week but had never seen."
		}
		if err := db.Create(&fb).Error; err != nil {
			return err
		}
	}
	return nil
}
