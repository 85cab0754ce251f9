package app

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// Home leads to the current published summit.
func (a *App) Home(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := models.CurrentEditions(ctx, a.DB, a.Now())
	if err == nil && len(list) == 1 {
		return c.Redirect(http.StatusFound, summitURL(list[0].ID))
	}
	if err != nil && err != models.ErrNotFound {
		return err
	}
	// No edition yet, or several at once (regional editions): list them.
	p := a.page(c, "Service Summit")
	p.Data = list
	return a.render(c, http.StatusOK, "home", p)
}

// SummitsArchive lists every published and archived summit.
func (a *App) SummitsArchive(c echo.Context) error {
	list, err := models.ListPublicSummits(c.Request().Context(), a.DB)
	if err != nil {
		return err
	}
	p := a.page(c, "All summits")
	p.Data = list
	return a.render(c, http.StatusOK, "summits_archive", p)
}

// AgendaView is the data of the public agenda page.
type AgendaView struct {
	Summit    *models.Summit
	Loc       *time.Location
	Days      []string
	Day       string
	View      string // grid, list, or auto: the timetable on a wide screen, the list on a phone
	ViewParam string // the view to keep in links: "" for auto
	Tracks    []models.Track
	TrackID   uint
	Sessions  []models.Session
	Grid      *Grid
	Empty     bool
	// HonoreesOpen is true once the summit's first award announcement has
	// passed: only then does the agenda link the honorees page.
	HonoreesOpen bool
	// Promised is "What we promised last year" (app/commitments.go): the
	// previous edition's commitments with their last status, or nil.
	Promised *models.Promises
}

// AgendaShow is the public agenda of a summit: one day at a time, as a
// timetable grid or a list, optionally filtered by track. Each day, view and
// track is built once per revision (pagecache.go); the seat counts are its
// holes, read with the revision in one statement.
func (a *App) AgendaShow(c echo.Context) error {
	var v AgendaView
	var resolved *summitInfo
	// The day, view and track asked for, among the summit's.
	resolve := func(info *summitInfo) {
		if info == resolved {
			return
		}
		resolved = info
		s := info.summit
		v = AgendaView{Summit: s, Loc: info.loc, Days: info.days, View: "auto"}
		if q := c.QueryParam("view"); q == "grid" || q == "list" {
			v.View, v.ViewParam = q, q // a choice made with the switch holds on a phone too
		}
		v.Day = c.QueryParam("day")
		valid := false
		for _, d := range v.Days {
			valid = valid || d == v.Day
		}
		if !valid && len(v.Days) > 0 {
			v.Day = v.Days[0]
			today := a.Now().In(v.Loc).Format(models.DateLayout)
			for _, d := range v.Days {
				if d == today {
					v.Day = d
				}
			}
		}
		if t, err := strconv.ParseUint(c.QueryParam("track"), 10, 32); err == nil && info.tracks[uint(t)] {
			v.TrackID = uint(t)
		}
	}
	st, seats, err := a.publicStateSeats(c, func(info *summitInfo) (time.Time, time.Time) {
		resolve(info)
		if d, ok := info.dayStart[v.Day]; ok {
			return d, d.AddDate(0, 0, 1)
		}
		return info.summit.Start(), info.summit.End()
	})
	if err != nil {
		return err
	}
	resolve(st.info)
	s := st.info.summit
	variant := v.Day + "|" + v.View + "|" + itoa(v.TrackID)
	pg, err := a.cachedPage(c, st, "agenda", variant, summitURL(s.ID), func(ctx context.Context, p *Page) error {
		var err error
		if v.Tracks, err = models.ListTracks(ctx, a.DB, s.ID); err != nil {
			return err
		}
		if v.Sessions, err = models.ListSessions(ctx, a.DB, s, models.AgendaFilter{Day: v.Day, TrackID: v.TrackID}); err != nil {
			return err
		}
		rooms, err := models.ListRooms(ctx, a.DB, s.ID)
		if err != nil {
			return err
		}
		if v.Promised, err = models.PromisedLastYear(ctx, a.DB, s); err != nil {
			return err
		}
		v.Grid = BuildGrid(v.Sessions, rooms, v.Loc)
		v.Empty = len(v.Sessions) == 0
		// The announcement state is part of the page's key: the link
		// appears with the first request after the first announcement.
		v.HonoreesOpen = st.ann > 0
		p.Title, p.Summit, p.Data = s.Title, s, v
		return nil
	})
	if err != nil {
		return err
	}
	return a.servePage(c, st, pg, "agenda", string(seats), seatsFiller(seats))
}

// seatsFiller fills a page's seat holes ({{hole $ "seats_…" session}}) with
// the counts read for this request.
func seatsFiller(seats models.Seats) filler {
	var byID map[uint]models.SeatCount
	return func(h hole, _ *Page) (any, error) {
		var cp models.Session
		switch s := h.arg.(type) {
		case *models.Session:
			cp = *s
		case models.Session:
			cp = s
		default:
			return nil, errNoSuchHole
		}
		if byID == nil {
			byID = seats.Counts()
		}
		if sc, ok := byID[cp.ID]; ok {
			sc.Apply(&cp)
		}
		return &cp, nil
	}
}

