package models

// Session feedback: from a session's end until the summit's feedback closes,
// a person who had a seat in it (anyone, for a plenary session) rates it 1–5
// on two questions with an optional comment; one answer per person and
// session, which they may change until feedback closes. The whole summit
// gets the same short form from its last day on.
//
// Privacy: person_id is stored only so people can change their own answer.
// Results (feedback_results.go) never carry it, and show figures and
// comments only when at least the summit's threshold of people answered.

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// MinFeedbackAnswers is the smallest number of answers a result may be shown
// for: fewer, and people could tell who said what.
const MinFeedbackAnswers = 3

// DefaultFeedbackDays is how long after a summit's last day feedback stays
// open unless an organiser sets another date.
const DefaultFeedbackDays = 14

// FeedbackSettings is what an organiser set for a summit's feedback.
type FeedbackSettings struct {
	SummitID   uint `gorm:"primaryKey;autoIncrement:false"`
	ClosesAt   time.Time
	MinAnswers int
	UpdatedAt  time.Time
}

// TableName names the feedback settings table.
func (FeedbackSettings) TableName() string { return "feedback_settings" }

// FeedbackWindow is a summit's feedback rules as they apply: when answers
// stop and how many answers a result needs before anyone sees it.
type FeedbackWindow struct {
	ClosesAt   time.Time // UTC
	MinAnswers int
	Set        bool // an organiser chose them (else the defaults)
	Loc        *time.Location
}

// Closed reports whether feedback has closed at now.
func (w FeedbackWindow) Closed(now time.Time) bool { return !now.Before(w.ClosesAt) }

// ClosesText says when feedback closes (or closed), in the summit's zone.
func (w FeedbackWindow) ClosesText() string { return fmtInstant(w.ClosesAt, w.Loc) }

// Describe says in a sentence whether feedback is open.
func (w FeedbackWindow) Describe(now time.Time) string {
	if w.Closed(now) {
		return "Feedback closed on " + w.ClosesText() + "."
	}
	return "Feedback is open until " + w.ClosesText() + "."
}

// GetFeedbackWindow reads a summit's feedback window (the defaults when no
// organiser has set one).
func GetFeedbackWindow(ctx context.Context, db *gorm.DB, s *Summit) (FeedbackWindow, error) {
	w := FeedbackWindow{ClosesAt: s.End().AddDate(0, 0, DefaultFeedbackDays).UTC(), MinAnswers: MinFeedbackAnswers, Loc: s.Location()}
	var rows []FeedbackSettings
	if err := withCtx(ctx, db).Where("summit_id = ?", s.ID).Limit(1).Find(&rows).Error; err != nil {
		return w, fmt.Errorf("models: feedback window %d: %w", s.ID, err)
	}
	if len(rows) == 1 {
		w.ClosesAt, w.MinAnswers, w.Set = rows[0].ClosesAt.UTC(), rows[0].MinAnswers, true
		if w.MinAnswers < MinFeedbackAnswers {
			w.MinAnswers = MinFeedbackAnswers
		}
	}
	return w, nil
}

// FeedbackSettingsInput is what an organiser types: the closing day and time
// in the summit's zone and the smallest number of answers to show.
type FeedbackSettingsInput struct {
	ClosesDay, ClosesTime, MinAnswers string
}

// MaxFeedbackAnswers bounds the threshold; a higher one would hide nearly
// every result of a company-sized summit.
const MaxFeedbackAnswers = 100

// SetFeedbackSettings validates and stores when a summit's feedback closes
// and its threshold (at least MinFeedbackAnswers), audited.
func SetFeedbackSettings(ctx context.Context, db *gorm.DB, who Actor, summitID uint, in FeedbackSettingsInput, now time.Time) (FeedbackWindow, error) {
	return saveFeedbackSettings(ctx, db, who, summitID, func(s *Summit, cur FeedbackWindow) (FeedbackSettings, error) {
		f := FieldErrors{}
		out := FeedbackSettings{SummitID: s.ID}
		n, err := strconv.Atoi(strings.TrimSpace(in.MinAnswers))
		switch {
		case strings.TrimSpace(in.MinAnswers) == "":
			f.Add("min_answers", "Say how many answers a result needs before anyone sees it: 3 or more.")
		case err != nil:
			f.Add("min_answers", "Answers needed must be a whole number like 3 or 5.")
		case n < MinFeedbackAnswers:
			f.Add("min_answers", fmt.Sprintf("At least %d answers, never fewer: with fewer, people could tell who said what.", MinFeedbackAnswers))
		case n > MaxFeedbackAnswers:
			f.Add("min_answers", fmt.Sprintf("At most %d answers; a higher number would hide nearly every result.", MaxFeedbackAnswers))
		}
		out.MinAnswers = n
		if t := (momentField{Day: "closes_day", Time: "closes_time", Label: "Closing", ExampleDay: s.EndDate, ExampleTime: "17:00"}).parse(f, s.Location(), in.ClosesDay, in.ClosesTime, true); t != nil {
			out.ClosesAt = *t
			if msg := closingProblem(s, out.ClosesAt); msg != "" {
				f.Add("closes_day", msg)
			}
		}
		return out, f.Err()
	}, now)
}

