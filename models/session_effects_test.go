package models_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

func speakerFor(t *testing.T, f *regFixture, p *models.Person) *models.Speaker {
	t.Helper()
	sp, err := models.SaveSpeaker(ctx, f.db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SpeakerInput{PersonID: fmt.Sprint(p.ID)})
	if err != nil {
		t.Fatal(err)
	}
	return sp
}

func inputOf(s *models.Session, loc interface{ String() string }, day, start, end string, capacity int, speakers ...*models.Speaker) models.SessionInput {
	in := models.SessionInput{Title: s.Title, Kind: s.Kind, Day: day, StartTime: start, EndTime: end}
	if capacity > 0 {
		in.Capacity = fmt.Sprint(capacity)
	}
	for _, sp := range speakers {
		in.SpeakerIDs = append(in.SpeakerIDs, fmt.Sprint(sp.ID))
	}
	return in
}

func names(list []models.AffectedPerson) []string {
	var out []string
	for _, p := range list {
		out = append(out, p.Name)
	}
	return out
}

func clashNames(list []models.PersonClash) []string {
	var out []string
	for _, c := range list {
		out = append(out, c.Name+" / "+c.Other)
	}
	return out
}

func noticesOf(t *testing.T, db *gorm.DB, personID uint) []models.Notice {
	t.Helper()
	list, err := models.ListNotices(ctx, db, personID, 100)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// The preview of a change lists exactly the people it affects: registrants
// and speakers by name, who would hold two confirmed seats at once, whose own
// talk would overlap, who would lose a seat and who would get one; nothing is
// saved and nobody is told until the change is saved, and then each of them
// gets one notice (with a mail queued) saying what it means for them.
func TestPreviewListsExactlyThePeopleAChangeAffects(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		ps := f.people(t, 7)
		a := f.session(t, "Listening first", "2027-03-11", "10:00", "11:00", 3)
		b := f.session(t, "Empathy lab", "2027-03-11", "11:00", "12:00", 5)
		panelSpeaker := speakerFor(t, f, ps[1])
		ownSpeaker := speakerFor(t, f, ps[5])
		panel, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SessionInput{Title: "Service panel", Kind: models.KindPanel,
			Day: "2027-03-11", StartTime: "11:00", EndTime: "12:00", SpeakerIDs: []string{fmt.Sprint(panelSpeaker.ID)}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, a.ID, inputOf(a, nil, "2027-03-11", "10:00", "11:00", 3, ownSpeaker), time.Now()); err != nil {
			t.Fatal(err)
		}
		f.register(t, a, ps[0])
		f.register(t, a, ps[1])
		f.register(t, a, ps[2])
		f.register(t, a, ps[3]) // waitlisted, 1st in line
		f.register(t, b, ps[0])
		f.register(t, b, ps[4])
		f.register(t, b, ps[5]) // A's speaker holds a seat in B
		db.Where("1 = 1").Delete(&models.Notice{})
		db.Where("1 = 1").Delete(&models.OutboxMail{})

		// Moving A to 11:00 …
		move := inputOf(a, nil, "2027-03-11", "11:00", "12:00", 3, ownSpeaker)
		pre, err := models.PreviewSession(ctx, db, f.summit.ID, a.ID, move, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ch := pre.Change
		want := []string{"Person 00", "Person 01", "Person 02", "Person 03", "Person 05"}
		if got := names(ch.Affected); !slices.Equal(got, want) || !ch.Moved || !ch.NeedsConfirmation() {
			t.Fatalf("affected %v (moved %v), want %v", got, ch.Moved, want)
		}
		if ch.Affected[3].Role != "waitlist, 1st in line" || ch.Affected[4].Role != "speaker" {
			t.Fatalf("roles: %+v", ch.Affected)
		}
		if got := clashNames(ch.DoubleBooked); !slices.Equal(got, []string{"Person 00 / Empathy lab"}) {
			t.Fatalf("double booked: %v", got)
		}
		if got := clashNames(ch.OwnTalkOverlaps); !slices.Equal(got, []string{"Person 01 / Service panel", "Person 05 / Empathy lab"}) {
			t.Fatalf("own talk overlaps: %v", got)
		}
		if len(ch.LoseSeat) != 0 || len(ch.Promoted) != 0 || !strings.Contains(ch.BeforeText, "10:00–11:00") || !strings.Contains(ch.AfterText, "11:00–12:00") {
			t.Fatalf("change: %+v", ch)
		}
		// … the preview saved nothing and told nobody.
		if s, _ := models.GetSession(ctx, db, f.summit.ID, a.ID); !s.StartsAt.Equal(a.StartsAt) {
			t.Fatal("the preview moved the session")
		}
		var n int64
		db.Model(&models.Notice{}).Count(&n)
		if n != 0 {
			t.Fatalf("the preview created %d notices", n)
		}
		// Saved "unless affected", it waits: nothing written, the same people named.
		held, err := models.SaveSessionUnlessAffected(ctx, db, models.ActorOf(nil, ""), f.summit.ID, a.ID, move, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if held.Saved || !slices.Equal(names(held.Change.Affected), want) {
			t.Fatalf("unless affected: saved %v, affected %v", held.Saved, names(held.Change.Affected))
		}
		if s, _ := models.GetSession(ctx, db, f.summit.ID, a.ID); !s.StartsAt.Equal(a.StartsAt) {
			t.Fatal("a change that affects people was saved without confirmation")
		}
		if db.Model(&models.Notice{}).Count(&n); n != 0 {
			t.Fatalf("the held change created %d notices", n)
		}
		// Saving it tells each affected person once, and nobody else.
		res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, a.ID, move, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names(res.Change.Affected), want) {
			t.Fatalf("saved change: %v", names(res.Change.Affected))
		}
		for i, p := range ps {
			got := noticesOf(t, db, p.ID)
			affected := slices.Contains(want, p.Name)
			if affected != (len(got) == 1) || (!affected && len(got) != 0) {
				t.Fatalf("%s has %d notices", p.Name, len(got))
			}
			if !affected {
				continue
			}
			if got[0].Subject != "“Listening first” moved" || !strings.Contains(got[0].Body, "it is now Thu 11 Mar 11:00–12:00") {
				t.Fatalf("%s: %+v", p.Name, got[0])
			}
			if i == 0 && !strings.Contains(got[0].Body, "You now also hold a seat in “Empathy lab”") {
				t.Fatalf("Person 00 is not told of the double booking: %s", got[0].Body)
			}
		}
		db.Model(&models.OutboxMail{}).Count(&n)
		if n != int64(len(want)) {
			t.Fatalf("%d mails queued, want %d", n, len(want))
		}

		// Lowering B's seats from 5 to 3 (3 held) affects its registrants.
		pre, err = models.PreviewSession(ctx, db, f.summit.ID, b.ID, inputOf(b, nil, "2027-03-11", "11:00", "12:00", 3), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !pre.Change.CapacityLowered || pre.Change.CapacityAfter != 3 || !slices.Equal(names(pre.Change.Affected), []string{"Person 00", "Person 04", "Person 05"}) {
			t.Fatalf("capacity: %+v", pre.Change)
		}
		// Raising A's seats to 4 seats Person 03 from the waitlist; only she is told.
		db.Where("1 = 1").Delete(&models.Notice{})
		res, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, a.ID, inputOf(a, nil, "2027-03-11", "11:00", "12:00", 4, ownSpeaker), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if res.Change.Changed() || !slices.Equal(names(res.Change.Promoted), []string{"Person 03"}) {
			t.Fatalf("raise: %+v", res.Change)
		}
		db.Model(&models.Notice{}).Count(&n)
		if got := noticesOf(t, db, ps[3].ID); n != 1 || len(got) != 1 || got[0].Subject != "You have a seat in “Listening first”" {
			t.Fatalf("promotion notices: %d, %+v", n, got)
		}

		// Cancelling A: its four seats are lost; its speaker is told too.
		ch, deleted, err := models.DeleteSessionUnlessAffected(ctx, db, models.ActorOf(nil, ""), f.summit.ID, a.ID, "", time.Now())
		if err != nil || deleted {
			t.Fatalf("held delete: deleted %v, %v", deleted, err)
		}
		if !ch.Cancelled || !slices.Equal(names(ch.LoseSeat), []string{"Person 00", "Person 01", "Person 02", "Person 03"}) || len(ch.Affected) != 5 {
			t.Fatalf("delete preview: %+v", ch)
		}
		if _, err := models.GetSession(ctx, db, f.summit.ID, a.ID); err != nil {
			t.Fatal("the held delete deleted the session")
		}
		db.Where("1 = 1").Delete(&models.Notice{})
		if err := models.DeleteSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, a.ID, time.Now()); err != nil {
			t.Fatal(err)
		}
		db.Model(&models.Notice{}).Where("subject = ?", "“Listening first” is cancelled").Count(&n)
		if n != 5 {
			t.Fatalf("%d cancellation notices", n)
		}
		_ = panel
	})
}

