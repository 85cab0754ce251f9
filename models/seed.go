package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "summit-demo-2027"

// DemoAccount is a sign-in the demo prints for a newcomer.
type DemoAccount struct {
	Email string
	Role  Role
	Name  string
}

// demoPeople: name, email local part, department, job title, role.
var demoPeople = [][5]string{
	{"Zoë Ølberg", "zoe.olberg", "Executive", "Chief Executive Officer", string(RoleStaff)},
	{"José Núñez", "jose.nunez", "Customer Support", "Support Team Lead", string(RoleStaff)},
	{"Łukasz Wąsik", "lukasz.wasik", "Engineering", "Senior Software Engineer", string(RoleStaff)},
	{"Nguyễn Thị Ánh", "anh.nguyen", "People & Culture", "Head of People", string(RoleOrganiser)},
	{"Đorđe Petrović", "dorde.petrovic", "Finance", "Accountant", string(RoleStaff)},
	{"Amara Okafor", "amara.okafor", "Customer Support", "Support Specialist", string(RoleStaff)},
	{"Søren Kierkegaard-Holm", "soren.holm", "Operations", "Facilities Manager", string(RoleStaff)},
	{"Mei Lin", "mei.lin", "Engineering", "Site Reliability Engineer", string(RoleStaff)},
	{"Fatima Al-Sayed", "fatima.alsayed", "Sales", "Account Executive", string(RoleStaff)},
	{"Björn Lindqvist", "bjorn.lindqvist", "Executive", "Chief Operating Officer", string(RoleStaff)},
	{"Priya Raman", "priya.raman", "Product", "Product Manager", string(RoleStaff)},
	{"Tomás O'Brien", "tomas.obrien", "Customer Support", "Support Specialist", string(RoleStaff)},
	{"Chloé Martin", "chloe.martin", "Marketing", "Content Designer", string(RoleStaff)},
	{"Kwame Mensah", "kwame.mensah", "Field Service", "Field Technician", string(RoleStaff)},
	{"Ana Beatriz Souza", "ana.souza", "Customer Support", "Team Coach", string(RoleStaff)},
	{"Hiroshi Tanaka", "hiroshi.tanaka", "Engineering", "Engineering Manager", string(RoleStaff)},
	{"Olga Ivanova", "olga.ivanova", "Finance", "Finance Director", string(RoleStaff)},
	{"Rahul Mehta", "rahul.mehta", "IT", "Service Desk Analyst", string(RoleStaff)},
	{"Ingrid Haugen", "ingrid.haugen", "Legal", "Counsel", string(RoleStaff)},
	{"Daniel Cohen", "daniel.cohen", "Sales", "Sales Director", string(RoleStaff)},
	{"Aisling Byrne", "aisling.byrne", "Field Service", "Dispatcher", string(RoleStaff)},
	{"Mateo García", "mateo.garcia", "Warehouse", "Shift Supervisor", string(RoleStaff)},
	{"Yasmin Haddad", "yasmin.haddad", "Customer Support", "Chat Specialist", string(RoleStaff)},
	{"Pieter de Vries", "pieter.devries", "Operations", "Office Coordinator", string(RoleOrganiser)},
	{"Kateřina Dvořáková", "katerina.dvorakova", "Product", "UX Researcher", string(RoleStaff)},
	{"Samuel Adeyemi", "samuel.adeyemi", "IT", "Systems Administrator", string(RoleAdmin)},
	{"Lucía Fernández", "lucia.fernandez", "Marketing", "Community Manager", string(RoleStaff)},
	{"Emre Yılmaz", "emre.yilmaz", "Engineering", "QA Engineer", string(RoleStaff)},
	{"Grace Kim", "grace.kim", "People & Culture", "Learning Partner", string(RoleStaff)},
	{"Oskar Nowak", "oskar.nowak", "Warehouse", "Picker", string(RoleStaff)},
	{"Leilani Kahale", "leilani.kahale", "Customer Support", "Billing Specialist", string(RoleStaff)},
	{"François Lefèvre", "francois.lefevre", "Finance", "Payroll Officer", string(RoleStaff)},
	{"Nadia Rahman", "nadia.rahman", "Field Service", "Installer", string(RoleStaff)},
	{"Jonas Müller", "jonas.muller", "Executive", "Chief Financial Officer", string(RoleStaff)},
	{"Aroha Ngata", "aroha.ngata", "Reception", "Receptionist", string(RoleStaff)},
	{"Carlos Mendes", "carlos.mendes", "Facilities", "Caretaker", string(RoleStaff)},
	{"Sofia Rossi", "sofia.rossi", "Customer Support", "Quality Analyst", string(RoleStaff)},
	{"Ibrahim Diallo", "ibrahim.diallo", "IT", "Network Engineer", string(RoleStaff)},
	{"Helena Sjöberg", "helena.sjoberg", "Legal", "Paralegal", string(RoleStaff)},
	{"Wei Zhang", "wei.zhang", "Product", "Technical Writer", string(RoleStaff)},
}