// CloseFeedbackNow ends a summit's feedback at now (keeping its threshold),
// so speakers see their results; audited.
func CloseFeedbackNow(ctx context.Context, db *gorm.DB, who Actor, summitID uint, now time.Time) (FeedbackWindow, error) {
	return saveFeedbackSettings(ctx, db, who, summitID, func(s *Summit, cur FeedbackWindow) (FeedbackSettings, error) {
		if msg := closingProblem(s, now.UTC()); msg != "" {
			return FeedbackSettings{}, FieldErrors{"closes_day": msg}
		}
		return FeedbackSettings{SummitID: s.ID, ClosesAt: now.UTC(), MinAnswers: cur.MinAnswers}, nil
	}, now)
}

// closingProblem says what is wrong with a closing moment, or "".
func closingProblem(s *Summit, at time.Time) string {
	switch {
	case !at.After(s.Start()):
		return fmt.Sprintf("Feedback must close after the summit starts (%s); sessions take feedback once they end.", s.StartDate)
	case at.After(s.End().AddDate(1, 0, 0)):
		return "Feedback must close within a year of the summit's last day."
	}
	return ""
}

func saveFeedbackSettings(ctx context.Context, db *gorm.DB, who Actor, summitID uint, next func(*Summit, FeedbackWindow) (FeedbackSettings, error), now time.Time) (FeedbackWindow, error) {
	var out FeedbackWindow
	err := inTx(ctx, db, fmt.Sprintf("feedback settings %d", summitID), func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		var s Summit
		if err := tx.First(&s, summitID).Error; err != nil {
			return notFound(err)
		}
		cur, err := GetFeedbackWindow(ctx, tx, &s)
		if err != nil {
			return err
		}
		row, err := next(&s, cur)
		if err != nil {
			return err
		}
		row.UpdatedAt = now.UTC()
		if cur.Set {
			err = tx.Model(&FeedbackSettings{}).Where("summit_id = ?", s.ID).
				Updates(map[string]any{"closes_at": row.ClosesAt, "min_answers": row.MinAnswers, "updated_at": row.UpdatedAt}).Error
		} else {
			err = tx.Create(&row).Error
		}
		if err != nil {
			return err
		}
		out = FeedbackWindow{ClosesAt: row.ClosesAt, MinAnswers: row.MinAnswers, Set: true, Loc: s.Location()}
		type snap struct {
			ClosesAt   time.Time `json:"closes_at"`
			MinAnswers int       `json:"min_answers"`
		}
		return Audit(ctx, tx, who, "summit.feedback", "summit", s.ID,
			fmt.Sprintf("Feedback of %s: closes %s; results shown from %d answers", s.Title, out.ClosesText(), out.MinAnswers),
			snap{cur.ClosesAt, cur.MinAnswers}, snap{out.ClosesAt, out.MinAnswers})
	})
	if err != nil {
		return FeedbackWindow{}, err
	}
	return out, nil
}

