package models_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// fbFixture is the registration fixture (11–12 March 2027, Amsterdam) with a
// keynote given by a directory speaker, a training of one seat, a break, and
// people: seated (the seat), waiting (waitlisted), outsider (no seat) and
// the speaker.
type fbFixture struct {
	*regFixture
	keynote, training, brk                 *models.Session
	seated, waiting, outsider, speakerPers *models.Person
}

func newFeedbackFixture(t *testing.T, db *gorm.DB) *fbFixture {
	t.Helper()
	f := &fbFixture{regFixture: newRegFixture(t, db)}
	ps := f.people(t, 4)
	f.seated, f.waiting, f.outsider, f.speakerPers = ps[0], ps[1], ps[2], ps[3]
	sp, err := models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SpeakerInput{PersonID: id(f.speakerPers.ID)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SessionInput{Title: "Opening keynote", Kind: models.KindKeynote,
		Day: "2027-03-11", StartTime: "09:00", EndTime: "10:00", SpeakerIDs: []string{id(sp.ID)}}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.keynote = res.Session
	f.training = f.session(t, "Patience is a skill", "2027-03-11", "10:30", "11:30", 1)
	res, err = models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.summit.ID, 0, models.SessionInput{Title: "Coffee", Kind: models.KindBreak, Day: "2027-03-11", StartTime: "11:30", EndTime: "11:45"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	f.brk = res.Session
	f.register(t, f.training, f.seated)
	f.register(t, f.training, f.waiting)
	return f
}

// at is a moment in the summit's zone.
func at(day, hhmm string) time.Time {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	t, _ := time.ParseInLocation("2006-01-02 15:04", day+" "+hhmm, loc)
	return t
}

func refusal(t *testing.T, err error, contains string) {
	t.Helper()
	if msg := models.RefusalMessage(err); !strings.Contains(msg, contains) {
		t.Fatalf("want a refusal containing %q, got %v", contains, err)
	}
}

func answer(u, r int, comment string) models.FeedbackInput {
	return models.FeedbackInput{Useful: fmt.Sprint(u), Recommend: fmt.Sprint(r), Comment: comment}
}

func countFeedback(t *testing.T, db *gorm.DB) int64 {
	t.Helper()
	var n int64
	if err := db.Model(&models.Feedback{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Feedback comes only from the people who were there, only between the
// session's end and the summit's closing date, and changes the one answer.
func TestFeedbackOnlyFromEligibleInsideWindow(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFeedbackFixture(t, db)
		s, tr := f.summit.ID, f.training.ID
		during := at("2027-03-11", "11:00")
		after := at("2027-03-11", "12:00")

		_, err := models.SaveFeedback(ctx, db, s, tr, f.seated.ID, answer(5, 5, ""), during)
		refusal(t, err, "opens when the session ends")
		_, err = models.SaveFeedback(ctx, db, s, tr, f.waiting.ID, answer(4, 4, ""), after)
		refusal(t, err, "had a seat in it")
		_, err = models.SaveFeedback(ctx, db, s, tr, f.outsider.ID, answer(4, 4, ""), after)
		refusal(t, err, "had a seat in it")
		_, err = models.SaveFeedback(ctx, db, s, f.keynote.ID, f.speakerPers.ID, answer(5, 5, ""), after)
		refusal(t, err, "Speakers do not rate their own session")
		_, err = models.SaveFeedback(ctx, db, s, f.brk.ID, f.seated.ID, answer(5, 5, ""), after)
		refusal(t, err, "Breaks take no feedback")
		if n := countFeedback(t, db); n != 0 {
			t.Fatalf("refused answers stored %d rows", n)
		}

		// The seated person answers, then changes their mind: still one answer.
		if _, err := models.SaveFeedback(ctx, db, s, tr, f.seated.ID, answer(2, 3, "first thought"), after); err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveFeedback(ctx, db, s, tr, f.seated.ID, answer(4, 5, "second thought"), after.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		form, err := models.GetFeedbackForm(ctx, db, s, tr, f.seated.ID, after.Add(2*time.Hour))
		if err != nil || form.Mine == nil || form.Mine.Useful != 4 || form.Mine.Recommend != 5 || form.Mine.Comment != "second thought" || form.Refusal != "" {
			t.Fatalf("form after changing the answer: %+v, %v", form, err)
		}
		// Plenary sessions take feedback from anyone in the directory.
		if _, err := models.SaveFeedback(ctx, db, s, f.keynote.ID, f.outsider.ID, answer(5, 4, ""), after); err != nil {
			t.Fatalf("an outsider answering about the keynote: %v", err)
		}
		// Bad input: a field message, nothing stored.
		_, err = models.SaveFeedback(ctx, db, s, f.keynote.ID, f.waiting.ID, models.FeedbackInput{Useful: "6", Recommend: "", Comment: strings.Repeat("x", models.MaxFeedbackComment+1)}, after)
		fieldErr(t, err, "useful", "from 1")
		fieldErr(t, err, "recommend", "from 1")
		fieldErr(t, err, "comment", "too long")
		if n := countFeedback(t, db); n != 2 {
			t.Fatalf("want 2 answers, have %d", n)
		}

		// The whole summit: from the last day on, for anyone (it has plenary sessions).
		_, err = models.SaveFeedback(ctx, db, s, 0, f.outsider.ID, answer(5, 5, ""), after)
		refusal(t, err, "opens on its last day")
		if _, err := models.SaveFeedback(ctx, db, s, 0, f.outsider.ID, answer(5, 5, "great"), at("2027-03-12", "15:00")); err != nil {
			t.Fatal(err)
		}

		// The default window closes 14 days after the last day.
		w, err := models.GetFeedbackWindow(ctx, db, f.summit)
		if err != nil || w.Set || !w.ClosesAt.Equal(at("2027-03-27", "00:00")) || w.MinAnswers != 3 {
			t.Fatalf("default window: %+v, %v", w, err)
		}
		// The organiser closes it on the 20th: answers and changes stop.
		if _, err := models.SetFeedbackSettings(ctx, db, models.ActorOf(nil, ""), s, models.FeedbackSettingsInput{ClosesDay: "2027-03-20", ClosesTime: "17:00", MinAnswers: "3"}, after); err != nil {
			t.Fatal(err)
		}
		_, err = models.SaveFeedback(ctx, db, s, tr, f.seated.ID, answer(1, 1, "too late"), at("2027-03-20", "17:00"))
		refusal(t, err, "Feedback closed on Sat 20 Mar 2027 at 17:00")
		form, _ = models.GetFeedbackForm(ctx, db, s, tr, f.seated.ID, at("2027-03-21", "09:00"))
		if form.Mine.Comment != "second thought" || !strings.Contains(form.Refusal, "closed") {
			t.Fatalf("after closing: %+v", form)
		}

		// Drafts take nothing (and say nothing).
		if _, err := models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), s, models.StatusDraft); err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveFeedback(ctx, db, s, f.keynote.ID, f.waiting.ID, answer(3, 3, ""), after); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("feedback on a draft: %v", err)
		}
	})
}

// The threshold is never below three, and closing moments are checked.
func TestFeedbackSettingsNeverBelowThree(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFeedbackFixture(t, db)
		sys := models.ActorOf(nil, "")
		set := func(day, hhmm, min string) error {
			_, err := models.SetFeedbackSettings(ctx, db, sys, f.summit.ID, models.FeedbackSettingsInput{ClosesDay: day, ClosesTime: hhmm, MinAnswers: min}, regNow)
			return err
		}
		fieldErr(t, set("2027-03-20", "17:00", "2"), "min_answers", "At least 3")
		fieldErr(t, set("2027-03-20", "17:00", "0"), "min_answers", "At least 3")
		fieldErr(t, set("2027-03-20", "17:00", "three"), "min_answers", "whole number")
		fieldErr(t, set("2027-03-20", "17:00", "101"), "min_answers", "At most 100")
		fieldErr(t, set("2027-03-01", "17:00", "3"), "closes_day", "after the summit starts")
		fieldErr(t, set("2027-03-20", "", "3"), "closes_time", "required")
		fieldErr(t, set("2027-13-01", "10:00", "3"), "closes_day", "a date like")
		if err := set("2027-03-20", "17:00", "5"); err != nil {
			t.Fatal(err)
		}
		// The database refuses a threshold below three however it is written.
		if err := db.Exec("UPDATE feedback_settings SET min_answers = 2").Error; err == nil {
			t.Fatal("the database took a threshold of 2")
		}
		w, err := models.CloseFeedbackNow(ctx, db, sys, f.summit.ID, at("2027-03-13", "09:00"))
		if err != nil || !w.ClosesAt.Equal(at("2027-03-13", "09:00")) || w.MinAnswers != 5 {
			t.Fatalf("close now: %+v, %v", w, err)
		}
		_, err = models.CloseFeedbackNow(ctx, db, sys, f.summit.ID, at("2027-03-01", "09:00"))
		fieldErr(t, err, "closes_day", "after the summit starts")
		var audits int64
		db.Model(&models.AuditEvent{}).Where("action = ?", "summit.feedback").Count(&audits)
		if audits != 2 {
			t.Fatalf("want 2 audited changes, have %d", audits)
		}
	})
}

