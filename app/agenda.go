package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
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
	if err != nil && !errors.Is(err, models.ErrNotFound) {
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
	SummitView
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
	var today time.Time // when no day was asked for: the clock that chose it
	// The day, view and track asked for, among the summit's.
	resolve := func(info *summitInfo) {
		if info == resolved {
			return
		}
		resolved = info
		s := info.summit
		v = AgendaView{SummitView: SummitView{Summit: s, Loc: info.loc}, Days: info.days, View: "auto"}
		if q := c.QueryParam("view"); q == "grid" || q == "list" {
			v.View, v.ViewParam = q, q // a choice made with the switch holds on a phone too
		}
		v.Day = c.QueryParam("day")
		valid := false
		for _, d := range v.Days {
			valid = valid || d == v.Day
		}
		today = time.Time{}
		if !valid && len(v.Days) > 0 {
			v.Day = v.Days[0]
			today = a.Now().In(v.Loc)
			day := today.Format(models.DateLayout)
			for _, d := range v.Days {
				if d == day {
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
	if rec := fastRecordOf(c); rec != nil {
		// The answer depends on the address, the revision, the seats read,
		// the announcement state and, without a day asked for, today.
		rec.memo = true
		if !today.IsZero() {
			y, m, d := today.Date()
			rec.dayFrom, rec.dayTo = time.Date(y, m, d, 0, 0, 0, 0, v.Loc), time.Date(y, m, d+1, 0, 0, 0, 0, v.Loc)
		}
	}
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
	SummitView
	Session *models.Session
	Day     string
	Reg     *RegistrationBox // nil when the session needs no registration
	// Feedback is the feedback box (app/feedback.go); nil when there is none.
	Feedback *FeedbackBox
	// Ideas are the staff ideas shortlisted into the session (app/ideas.go).
	Ideas []models.Idea
}

// sessionView is the session page's data without its boxes; SessionShow
// and a refused registration (renderSessionRefused) both start from it.
func sessionView(s *models.Summit, sess *models.Session) SessionView {
	return SessionView{SummitView: summitView(s), Session: sess, Day: sess.StartsAt.In(s.Location()).Format(models.DateLayout)}
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
		if sess.Unscheduled { // not on the agenda yet
			return models.ErrNotFound
		}
		ideas, err := models.SessionIdeas(ctx, a.DB, sess.ID)
		if err != nil {
			return err
		}
		p.Title, p.Summit = sess.Title, s
		v := sessionView(s, sess)
		v.Ideas = ideas
		p.Data = v
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