// SessionView is the data of a public session page.
type SessionView struct {
	Summit  *models.Summit
	Loc     *time.Location
	Session *models.Session
	Day     string
	Reg     *RegistrationBox // nil when the session needs no registration
	// Feedback is the feedback box (app/feedback.go); nil when there is none.
	Feedback *FeedbackBox
	// Ideas are the staff ideas shortlisted into the session (app/ideas.go).
	Ideas []models.Idea
}

// SessionShow is the public page of one session. The page is built once per
// revision; the registration and feedback boxes (seats, windows, the
// person's own seat and answer) are its holes, filled on every request.
func (a *App) SessionShow(c echo.Context) error {
	st, err := a.publicState(c)
	if err != nil {
		return err
	}
	s := st.info.summit
	id, err := idParam(c, "session")
	if err != nil {
		return err
	}
	pg, err := a.cachedPage(c, st, "session", itoa(id), sessionURL(s.ID, id), func(ctx context.Context, p *Page) error {
		sess, err := models.GetSession(ctx, a.DB, s.ID, id)
		if err != nil {
			return err
		}
		ideas, err := models.SessionIdeas(ctx, a.DB, sess.ID)
		if err != nil {
			return err
		}
		p.Title, p.Summit = sess.Title, s
		p.Data = SessionView{Summit: s, Loc: s.Location(), Session: sess, Day: sess.StartsAt.In(s.Location()).Format(models.DateLayout), Ideas: ideas}
		return nil
	})
	if err != nil {
		return err
	}
	v := pg.data.(SessionView)
	sess := *v.Session
	sc, ok, err := a.cache.revs.SessionSeats(c.Request().Context(), s.ID, id)
	if err != nil {
		return err
	}
	if ok {
		sc.Apply(&sess)
	}
	if v.Reg, err = a.registrationBox(c, s, &sess); err != nil {
		return err
	}
	if v.Feedback, err = a.feedbackBox(c, s, &sess); err != nil {
		return err
	}
	v.Session = &sess
	// What the boxes show a visitor.
	var state string
	if b := v.Reg; b != nil {
		state = fmt.Sprintf("%d:%d:%d:%t:%t:%s", sc.Capacity, sc.Taken, b.Waiting, b.Open, b.Started, b.WindowText)
	}
	if b := v.Feedback; b != nil {
		state += fmt.Sprintf("\x00%t:%t:%t:%s", b.Answered, b.Open, b.SignIn, b.Text)
	}
	return a.servePage(c, st, pg, "session", state, func(h hole, p *Page) (any, error) {
		if h.name != "session_registration" && h.name != "session_feedback" {
			return nil, errNoSuchHole
		}
		q := *p
		q.Data = v
		return &q, nil
	})
}

// Grid is a day's timetable: rooms across, time down. Each column is split
// into lanes when sessions in it overlap, so parallel sessions sit side by
// side and none is dropped.
type Grid struct {
	Columns   []GridColumn
	Lanes     int
	Rows      int // 5-minute rows
	Start     time.Time
	Times     []GridTime
	Items     []GridItem
	SlotMins  int
	HasOthers bool
}

// GridColumn is a room (or "Other" for sessions without a room).
type GridColumn struct {
	Name      string
	FirstLane int // 1-based grid column of the column's first lane (after the time column)
	Lanes     int
}

// GridTime labels a row with a time.
type GridTime struct {
	Row   int
	Label string
}

// GridItem is a session placed on the grid (1-based CSS grid lines).
type GridItem struct {
	S        *models.Session
	Row      int
	RowEnd   int
	Col      int
	ColEnd   int
	FullSpan bool
	// Part marks the second and later pieces of a break for everyone that
	// sessions during it split: shown again for the eye, but hidden from
	// screen readers and the tab order (the first piece is the link).
	Part bool
}

const slotMinutes = 5

