package app

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"summit/models"
	"summit/models/export"
)

// exportSummit loads the summit named in the path for an export. Exports are
// for published (or archived) summits only: a draft is a 404 for everyone,
// organisers included, so nothing unpublished leaves the building in a file.
func (a *App) exportSummit(c echo.Context) (*models.Summit, error) {
	return a.visibleSummit(c, c.Param("summit"), false)
}

// exportState is publicState for exports: published (or archived) summits
// only; a draft is a 404 for everyone, organisers included, so nothing
// unpublished leaves the building in a file.
func (a *App) exportState(c echo.Context) (*publicState, error) {
	st, err := a.publicState(c)
	if err != nil {
		return nil, err
	}
	if st.draft {
		return nil, models.ErrNotFound
	}
	return st, nil
}

// ProgramPDF is the printed program of a published summit, A4 unless
// ?paper=letter. It is rendered once per revision, announcement state and
// paper (pagecache.go).
func (a *App) ProgramPDF(c echo.Context) error {
	st, err := a.exportState(c)
	if err != nil {
		return err
	}
	s := st.info.summit
	paper := export.ParsePaper(c.QueryParam("paper"))
	suffix := "program"
	if paper == export.PaperLetter {
		suffix = "program-letter"
	}
	return a.serveCachedFile(c, st, "program.pdf", paper, "application/pdf", true, func(ctx context.Context) ([]byte, string, error) {
		p, err := models.LoadProgram(ctx, a.DB, s, st.now)
		if err != nil {
			return nil, "", err
		}
		var buf bytes.Buffer
		if err := export.WriteProgramPDF(&buf, p, paper); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), fileName(s, suffix, "pdf"), nil
	})
}

// baseURL is the public address used in feeds: the configured BASE_URL, else
// the address this request came to.
func (a *App) baseURL(c echo.Context) string {
	if b := strings.TrimRight(a.Cfg.BaseURL, "/"); b != "" {
		return b
	}
	return c.Scheme() + "://" + c.Request().Host
}

// FeedLinks are the ways to subscribe to a calendar feed, for the buttons
// beside it: the phone's or computer's own calendar app (a webcal:// address),
// Google Calendar, Outlook (Microsoft 365 for work accounts, Outlook.com for
// personal ones) and the plain https address.
type FeedLinks struct {
	// App is the webcal:// address. html/template blanks hrefs whose scheme
	// it does not know ("#ZgotmplZ"), so this one address is marked safe: it
	// is built here from the configured base URL and Summit's own path,
	// never from what a visitor typed.
	App        template.URL
	Google     string
	Outlook    string
	OutlookCom string
	File       string // the feed itself (https:// in production)
}

// feedLinks makes the subscribe links of a feed at feedURL (an absolute
// http(s) address) that calendar apps will list under name.
func feedLinks(feedURL, name string) FeedLinks {
	l := FeedLinks{File: feedURL}
	rest, ok := strings.CutPrefix(feedURL, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(feedURL, "http://")
	}
	if !ok || rest == "" {
		return l // not an address built by baseURL: offer the file only
	}
	webcal := "webcal://" + rest
	l.App = template.URL(webcal)
	l.Google = "https://calendar.google.com/calendar/r?" + url.Values{"cid": {webcal}}.Encode()
	q := url.Values{"url": {feedURL}, "name": {models.OneLine(name)}}.Encode()
	l.Outlook = "https://outlook.office.com/calendar/0/addfromweb?" + q
	l.OutlookCom = "https://outlook.live.com/calendar/0/addfromweb?" + q
	return l
}

// summitFeedLinks are the subscribe links of a published summit's whole
// agenda (agenda.ics), for the agenda page.
func summitFeedLinks(base string, s *models.Summit) FeedLinks {
	return feedLinks(strings.TrimRight(base, "/")+agendaICSURL(s.ID), s.Title)
}

// EventLinks add one session to a calendar: its .ics file (any calendar app)
// or a new event pre-filled in Google Calendar or Outlook on the web.
type EventLinks struct {
	File       string
	Google     string
	Outlook    string
	OutlookCom string
}

// maxLinkText bounds the description carried in an add-event link: the
// address must stay short enough for every browser and calendar service
// (the full text is in the .ics file and on the session page).
const maxLinkText = 1200

// sessionEventLinks makes the add-to-calendar links of one session; the
// times go as UTC, so every calendar shows them in its own zone correctly.
func sessionEventLinks(base string, s *models.Summit, x *models.Session) EventLinks {
	title, desc, where := export.EventText(s, x)
	if r := []rune(desc); len(r) > maxLinkText {
		desc = strings.TrimSpace(string(r[:maxLinkText])) + "…"
	}
	page := strings.TrimRight(base, "/") + sessionURL(s.ID, x.ID)
	desc += "\n\n" + page
	start, end := x.StartsAt.UTC(), x.EndsAt.UTC()
	g := url.Values{"action": {"TEMPLATE"}, "text": {title}, "details": {desc}, "location": {where},
		"dates": {start.Format("20060102T150405Z") + "/" + end.Format("20060102T150405Z")}, "ctz": {s.TimeZone}}
	o := url.Values{"path": {"/calendar/action/compose"}, "rru": {"addevent"}, "subject": {title}, "body": {desc}, "location": {where},
		"startdt": {start.Format("2006-01-02T15:04:05Z")}, "enddt": {end.Format("2006-01-02T15:04:05Z")}}
	return EventLinks{
		File:       sessionICSURL(s.ID, x.ID),
		Google:     "https://calendar.google.com/calendar/render?" + g.Encode(),
		Outlook:    "https://outlook.office.com/calendar/deeplink/compose?" + o.Encode(),
		OutlookCom: "https://outlook.live.com/calendar/deeplink/compose?" + o.Encode(),
	}
}