// A speaker's own talk is on their agenda: registering for a session that
// overlaps it is refused, naming the talk.
func TestRegisteringOverYourOwnTalkIsRefused(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newRegFixture(t, db)
		ps := f.people(t, 1)
		sp := speakerFor(t, f, ps[0])
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SessionInput{Title: "Service panel", Kind: models.KindPanel,
			Day: "2027-03-11", StartTime: "11:00", EndTime: "12:00", SpeakerIDs: []string{fmt.Sprint(sp.ID)}}, time.Now()); err != nil {
			t.Fatal(err)
		}
		b := f.session(t, "Empathy lab", "2027-03-11", "11:30", "12:30", 5)
		later := f.session(t, "Afternoon lab", "2027-03-11", "14:00", "15:00", 5)
		_, err := models.Register(ctx, db, f.summit.ID, b.ID, ps[0].ID, regNow)
		if msg := models.RefusalMessage(err); !strings.Contains(msg, "You speak in “Service panel” (Thu 11 Mar 11:00–12:00), which overlaps this session.") {
			t.Fatalf("refusal: %v", err)
		}
		f.register(t, later, ps[0]) // a session at another time is fine
		if got := noticesOf(t, db, ps[0].ID); len(got) != 1 || got[0].Kind != models.NoticeSeat || !strings.Contains(got[0].Subject, "Afternoon lab") {
			t.Fatalf("seat notice: %+v", got)
		}
	})
}