// Fewer answers than the threshold show nothing at all — no mean, no
// distribution, no comment, no count — in results, CSV and the edition's
// rating; at the threshold everything shows, comments sorted.
func TestFeedbackThresholdHidesFewAnswers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFeedbackFixture(t, db)
		people := f.people(t, 4)
		after := at("2027-03-11", "12:00")
		for i, p := range people[:2] {
			if _, err := models.SaveFeedback(ctx, db, f.summit.ID, f.keynote.ID, p.ID, answer(1, 1, fmt.Sprintf("HIDDEN-%d", i)), after); err != nil {
				t.Fatal(err)
			}
		}
		res, err := models.GetFeedbackResults(ctx, db, f.summit)
		if err != nil {
			t.Fatal(err)
		}
		if r := res.Sessions[0].Result; r.Shown || r.Answers != 0 || r.Useful != 0 || len(r.Comments) != 0 || r.UsefulDist != [5]int{} {
			t.Fatalf("two answers are visible: %+v", r)
		}
		if _, ok := res.SessionRating(); ok {
			t.Fatal("an edition rating from two answers")
		}
		rows, err := models.FeedbackCSV(ctx, db, f.summit)
		if err != nil || len(rows) != 4 {
			t.Fatalf("the CSV: %v %v", rows, err)
		}
		if got := strings.Join(rows[2], "|"); got != "Opening keynote|2027-03-11 09:00|||(fewer than 3 answers: not shown)" {
			t.Fatalf("two answers in the CSV: %q", got)
		}
		for _, r := range rows {
			if strings.Contains(strings.Join(r, "|"), "HIDDEN") {
				t.Fatalf("a hidden comment in the CSV: %v", r)
			}
		}

		if _, err := models.SaveFeedback(ctx, db, f.summit.ID, f.keynote.ID, people[2].ID, answer(5, 4, "  Also helpful  "), after); err != nil {
			t.Fatal(err)
		}
		res, _ = models.GetFeedbackResults(ctx, db, f.summit)
		r := res.Sessions[0].Result
		if !r.Shown || r.Answers != 3 || models.FmtRating(r.Useful) != "2.3" || models.FmtRating(r.Recommend) != "2.0" ||
			r.UsefulDist != [5]int{2, 0, 0, 0, 1} || strings.Join(r.Comments, "|") != "Also helpful|HIDDEN-0|HIDDEN-1" {
			t.Fatalf("three answers: %+v", r)
		}
		if v, ok := res.SessionRating(); !ok || models.FmtRating(v) != "2.2" {
			t.Fatalf("edition rating %v %v", v, ok)
		}
		rows, _ = models.FeedbackCSV(ctx, db, f.summit)
		if len(rows) != 6 || rows[2][0] != "Opening keynote" || rows[2][2] != "5" || rows[2][4] != "Also helpful" || rows[4][4] != "HIDDEN-1" || rows[5][0] != "Patience is a skill" {
			t.Fatalf("CSV: %v", rows)
		}
		for _, row := range rows {
			for _, cell := range row {
				for _, p := range people {
					if strings.Contains(cell, p.Name) || strings.Contains(cell, p.Email) {
						t.Fatalf("the CSV names %s", p.Name)
					}
				}
			}
		}
		// A higher threshold hides it again.
		if _, err := models.SetFeedbackSettings(ctx, db, models.ActorOf(nil, ""), f.summit.ID, models.FeedbackSettingsInput{ClosesDay: "2027-03-20", ClosesTime: "17:00", MinAnswers: "4"}, after); err != nil {
			t.Fatal(err)
		}
		res, _ = models.GetFeedbackResults(ctx, db, f.summit)
		if res.Sessions[0].Result.Shown {
			t.Fatal("three answers shown under a threshold of four")
		}
	})
}