// AgendaICS is the whole published summit as an iCalendar file.
func (a *App) AgendaICS(c echo.Context) error {
	st, err := a.exportState(c)
	if err != nil {
		return err
	}
	s, base := st.info.summit, a.baseURL(c)
	return a.serveCachedFile(c, st, "agenda.ics", base, "text/calendar; charset=utf-8", false, func(ctx context.Context) ([]byte, string, error) {
		list, err := models.ListSessions(ctx, a.DB, s, models.AgendaFilter{})
		if err != nil {
			return nil, "", err
		}
		var buf bytes.Buffer
		if err := export.WriteSummitICS(&buf, s, list, base); err != nil {
			return nil, "", err
		}
		return buf.Bytes(), fileName(s, "agenda", "ics"), nil
	})
}

// SessionICS is one session of a published summit as an iCalendar file, for
// the session page's "Add to calendar" link.
func (a *App) SessionICS(c echo.Context) error {
	st, err := a.exportState(c)
	if err != nil {
		return err
	}
	s, base := st.info.summit, a.baseURL(c)
	id, err := idParam(c, "session")
	if err != nil {
		return err
	}
	return a.serveCachedFile(c, st, "session.ics", itoa(id)+"|"+base, "text/calendar; charset=utf-8", false, func(ctx context.Context) ([]byte, string, error) {
		x, err := models.GetSession(ctx, a.DB, s.ID, id)
		if err != nil {
			return nil, "", err
		}
		var buf bytes.Buffer
		if err := export.WriteSessionICS(&buf, s, x, base); err != nil {
			return nil, "", err
		}
		what := strings.Trim(unsafeFileChars.ReplaceAllString(strings.ToLower(x.Title), "-"), "-")
		if len(what) > 40 {
			what = strings.Trim(what[:40], "-")
		}
		if what == "" {
			what = "session-" + strconv.FormatUint(uint64(x.ID), 10)
		}
		return buf.Bytes(), fileName(s, what, "ics"), nil
	})
}

// CalendarFeed is a person's agenda as a calendar feed at a secret address
// (/cal/<token>.ics), for calendar apps that cannot sign in. It holds their
// seats, waitlist places and the plenary sessions of every published summit.
func (a *App) CalendarFeed(c echo.Context) error {
	tok, ok := strings.CutSuffix(c.Param("feed"), ".ics")
	if !ok {
		return models.ErrNotFound
	}
	ctx := c.Request().Context()
	p, err := models.CalendarFeedPerson(ctx, a.DB, tok)
	if err != nil {
		return err
	}
	summits, err := models.ListPublicSummits(ctx, a.DB)
	if err != nil {
		return err
	}
	var items []export.CalendarItem
	for i := range summits {
		s := &summits[i]
		if s.Status != models.StatusPublished {
			continue
		}
		entries, err := models.PersonalAgenda(ctx, a.DB, s, p.ID)
		if err != nil {
			return err
		}
		for _, e := range entries {
			items = append(items, export.CalendarItem{Summit: s, Session: e.Session, Status: e.Status, Position: e.Position})
		}
	}
	var buf bytes.Buffer
	if err := export.WritePersonalICS(&buf, p.Name, items, a.baseURL(c)); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "private, no-store")
	h.Set("X-Robots-Tag", "noindex")
	h.Set("Referrer-Policy", "no-referrer")
	return sendFile(c, "text/calendar; charset=utf-8", "my-agenda.ics", false, buf.Bytes())
}

// CalendarView is the calendar subscription page.
type CalendarView struct {
	Feed    *models.CalendarFeed // nil: none yet
	FeedURL string               // shown once, right after it is made
	Links   FeedLinks            // subscribe links of FeedURL
}

// MyCalendar shows whether the person has a calendar feed and lets them make
// a new address.
func (a *App) MyCalendar(c echo.Context) error {
	return a.renderCalendar(c, "")
}

// MyCalendarReset makes a new secret feed address; the old one stops working.
// The address is shown on this response only (only its hash is stored).
func (a *App) MyCalendarReset(c echo.Context) error {
	tok, err := models.ResetCalendarFeed(c.Request().Context(), a.DB, currentPerson(c).ID)
	if err != nil {
		return err
	}
	return a.renderCalendar(c, a.baseURL(c)+calendarFeedURL(tok))
}