// BuildGrid lays out one day's sessions. Sessions without a room that
// overlap no other session span all rooms. A break for everyone (a break
// without a room: lunch) spans all rooms even when sessions happen during it
// (the organiser was warned): it then fills every room lane those sessions
// leave free, in pieces. Other roomless sessions go into an "Other" column.
func BuildGrid(sessions []models.Session, rooms []models.Room, loc *time.Location) *Grid {
	g := &Grid{SlotMins: slotMinutes}
	if len(sessions) == 0 {
		return g
	}
	start, end := sessions[0].StartsAt, sessions[0].EndsAt
	for _, s := range sessions {
		if s.StartsAt.Before(start) {
			start = s.StartsAt
		}
		if s.EndsAt.After(end) {
			end = s.EndsAt
		}
	}
	// The grid starts on the local half hour before the first session (in
	// local time, so zones with :30 and :45 offsets label whole half hours).
	ls := start.In(loc)
	start = start.Add(-(time.Duration(ls.Minute()%30)*time.Minute + time.Duration(ls.Second())*time.Second + time.Duration(ls.Nanosecond())))
	g.Start = start
	g.Rows = int((end.Sub(start) + slotMinutes*time.Minute - 1) / (slotMinutes * time.Minute))
	if g.Rows < 1 {
		g.Rows = 1
	}
	slot := slotMinutes * time.Minute
	row := func(t time.Time) int { return int(t.Sub(start)/slot) + 1 }
	// rowEnd rounds up, so a session that ends between two rows (or lasts
	// under five minutes) still gets at least one row.
	rowEnd := func(s *models.Session) int {
		e := int((s.EndsAt.Sub(start)+slot-1)/slot) + 1
		if r := row(s.StartsAt); e <= r {
			e = r + 1
		}
		return e
	}

	// Columns: rooms in order, only those used today, then Other.
	used := map[uint]bool{}
	for _, s := range sessions {
		if s.RoomID != nil {
			used[*s.RoomID] = true
		}
	}
	colIdx := map[uint]int{}
	type col struct {
		name  string
		items []int // indexes into sessions
	}
	var cols []col
	for _, r := range rooms {
		if used[r.ID] {
			colIdx[r.ID] = len(cols)
			cols = append(cols, col{name: r.Name})
		}
	}
	roomCol := func(s *models.Session) (int, bool) {
		if s.RoomID == nil {
			return 0, false
		}
		ci, ok := colIdx[*s.RoomID]
		return ci, ok
	}
	var full []int
	otherIdx := -1
	for i := range sessions {
		s := &sessions[i]
		if s.RoomID != nil {
			if ci, ok := colIdx[*s.RoomID]; ok {
				cols[ci].items = append(cols[ci].items, i)
				continue
			}
		}
		// A roomless session spans every room only when nothing else happens
		// at that time: neither a roomed session nor another roomless one
		// (two full-width blocks at once would cover each other). A break for
		// everyone only needs no other roomless session and a room with
		// nothing on during it.
		alone, roomlessBeside := true, false
		busy := map[int]bool{}
		for j := range sessions {
			if j != i && sessions[j].Overlaps(s) {
				alone = false
				if ci, ok := roomCol(&sessions[j]); ok {
					busy[ci] = true
				} else {
					roomlessBeside = true
				}
			}
		}
		if len(cols) > 0 && (alone || s.IsPlenaryBreak() && !roomlessBeside && len(busy) < len(cols)) {
			full = append(full, i)
			continue
		}
		if otherIdx < 0 {
			otherIdx = len(cols)
			cols = append(cols, col{name: "Other"})
			g.HasOthers = true
		}
		cols[otherIdx].items = append(cols[otherIdx].items, i)
	}
	// Lanes within each column: greedy interval partitioning.
	lane := make(map[int]int)
	next := 2 // grid column 1 is the time column
	for _, c := range cols {
		sort.SliceStable(c.items, func(a, b int) bool { return sessions[c.items[a]].StartsAt.Before(sessions[c.items[b]].StartsAt) })
		var laneEnds []time.Time
		for _, i := range c.items {
			placed := false
			for l, e := range laneEnds {
				if !sessions[i].StartsAt.Before(e) {
					laneEnds[l] = sessions[i].EndsAt
					lane[i] = l
					placed = true
					break
				}
			}
			if !placed {
				lane[i] = len(laneEnds)
				laneEnds = append(laneEnds, sessions[i].EndsAt)
			}
		}
		n := len(laneEnds)
		if n == 0 {
			n = 1
		}
		g.Columns = append(g.Columns, GridColumn{Name: c.name, FirstLane: next, Lanes: n})
		for _, i := range c.items {
			g.Items = append(g.Items, GridItem{S: &sessions[i], Row: row(sessions[i].StartsAt) + 1, RowEnd: rowEnd(&sessions[i]) + 1,
				Col: next + lane[i], ColEnd: next + lane[i] + 1})
		}
		next += n
	}
	g.Lanes = next - 2
	if g.Lanes < 1 {
		g.Lanes = 1
	}
	placed := len(g.Items) // the sessions in rooms (and Other), before the full-width ones
	for _, i := range full {
		r, re := row(sessions[i].StartsAt)+1, rowEnd(&sessions[i])+1
		// Lanes taken by a session during this block: the block goes around them.
		taken := make([]bool, g.Lanes+2)
		for _, it := range g.Items[:placed] {
			if it.Row < re && r < it.RowEnd {
				for c := it.Col; c < it.ColEnd; c++ {
					taken[c] = true
				}
			}
		}
		part := false
		for c := 2; c < 2+g.Lanes; c++ {
			if taken[c] {
				continue
			}
			end := c
			for end < 2+g.Lanes && !taken[end] {
				end++
			}
			g.Items = append(g.Items, GridItem{S: &sessions[i], Row: r, RowEnd: re, Col: c, ColEnd: end, FullSpan: true, Part: part})
			part = true
			c = end
		}
	}
	for t := start; t.Before(end); t = t.Add(30 * time.Minute) {
		g.Times = append(g.Times, GridTime{Row: row(t) + 1, Label: t.In(loc).Format("15:04")})
	}
	sort.SliceStable(g.Items, func(a, b int) bool { return g.Items[a].Row < g.Items[b].Row })
	return g
}
