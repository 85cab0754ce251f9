package models_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

func revisionOf(t *testing.T, db *gorm.DB, id uint) int64 {
	t.Helper()
	r, err := models.NewRevisionReader(db).Revision(ctx, id)
	if err != nil {
		t.Fatalf("read revision: %v", err)
	}
	return r.Revision
}

// TestRevisionRaisedByWrites: every change the public pages show raises the
// summit's revision in the same transaction, whatever code path writes it;
// seat counts (registrations) and unrelated rows do not.
func TestRevisionRaisedByWrites(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
			t.Fatal(err)
		}
		s, err := models.CurrentSummit(ctx, db, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		other := newSummitYear(t, db, 2031)
		otherRev := revisionOf(t, db, other.ID)
		sessions, err := models.ListSessions(ctx, db, s, models.AgendaFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var training *models.Session
		for i := range sessions {
			if sessions[i].Capacity != nil && training == nil {
				training = &sessions[i]
			}
		}
		people, err := models.ListPeople(ctx, db, models.PeopleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		sys := models.ActorOf(nil, "")
		last := revisionOf(t, db, s.ID)
		raises := func(what string, want bool, change func() error) {
			t.Helper()
			if err := change(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			now := revisionOf(t, db, s.ID)
			switch {
			case want && now <= last:
				t.Errorf("%s: revision stayed %d, want it raised", what, now)
			case !want && now != last:
				t.Errorf("%s: revision moved %d → %d, want it unchanged", what, last, now)
			}
			last = now
		}
		raises("room created", true, func() error {
			_, err := models.CreateRoom(ctx, db, models.ActorOf(nil, ""), s.ID, models.RoomInput{Name: "Annex", Capacity: "10"})
			return err
		})
		raises("track created", true, func() error {
			_, err := models.CreateTrack(ctx, db, models.ActorOf(nil, ""), s.ID, models.TrackInput{Name: "Extra", Pillar: models.PillarTrain, Color: "#123456"})
			return err
		})
		var guest *models.Speaker
		raises("speaker created", true, func() error {
			guest, err = models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SpeakerInput{Name: "Guest Speaker"})
			return err
		})
		in := models.SessionInput{Title: training.Title, Kind: training.Kind, Abstract: training.Abstract, Day: training.StartsAt.In(s.Location()).Format(models.DateLayout),
			StartTime: training.StartsAt.In(s.Location()).Format("15:04"), EndTime: training.EndsAt.In(s.Location()).Format("15:04"), Capacity: "24"}
		if training.RoomID != nil {
			in.RoomID = itoa(*training.RoomID)
		}
		if training.TrackID != nil {
			in.TrackID = itoa(*training.TrackID)
		}
		for _, sp := range training.Speakers {
			in.SpeakerIDs = append(in.SpeakerIDs, itoa(sp.ID))
		}
		raises("capacity and seats raised (an organiser's promotion from the waitlist)", false, func() error {
			return db.Exec("UPDATE sessions SET capacity = capacity + 1, seats_taken = seats_taken + 1, updated_at = ? WHERE id = ?", time.Now().UTC(), training.ID).Error
		})
		raises("registration closed on a session (capacity removed)", true, func() error {
			return db.Exec("UPDATE sessions SET capacity = NULL WHERE id = ?", training.ID).Error
		})
		raises("speaker added to a session", true, func() error {
			in.SpeakerIDs = append(in.SpeakerIDs, itoa(guest.ID))
			_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, training.ID, in, time.Now())
			return err
		})
		raises("session retitled", true, func() error {
			in.Title = "Retitled training"
			_, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, training.ID, in, time.Now())
			return err
		})
		raises("registration window set", true, func() error {
			_, err := models.SetRegistrationWindow(ctx, db, sys, s.ID, models.RegistrationWindowInput{
				OpensDay: "2026-01-01", OpensTime: "09:00", ClosesDay: "2027-03-10", ClosesTime: "18:00"}, time.Now())
			return err
		})
		regNow := time.Date(2027, 2, 1, 12, 0, 0, 0, time.UTC)
		before, _, err := models.NewRevisionReader(db).SessionSeats(ctx, s.ID, training.ID)
		if err != nil {
			t.Fatal(err)
		}
		raises("registration (a seat taken)", false, func() error {
			_, err := models.Register(ctx, db, s.ID, training.ID, people[len(people)-1].ID, regNow)
			return err
		})
		after, ok, err := models.NewRevisionReader(db).SessionSeats(ctx, s.ID, training.ID)
		if err != nil || !ok || after.Taken != before.Taken+1 {
			t.Fatalf("seat counts after a registration: %+v (ok %v, err %v), before %+v", after, ok, err, before)
		}
		raises("registration cancelled", false, func() error {
			_, err := models.CancelRegistration(ctx, db, s.ID, training.ID, people[len(people)-1].ID, regNow)
			return err
		})
		cats, err := models.ListCategories(ctx, db, s.ID)
		if err != nil || len(cats) == 0 {
			t.Fatalf("demo categories: %v %v", cats, err)
		}
		var cat models.AwardCategory
		var rows []models.ResultRow
		for _, c := range cats {
			if _, rows, err = models.Results(ctx, db, s.ID, c.ID); err != nil {
				t.Fatal(err)
			}
			if len(rows) > 0 {
				cat = c
				break
			}
		}
		if len(rows) == 0 {
			t.Fatal("no demo category has nominations")
		}
		winner := rows[0].Nominee
		raises("winner chosen", true, func() error {
			return models.ChooseWinners(ctx, db, sys, s.ID, cat.ID, []uint{winner.ID}, "for the test", regNow)
		})
		raises("winner renamed", true, func() error {
			_, err := models.UpdatePerson(ctx, db, models.ActorOf(nil, ""), winner.ID, models.PersonInput{Name: winner.Name + " Jr", Email: winner.Email,
				Department: winner.Department, JobTitle: winner.JobTitle, Role: winner.Role, Active: winner.Active, ManagerID: winner.ManagerID})
			return err
		})
		speakers, err := models.ListSpeakers(ctx, db, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		speaks := func(id uint) bool {
			return slices.ContainsFunc(speakers, func(sp models.Speaker) bool { return sp.PersonID != nil && *sp.PersonID == id })
		}
		var speaker models.Person
		for _, p := range people {
			if speaks(p.ID) && p.ID != winner.ID {
				speaker = p
				break
			}
		}
		// A directory speaker's department is shown beside their name (migration 0016).
		raises("speaker's department changed", true, func() error {
			_, err := models.UpdatePerson(ctx, db, models.ActorOf(nil, ""), speaker.ID, models.PersonInput{Name: speaker.Name, Email: speaker.Email,
				Department: speaker.Department + " and Care", JobTitle: speaker.JobTitle, Role: speaker.Role, Active: speaker.Active, ManagerID: speaker.ManagerID})
			return err
		})
		var bystander models.Person
		for _, p := range people {
			if p.ID != winner.ID && !speaks(p.ID) && !slices.ContainsFunc(rows, func(r models.ResultRow) bool { return r.Nominee.ID == p.ID }) {
				bystander = p
				break
			}
		}
		raises("someone else renamed", false, func() error {
			_, err := models.UpdatePerson(ctx, db, models.ActorOf(nil, ""), bystander.ID, models.PersonInput{Name: bystander.Name + " Jr", Email: bystander.Email,
				Department: bystander.Department, JobTitle: bystander.JobTitle, Role: bystander.Role, Active: bystander.Active, ManagerID: bystander.ManagerID})
			return err
		})
		raises("summit edited", true, func() error {
			_, err := models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), s.ID, models.SummitInput{Title: s.Title + "!", Theme: s.Theme, StartDate: s.StartDate, EndDate: s.EndDate, TimeZone: s.TimeZone, Venue: s.Venue}, time.Now())
			return err
		})
		raises("summit archived", true, func() error {
			_, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), s.ID, models.StatusArchived)
			return err
		})
		raises("session deleted", true, func() error {
			return models.DeleteSession(ctx, db, models.ActorOf(nil, ""), s.ID, training.ID, time.Now())
		})
		if got := revisionOf(t, db, other.ID); got != otherRev {
			t.Errorf("another summit's revision moved %d → %d", otherRev, got)
		}
		if got, err := models.GetSummit(ctx, db, s.ID); err != nil || got.Revision != last {
			t.Errorf("GetSummit revision %d (err %v), want %d", got.Revision, err, last)
		}
	})
}