// The demo has notices, an outbox with a sent and a not-sent mail, and José
// (the staff demo account) speaks: his agenda marks his talk.
func TestDemoHasNoticesAndSpeakerAgenda(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
			t.Fatal(err)
		}
		jose, err := models.PersonByEmail(ctx, db, "jose.nunez@summit.example")
		if err != nil {
			t.Fatal(err)
		}
		if got := noticesOf(t, db, jose.ID); len(got) == 0 || !strings.Contains(got[0].Subject, "is open") {
			t.Fatalf("José's notices: %+v", got)
		}
		pg, err := models.ListOutbox(ctx, db, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if pg.Counts[models.MailSent] != 1 || pg.Counts[models.MailUnsent] != 1 || pg.Counts[models.MailPending] == 0 {
			t.Fatalf("demo outbox: %v", pg.Counts)
		}
		var s models.Summit
		db.Where("year = ?", 2027).Where("status = ?", models.StatusPublished).First(&s)
		entries, err := models.PersonalAgenda(ctx, db, &s, jose.ID)
		if err != nil {
			t.Fatal(err)
		}
		speaks := 0
		for _, e := range entries {
			if e.Status == models.AgendaSpeaker {
				speaks++
			}
		}
		if speaks == 0 {
			t.Fatal("José's talk is not on his agenda")
		}
	})
}

// A draft agenda is still being made: moving a session of a draft summit
// asks no confirmation and tells nobody, though its speaker is listed.
func TestDraftSummitChangesTellNobody(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSummit(t, db) // a draft
		f := &regFixture{db: db, summit: s}
		p := f.people(t, 1)[0]
		sp := speakerFor(t, f, p)
		res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Panel", Kind: models.KindPanel, Day: "2027-03-11", StartTime: "10:00", EndTime: "11:00", SpeakerIDs: []string{itoa(sp.ID)}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		res, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, res.Session.ID, models.SessionInput{Title: "Panel", Kind: models.KindPanel, Day: "2027-03-11", StartTime: "14:00", EndTime: "15:00", SpeakerIDs: []string{itoa(sp.ID)}}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if !res.Change.Draft || !res.Change.Moved || res.Change.NeedsConfirmation() || len(res.Change.Affected) != 1 {
			t.Fatalf("draft change: %+v", res.Change)
		}
		if got := noticesOf(t, db, p.ID); len(got) != 0 {
			t.Fatalf("notices from a draft: %+v", got)
		}
	})
}