// Feedback is one person's answer about a session (SessionID nil: about the
// whole summit). PersonID never leaves this package's write path: results
// and exports do not carry it.
type Feedback struct {
	ID        uint `gorm:"primaryKey"`
	SummitID  uint
	SessionID *uint
	PersonID  uint `json:"-"`
	Useful    int
	Recommend int
	Comment   string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName names the feedback table.
func (Feedback) TableName() string { return "feedback" }

// FeedbackInput is what a person sends: two ratings 1–5 and a comment.
type FeedbackInput struct {
	Useful, Recommend, Comment string
}

// MaxFeedbackComment bounds a comment, in characters.
const MaxFeedbackComment = 2000

func (in FeedbackInput) validate() (Feedback, FieldErrors) {
	f := FieldErrors{}
	rating := func(field, what, s string) int {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 5 {
			f.Add(field, "Choose "+what+", from 1 (not at all) to 5 (very much).")
			return 0
		}
		return n
	}
	fb := Feedback{
		Useful:    rating("useful", "how useful it was for your work", in.Useful),
		Recommend: rating("recommend", "how much you would recommend it", in.Recommend),
	}
	fb.Comment = checkText(f, "comment", "Comment", in.Comment, false, MaxFeedbackComment)
	return fb, f
}

// feedbackRefusal is a refused answer, with a sentence that says why.
func feedbackRefusal(format string, args ...any) error {
	return FieldErrors{"feedback": fmt.Sprintf(format, args...)}
}

// feedbackTarget is a summit, optionally one of its sessions, with the
// window that applies.
type feedbackTarget struct {
	Summit  *Summit
	Session *Session // nil: the whole summit
	Window  FeedbackWindow
}

// OpensAt is when answers about the target start: the session's end, or the
// start of the summit's last day for the whole summit (people fill it in
// before they leave).
func (t feedbackTarget) OpensAt() time.Time {
	if t.Session != nil {
		return t.Session.EndsAt
	}
	return t.Summit.End().AddDate(0, 0, -1).UTC()
}

// checkFeedback refuses (FieldErrors under "feedback") when the person may
// not answer about the target at now: a break, outside the window, not
// there, or a speaker of the session.
func checkFeedback(tx *gorm.DB, t feedbackTarget, personID uint, now time.Time) error {
	loc := t.Summit.Location()
	if t.Session != nil && t.Session.Kind == KindBreak {
		return feedbackRefusal("Breaks take no feedback.")
	}
	if now.Before(t.OpensAt()) {
		if t.Session != nil {
			return feedbackRefusal("Feedback opens when the session ends, on %s.", fmtInstant(t.OpensAt(), loc))
		}
		return feedbackRefusal("Feedback on the whole summit opens on its last day, %s.", fmtInstant(t.OpensAt(), loc))
	}
	if t.Window.Closed(now) {
		return feedbackRefusal("Feedback closed on %s.", t.Window.ClosesText())
	}
	ok, why, err := eligible(tx, t, personID)
	if err != nil {
		return err
	}
	if !ok {
		return feedbackRefusal("%s", why)
	}
	return nil
}

// eligible says whether a person was part of the target: anyone for a
// plenary session (no registration), a confirmed or checked-in seat for a
// session that takes registrations, and for the whole summit either of those
// for any of its sessions. Speakers do not rate their own session.
func eligible(tx *gorm.DB, t feedbackTarget, personID uint) (bool, string, error) {
	var active int64
	if err := tx.Model(&Person{}).Where("id = ? AND active = ?", personID, true).Count(&active).Error; err != nil {
		return false, "", err
	}
	if active == 0 {
		return false, "Only people in the staff directory give feedback.", nil
	}
	if t.Session == nil {
		var plenary int64
		if err := tx.Model(&Session{}).Where("summit_id = ? AND capacity IS NULL AND kind <> ?", t.Summit.ID, KindBreak).Count(&plenary).Error; err != nil {
			return false, "", err
		}
		if plenary > 0 {
			return true, "", nil
		}
		var seats int64
		if err := tx.Model(&Registration{}).Joins("JOIN sessions ON sessions.id = registrations.session_id").
			Where("sessions.summit_id = ? AND registrations.person_id = ? AND (registrations.status = ? OR registrations.attended_at IS NOT NULL)", t.Summit.ID, personID, RegConfirmed).
			Count(&seats).Error; err != nil {
			return false, "", err
		}
		return seats > 0, "Feedback on this summit comes from the people who had a seat in one of its sessions.", nil
	}
	var speaks int64
	if err := tx.Table("session_speakers").Joins("JOIN speakers ON speakers.id = session_speakers.speaker_id").
		Where("session_speakers.session_id = ? AND speakers.person_id = ?", t.Session.ID, personID).Count(&speaks).Error; err != nil {
		return false, "", err
	}
	if speaks > 0 {
		return false, "Speakers do not rate their own session. Your results appear under My feedback once feedback closes.", nil
	}
	if t.Session.Capacity == nil {
		return true, "", nil
	}
	var seat int64
	if err := tx.Model(&Registration{}).Where("session_id = ? AND person_id = ? AND (status = ? OR attended_at IS NOT NULL)", t.Session.ID, personID, RegConfirmed).
		Count(&seat).Error; err != nil {
		return false, "", err
	}
	return seat > 0, "Feedback on this session comes from the people who had a seat in it or were checked in.", nil
}

// loadFeedbackTarget loads a public summit, the session (0: none) and the
// window. Drafts and sessions of other summits are ErrNotFound.
func loadFeedbackTarget(ctx context.Context, tx *gorm.DB, summitID, sessionID uint) (feedbackTarget, error) {
	var t feedbackTarget
	var s Summit
	if err := tx.First(&s, summitID).Error; err != nil {
		return t, notFound(err)
	}
	if !s.IsPublic() {
		return t, ErrNotFound
	}
	t.Summit = &s
	if sessionID != 0 {
		var sess Session
		if err := tx.Where("summit_id = ?", summitID).First(&sess, sessionID).Error; err != nil {
			return t, notFound(err)
		}
		t.Session = &sess
	}
	w, err := GetFeedbackWindow(ctx, tx, &s)
	t.Window = w
	return t, err
}

// FeedbackForm is what a person's feedback form needs: whether they may
// answer now (Refusal says why not), their answer so far and the window.
type FeedbackForm struct {
	Summit  *Summit
	Session *Session // nil: the whole summit
	Window  FeedbackWindow
	Mine    *Feedback
	Refusal string
}

// GetFeedbackForm loads the feedback form of a session (sessionID 0: the whole
// summit) for a person at now.
func GetFeedbackForm(ctx context.Context, db *gorm.DB, summitID, sessionID, personID uint, now time.Time) (*FeedbackForm, error) {
	tx := withCtx(ctx, db)
	t, err := loadFeedbackTarget(ctx, tx, summitID, sessionID)
	if err != nil {
		return nil, err
	}
	out := &FeedbackForm{Summit: t.Summit, Session: t.Session, Window: t.Window}
	if out.Mine, err = myFeedback(tx, t, personID); err != nil {
		return nil, err
	}
	if err := checkFeedback(tx, t, personID, now); err != nil {
		if msg := RefusalMessage(err); msg != "" {
			out.Refusal = msg
		} else {
			return nil, err
		}
	}
	return out, nil
}

func myFeedback(tx *gorm.DB, t feedbackTarget, personID uint) (*Feedback, error) {
	q := tx.Where("summit_id = ? AND person_id = ?", t.Summit.ID, personID)
	if t.Session != nil {
		q = q.Where("session_id = ?", t.Session.ID)
	} else {
		q = q.Where("session_id IS NULL")
	}
	var list []Feedback
	if err := q.Limit(1).Find(&list).Error; err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, nil
	}
	return &list[0], nil
}

