package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ChecklistItem is one thing to look at before a summit is published. Href
// is the page where it is fixed, below /organise/summits/:summit.
type ChecklistItem struct {
	Key   string
	Label string // what is checked, e.g. "Every session has a room and a track"
	Done  bool
	Text  string // when open: what is wrong, naming the first few
	Href  string
}

// Checklist keys, in the order they are shown.
const (
	CheckSessionsPlaced  = "sessions_placed"
	CheckTrainingSeats   = "training_seats"
	CheckRegistration    = "registration_window"
	CheckAwardJudges     = "award_judges"
	CheckAwardWindows    = "award_windows"
	CheckCeremony        = "ceremony"
	CheckTrackContrast   = "track_contrast"
	checklistNamesShown  = 3
	checklistNamesJoiner = ", "
)

// PublishChecklist lists what a summit should have before people see it:
// sessions with a room and a track (breaks span every room and need
// neither), a seat count on every training, a registration window, judges
// and an open nomination window on every award category, a ceremony, and
// track colours whose labels can be read. It runs a fixed number of
// statements, whatever the size of the summit.
func PublishChecklist(ctx context.Context, db *gorm.DB, s *Summit, now time.Time) ([]ChecklistItem, error) {
	db = withCtx(ctx, db)
	var sessions []Session
	if err := db.Where("summit_id = ?", s.ID).Order("starts_at, id").Find(&sessions).Error; err != nil {
		return nil, fmt.Errorf("models: checklist %d: %w", s.ID, err)
	}
	var unplaced, unseated, unscheduled []Session
	ceremony := false
	for _, x := range sessions {
		if x.Unscheduled { // in the timetable editor's side list: no room yet, nobody registers
			unscheduled = append(unscheduled, x)
			continue
		}
		if x.Kind != KindBreak && (x.RoomID == nil || x.TrackID == nil) {
			unplaced = append(unplaced, x)
		}
		if x.Kind == KindTraining && (x.Capacity == nil || *x.Capacity <= 0) {
			unseated = append(unseated, x)
		}
		if x.Kind == KindCeremony {
			ceremony = true
		}
	}
	w, err := readWindow(db, s.ID)
	if err != nil {
		return nil, fmt.Errorf("models: checklist %d: %w", s.ID, err)
	}
	var cats []AwardCategory
	if err := db.Where("summit_id = ?", s.ID).Order("name, id").Find(&cats).Error; err != nil {
		return nil, fmt.Errorf("models: checklist %d: %w", s.ID, err)
	}
	var judged []uint
	if err := db.Table("award_judges").Joins("JOIN award_categories c ON c.id = award_judges.category_id").
		Where("c.summit_id = ?", s.ID).Distinct().Pluck("award_judges.category_id", &judged).Error; err != nil {
		return nil, fmt.Errorf("models: checklist %d: %w", s.ID, err)
	}
	hasJudge := map[uint]bool{}
	for _, id := range judged {
		hasJudge[id] = true
	}
	var unjudged, closed []AwardCategory
	for _, c := range cats {
		if !hasJudge[c.ID] {
			unjudged = append(unjudged, c)
		}
		if !c.ClosesAt.After(now) || !c.AnnounceAt.After(c.ClosesAt) {
			closed = append(closed, c)
		}
	}
	tracks, err := ListTracks(ctx, db, s.ID)
	if err != nil {
		return nil, err
	}
	var unreadable []Track
	for _, t := range tracks {
		if len(t.Color) != 7 || ContrastRatio(t.Color, TrackTextColor) < MinTrackContrast {
			unreadable = append(unreadable, t)
		}
	}

	sessionNames := func(list []Session) string {
		return checklistNames(len(list), func(i int) string { return "“" + list[i].Title + "”" })
	}
	catNames := func(list []AwardCategory) string {
		return checklistNames(len(list), func(i int) string { return "“" + list[i].Name + "”" })
	}
	out := []ChecklistItem{{Key: CheckSessionsPlaced, Label: "Every session has a room and a track", Href: "/agenda"}}
	if len(unplaced) > 0 {
		out[0].Text = checklistPlural(len(unplaced), "session has", "sessions have") + " no room or no track: " + sessionNames(unplaced) + "."
		out[0].Href = fmt.Sprintf("/sessions/%d/edit", unplaced[0].ID)
	}
	if len(unscheduled) > 0 {
		msg := checklistPlural(len(unscheduled), "session is", "sessions are") + " not on the timetable yet: " + sessionNames(unscheduled) + "."
		if out[0].Text == "" {
			out[0].Text, out[0].Href = msg, "/timetable"
		} else {
			out[0].Text += " " + msg
		}
	}
	item := ChecklistItem{Key: CheckTrainingSeats, Label: "Every training session has a seat count", Href: "/training"}
	if len(unseated) > 0 {
		item.Text = checklistPlural(len(unseated), "training session has", "training sessions have") + " no seat count, so nobody can register: " + sessionNames(unseated) + "."
		item.Href = fmt.Sprintf("/sessions/%d/edit", unseated[0].ID)
	}
	out = append(out, item)
	item = ChecklistItem{Key: CheckRegistration, Label: "Training registration has a window", Href: "/registration"}
	if w.OpensAt == nil || w.ClosesAt == nil {
		item.Text = "No registration window is set, so nobody can register for training."
	}
	out = append(out, item)
	item = ChecklistItem{Key: CheckAwardJudges, Label: "Every award category has judges", Href: "/awards"}
	if len(unjudged) > 0 {
		item.Text = checklistPlural(len(unjudged), "award category has", "award categories have") + " no judges: " + catNames(unjudged) + "."
		item.Href = fmt.Sprintf("/awards/%d/judges", unjudged[0].ID)
	}
	out = append(out, item)
	item = ChecklistItem{Key: CheckAwardWindows, Label: "Every award category takes nominations and announces after they close", Href: "/awards"}
	if len(closed) > 0 {
		item.Text = checklistPlural(len(closed), "award category has", "award categories have") + " a nomination window that is already over or an announcement before it closes: " + catNames(closed) + "."
		item.Href = fmt.Sprintf("/awards/%d/edit", closed[0].ID)
	}
	out = append(out, item)
	item = ChecklistItem{Key: CheckCeremony, Label: "The agenda has an awards ceremony", Href: "/sessions/new"}
	if !ceremony {
		item.Text = "No ceremony session: award announcements have no moment to follow."
	}
	out = append(out, item)
	item = ChecklistItem{Key: CheckTrackContrast, Label: "Every track colour keeps its labels readable", Href: "/rooms#tracks"}
	if len(unreadable) > 0 {
		item.Text = checklistPlural(len(unreadable), "track colour makes", "track colours make") + " white labels hard to read: " +
			checklistNames(len(unreadable), func(i int) string { return "“" + unreadable[i].Name + "”" }) + "."
		item.Href = fmt.Sprintf("/tracks/%d/edit", unreadable[0].ID)
	}
	out = append(out, item)
	for i := range out {
		out[i].Done = out[i].Text == ""
	}
	return out, nil
}

