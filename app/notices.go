package app

import (
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// NoticesView is the Notices page.
type NoticesView struct {
	Notices []NoticeItem
	Unread  int
	Pager
}

// noticesPerPage is how many notices and outbox mails a page shows.
const noticesPerPage = 50

// NoticeItem is a notice with its time as the person reads it: in its
// summit's time zone (UTC for a notice of no summit).
type NoticeItem struct {
	models.Notice
	When string
}

// NoticesList shows a page of the signed-in person's notices, newest first.
func (a *App) NoticesList(c echo.Context) error {
	ctx := c.Request().Context()
	me := currentPerson(c)
	list, pg, err := models.NoticesPage(ctx, a.DB, me.ID, models.Paging{Number: pageParam(c), Per: noticesPerPage})
	if err != nil {
		return err
	}
	zones := map[uint]*time.Location{}
	items := make([]NoticeItem, len(list))
	for i, n := range list {
		loc, label := time.UTC, "UTC"
		if n.SummitID != nil {
			if _, ok := zones[*n.SummitID]; !ok {
				zones[*n.SummitID] = time.UTC
				if s, err := models.GetSummit(ctx, a.DB, *n.SummitID); err == nil {
					zones[*n.SummitID] = s.Location()
				}
			}
			loc = zones[*n.SummitID]
			label = loc.String()
		}
		items[i] = NoticeItem{Notice: n, When: n.CreatedAt.In(loc).Format("Mon 2 Jan 2006 15:04") + " (" + label + ")"}
	}
	p := a.page(c, "Notices")
	p.Section = "notices"
	v := &NoticesView{Notices: items, Unread: p.Unread}
	v.Pager = pagerURLs(pg, noticesPageURL)
	p.Data = v
	return a.render(c, http.StatusOK, "notices", p)
}

// NoticeRead marks one notice read (or, at /notices/read, all of them) and
// follows the notice's link when it has one.
func (a *App) NoticeRead(c echo.Context) error {
	ctx := c.Request().Context()
	me := currentPerson(c)
	var id uint
	if c.Param("notice") != "" {
		n, err := idParam(c, "notice")
		if err != nil {
			return err
		}
		id = n
	}
	if err := models.MarkNoticesRead(ctx, a.DB, me.ID, id, a.Now()); err != nil {
		return err
	}
	if id != 0 && c.FormValue("open") != "" {
		n, err := models.GetNotice(ctx, a.DB, me.ID, id)
		if err != nil {
			return err
		}
		if n.Link != "" && n.Link[0] == '/' {
			return c.Redirect(http.StatusSeeOther, n.Link)
		}
	}
	return c.Redirect(http.StatusSeeOther, noticesURL())
}

// NoticeSettingsView is the settings page: which kinds come by mail.
type NoticeSettingsView struct {
	Choices []models.MailChoice
}

// NoticeSettings shows which kinds of notice reach the person by mail.
func (a *App) NoticeSettings(c echo.Context) error {
	choices, err := models.NoticeMailChoices(c.Request().Context(), a.DB, currentPerson(c).ID)
	if err != nil {
		return err
	}
	p := a.page(c, "Notice settings")
	p.Section = "notices"
	p.Data = &NoticeSettingsView{Choices: choices}
	return a.render(c, http.StatusOK, "notices_settings", p)
}

// NoticeSettingsSave stores the person's choices.
func (a *App) NoticeSettingsSave(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return err
	}
	if err := models.SetNoticeMail(c.Request().Context(), a.DB, currentPerson(c).ID, form["mail"]); err != nil {
		return err
	}
	return a.redirect(c, noticesSettingsURL(), "Saved. In-app notices always arrive; the ticked kinds also come by mail.")
}

// OutboxView is the admin's Outbox page.
type OutboxView struct {
	*models.OutboxPage
	Statuses []string
	NoServer bool
	Pager
	MailText func(*models.OutboxMail) MailContent
}

// OutboxList shows the outbox: pending, sent, failed and unsent mail.
func (a *App) OutboxList(c echo.Context) error {
	status := c.QueryParam("status")
	ok := status == ""
	for _, s := range outboxStatuses {
		ok = ok || s == status
	}
	if !ok {
		status = ""
	}
	pg, err := models.ListOutboxPage(c.Request().Context(), a.DB, status, models.Paging{Number: pageParam(c), Per: noticesPerPage}, currentPerson(c).ID, a.Now())
	if err != nil {
		return err
	}
	p := a.page(c, "Outbox")
	p.Section = "admin"
	v := &OutboxView{OutboxPage: pg, Statuses: outboxStatuses, NoServer: a.Mailer == nil}
	v.Pager = pagerURLs(pg.Page, func(n uint) string { return outboxPageURL(status, n) })
	p.Data = v
	return a.render(c, http.StatusOK, "notices_outbox", p)
}

var outboxStatuses = []string{models.MailPending, models.MailSending, models.MailSent, models.MailFailed, models.MailUnsent}

// OutboxRetry sends a failed or unsent mail again.
func (a *App) OutboxRetry(c echo.Context) error {
	id, err := idParam(c, "mail")
	if err != nil {
		return err
	}
	err = models.RetryMail(c.Request().Context(), a.DB, actor(c), id, a.Now())
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return a.redirect(c, outboxURL(), firstMessage(fe))
	}
	if err != nil {
		return err
	}
	msg := "The mail is queued again; a worker sends it within seconds."
	if a.Mailer == nil {
		msg = "The mail is queued again, but no mail server is configured: it will be marked not sent again."
	}
	return a.redirect(c, outboxURL(), msg)
}