func (a *App) renderCalendar(c echo.Context, feedURL string) error {
	v := CalendarView{FeedURL: feedURL}
	if feedURL != "" {
		v.Links = feedLinks(feedURL, "Service Summit — "+currentPerson(c).Name)
	}
	f, err := models.GetCalendarFeed(c.Request().Context(), a.DB, currentPerson(c).ID)
	switch {
	case err == nil:
		v.Feed = f
	case !errors.Is(err, models.ErrNotFound):
		return err
	}
	p := a.page(c, "My calendar")
	p.Section = "my"
	p.Data = v
	c.Response().Header().Set("Referrer-Policy", "no-referrer")
	return a.render(c, http.StatusOK, "exports_calendar", p)
}

// MyAgendaPDF is the signed-in person's agenda as a PDF: seats, waitlist
// places and plenary sessions of one summit (?summit=, else the current one).
func (a *App) MyAgendaPDF(c echo.Context) error {
	ctx := c.Request().Context()
	var s *models.Summit
	var err error
	if q := c.QueryParam("summit"); q != "" {
		n, perr := strconv.ParseUint(q, 10, 32)
		if perr != nil || n == 0 {
			return models.ErrNotFound
		}
		s, err = models.GetPublicSummit(ctx, a.DB, uint(n))
	} else {
		s, err = models.CurrentSummit(ctx, a.DB, a.Now())
	}
	if err != nil {
		return err
	}
	me := currentPerson(c)
	entries, err := models.PersonalAgenda(ctx, a.DB, s, me.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteAgendaPDF(&buf, s, me.Name, entries, export.ParsePaper(c.QueryParam("paper"))); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return sendFile(c, "application/pdf", fileName(s, "my-agenda", "pdf"), true, buf.Bytes())
}

// ScheduleXML is the frab schedule.xml conference apps read.
func (a *App) ScheduleXML(c echo.Context) error {
	return a.frab(c, false)
}

// ScheduleJSON is the frab schedule.json.
func (a *App) ScheduleJSON(c echo.Context) error {
	return a.frab(c, true)
}

func (a *App) frab(c echo.Context, asJSON bool) error {
	st, err := a.exportState(c)
	if err != nil {
		return err
	}
	s, base := st.info.summit, a.baseURL(c)
	kind, contentType, name := "schedule.xml", "application/xml; charset=utf-8", fileName(s, "schedule", "xml")
	if asJSON {
		kind, contentType, name = "schedule.json", "application/json; charset=utf-8", fileName(s, "schedule", "json")
	}
	c.Response().Header().Set("Access-Control-Allow-Origin", "*")
	return a.serveCachedFile(c, st, kind, base, contentType, true, func(ctx context.Context) ([]byte, string, error) {
		list, err := models.ListSessions(ctx, a.DB, s, models.AgendaFilter{})
		if err != nil {
			return nil, "", err
		}
		rooms, err := models.ListRooms(ctx, a.DB, s.ID)
		if err != nil {
			return nil, "", err
		}
		tracks, err := models.ListTracks(ctx, a.DB, s.ID)
		if err != nil {
			return nil, "", err
		}
		var buf bytes.Buffer
		if asJSON {
			err = export.WriteFrabJSON(&buf, s, list, rooms, tracks, base)
		} else {
			err = export.WriteFrabXML(&buf, s, list, rooms, tracks, base)
		}
		return buf.Bytes(), name, err
	})
}

// Certificates are the award certificates, one landscape page per winner,
// for organisers. Before the announcement the file is one page saying when
// they become available, with no names (winners come only from
// models.Honorees, which returns none before the announcement).
func (a *App) Certificates(c echo.Context) error {
	s, err := a.exportSummit(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	now := a.Now()
	hs, err := models.Honorees(ctx, a.DB, s.ID, now)
	if err != nil {
		return err
	}
	awards, err := models.AwardSummaries(ctx, a.DB, s.ID)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteCertificatesPDF(&buf, s, hs, awards, now); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-store")
	return sendFile(c, "application/pdf", fileName(s, "certificates", "pdf"), true, buf.Bytes())
}

// SessionsCSV is the organisers' export of every session.
func (a *App) SessionsCSV(c echo.Context) error {
	return a.csvExport(c, "sessions", models.SessionsCSV)
}

// RegistrationsCSV is the organisers' export of every registration.
func (a *App) RegistrationsCSV(c echo.Context) error {
	return a.csvExport(c, "registrations", models.RegistrationsCSV)
}

func (a *App) csvExport(c echo.Context, what string, rows func(context.Context, *gorm.DB, *models.Summit) ([][]string, error)) error {
	return a.summitCSV(c, a.exportSummit, what, rows)
}

// summitCSV sends a CSV file of the summit load finds (exportSummit: a
// published one; orgSummit: a draft too, for organisers' working files).
func (a *App) summitCSV(c echo.Context, load func(echo.Context) (*models.Summit, error), what string, rows func(context.Context, *gorm.DB, *models.Summit) ([][]string, error)) error {
	s, err := load(c)
	if err != nil {
		return err
	}
	list, err := rows(c.Request().Context(), a.DB, s)
	if err != nil {
		return err
	}
	return sendCSV(c, fileName(s, what, "csv"), list)
}