// demoSession: day (1 or 2), start, end, room index (-1: no room), track
// (pillar or ""), kind, title, abstract, capacity (0: none), speaker indexes.
type demoSession struct {
	day             int
	start, end      string
	room            int
	pillar          Pillar
	kind            SessionKind
	title, abstract string
	capacity        int
	speakers        []int
}

var demoSessions = []demoSession{
	{1, "08:30", "09:00", -1, "", KindBreak, "Arrival, coffee and name badges", "Find your badge at the reception desk; Aroha and the front-desk team will point the way.", 0, nil},
	{1, "09:00", "10:00", 0, PillarStrategize, KindKeynote, "Everyone serves", "Our chief executive on why every job here is a customer-service job — owners, engineers, accountants and front-line staff alike — and what that means for the year ahead.", 0, []int{0}},
	{1, "10:15", "11:30", 1, PillarTrain, KindTraining, "De-escalation with boundaries", "Staying calm and kind when a conversation runs hot, and saying no with respect. Dignity on both sides: practice scripts for when a person crosses a line.", 24, []int{14}},
	{1, "10:15", "11:30", 2, PillarTrain, KindTraining, "Product knowledge lab", "Hands-on time with this year's product changes, so you can answer the questions people actually ask.", 20, []int{10, 24}},
	{1, "10:15", "11:30", 3, PillarTrain, KindTraining, "Serving internal customers", "The colleague who needs your help is a customer too. Service habits for finance, IT, legal and everyone whose customers sit down the hall.", 30, []int{16, 17}},
	{1, "10:15", "11:30", 0, PillarStrategize, KindPanel, "What our customers told us this year", "A panel reads the year's feedback aloud — the praise and the complaints — and what changed because of it.", 0, []int{1, 8, 13}},
	{1, "11:30", "11:45", -1, "", KindBreak, "Short break", "", 0, nil},
	{1, "11:45", "12:45", 1, PillarTrain, KindTraining, "Communicating in many ways", "Phone, chat, email, video, in person: choosing the channel that serves the person, not the queue.", 24, []int{22}},
	{1, "11:45", "12:45", 2, PillarTrain, KindTraining, "Damage control: turning a bad moment around", "What to do in the first five minutes after something went wrong for a customer.", 20, []int{5}},
	{1, "11:45", "12:45", 3, PillarStrategize, KindTraining, "Quality over quantity", "Why fewer, better conversations beat a count of closed cases — and how to measure it honestly.", 30, []int{36}},
	{1, "11:45", "12:45", 0, PillarCelebrate, KindPanel, "Stories of service from the field", "Technicians, installers and dispatchers tell the stories behind last year's thank-you letters.", 0, []int{13, 20, 32}},
	{1, "12:45", "13:45", -1, "", KindBreak, "Lunch", "Lunch in the atrium. Vegetarian, vegan and halal options are labelled.", 0, nil},
	{1, "13:45", "15:00", 1, PillarTrain, KindTraining, "Patience is a skill", "Practical techniques for staying patient through long, confusing or repeated requests.", 24, []int{11}},
	{1, "13:45", "15:00", 2, PillarTrain, KindTraining, "Accessibility in every conversation", "Serving people who use screen readers, captions, plain language or an interpreter.", 20, []int{24}},
	{1, "13:45", "15:00", 3, PillarTrain, KindTraining, "Self-awareness for people who serve", "Knowing your own triggers, energy and limits, so you can serve well all year.", 30, []int{28}},
	{1, "13:45", "15:00", 0, PillarStrategize, KindPanel, "Engineers who answer the phone", "Why our engineers spend a day a quarter on the support desk, and what it changed in the product.", 0, []int{2, 7, 15}},
	{1, "15:00", "15:30", -1, "", KindBreak, "Afternoon break", "", 0, nil},
	{1, "15:30", "17:00", 0, PillarStrategize, KindTraining, "Strategy workshop: service in the year ahead", "In mixed-department tables, we draft the three service promises for next year.", 120, []int{9, 3}},
	{1, "15:30", "17:00", 1, PillarTrain, KindTraining, "Flexibility without burning out", "Bending the process for a person who needs it, and knowing when the process protects both of you.", 24, []int{29}},
	{1, "18:30", "21:00", -1, PillarCelebrate, KindSocial, "Summit dinner", "Dinner together; seating mixes departments on purpose.", 0, nil},
	{2, "09:00", "09:45", 0, PillarCelebrate, KindKeynote, "Kindness at scale", "Our chief operating officer on building kindness into processes, not just people.", 0, []int{9}},
	{2, "10:00", "11:15", 1, PillarTrain, KindTraining, "Open to learning: feedback that helps", "Asking for and giving feedback between colleagues, without drama.", 24, []int{28}},
	{2, "10:00", "11:15", 2, PillarTrain, KindTraining, "Timeliness: keeping promises about time", "Setting honest expectations about when things will happen, and keeping them.", 20, []int{20}},
	{2, "10:00", "11:15", 3, PillarTrain, KindTraining, "Positivity that is honest", "Positive language without false promises: practice with real conversations.", 30, []int{5, 22}},
	{2, "10:00", "11:15", 0, PillarStrategize, KindPanel, "People, not tickets: the words we use", "Why we stopped calling customers tickets, targets and accounts — and what we call them instead.", 0, []int{3, 12, 1}},
	{2, "11:15", "11:30", -1, "", KindBreak, "Short break", "", 0, nil},
	{2, "11:30", "12:30", 1, PillarTrain, KindTraining, "Focus in a noisy day", "Giving one person your full attention when ten things are waiting.", 24, []int{31}},
	{2, "11:30", "12:30", 2, PillarTrain, KindTraining, "Numbers that serve: finance for everyone", "How the finance team serves its internal customers, and how to ask them for help.", 20, []int{16, 4}},
	{2, "11:30", "12:30", 0, PillarStrategize, KindTraining, "Strategy workshop: from promises to plans", "Turning yesterday's draft promises into owners, dates and first steps.", 120, []int{9, 3}},
	{2, "12:30", "13:30", -1, "", KindBreak, "Lunch", "", 0, nil},
	// During lunch on purpose: the timetable draws lunch around it, and the organiser sees the warning.
	{2, "12:45", "13:15", 3, PillarTrain, KindTraining, "Lunch and learn: ask the accessibility team", "Bring your lunch and your questions about serving people who use assistive technology.", 0, []int{24}},
	{2, "13:30", "15:00", 0, PillarCelebrate, KindCeremony, "Service Awards ceremony", "We celebrate the colleagues whose service stood out this year, in every department.", 0, []int{0, 3}},
	{2, "15:00", "15:30", 0, PillarStrategize, KindKeynote, "Closing: the year of service ahead", "What we promised each other, and how we will know we kept it.", 0, []int{33}},
}