// TestRevisionSessionColumns: SQLite's trigger names the sessions columns
// whose change raises the revision (Postgres compares whole rows). A new
// column must be sorted into one of the two lists here and, if a public
// page shows it, into the trigger of a new migration.
func TestRevisionSessionColumns(t *testing.T) {
	raising := []string{"id", "summit_id", "uuid", "title", "kind", "abstract", "room_id", "track_id", "starts_at", "ends_at", "capacity", "created_at", "version", "unscheduled"}
	// Not shown on a public page: the seat counts, and the sessions import's
	// stable key (migration 0020), which SQLite's trigger leaves out.
	seatsOnly := []string{"seats_taken", "updated_at", "import_key"}
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		cols, err := db.Migrator().ColumnTypes("sessions")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cols {
			if !slices.Contains(raising, c.Name()) && !slices.Contains(seatsOnly, c.Name()) {
				t.Errorf("sessions.%s is new: decide whether a change of it raises the summit's revision (migration 0013's sessions trigger) and list it here", c.Name())
			}
		}
	})
}

func newSummitYear(t *testing.T, db *gorm.DB, year int) *models.Summit {
	t.Helper()
	y := itoa(uint(year))
	s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Other " + y, StartDate: y + "-05-01", EndDate: y + "-05-02", TimeZone: "Europe/Amsterdam"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// TestRevisionTables: every table is either one whose rows the cached public
// pages show (a trigger raises the summit's revision when it changes,
// migration 0013) or one they do not show. A new table must be sorted into
// one of the two lists; see "Adding to a cached page" in docs/PERFORMANCE.md.
func TestRevisionTables(t *testing.T) {
	shown := []string{"summits", "rooms", "tracks", "speakers", "sessions", "session_speakers",
		"award_categories", "award_winners", "award_nominations", "people", "ideas", "commitments"}
	notShown := []string{"schema_migrations", "auth_sessions", "audit_events", "sign_in_attempts", "account_tokens",
		"import_previews", "registrations", "award_judges", "award_scores", "award_recusals", "calendar_feeds",
		"feedback_settings", "feedback", "outcome_measures", "outcome_values", "growth_page",
		"notices", "notice_settings", "outbox", // notices and mail: only the person and admins see them
		"idea_settings", "idea_votes", "idea_comments", "commitment_updates", "commitment_followers", "hint_words",
		"oidc_logins"} // single sign-on under way: never shown
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		tables, err := db.Migrator().GetTables()
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range tables {
			if strings.HasPrefix(name, "sqlite_") || slices.Contains(shown, name) || slices.Contains(notShown, name) {
				continue
			}
			t.Errorf("table %s is new: if a cached public page (agenda, session, honorees, program, calendar, frab) shows its rows, "+
				"give it a trigger that raises summits.revision (as migration 0013 does) and list it in shown; else list it in notShown", name)
		}
	})
}

