package app

// The timetable editor (issue 15): an organiser's grid of one summit day,
// the same grid as the public agenda, where sessions are moved by dragging
// or with the keyboard (static/js/timetable.js). Every move goes through
// models.MoveSession: the form's rules, the version check and the notices
// preview.

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// TimetableView is the data of the timetable editor.
type TimetableView struct {
	SummitView
	Days        []string
	Day         string
	Grid        *Grid
	Sessions    []models.Session // the day's scheduled sessions
	Unscheduled []models.Session // the side list, every day's
}

// Editor grids cover at least this part of the day, so there is room to
// drop a session before the first and after the last.
const timetableFrom, timetableTo = "08:00", "18:00"

// TimetableEdit shows the timetable editor for one day of a summit.
func (a *App) TimetableEdit(c echo.Context) error {
	ctx := c.Request().Context()
	s, p, err := a.orgPage(c, "Edit timetable")
	if err != nil {
		return err
	}
	v := TimetableView{SummitView: summitView(s), Days: s.Days(), Day: c.QueryParam("day")}
	if !slices.Contains(v.Days, v.Day) && len(v.Days) > 0 {
		v.Day = v.Days[0]
	}
	all, err := models.ListSessions(ctx, a.DB, s, models.AgendaFilter{Unscheduled: true})
	if err != nil {
		return err
	}
	rooms, err := models.ListRooms(ctx, a.DB, s.ID)
	if err != nil {
		return err
	}
	for _, x := range all {
		switch {
		case x.Unscheduled:
			v.Unscheduled = append(v.Unscheduled, x)
		case x.StartsAt.In(v.Loc).Format(models.DateLayout) == v.Day:
			v.Sessions = append(v.Sessions, x)
		}
	}
	sort.SliceStable(v.Unscheduled, func(i, j int) bool { return v.Unscheduled[i].Title < v.Unscheduled[j].Title })
	opt := gridOptions{AllRooms: true}
	opt.From, _ = models.LocalTime(v.Loc, v.Day, timetableFrom)
	opt.To, _ = models.LocalTime(v.Loc, v.Day, timetableTo)
	v.Grid = buildGrid(v.Sessions, rooms, v.Loc, opt)
	p.Data = v
	return a.render(c, http.StatusOK, "timetable_edit", p)
}

// TimetableLink leads an organiser from the public agenda to the editor
// of the same day ("" for anyone else, and on other pages). The layout
// shows it: the cached agenda's content is everyone's, the layout around
// it is the signed-in person's own.
func (p *Page) TimetableLink() string {
	if p.Me == nil || !p.Me.IsOrganiser() || p.Summit == nil || p.Path != summitURL(p.Summit.ID) {
		return ""
	}
	u := orgTimetableURL(p.Summit.ID)
	if v, ok := p.Data.(AgendaView); ok && v.Day != "" {
		u += "?day=" + v.Day
	}
	return u
}

// moveAnswer is the JSON answer to a move. Exactly one of Saved, Confirm
// or Error is set; Refresh asks the editor to reload the grid first.
type moveAnswer struct {
	Saved   bool   `json:"saved,omitempty"`
	Message string `json:"message,omitempty"`
	// Confirm: the move affects people; Preview (HTML) says whom, and the
	// move is posted again with confirm=1 once the organiser agrees.
	Confirm bool   `json:"confirm,omitempty"`
	Preview string `json:"preview,omitempty"`
	Button  string `json:"button,omitempty"`
	Error   string `json:"error,omitempty"`
	Refresh bool   `json:"refresh,omitempty"`
}

