package app

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

func (a *App) sessionForm(c echo.Context, s *models.Summit, heading string) (*FormView, error) {
	ctx := c.Request().Context()
	rooms, err := models.ListRooms(ctx, a.DB, s.ID)
	if err != nil {
		return nil, err
	}
	tracks, err := models.ListTracks(ctx, a.DB, s.ID)
	if err != nil {
		return nil, err
	}
	speakers, err := models.ListSpeakers(ctx, a.DB, s.ID)
	if err != nil {
		return nil, err
	}
	kinds := make([]Option, 0, len(models.Kinds))
	for _, k := range models.Kinds {
		kinds = append(kinds, Option{Value: string(k), Label: strings.ToUpper(string(k[:1])) + string(k[1:])})
	}
	roomOpts := []Option{{Value: "", Label: "— No room (e.g. a break everywhere) —"}}
	for _, r := range rooms {
		roomOpts = append(roomOpts, Option{Value: itoa(r.ID), Label: fmt.Sprintf("%s (%d seats)", r.Name, r.Capacity)})
	}
	trackOpts := []Option{{Value: "", Label: "— No track —"}}
	for _, t := range tracks {
		trackOpts = append(trackOpts, Option{Value: itoa(t.ID), Label: t.Name + " · " + string(t.Pillar)})
	}
	dayOpts := []Option{{Value: "", Label: "— Choose a day —"}}
	for i, d := range s.Days() {
		label := d
		if t, err := time.Parse(models.DateLayout, d); err == nil {
			label = fmt.Sprintf("Day %d · %s", i+1, t.Format("Monday 2 January 2006"))
		}
		dayOpts = append(dayOpts, Option{Value: d, Label: label})
	}
	spOpts := []Option{}
	for _, sp := range speakers {
		label := sp.Name
		if sp.Organisation != "" {
			label += " · " + sp.Organisation
		}
		spOpts = append(spOpts, Option{Value: itoa(sp.ID), Label: label})
	}
	return &FormView{Heading: heading, Action: c.Request().URL.Path, Submit: "Save session", Cancel: orgAgendaURL(s.ID),
		Intro: "Times are in the summit's time zone, " + s.TimeZone + ".",
		Fields: []Field{
			{Name: "title", Label: "Title", Type: "text", Required: true},
			{Name: "kind", Label: "Kind", Type: "select", Required: true, Options: kinds},
			{Name: "unscheduled", Label: "Not on the timetable yet (kept in the timetable editor's side list)", Type: "checkbox",
				Help: "Then only its length is needed; give it a day, times and a room later, here or in the timetable editor."},
			{Name: "length", Label: "Length in minutes (not on the timetable yet)", Type: "number", Attrs: map[string]string{"min": "5", "max": "720"}},
			{Name: "day", Label: "Day", Type: "select", Options: dayOpts, Help: "Day, start and end are needed unless the session is not on the timetable yet."},
			{Name: "start_time", Label: "Starts", Type: "time"},
			{Name: "end_time", Label: "Ends", Type: "time"},
			{Name: "room_id", Label: "Room", Type: "select", Options: roomOpts},
			{Name: "track_id", Label: "Track", Type: "select", Options: trackOpts},
			{Name: "capacity", Label: "Seats (registration)", Type: "number", Help: "Leave empty when nobody needs to register (keynotes, breaks).", Attrs: map[string]string{"min": "1"}},
			{Name: "speakers", Label: "Speakers", Type: "multiselect", Options: spOpts, Help: "Hold Ctrl (⌘ on a Mac) to choose several."},
			{Name: "abstract", Label: "Abstract", Type: "textarea", Hinted: true},
			{Name: "version", Type: "hidden"},
		}}, nil
}

func sessionInput(c echo.Context) models.SessionInput {
	_ = c.Request().ParseForm()
	return models.SessionInput{Title: c.FormValue("title"), Kind: models.SessionKind(c.FormValue("kind")), Abstract: c.FormValue("abstract"),
		RoomID: c.FormValue("room_id"), TrackID: c.FormValue("track_id"), Day: c.FormValue("day"),
		StartTime: c.FormValue("start_time"), EndTime: c.FormValue("end_time"), Capacity: c.FormValue("capacity"),
		SpeakerIDs: c.Request().PostForm["speakers"], Version: c.FormValue("version"), Unscheduled: c.FormValue("unscheduled") == "1",
		Length: c.FormValue("length")}
}

// SessionNew shows the form for a new session.
func (a *App) SessionNew(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	fv, err := a.sessionForm(c, s, "New session")
	if err != nil {
		return err
	}
	return a.renderForm(c, fv, nil)
}

// SessionCreate stores a new session, enforcing the agenda rules.
func (a *App) SessionCreate(c echo.Context) error {
	return a.saveSession(c, 0, "New session")
}