// SaveFeedback stores a person's answer about a session (sessionID 0: the
// whole summit), or changes the one they gave, when they may answer at now.
// One answer per person and target, however many requests arrive at once
// (a unique index; a lost race retries as a change). Not audited: the audit
// log would tie the answer to the person.
func SaveFeedback(ctx context.Context, db *gorm.DB, summitID, sessionID, personID uint, in FeedbackInput, now time.Time) (*Feedback, error) {
	fb, f := in.validate()
	var out *Feedback
	save := func() error {
		return inTx(ctx, db, fmt.Sprintf("save feedback on %d/%d", summitID, sessionID), func(tx *gorm.DB) error {
			t, err := loadFeedbackTarget(ctx, tx, summitID, sessionID)
			if err != nil {
				return err
			}
			if err := checkFeedback(tx, t, personID, now); err != nil {
				return err
			}
			if err := f.Err(); err != nil {
				return err
			}
			mine, err := myFeedback(tx, t, personID)
			if err != nil {
				return err
			}
			if mine != nil {
				mine.Useful, mine.Recommend, mine.Comment, mine.UpdatedAt = fb.Useful, fb.Recommend, fb.Comment, now.UTC()
				out = mine
				return tx.Model(&Feedback{}).Where("id = ?", mine.ID).
					Updates(map[string]any{"useful": fb.Useful, "recommend": fb.Recommend, "comment": fb.Comment, "updated_at": now.UTC()}).Error
			}
			row := fb
			row.SummitID, row.PersonID, row.CreatedAt, row.UpdatedAt = t.Summit.ID, personID, now.UTC(), now.UTC()
			if t.Session != nil {
				id := t.Session.ID
				row.SessionID = &id
			}
			out = &row
			return tx.Create(&row).Error
		})
	}
	err := save()
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		err = save() // another request of the same person won the insert: change that answer
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}
