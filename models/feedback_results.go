package models

// Feedback results: what organisers, speakers, exports and the report may
// see. Every figure and comment goes through summarise, which gives nothing
// at all for fewer answers than the summit's threshold, and nothing here
// reads who answered.

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// RatingResult is what the answers about one session (or the whole summit)
// add up to. When Shown is false every other field is empty: fewer people
// answered than the threshold, and nobody may see anything of it.
type RatingResult struct {
	Shown         bool
	Answers       int
	Useful        float64 // mean, 1–5
	Recommend     float64 // mean, 1–5
	UsefulDist    [5]int  // how many answered 1, 2, 3, 4, 5
	RecommendDist [5]int
	Comments      []string // sorted, never in the order given
}

// Mean is the mean of both ratings.
func (r RatingResult) Mean() float64 { return (r.Useful + r.Recommend) / 2 }

// UsefulText is the "useful" mean with one decimal.
func (r RatingResult) UsefulText() string { return FmtRating(r.Useful) }

// RecommendText is the "would recommend" mean with one decimal.
func (r RatingResult) RecommendText() string { return FmtRating(r.Recommend) }

// FmtRating writes a mean rating with one decimal: "4.3".
func FmtRating(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64) }

// DistBar is one bar of a rating distribution.
type DistBar struct {
	Rating, Count, Percent int
}

// Dist returns a distribution (UsefulDist or RecommendDist) as bars, 5 first.
func (r RatingResult) Dist(which string) []DistBar {
	d := r.UsefulDist
	if which == "recommend" {
		d = r.RecommendDist
	}
	out := make([]DistBar, 0, 5)
	for i := 4; i >= 0; i-- {
		b := DistBar{Rating: i + 1, Count: d[i]}
		if r.Answers > 0 {
			b.Percent = d[i] * 100 / r.Answers
		}
		out = append(out, b)
	}
	return out
}

// answer is one answer as results read it: no person, no time.
type answer struct {
	SessionID *uint
	Useful    int
	Recommend int
	Comment   string
}

// summarise adds up answers; below min answers it returns nothing but
// Shown == false.
func summarise(list []answer, min int) RatingResult {
	if min < MinFeedbackAnswers {
		min = MinFeedbackAnswers
	}
	if len(list) < min {
		return RatingResult{}
	}
	r := RatingResult{Shown: true, Answers: len(list)}
	su, sr := 0, 0
	for _, a := range list {
		su += a.Useful
		sr += a.Recommend
		r.UsefulDist[a.Useful-1]++
		r.RecommendDist[a.Recommend-1]++
		if c := strings.TrimSpace(a.Comment); c != "" {
			r.Comments = append(r.Comments, c)
		}
	}
	r.Useful = float64(su) / float64(len(list))
	r.Recommend = float64(sr) / float64(len(list))
	sort.Strings(r.Comments)
	return r
}

// SessionFeedback is a session with what its feedback adds up to.
type SessionFeedback struct {
	Session Session
	Result  RatingResult
}

// FeedbackResults is a summit's feedback as organisers see it.
type FeedbackResults struct {
	Summit   *Summit
	Window   FeedbackWindow
	Overall  RatingResult // the whole summit
	Sessions []SessionFeedback
}

// SessionRating is the mean of both ratings over the sessions whose results
// may be shown, weighted by answers; ok is false when none may.
func (f *FeedbackResults) SessionRating() (mean float64, ok bool) {
	sum, n := 0.0, 0
	for _, s := range f.Sessions {
		if s.Result.Shown {
			sum += s.Result.Mean() * float64(s.Result.Answers)
			n += s.Result.Answers
		}
	}
	if n == 0 {
		return 0, false
	}
	return sum / float64(n), true
}