// TimetableMove moves one session (form fields version, room_id, and
// either starts_at and ends_at — RFC 3339 instants, what the editor sends —
// or day, start and end; unschedule, confirm) and answers in JSON: 200
// saved or a preview to confirm, 422 refused by a rule, 409 changed by
// someone else, 404 not a session of this summit.
func (a *App) TimetableMove(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	id := parseID(c.Param("session"))
	if id == 0 {
		return c.JSON(http.StatusNotFound, moveAnswer{Error: "That is not a session of this summit.", Refresh: true})
	}
	ctx := c.Request().Context()
	in := models.MoveInput{Version: c.FormValue("version"), RoomID: c.FormValue("room_id"), Day: c.FormValue("day"),
		StartTime: c.FormValue("start"), EndTime: c.FormValue("end"), StartsAt: c.FormValue("starts_at"), EndsAt: c.FormValue("ends_at"),
		Unschedule: c.FormValue("unschedule") == "1"}
	move := models.MoveSessionUnlessAffected // a move that affects people waits for confirm=1
	if c.FormValue("confirm") == "1" {
		move = models.MoveSession
	}
	res, err := move(ctx, a.DB, actor(c), s.ID, id, in, a.Now())
	if err != nil {
		return moveRefused(c, err)
	}
	if ch := res.Change; !res.Saved {
		var b bytes.Buffer
		if err := a.pages["timetable_edit"].ExecuteTemplate(&b, "timetable_preview", ch); err != nil {
			return err
		}
		return c.JSON(http.StatusOK, moveAnswer{Confirm: true, Preview: b.String(),
			Button: fmt.Sprintf("Confirm and tell %d %s", len(ch.Affected), plural(len(ch.Affected), "person", "people"))})
	}
	x, loc := res.Session, s.Location()
	msg := "“" + x.Title + "” is off the timetable, in the side list."
	if !x.Unscheduled {
		room := "no room"
		if x.RoomID != nil {
			if r, err := models.GetRoom(ctx, a.DB, s.ID, *x.RoomID); err == nil {
				room = r.Name
			}
		}
		msg = fmt.Sprintf("Saved: “%s” is in %s, %s %s–%s.", x.Title, room, x.StartsAt.In(loc).Format("Mon 2 Jan"),
			wallClock(x.StartsAt, loc), wallClock(x.EndsAt, loc))
	}
	if ch := res.Change; ch != nil && ch.NeedsConfirmation() {
		msg += fmt.Sprintf(" %d %s told in Notices.", len(ch.Affected), plural(len(ch.Affected), "person was", "people were"))
	}
	if len(res.Warnings) > 0 {
		msg += " Warning: " + strings.Join(res.Warnings, " ")
	}
	return c.JSON(http.StatusOK, moveAnswer{Saved: true, Message: msg})
}

// wallClock is t's time of day in loc; on a day the clocks change it names
// the zone too, since an hour's times then happen twice (02:30 CEST, then
// 02:30 CET) or not at all.
func wallClock(t time.Time, loc *time.Location) string {
	l := t.In(loc)
	midnight := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
	_, before := midnight.Zone()
	_, after := midnight.AddDate(0, 0, 1).Zone()
	if before != after {
		return l.Format("15:04 MST")
	}
	return l.Format("15:04")
}

// moveRefused answers a refused move: the reasons, in the order of the
// form's fields, for the editor to show beside the tile.
func moveRefused(c echo.Context, err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return c.JSON(http.StatusNotFound, moveAnswer{Error: "That session is no longer on this summit's agenda; the grid has been refreshed.", Refresh: true})
	}
	var fe models.FieldErrors
	if !errors.As(err, &fe) {
		return err
	}
	if models.IsStale(err) {
		return c.JSON(http.StatusConflict, moveAnswer{Error: fe["version"] + " The grid has been refreshed: look again, then move it.", Refresh: true})
	}
	var msgs []string
	for _, k := range []string{"room_id", "speakers", "day", "start_time", "end_time", "unscheduled", "capacity", "title", "kind", "abstract", "track_id"} {
		if m := fe[k]; m != "" {
			msgs = append(msgs, m)
			delete(fe, k)
		}
	}
	for _, m := range fe {
		msgs = append(msgs, m)
	}
	return c.JSON(http.StatusUnprocessableEntity, moveAnswer{Error: strings.Join(msgs, " ")})
}