// OpenItems returns the items of a checklist still to fix.
func OpenItems(list []ChecklistItem) []ChecklistItem {
	var out []ChecklistItem
	for _, it := range list {
		if !it.Done {
			out = append(out, it)
		}
	}
	return out
}

// checklistNames joins the first few of n names, saying how many more there are.
func checklistNames(n int, name func(i int) string) string {
	var parts []string
	for i := 0; i < n && i < checklistNamesShown; i++ {
		parts = append(parts, name(i))
	}
	s := strings.Join(parts, checklistNamesJoiner)
	if n > checklistNamesShown {
		s += fmt.Sprintf(" and %d more", n-checklistNamesShown)
	}
	return s
}

// checklistPlural says "1 thing has" or "3 things have".
func checklistPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// StatusEffects says, for an organiser about to move a summit to the status
// to, what changes for people: who can read it at its address, what happens
// to registrations and files.
func StatusEffects(ctx context.Context, db *gorm.DB, s *Summit, to SummitStatus) ([]string, error) {
	var held int64
	if err := withCtx(ctx, db).Table("registrations r").Joins("JOIN sessions x ON x.id = r.session_id").
		Where("x.summit_id = ? AND r.status IN ?", s.ID, activeStatuses).Count(&held).Error; err != nil {
		return nil, fmt.Errorf("models: status effects %d: %w", s.ID, err)
	}
	kept := "No one has registered yet."
	if held > 0 {
		kept = checklistPlural(int(held), "seat or waitlist place stays", "seats and waitlist places stay") + " as they are."
	}
	switch to {
	case StatusPublished:
		out := []string{
			"Everyone, signed in or not, can read the agenda and session pages at its address; the summit is listed on the home page and under Agenda.",
			"The program PDF, the calendar and the conference-app files (frab) can be downloaded, and calendar subscriptions start to follow changes.",
			"Staff can register for training while the registration window is open, and nominate colleagues while an award category takes nominations.",
		}
		if s.Status == StatusArchived {
			out = append(out, "It is no longer marked as archived: registration follows its window again.")
		}
		return out, nil
	case StatusDraft:
		return []string{
			"Visitors and staff who open its address, a session page or a file get “not found”; links and bookmarks people saved stop working until it is published again.",
			"Nobody can register for training or cancel a seat. " + kept,
			"Calendar subscriptions stop receiving its sessions. Organisers still see it and its preview.",
		}, nil
	case StatusArchived:
		return []string{
			"The agenda stays readable at the same address, as a record of the edition; links keep working.",
			"Registration closes for good: nobody can register or cancel. " + kept,
			"It stops being the current summit; its feedback and outcome figures stay in the year-over-year comparison.",
		}, nil
	}
	return nil, FieldErrors{"status": "Status must be draft, published or archived."}
}