// Best returns up to n sessions with shown results, best mean first (more
// answers break a tie).
func (f *FeedbackResults) Best(n int) []SessionFeedback {
	var out []SessionFeedback
	for _, s := range f.Sessions {
		if s.Result.Shown {
			out = append(out, s)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Result, out[j].Result
		if a.Mean() != b.Mean() {
			return a.Mean() > b.Mean()
		}
		return a.Answers > b.Answers
	})
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// loadAnswers reads a summit's answers without who gave them.
func loadAnswers(ctx context.Context, db *gorm.DB, summitID uint) ([]answer, error) {
	var list []answer
	err := withCtx(ctx, db).Table("feedback").Select("session_id, useful, recommend, comment").
		Where("summit_id = ?", summitID).Scan(&list).Error
	if err != nil {
		return nil, fmt.Errorf("models: feedback answers %d: %w", summitID, err)
	}
	return list, nil
}

// answersBySession loads a summit's answers: those about the whole summit,
// and the others by session.
func answersBySession(ctx context.Context, db *gorm.DB, summitID uint) ([]answer, map[uint][]answer, error) {
	answers, err := loadAnswers(ctx, db, summitID)
	if err != nil {
		return nil, nil, err
	}
	by := map[uint][]answer{}
	var overall []answer
	for _, a := range answers {
		if a.SessionID == nil {
			overall = append(overall, a)
		} else {
			by[*a.SessionID] = append(by[*a.SessionID], a)
		}
	}
	return overall, by, nil
}

// GetFeedbackResults adds up a summit's feedback per session (breaks left
// out) and for the whole summit, under the summit's threshold. For
// organisers: it holds comments.
func GetFeedbackResults(ctx context.Context, db *gorm.DB, s *Summit) (*FeedbackResults, error) {
	w, err := GetFeedbackWindow(ctx, db, s)
	if err != nil {
		return nil, err
	}
	sessions, err := ListSessions(ctx, db, s, AgendaFilter{})
	if err != nil {
		return nil, err
	}
	overall, by, err := answersBySession(ctx, db, s.ID)
	if err != nil {
		return nil, err
	}
	out := &FeedbackResults{Summit: s, Window: w, Overall: summarise(overall, w.MinAnswers)}
	for _, sess := range sessions {
		if sess.Kind == KindBreak {
			continue
		}
		out.Sessions = append(out.Sessions, SessionFeedback{Session: sess, Result: summarise(by[sess.ID], w.MinAnswers)})
	}
	return out, nil
}

// FeedbackCSV returns a summit's answers as CSV rows (header first),
// formula-safe: the whole summit, then every session in agenda order, with
// one row per answer where the results may be shown — sorted by rating and
// comment rather than given order — and one row saying "not shown" where
// fewer people answered than the threshold. No name, time or anything else
// that could say who answered.
func FeedbackCSV(ctx context.Context, db *gorm.DB, s *Summit) ([][]string, error) {
	res, err := GetFeedbackResults(ctx, db, s)
	if err != nil {
		return nil, err
	}
	overall, by, err := answersBySession(ctx, db, s.ID)
	if err != nil {
		return nil, err
	}
	hidden := fmt.Sprintf("(fewer than %d answers: not shown)", res.Window.MinAnswers)
	rows := [][]string{CSVRow("session", "starts", "useful for my work (1-5)", "would recommend (1-5)", "comment")}
	add := func(title, starts string, r RatingResult, list []answer) {
		if !r.Shown {
			rows = append(rows, CSVRow(title, starts, "", "", hidden))
			return
		}
		sort.SliceStable(list, func(i, j int) bool {
			a, b := list[i], list[j]
			switch {
			case a.Useful != b.Useful:
				return a.Useful > b.Useful
			case a.Recommend != b.Recommend:
				return a.Recommend > b.Recommend
			}
			return a.Comment < b.Comment
		})
		for _, a := range list {
			rows = append(rows, CSVRow(title, starts, strconv.Itoa(a.Useful), strconv.Itoa(a.Recommend), strings.TrimSpace(a.Comment)))
		}
	}
	add("(the whole summit)", "", res.Overall, overall)
	loc := s.Location()
	for _, r := range res.Sessions {
		add(r.Session.Title, r.Session.StartsAt.In(loc).Format("2006-01-02 15:04"), r.Result, by[r.Session.ID])
	}
	return rows, nil
}

// SpeakerSession is one of a speaker's sessions with its results, shown
// once the summit's feedback has closed.
type SpeakerSession struct {
	Summit  *Summit
	Session Session
	Window  FeedbackWindow
	Ready   bool // feedback closed: Result may be read
	Result  RatingResult
}

// SpeakerResults lists the sessions a person spoke at in public summits,
// newest first, with their results once feedback has closed (and only above
// the threshold).
func SpeakerResults(ctx context.Context, db *gorm.DB, personID uint, now time.Time) ([]SpeakerSession, error) {
	var ids []uint
	err := withCtx(ctx, db).Table("session_speakers").Select("DISTINCT session_speakers.session_id").
		Joins("JOIN speakers ON speakers.id = session_speakers.speaker_id").
		Where("speakers.person_id = ?", personID).Scan(&ids).Error
	if err != nil {
		return nil, fmt.Errorf("models: speaker sessions of %d: %w", personID, err)
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var sessions []Session
	if err := withCtx(ctx, db).Where("id IN ? AND kind <> ?", ids, KindBreak).Order("starts_at DESC, id").Find(&sessions).Error; err != nil {
		return nil, err
	}
	summits := map[uint]*FeedbackResults{}
	var out []SpeakerSession
	for _, sess := range sessions {
		res, ok := summits[sess.SummitID]
		if !ok {
			s, err := GetSummit(ctx, db, sess.SummitID)
			if err != nil {
				return nil, err
			}
			if !s.IsPublic() {
				summits[sess.SummitID] = nil
				continue
			}
			if res, err = GetFeedbackResults(ctx, db, s); err != nil {
				return nil, err
			}
			summits[sess.SummitID] = res
		}
		if res == nil {
			continue
		}
		item := SpeakerSession{Summit: res.Summit, Session: sess, Window: res.Window, Ready: res.Window.Closed(now)}
		if item.Ready {
			for _, r := range res.Sessions {
				if r.Session.ID == sess.ID {
					item.Result = r.Result
				}
			}
		}
		out = append(out, item)
	}
	return out, nil
}

// FeedbackTask is something a person may give (or change) feedback on now.
type FeedbackTask struct {
	Summit   *Summit
	Session  *Session // nil: the whole summit
	Window   FeedbackWindow
	Answered bool
}

// FeedbackTasks lists what a person may answer about at now, across public
// summits whose feedback is open: ended sessions they were part of and the
// whole summit, each marked answered or not. Newest sessions first.
func FeedbackTasks(ctx context.Context, db *gorm.DB, personID uint, now time.Time) ([]FeedbackTask, error) {
	summits, err := ListPublicSummits(ctx, db)
	if err != nil {
		return nil, err
	}
	var mine []Feedback
	if err := withCtx(ctx, db).Select("summit_id, session_id").Where("person_id = ?", personID).Find(&mine).Error; err != nil {
		return nil, err
	}
	answered := map[string]bool{}
	for _, f := range mine {
		k := fmt.Sprint(f.SummitID)
		if f.SessionID != nil {
			k += "/" + fmt.Sprint(*f.SessionID)
		}
		answered[k] = true
	}
	tx := withCtx(ctx, db)
	var out []FeedbackTask
	for i := range summits {
		s := &summits[i]
		if !now.After(s.Start()) {
			continue
		}
		w, err := GetFeedbackWindow(ctx, db, s)
		if err != nil {
			return nil, err
		}
		if w.Closed(now) {
			continue
		}
		whole := feedbackTarget{Summit: s, Window: w}
		if checkFeedback(tx, whole, personID, now) == nil {
			out = append(out, FeedbackTask{Summit: s, Window: w, Answered: answered[fmt.Sprint(s.ID)]})
		}
		var ended []Session
		if err := tx.Where("summit_id = ? AND ends_at <= ? AND kind <> ?", s.ID, now.UTC(), KindBreak).Order("starts_at DESC, id").Find(&ended).Error; err != nil {
			return nil, err
		}
		for j := range ended {
			sess := &ended[j]
			err := checkFeedback(tx, feedbackTarget{Summit: s, Session: sess, Window: w}, personID, now)
			if RefusalMessage(err) != "" {
				continue
			}
			if err != nil {
				return nil, err
			}
			out = append(out, FeedbackTask{Summit: s, Session: sess, Window: w, Answered: answered[fmt.Sprint(s.ID)+"/"+fmt.Sprint(sess.ID)]})
		}
	}
	return out, nil
}