var demoRooms = []RoomInput{{Name: "Main Hall", Capacity: "400"}, {Name: "Harbour Room", Capacity: "24"}, {Name: "Garden Studio", Capacity: "20"}, {Name: "Library", Capacity: "40"}}

// DemoEmail returns the address of a demo person.
func DemoEmail(local string) string { return local + "@summit.example" }

// SeedDemo fills an empty database with a realistic Service Summit: about 40
// staff across departments, a published two-day summit with four rooms, the
// three pillar tracks and about 30 sessions. It does nothing (and returns
// seeded == false) when any summit already exists.
func SeedDemo(ctx context.Context, db *gorm.DB, year int) (seeded bool, accounts []DemoAccount, err error) {
	var n int64
	if err := withCtx(ctx, db).Model(&Summit{}).Count(&n).Error; err != nil {
		return false, nil, err
	}
	if n > 0 {
		return false, nil, nil
	}
	hash, err := HashPassword(DemoPassword)
	if err != nil {
		return false, nil, err
	}
	err = withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		people := make([]*Person, len(demoPeople))
		for i, d := range demoPeople {
			p, err := PersonByEmail(ctx, tx, DemoEmail(d[1]))
			if err != nil {
				p, err = CreatePerson(ctx, tx, ActorOf(nil, ""), PersonInput{Name: d[0], Email: DemoEmail(d[1]), Department: d[2], JobTitle: d[3], Role: Role(d[4]), Active: true})
				if err != nil {
					return fmt.Errorf("person %s: %w", d[0], err)
				}
			}
			if err := tx.Model(p).Update("password_hash", hash).Error; err != nil {
				return err
			}
			people[i] = p
		}
		// Two newcomers from the last directory import, invited and not
		// signed in yet: the people list shows them so.
		invited := Now().Add(-48 * time.Hour).UTC()
		for _, d := range [][4]string{{"Priya Raman", "priya.raman", "Customer Support", "Support Specialist"}, {"Tomás Ortega", "tomas.ortega", "Field Service", "Field Engineer"}} {
			if _, err := PersonByEmail(ctx, tx, DemoEmail(d[1])); err == nil {
				continue
			}
			p, err := CreatePerson(ctx, tx, ActorOf(nil, ""), PersonInput{Name: d[0], Email: DemoEmail(d[1]), Department: d[2], JobTitle: d[3], Role: RoleStaff, Active: true})
			if err != nil {
				return fmt.Errorf("person %s: %w", d[0], err)
			}
			if err := tx.Model(p).UpdateColumn("invited_at", invited).Error; err != nil {
				return err
			}
		}
		// A small org chart: executives at the top, leads under them.
		managers := map[string]int{"Customer Support": 1, "Engineering": 15, "Finance": 16, "Field Service": 13}
		for i, d := range demoPeople {
			m, ok := managers[d[2]]
			if d[2] == "Executive" && i != 0 {
				m, ok = 0, true
			}
			if ok && m != i {
				tx.Model(people[i]).Update("manager_id", people[m].ID)
			}
		}
		for _, i := range []int{1, 15, 16, 13, 3} {
			tx.Model(people[i]).Update("manager_id", people[9].ID)
		}
		summit, err := CreateSummit(ctx, tx, ActorOf(nil, ""), SummitInput{
			Title: fmt.Sprintf("Service Summit %d", year), Theme: "Everyone serves",
			StartDate: fmt.Sprintf("%d-03-11", year), EndDate: fmt.Sprintf("%d-03-12", year),
			TimeZone: "Europe/Amsterdam", Venue: "Harbourside Conference Centre, Rotterdam",
		})
		if err != nil {
			return err
		}
		if _, err := SetSummitStatus(ctx, tx, ActorOf(nil, ""), summit.ID, StatusPublished); err != nil {
			return err
		}
		rooms := make([]*Room, len(demoRooms))
		for i, r := range demoRooms {
			if rooms[i], err = CreateRoom(ctx, tx, ActorOf(nil, ""), summit.ID, r); err != nil {
				return err
			}
		}
		// The demo uses the three pillar tracks every new summit gets.
		created, err := ListTracks(ctx, tx, summit.ID)
		if err != nil {
			return err
		}
		tracks := map[Pillar]*Track{}
		for i := range created {
			tracks[created[i].Pillar] = &created[i]
		}
		speakerIDs := map[int]uint{}
		for _, ds := range demoSessions {
			for _, i := range ds.speakers {
				if _, ok := speakerIDs[i]; ok {
					continue
				}
				pid := strconv.FormatUint(uint64(people[i].ID), 10)
				sp, err := SaveSpeaker(ctx, tx, ActorOf(nil, ""), summit.ID, 0, SpeakerInput{PersonID: pid, Organisation: demoPeople[i][2],
					Bio: demoPeople[i][3] + " in " + demoPeople[i][2] + "."})
				if err != nil {
					return err
				}
				speakerIDs[i] = sp.ID
			}
		}
		guest, err := SaveSpeaker(ctx, tx, ActorOf(nil, ""), summit.ID, 0, SpeakerInput{Name: "Dr. Ama Mensah-Williams", Organisation: "Institute for Service Research",
			Bio: "Researches how organisations recognise the people who serve, and why recognition that reaches every department matters."})
		if err != nil {
			return err
		}
		for _, ds := range demoSessions {
			day := summit.Days()[ds.day-1]
			in := SessionInput{Title: ds.title, Kind: ds.kind, Abstract: ds.abstract, Day: day, StartTime: ds.start, EndTime: ds.end}
			if ds.room >= 0 {
				in.RoomID = strconv.FormatUint(uint64(rooms[ds.room].ID), 10)
			}
			if ds.pillar != "" {
				in.TrackID = strconv.FormatUint(uint64(tracks[ds.pillar].ID), 10)
			}
			if ds.capacity > 0 {
				in.Capacity = strconv.Itoa(ds.capacity)
			}
			for _, i := range ds.speakers {
				in.SpeakerIDs = append(in.SpeakerIDs, strconv.FormatUint(uint64(speakerIDs[i]), 10))
			}
			if strings.HasPrefix(ds.title, "Kindness at scale") {
				in.SpeakerIDs = append(in.SpeakerIDs, strconv.FormatUint(uint64(guest.ID), 10))
			}
			if _, err := SaveSession(ctx, tx, ActorOf(nil, ""), summit.ID, 0, in, Now()); err != nil {
				return fmt.Errorf("session %q: %w", ds.title, err)
			}
		}
		// --- The timetable editor's side list: two sessions not scheduled yet (models/sessions_move_seed.go) ---
		if err := seedDemoUnscheduled(ctx, tx, summit, tracks); err != nil {
			return err
		}
		if err := SeedDemoRegistrations(ctx, tx, summit); err != nil {
			return err
		}
		// --- Notices: a notice for José, an outbox with a sent and a not-sent mail (models/notices_seed.go) ---
		if err := seedDemoNotices(ctx, tx, summit); err != nil {
			return err
		}
		// --- Awards: demo categories, judges and nominations (models/awards_seed.go) ---
		if err := seedDemoAwards(ctx, tx, summit); err != nil {
			return err
		}
		// --- Outcomes: earlier editions with feedback, measures, How we grew (models/outcomes_seed.go) ---
		if err := seedDemoOutcomes(ctx, tx, summit, people); err != nil {
			return err
		}
		// --- Editions: speakers kept from earlier editions (models/editions_seed.go) ---
		if err := seedDemoEditions(ctx, tx, summit); err != nil {
			return err
		}
		// --- Feedback: when it closes and its threshold, carried by "next year" (models/feedback_seed.go) ---
		if err := seedDemoFeedbackSettings(ctx, tx, summit, people[3]); err != nil {
			return err
		}
		// --- Strategize: ideas, votes, the workshop shortlist, commitments of earlier editions (models/ideas_seed.go) ---
		return seedDemoIdeas(ctx, tx, summit, people)
	})
	if err != nil {
		return false, nil, fmt.Errorf("models: seed demo: %w", err)
	}
	for _, i := range []int{25, 3, 1, 0} {
		d := demoPeople[i]
		accounts = append(accounts, DemoAccount{Email: DemoEmail(d[1]), Role: Role(d[4]), Name: d[0]})
	}
	return true, accounts, nil
}