// TestRevisionIdeasAndCommitments: a session page lists the ideas
// shortlisted into it, and the next editions' agenda and program show an
// edition's commitments; their changes raise those summits' revisions, and
// ideas nobody shortlisted, votes and comments do not.
func TestRevisionIdeasAndCommitments(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newIdeaFixture(t, db, 5)
		s := f.summit
		later, earlier := newSummitYear(t, db, 2031), newSummitYear(t, db, 2020)
		ann := f.person(t, "Ann Able", "Support")
		sys := models.Actor{Name: "test"}
		revs := func() [3]int64 {
			return [3]int64{revisionOf(t, db, earlier.ID), revisionOf(t, db, s.ID), revisionOf(t, db, later.ID)}
		}
		last := revs()
		raises := func(what string, want [3]bool, change func() error) {
			t.Helper()
			if err := change(); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			now := revs()
			for i, name := range []string{"the earlier summit", "the summit", "the later summit"} {
				if want[i] && now[i] <= last[i] {
					t.Errorf("%s: %s's revision stayed %d, want it raised", what, name, now[i])
				}
				if !want[i] && now[i] != last[i] {
					t.Errorf("%s: %s's revision moved %d → %d, want it unchanged", what, name, last[i], now[i])
				}
			}
			last = now
		}
		none := [3]bool{}
		var idea *models.Idea
		raises("idea submitted", none, func() error {
			var err error
			idea, err = models.SubmitIdea(ctx, db, sys, s.ID, ann.ID, models.IdeaInput{Title: "Call back within a day", Change: "Keep the promise.", Helps: models.HelpsCustomers}, ideaNow)
			return err
		})
		raises("vote", none, func() error { return models.Vote(ctx, db, s.ID, idea.ID, ann.ID, ideaNow) })
		raises("comment", none, func() error {
			_, err := models.CommentOnIdea(ctx, db, s.ID, idea.ID, ann.ID, "Yes", ideaNow)
			return err
		})
		raises("themes of an idea nobody shortlisted", none, func() error { return models.TagIdea(ctx, db, sys, s.ID, idea.ID, "callbacks", ideaNow) })
		own := [3]bool{false, true, false}
		raises("idea shortlisted", own, func() error { return models.ShortlistIdea(ctx, db, sys, s.ID, idea.ID, f.workshop.ID, ideaNow) })
		raises("vote for a shortlisted idea", none, func() error { return models.Unvote(ctx, db, s.ID, idea.ID, ann.ID, ideaNow) })
		raises("shortlisted idea hidden", own, func() error { return models.HideIdea(ctx, db, sys, s.ID, idea.ID, "test", ideaNow) })
		raises("later summit published (it has no later summit)", [3]bool{false, false, true}, func() error {
			_, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), later.ID, models.StatusPublished)
			return err
		})
		raises("earlier summit published (the previous edition of later ones may change)", [3]bool{true, true, true}, func() error {
			_, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), earlier.ID, models.StatusPublished)
			return err
		})
		raises("earlier summit archived (still an edition)", [3]bool{true, false, false}, func() error {
			_, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), earlier.ID, models.StatusArchived)
			return err
		})
		for _, hook := range revisionCommitmentSteps {
			hook(t, db, s, ann, raises)
		}
	})
}

// revisionCommitmentSteps are the commitment steps of
// TestRevisionIdeasAndCommitments (commitments_test.go).
var revisionCommitmentSteps []func(t *testing.T, db *gorm.DB, s *models.Summit, owner *models.Person, raises func(string, [3]bool, func() error))