// One person sending their answer from many tabs at once keeps one answer.
func TestConcurrentFeedbackKeepsOneAnswer(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFeedbackFixture(t, db)
		after := at("2027-03-11", "12:00")
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, err := models.SaveFeedback(ctx, db, f.summit.ID, f.keynote.ID, f.outsider.ID, answer(1+i%5, 3, fmt.Sprint("try ", i)), after)
				errs <- err
			}(i)
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Errorf("parallel answer: %v", err)
			}
		}
		if n := countFeedback(t, db); n != 1 {
			t.Fatalf("20 parallel answers from one person stored %d rows", n)
		}
	})
}

// Speakers see their own sessions' results only once feedback has closed,
// and only above the threshold.
func TestSpeakerResultsAfterClose(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFeedbackFixture(t, db)
		people := f.people(t, 3)
		after := at("2027-03-11", "12:00")
		for _, p := range people {
			if _, err := models.SaveFeedback(ctx, db, f.summit.ID, f.keynote.ID, p.ID, answer(4, 5, "Clear and kind"), after); err != nil {
				t.Fatal(err)
			}
		}
		list, err := models.SpeakerResults(ctx, db, f.speakerPers.ID, after)
		if err != nil || len(list) != 1 || list[0].Ready || list[0].Result.Shown {
			t.Fatalf("before closing: %+v, %v", list, err)
		}
		list, _ = models.SpeakerResults(ctx, db, f.speakerPers.ID, at("2027-03-27", "00:00"))
		if len(list) != 1 || !list[0].Ready || !list[0].Result.Shown || list[0].Result.Answers != 3 || list[0].Result.Comments[0] != "Clear and kind" {
			t.Fatalf("after closing: %+v", list)
		}
		if list, _ := models.SpeakerResults(ctx, db, f.outsider.ID, at("2027-03-27", "00:00")); len(list) != 0 {
			t.Fatalf("a non-speaker sees results: %+v", list)
		}
	})
}

