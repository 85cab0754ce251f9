package models

// Notices that come due by the clock, not by a write. Every instance's
// worker runs PeriodicNotices every minute; each notice has a once-only key
// (OnceKeyFor), so however many instances run it, and however often, each
// person gets each of these once.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// recentAnnouncement bounds how long after an announcement its honorees and
// nominators are still told (so a first start of this feature does not mail
// about ceremonies of earlier years).
const recentAnnouncement = 14 * 24 * time.Hour

// PeriodicNotices creates the notices that are due at now: judging opens and
// closes in three days (judges with nominations still to score), your agenda
// tomorrow, registration opens and closes soon, and — only once an award's
// announcement time has passed — its honorees' and their nominators'. It
// returns how many it created.
func PeriodicNotices(ctx context.Context, db *gorm.DB, now time.Time) (int, error) {
	now = now.UTC()
	var summits []Summit
	if err := withCtx(ctx, db).Where("status = ?", StatusPublished).Find(&summits).Error; err != nil {
		return 0, fmt.Errorf("models: periodic notices: %w", err)
	}
	total := 0
	for i := range summits {
		s := &summits[i]
		var list []NoticeInput
		for _, step := range []func(context.Context, *gorm.DB, *Summit, time.Time) ([]NoticeInput, error){
			judgingNotices, recognitionNotices, agendaTomorrowNotices, registrationNotices,
		} {
			more, err := step(ctx, withCtx(ctx, db), s, now)
			if err != nil {
				return total, fmt.Errorf("models: periodic notices of summit %d: %w", s.ID, err)
			}
			list = append(list, more...)
		}
		if len(list) == 0 {
			continue
		}
		err := inTx(ctx, db, "periodic notices", func(tx *gorm.DB) error {
			n, err := Notify(tx, now, list...)
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// judgingNotices: judging opens when nominations close; three days before
// judging closes, judges who have not scored everything are reminded how
// many are left.
func judgingNotices(ctx context.Context, db *gorm.DB, s *Summit, now time.Time) ([]NoticeInput, error) {
	var cats []AwardCategory
	if err := db.Where("summit_id = ? AND closes_at <= ? AND judging_closes_at > ?", s.ID, now, now).Order("id").Find(&cats).Error; err != nil {
		return nil, err
	}
	loc := s.Location()
	var out []NoticeInput
	for _, c := range cats {
		c.utc()
		pairs, err := judgePairs(db, "award_categories.id = ?", c.ID)
		if err != nil {
			return nil, err
		}
		left := map[uint]int{}
		var judges []uint
		if err := db.Table("award_judges").Where("category_id = ?", c.ID).Order("person_id").Pluck("person_id", &judges).Error; err != nil {
			return nil, err
		}
		for _, p := range pairs {
			if !p.Scored && !p.Recused {
				left[p.JudgeID]++
			}
		}
		link := judgingLink(s.ID, c.ID)
		closes := fmtInstant(c.JudgingClosesAt, loc)
		soon := !now.Before(c.JudgingClosesAt.Add(-72 * time.Hour))
		for _, j := range judges {
			subject := fmt.Sprintf("category:%d", c.ID)
			out = append(out, NoticeInput{PersonID: j, SummitID: s.ID, Kind: NoticeJudging, OnceKey: OnceKeyFor(NoticeJudging, j, subject+":open"),
				Subject: "Judging is open for “" + c.Name + "”",
				Body:    fmt.Sprintf("Nominations for “%s” have closed and judging is open until %s. %s waiting for your score.", c.Name, closes, countText(left[j], "nomination is", "nominations are")),
				Link:    link})
			if soon && left[j] > 0 {
				out = append(out, NoticeInput{PersonID: j, SummitID: s.ID, Kind: NoticeJudging, OnceKey: OnceKeyFor(NoticeJudging, j, subject+":closes"),
					Subject: "Judging for “" + c.Name + "” closes in three days",
					Body:    fmt.Sprintf("Judging for “%s” closes on %s, and %s not scored yet by you.", c.Name, closes, countText(left[j], "nomination is", "nominations are")),
					Link:    link})
			}
		}
	}
	return out, nil
}

// judgingLink is where a judging notice (and its mail) sends a judge of a
// category; the outbox also finds a category's judging mails by it.
func judgingLink(summitID, categoryID uint) string {
	return fmt.Sprintf("/summits/%d/awards/judging/%d", summitID, categoryID)
}

func countText(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// recognitionNotices: after an award's announcement (never before: the
// query asks for announce_at <= now, the same rule as the honorees page), its
// honorees hear they were recognised and their nominators are thanked.
func recognitionNotices(ctx context.Context, db *gorm.DB, s *Summit, now time.Time) ([]NoticeInput, error) {
	var rows []struct {
		CategoryID  uint
		AwardName   string
		NomineeID   uint
		NomineeName string
		NominatorID uint
	}
	err := db.Table("award_winners").
		Select("award_winners.category_id, award_categories.name AS award_name, award_winners.nominee_id, people.name AS nominee_name, n.nominator_id").
		Joins("JOIN award_categories ON award_categories.id = award_winners.category_id").
		Joins("JOIN people ON people.id = award_winners.nominee_id").
		Joins("JOIN award_nominations n ON n.category_id = award_winners.category_id AND n.nominee_id = award_winners.nominee_id AND n.status = ?", NominationActive).
		Where("award_categories.summit_id = ? AND award_categories.announce_at <= ? AND award_categories.announce_at > ?", s.ID, now, now.Add(-recentAnnouncement)).
		Order("award_winners.category_id, award_winners.place, n.id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	link := fmt.Sprintf("/summits/%d/honorees", s.ID)
	var out []NoticeInput
	for _, r := range rows {
		subject := fmt.Sprintf("category:%d", r.CategoryID)
		out = append(out, NoticeInput{PersonID: r.NomineeID, SummitID: s.ID, Kind: NoticeRecognition, OnceKey: OnceKeyFor(NoticeRecognition, r.NomineeID, subject+":honoree"),
			Subject: "You were recognised: " + r.AwardName,
			Body:    fmt.Sprintf("Congratulations: you received “%s” at %s. Your colleagues noticed how you serve — thank you.", r.AwardName, s.Title),
			Link:    "/my/recognition"})
		if r.NominatorID != r.NomineeID {
			out = append(out, NoticeInput{PersonID: r.NominatorID, SummitID: s.ID, Kind: NoticeRecognition,
				OnceKey: OnceKeyFor(NoticeRecognition, r.NominatorID, fmt.Sprintf("%s:nominee:%d:thanks", subject, r.NomineeID)),
				Subject: "Thank you for nominating " + r.NomineeName,
				Body:    fmt.Sprintf("%s received “%s” at %s, and your nomination was part of it. Thank you for telling their story.", r.NomineeName, r.AwardName, s.Title),
				Link:    link})
		}
	}
	return out, nil
}

// agendaTomorrowNotices: the day before each summit day, everyone with a
// seat, a waitlist place or a talk that day gets their agenda for it.
func agendaTomorrowNotices(ctx context.Context, db *gorm.DB, s *Summit, now time.Time) ([]NoticeInput, error) {
	loc := s.Location()
	tomorrow := now.In(loc).AddDate(0, 0, 1).Format(DateLayout)
	isDay := false
	for _, d := range s.Days() {
		isDay = isDay || d == tomorrow
	}
	if !isDay {
		return nil, nil
	}
	dayStart, err := time.ParseInLocation(DateLayout, tomorrow, loc)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		PersonID uint
		Title    string
		StartsAt time.Time
		EndsAt   time.Time
		What     string
	}
	err = db.Raw(`SELECT r.person_id, s.title, s.starts_at, s.ends_at, r.status AS what FROM registrations r JOIN sessions s ON s.id = r.session_id
WHERE s.summit_id = ? AND r.status IN ? AND s.starts_at >= ? AND s.starts_at < ?
UNION ALL
SELECT sp.person_id, s.title, s.starts_at, s.ends_at, 'speaker' AS what FROM session_speakers ss JOIN speakers sp ON sp.id = ss.speaker_id JOIN sessions s ON s.id = ss.session_id
WHERE s.summit_id = ? AND sp.person_id IS NOT NULL AND NOT s.unscheduled AND s.starts_at >= ? AND s.starts_at < ?
ORDER BY 1, 3`, s.ID, activeStatuses, dayStart.UTC(), dayStart.AddDate(0, 0, 1).UTC(), s.ID, dayStart.UTC(), dayStart.AddDate(0, 0, 1).UTC()).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	lines := map[uint][]string{}
	var order []uint
	for _, r := range rows {
		if _, ok := lines[r.PersonID]; !ok {
			order = append(order, r.PersonID)
		}
		x := Session{StartsAt: r.StartsAt, EndsAt: r.EndsAt}
		what := map[string]string{string(RegConfirmed): "seat confirmed", string(RegWaitlisted): "on the waitlist", "speaker": "you speak"}[r.What]
		lines[r.PersonID] = append(lines[r.PersonID], fmt.Sprintf("%s–%s %s (%s)", x.StartsAt.In(loc).Format("15:04"), x.EndsAt.In(loc).Format("15:04"), r.Title, what))
	}
	day := dayStart.Format("Monday 2 January")
	var out []NoticeInput
	for _, pid := range order {
		body := "Tomorrow, " + day + ", at " + s.Title + ":\n\n" + strings.Join(lines[pid], "\n") +
			"\n\nYour whole agenda, as a page, a PDF or in your calendar:" +
			fmt.Sprintf("\n\n/my/agenda.pdf?summit=%d\n\n/my/calendar", s.ID)
		out = append(out, NoticeInput{PersonID: pid, SummitID: s.ID, Kind: NoticeAgenda, OnceKey: OnceKeyFor(NoticeAgenda, pid, fmt.Sprintf("summit:%d:%s", s.ID, tomorrow)),
			Subject: "Your agenda tomorrow at " + s.Title, Body: body, Link: fmt.Sprintf("/my/agenda?summit=%d", s.ID)})
	}
	return out, nil
}

// registrationNotices: everyone active hears that registration for training
// opens soon (from a day before it opens; or that it is open, within two days
// after) and that it closes in two days.
func registrationNotices(ctx context.Context, db *gorm.DB, s *Summit, now time.Time) ([]NoticeInput, error) {
	w := s.Registration.utc()
	if w.OpensAt == nil || w.ClosesAt == nil || !now.Before(*w.ClosesAt) {
		return nil, nil
	}
	opens, closes := w.OpensAt.UTC(), w.ClosesAt.UTC()
	justOpened := !now.Before(opens.Add(-24*time.Hour)) && now.Before(opens.Add(48*time.Hour))
	closingSoon := !now.Before(closes.Add(-48 * time.Hour))
	if !justOpened && !closingSoon {
		return nil, nil
	}
	var people []uint
	if err := db.Model(&Person{}).Where("active = ?", true).Order("id").Pluck("id", &people).Error; err != nil {
		return nil, err
	}
	loc := s.Location()
	link := fmt.Sprintf("/summits/%d", s.ID)
	var out []NoticeInput
	for _, p := range people {
		if justOpened {
			subject, body := "Registration for training at "+s.Title+" is open",
				"Registration for the training sessions is open until "+fmtInstant(closes, loc)+"."
			if now.Before(opens) {
				subject, body = "Registration for training at "+s.Title+" opens soon",
					"Registration for the training sessions opens on "+fmtInstant(opens, loc)+" and stays open until "+fmtInstant(closes, loc)+"."
			}
			out = append(out, NoticeInput{PersonID: p, SummitID: s.ID, Kind: NoticeRegistration, OnceKey: OnceKeyFor(NoticeRegistration, p, fmt.Sprintf("summit:%d:open", s.ID)),
				Subject: subject, Body: body + " Seats go first come, first served; a full session has a fair waitlist.", Link: link})
		}
		if closingSoon {
			out = append(out, NoticeInput{PersonID: p, SummitID: s.ID, Kind: NoticeRegistration, OnceKey: OnceKeyFor(NoticeRegistration, p, fmt.Sprintf("summit:%d:closes", s.ID)),
				Subject: "Registration for training at " + s.Title + " closes soon",
				Body:    "Registration for the training sessions closes on " + fmtInstant(closes, loc) + ".",
				Link:    link})
		}
	}
	return out, nil
}