// SessionEdit shows a session's form.
func (a *App) SessionEdit(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "session")
	if err != nil {
		return err
	}
	sess, err := models.GetSession(c.Request().Context(), a.DB, s.ID, id)
	if err != nil {
		return err
	}
	fv, err := a.sessionForm(c, s, "Edit session")
	if err != nil {
		return err
	}
	// The delete carries the version shown too: a session changed since is not deleted unseen.
	fv.DeleteAction, fv.DeleteLabel = orgSessionURL(s.ID, sess.ID)+"/delete?version="+itoa(uint(sess.Version)), "Delete session"
	loc := s.Location()
	vals := map[string]string{"title": sess.Title, "kind": string(sess.Kind), "abstract": sess.Abstract,
		"day": sess.StartsAt.In(loc).Format(models.DateLayout), "start_time": sess.StartsAt.In(loc).Format("15:04"),
		"end_time": sess.EndsAt.In(loc).Format("15:04"), "room_id": idOrEmpty(sess.RoomID), "track_id": idOrEmpty(sess.TrackID),
		"version": itoa(uint(sess.Version))}
	if sess.Unscheduled { // only its length: unticking it asks for a day and times
		vals["unscheduled"], vals["length"] = "1", fmt.Sprintf("%.0f", sess.Duration().Minutes())
		vals["day"], vals["start_time"], vals["end_time"] = "", "", ""
	}
	if sess.Capacity != nil {
		vals["capacity"] = fmt.Sprint(*sess.Capacity)
	}
	var spIDs []string
	for _, sp := range sess.Speakers {
		spIDs = append(spIDs, itoa(sp.ID))
	}
	fv.fill(vals, map[string][]string{"speakers": spIDs}, nil)
	if w, _ := models.SessionWarnings(c.Request().Context(), a.DB, s.ID); w[sess.ID] != "" {
		fv.Warnings = append(fv.Warnings, w[sess.ID])
	}
	return a.renderForm(c, fv, nil)
}

func idOrEmpty(p *uint) string {
	if p == nil {
		return ""
	}
	return itoa(*p)
}

// SessionUpdate saves a session, enforcing the agenda rules.
func (a *App) SessionUpdate(c echo.Context) error {
	id, err := idParam(c, "session")
	if err != nil {
		return err
	}
	return a.saveSession(c, id, "Edit session")
}

func (a *App) saveSession(c echo.Context, id uint, heading string) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	in := sessionInput(c)
	save := models.SaveSession
	if id != 0 && c.FormValue("confirm") != "1" {
		// Before a change that affects people the organiser sees whom, and confirms.
		save = models.SaveSessionUnlessAffected
	}
	res, err := save(c.Request().Context(), a.DB, actor(c), s.ID, id, in, a.Now())
	if err == nil && !res.Saved {
		fv, ferr := a.sessionForm(c, s, heading)
		if ferr != nil {
			return ferr
		}
		fv.Preview = res.Change
		fv.Submit = fmt.Sprintf("Confirm and tell %d %s", len(res.Change.Affected), plural(len(res.Change.Affected), "person", "people"))
		return a.renderForm(c, fv, nil)
	}
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return err
		}
		fv, ferr := a.sessionForm(c, s, heading)
		if ferr != nil {
			return ferr
		}
		if models.IsStale(err) {
			// Kept: what was typed. New: the version, so saving again is a
			// choice made knowing someone else changed the session.
			if cur, gerr := models.GetSession(c.Request().Context(), a.DB, s.ID, id); gerr == nil {
				c.Request().PostForm.Set("version", itoa(uint(cur.Version)))
				fv.Warnings = append(fv.Warnings, "What you typed is kept below. Saving it again replaces the other change; open the session again to see that change first.")
			}
		}
		return a.renderForm(c, fv, err)
	}
	msg := "Session “" + res.Session.Title + "” saved."
	if ch := res.Change; ch != nil && ch.NeedsConfirmation() {
		msg += fmt.Sprintf(" %d %s told in Notices.", len(ch.Affected), plural(len(ch.Affected), "person was", "people were"))
	}
	if len(res.Warnings) > 0 {
		msg += " Warning: " + strings.Join(res.Warnings, " ")
	}
	if r := []rune(msg); len(r) > 160 && len(msg) > 480 { // a flash holds 500 bytes; the edit form shows every warning in full
		msg = string(r[:160]) + "… (see the session’s warnings)"
	}
	msg = a.withHints(c, s.ID, msg, in.Abstract)
	return a.redirect(c, orgAgendaURL(s.ID), msg)
}

// SessionDelete removes a session from the agenda. Without confirm=1 a
// session with people in it is not deleted: the organiser sees whom it
// affects and confirms (decided in the delete's own transaction).
func (a *App) SessionDelete(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "session")
	if err != nil {
		return err
	}
	ctx, version := c.Request().Context(), c.FormValue("version")
	before, err := models.GetSession(ctx, a.DB, s.ID, id)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") == "1" {
		err = models.DeleteSessionAt(ctx, a.DB, actor(c), s.ID, id, version, a.Now())
	} else {
		var ch *models.SessionChange
		var deleted bool
		if ch, deleted, err = models.DeleteSessionUnlessAffected(ctx, a.DB, actor(c), s.ID, id, version, a.Now()); err == nil && !deleted {
			p := a.page(c, "Cancel “"+before.Title+"”?")
			p.Section = "organise"
			p.Summit = s
			p.Data = &SessionCancelView{SummitView: summitView(s), Session: before, Change: ch, Version: version}
			return a.render(c, http.StatusOK, "session_cancel", p)
		}
	}
	if err != nil {
		if models.IsStale(err) {
			return a.redirect(c, orgSessionEditURL(s.ID, id), models.RefusalMessage(err)+" Here it is as it is now; delete it again if you still mean to.")
		}
		if msg := models.RefusalMessage(err); msg != "" { // the award embargo refused it
			return a.redirect(c, orgSessionEditURL(s.ID, id), msg)
		}
		return err
	}
	return a.redirect(c, orgAgendaURL(s.ID), "Session deleted.")
}

// SessionCancelView is the confirmation before a session with people in it
// is deleted.
type SessionCancelView struct {
	SummitView
	Session *models.Session
	Change  *models.SessionChange
	Version string // the version the organiser saw, carried to the confirmation
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