// My feedback lists what a person may answer now, and what they answered.
func TestFeedbackTasks(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFeedbackFixture(t, db)
		after := at("2027-03-11", "12:00")
		titles := func(p *models.Person, now time.Time) string {
			list, err := models.FeedbackTasks(ctx, db, p.ID, now)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, x := range list {
				s := "summit"
				if x.Session != nil {
					s = x.Session.Title
				}
				if x.Answered {
					s += "✓"
				}
				out = append(out, s)
			}
			return strings.Join(out, ", ")
		}
		if got := titles(f.seated, after); got != "Patience is a skill, Opening keynote" {
			t.Fatalf("seated: %q", got)
		}
		if got := titles(f.speakerPers, after); got != "" {
			t.Fatalf("the speaker may rate: %q", got)
		}
		if _, err := models.SaveFeedback(ctx, db, f.summit.ID, f.keynote.ID, f.seated.ID, answer(4, 4, ""), after); err != nil {
			t.Fatal(err)
		}
		if got := titles(f.seated, at("2027-03-12", "18:00")); got != "summit, Patience is a skill, Opening keynote✓" {
			t.Fatalf("seated on the last day: %q", got)
		}
		if got := titles(f.seated, at("2027-03-28", "18:00")); got != "" {
			t.Fatalf("after closing: %q", got)
		}
	})
}
