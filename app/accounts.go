package app

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// peoplePageSize is how many people the admin list shows per page.
const peoplePageSize = 50

// PeopleListView is the admin directory page.
type PeopleListView struct {
	People []models.Person
	// WithoutPassword counts the active people "invite everyone" invites.
	WithoutPassword int64
	SSO             bool
	Managers        map[uint]string
	Departments     []string
	Query           string
	Department      string
	Total           int64
	Pager           Pager
}

// PeopleList shows the staff directory with search and a department filter.
func (a *App) PeopleList(c echo.Context) error {
	ctx := c.Request().Context()
	v := &PeopleListView{Query: strings.TrimSpace(c.QueryParam("q")), Department: c.QueryParam("department"), Managers: map[uint]string{}}
	page := pageParam(c)
	f := models.PeopleFilter{Query: v.Query, Department: v.Department}
	var err error
	if v.Total, err = models.CountPeople(ctx, a.DB, f); err != nil {
		return err
	}
	pages := int((v.Total + peoplePageSize - 1) / peoplePageSize)
	f.Limit, f.Offset = peoplePageSize, (page-1)*peoplePageSize
	if page <= pages {
		v.Pager = peoplePager(v.Query, v.Department, page, pages)
	}
	if v.People, err = models.ListPeople(ctx, a.DB, f); err != nil {
		return err
	}
	if v.Departments, err = models.Departments(ctx, a.DB); err != nil {
		return err
	}
	if v.WithoutPassword, err = models.CountWithoutPassword(ctx, a.DB); err != nil {
		return err
	}
	v.SSO = a.Cfg.SSO()
	for _, p := range v.People {
		if p.ManagerID != nil {
			if _, ok := v.Managers[*p.ManagerID]; !ok {
				if m, err := models.GetPerson(ctx, a.DB, *p.ManagerID); err == nil {
					v.Managers[m.ID] = m.Name
				}
			}
		}
	}
	p := a.page(c, "People")
	p.Section = "admin"
	p.Data = v
	return a.render(c, http.StatusOK, "accounts_people", p)
}

// peoplePager links the directory's pages around page of pages, keeping the
// search and the department.
func peoplePager(q, department string, page, pages int) Pager {
	p := Pager{Label: fmt.Sprintf("Page %d of %d", page, pages), ByName: true}
	if page > 1 {
		p.Newer = peoplePageURL(q, department, uint(page-1))
	}
	if page < pages {
		p.Older = peoplePageURL(q, department, uint(page+1))
	}
	return p
}

func (a *App) personForm(c echo.Context, action, heading string, selfID uint) (*FormView, error) {
	people, err := models.ListPeople(c.Request().Context(), a.DB, models.PeopleFilter{ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	managers := []Option{{Value: "", Label: "— No manager —"}}
	for _, p := range people {
		if p.ID != selfID {
			label := p.Name
			if p.Department != "" {
				label += " (" + p.Department + ")"
			}
			managers = append(managers, Option{Value: itoa(p.ID), Label: label})
		}
	}
	roles := []Option{{"staff", "Staff — nominates, registers, judges when asked"}, {"organiser", "Organiser — runs the summit"}, {"admin", "Admin — people, roles and the directory"}}
	return &FormView{Heading: heading, Action: action, Submit: "Save person", Cancel: peopleURL(),
		Fields: []Field{
			{Name: "name", Label: "Name", Type: "text", Required: true, Attrs: map[string]string{"autocomplete": "off"}},
			{Name: "email", Label: "Email", Type: "email", Required: true, Help: "They sign in with this address."},
			{Name: "department", Label: "Department", Type: "text"},
			{Name: "job_title", Label: "Job title", Type: "text"},
			{Name: "manager_id", Label: "Manager", Type: "select", Options: managers, Help: "The org chart; conflict-of-interest rules use it."},
			{Name: "role", Label: "Role", Type: "select", Options: roles, Required: true},
			{Name: "active", Label: "Active (may sign in)", Type: "checkbox"},
		}}, nil
}

// personInput reads only the fields the admin form shows (never bind the model).
func personInput(c echo.Context) (models.PersonInput, models.FieldErrors) {
	in := models.PersonInput{Name: c.FormValue("name"), Email: c.FormValue("email"), Department: c.FormValue("department"),
		JobTitle: c.FormValue("job_title"), Role: models.Role(c.FormValue("role")), Active: c.FormValue("active") != ""}
	f := models.FieldErrors{}
	if m := c.FormValue("manager_id"); m != "" {
		n, err := strconv.ParseUint(m, 10, 32)
		if err != nil || n == 0 {
			f.Add("manager_id", "Pick a manager from the list.")
		} else {
			id := uint(n)
			in.ManagerID = &id
		}
	}
	return in, f
}

func personValues(p *models.Person) map[string]string {
	v := map[string]string{"name": p.Name, "email": p.Email, "department": p.Department, "job_title": p.JobTitle, "role": string(p.Role)}
	if p.ManagerID != nil {
		v["manager_id"] = itoa(*p.ManagerID)
	}
	if p.Active {
		v["active"] = "1"
	}
	return v
}

// PersonNew shows the form for a new directory entry.
func (a *App) PersonNew(c echo.Context) error {
	fv, err := a.personForm(c, newPersonURL(), "Add a person", 0)
	if err != nil {
		return err
	}
	fv.fill(map[string]string{"role": string(models.RoleStaff), "active": "1"}, nil, nil)
	return a.renderForm(c, fv, nil)
}

// PersonCreate stores a new directory entry.
func (a *App) PersonCreate(c echo.Context) error {
	fv, err := a.personForm(c, newPersonURL(), "Add a person", 0)
	if err != nil {
		return err
	}
	in, fe := personInput(c)
	if len(fe) > 0 {
		return a.renderForm(c, fv, fe)
	}
	p, err := models.CreatePerson(c.Request().Context(), a.DB, actor(c), in)
	if err != nil {
		return a.renderForm(c, fv, err)
	}
	return a.redirect(c, peopleURL(), p.Name+" is in the directory. Send them a password reset link so they can sign in.")
}

// PersonEdit shows a directory entry's form.
func (a *App) PersonEdit(c echo.Context) error {
	id, err := idParam(c, "person")
	if err != nil {
		return err
	}
	p, err := models.GetPerson(c.Request().Context(), a.DB, id)
	if err != nil {
		return err
	}
	fv, err := a.personForm(c, c.Request().URL.Path, "Edit "+p.Name, p.ID)
	if err != nil {
		return err
	}
	fv.fill(personValues(p), nil, nil)
	return a.renderForm(c, fv, nil)
}

// PersonUpdate saves a directory entry; a role change and a deactivation are
// audited as such, and deactivation ends the person's sessions everywhere.
func (a *App) PersonUpdate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c, "person")
	if err != nil {
		return err
	}
	before, err := models.GetPerson(ctx, a.DB, id)
	if err != nil {
		return err
	}
	fv, err := a.personForm(c, c.Request().URL.Path, "Edit "+before.Name, id)
	if err != nil {
		return err
	}
	in, fe := personInput(c)
	if len(fe) > 0 {
		return a.renderForm(c, fv, fe)
	}
	p, err := models.UpdatePerson(ctx, a.DB, actor(c), id, in)
	if err != nil {
		return a.renderForm(c, fv, err)
	}
	return a.redirect(c, peopleURL(), p.Name+" saved.")
}

// PersonDeactivate marks a person inactive and signs them out everywhere.
func (a *App) PersonDeactivate(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c, "person")
	if err != nil {
		return err
	}
	p, err := models.DeactivatePerson(ctx, a.DB, actor(c), id)
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return a.redirect(c, peopleURL(), "Not deactivated: "+firstMessage(fe))
	}
	if err != nil {
		return err
	}
	return a.redirect(c, peopleURL(), p.Name+" is deactivated and signed out everywhere.")
}

func firstMessage(fe models.FieldErrors) string {
	for _, k := range []string{"role", "person", "manager_id", "email", "name"} {
		if m, ok := fe[k]; ok {
			return m
		}
	}
	for _, m := range fe {
		return m
	}
	return ""
}

// ResetLinkView is the page that hands a reset link to an admin.
type ResetLinkView struct {
	Person *models.Person
	Link   string
	Mailed bool
	Hours  int
}

// PersonResetLink issues a one-time password-reset link. With SMTP set up it
// is mailed; the admin sees it either way, to hand it over.
func (a *App) PersonResetLink(c echo.Context) error {
	ctx := c.Request().Context()
	id, err := idParam(c, "person")
	if err != nil {
		return err
	}
	person, err := models.GetPerson(ctx, a.DB, id)
	if err != nil {
		return err
	}
	me := currentPerson(c)
	base := strings.TrimRight(a.Cfg.BaseURL, "/")
	hours := int(models.ResetTokenTTL.Hours())
	// The mail goes through the outbox, queued with the link itself; without
	// a mail server it stays there marked not sent, and the admin hands the
	// link over from this page.
	tok, err := models.IssueResetTokenMailed(ctx, a.DB, actor(c), id, func(p *models.Person, tok string) *models.OutboxMail {
		return &models.OutboxMail{PersonID: &p.ID, ToName: p.Name, ToAddress: p.Email, Subject: "Set your Summit password",
			Body: fmt.Sprintf("%s sent you a link to set your Summit password. It works once, for %d hours. If you did not expect it, you can ignore this mail.", me.Name, hours),
			Link: base + resetURL(tok)}
	})
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return a.redirect(c, peopleURL(), firstMessage(fe))
	}
	if err != nil {
		return err
	}
	link := base + resetURL(tok)
	v := &ResetLinkView{Person: person, Link: link, Hours: hours, Mailed: a.Mailer != nil}
	p := a.page(c, "Reset link for "+person.Name)
	p.Section = "admin"
	p.Data = v
	return a.render(c, http.StatusOK, "accounts_reset_link", p)
}

// --- the signed-in person's own account ---

func accountForm(me *models.Person) *FormView {
	return &FormView{Heading: "Your account", Action: accountPasswordURL(), Submit: "Change password", Cancel: homeURL(),
		Intro: fmt.Sprintf("You are signed in as %s <%s>, role %s. To change your name, department or role, ask an admin.", me.Name, me.Email, me.Role),
		Fields: []Field{
			{Name: "current", Label: "Current password", Type: "password", Required: true, Attrs: map[string]string{"autocomplete": "current-password"}},
			{Name: "password", Label: "New password", Type: "password", Required: true, Help: "At least 12 characters. A few words make a good passphrase; it is kept whole, however long.", Attrs: map[string]string{"autocomplete": "new-password", "minlength": "12"}},
			{Name: "confirm", Label: "New password again", Type: "password", Required: true, Attrs: map[string]string{"autocomplete": "new-password"}},
		}}
}

// AccountShow shows the signed-in person's account and the password form.
func (a *App) AccountShow(c echo.Context) error {
	return a.renderForm(c, accountForm(currentPerson(c)), nil)
}

// AccountPassword changes the signed-in person's own password. Only the
// password fields are read: extra form fields (a role, another id) are ignored.
// Every other session of the person ends; this browser gets a new one.
func (a *App) AccountPassword(c echo.Context) error {
	ctx := c.Request().Context()
	me := currentPerson(c)
	pw := c.FormValue("password")
	fv := accountForm(me)
	if pw != c.FormValue("confirm") {
		return a.renderForm(c, fv, models.FieldErrors{"confirm": "The two new passwords differ. Type the same one twice."})
	}
	if err := models.ChangePassword(ctx, a.DB, me.ID, c.FormValue("current"), pw, c.RealIP()); err != nil {
		return a.renderForm(c, fv, err)
	}
	if err := models.EndAllLoginSessions(ctx, a.DB, me.ID); err != nil {
		return err
	}
	tok, err := models.StartLoginSession(ctx, a.DB, me.ID, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	a.startBrowserSession(c, tok)
	return a.redirect(c, accountURL(), "Your password is changed. Other browsers where you were signed in are signed out.")
}

// --- password reset through a one-time link ---

func resetForm(p *models.Person, action string) *FormView {
	return &FormView{Heading: "Set your password", Action: action, Submit: "Set password",
		Intro: "Hello " + p.Name + ". Choose a password for " + p.Email + ". This link works once.",
		Fields: []Field{
			{Name: "password", Label: "New password", Type: "password", Required: true, Help: "At least 12 characters. A few words make a good passphrase; it is kept whole, however long.", Attrs: map[string]string{"autocomplete": "new-password", "minlength": "12"}},
			{Name: "confirm", Label: "New password again", Type: "password", Required: true, Attrs: map[string]string{"autocomplete": "new-password"}},
		}}
}

// ResetForm shows the set-a-password page of a reset link.
func (a *App) ResetForm(c echo.Context) error {
	p, err := models.PersonForResetToken(c.Request().Context(), a.DB, c.Param("token"))
	if errors.Is(err, models.ErrTokenInvalid) {
		return a.linkInvalid(c, "This password link has been used or has expired. Ask for a new one with “Forgot password?” on the sign-in page, or ask an admin.")
	}
	if err != nil {
		return err
	}
	return a.renderForm(c, resetForm(p, c.Request().URL.Path), nil)
}

// ResetSubmit sets the new password, uses the link up and ends old sessions.
func (a *App) ResetSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	tok := c.Param("token")
	p, err := models.PersonForResetToken(ctx, a.DB, tok)
	if errors.Is(err, models.ErrTokenInvalid) {
		return a.linkInvalid(c, "This password link has been used or has expired. Ask for a new one with “Forgot password?” on the sign-in page, or ask an admin.")
	}
	if err != nil {
		return err
	}
	fv := resetForm(p, c.Request().URL.Path)
	if c.FormValue("password") != c.FormValue("confirm") {
		return a.renderForm(c, fv, models.FieldErrors{"confirm": "The two passwords differ. Type the same one twice."})
	}
	p, err = models.ResetPassword(ctx, a.DB, tok, c.FormValue("password"), c.RealIP())
	if errors.Is(err, models.ErrTokenInvalid) {
		return a.linkInvalid(c, "This password link has been used or has expired. Ask for a new one with “Forgot password?” on the sign-in page, or ask an admin.")
	}
	if err != nil {
		return a.renderForm(c, fv, err)
	}
	a.clearSessionCookie(c)
	return a.redirect(c, signinURL(), "Your password is set. Sign in with it now.")
}

// linkInvalid answers a used, expired or unknown one-time link with 404.
func (a *App) linkInvalid(c echo.Context, msg string) error {
	p := a.page(c, "Link not valid")
	p.Data = map[string]any{"Code": http.StatusNotFound, "Message": msg}
	return a.render(c, http.StatusNotFound, "error", p)
}

// --- first run ---

func setupForm(action string) *FormView {
	return &FormView{Heading: "Set up Summit", Action: action, Submit: "Create the admin account",
		Intro: "Welcome. Nobody can manage Summit yet: create the first admin account. After that, this link stops working; add everyone else from the directory.",
		Fields: []Field{
			{Name: "name", Label: "Your name", Type: "text", Required: true, Attrs: map[string]string{"autocomplete": "name"}},
			{Name: "email", Label: "Your email", Type: "email", Required: true, Attrs: map[string]string{"autocomplete": "username"}},
			{Name: "password", Label: "Password", Type: "password", Required: true, Help: "At least 12 characters. A few words make a good passphrase.", Attrs: map[string]string{"autocomplete": "new-password", "minlength": "12"}},
			{Name: "confirm", Label: "Password again", Type: "password", Required: true, Attrs: map[string]string{"autocomplete": "new-password"}},
		}}
}

// SetupForm shows the first-run page when its link is still valid.
func (a *App) SetupForm(c echo.Context) error {
	err := models.SetupTokenValid(c.Request().Context(), a.DB, c.Param("token"))
	if errors.Is(err, models.ErrTokenInvalid) {
		return a.linkInvalid(c, "This setup link has been used, has expired, or Summit already has an admin. Sign in instead.")
	}
	if err != nil {
		return err
	}
	return a.renderForm(c, setupForm(c.Request().URL.Path), nil)
}

// SetupSubmit creates the first admin and signs them in.
func (a *App) SetupSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	tok := c.Param("token")
	if err := models.SetupTokenValid(ctx, a.DB, tok); errors.Is(err, models.ErrTokenInvalid) {
		return a.linkInvalid(c, "This setup link has been used, has expired, or Summit already has an admin. Sign in instead.")
	} else if err != nil {
		return err
	}
	fv := setupForm(c.Request().URL.Path)
	if c.FormValue("password") != c.FormValue("confirm") {
		return a.renderForm(c, fv, models.FieldErrors{"confirm": "The two passwords differ. Type the same one twice."})
	}
	p, err := models.CompleteSetup(ctx, a.DB, tok, c.FormValue("name"), c.FormValue("email"), c.FormValue("password"), c.RealIP())
	if errors.Is(err, models.ErrTokenInvalid) {
		return a.linkInvalid(c, "This setup link has been used, has expired, or Summit already has an admin. Sign in instead.")
	}
	if err != nil {
		return a.renderForm(c, fv, err)
	}
	tok2, err := models.StartLoginSession(ctx, a.DB, p.ID, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return err
	}
	a.startBrowserSession(c, tok2)
	return a.redirect(c, peopleURL(), "Welcome, "+p.Name+". You are the admin: import the staff directory or add people one by one.")
}

// --- invitations ---

// PeopleInvite invites, in one step, everyone without a password (all=1)
// or the people ticked on the list: each gets a mail through the outbox
// with a link to set a password, or to sign in with single sign-on.
func (a *App) PeopleInvite(c echo.Context) error {
	ctx := c.Request().Context()
	me := currentPerson(c)
	var ids []uint
	if c.FormValue("all") == "" {
		_ = c.Request().ParseForm()
		ids = []uint{}
		for _, s := range c.Request().PostForm["person"] {
			if n, err := strconv.ParseUint(s, 10, 32); err == nil && n > 0 {
				ids = append(ids, uint(n))
			}
		}
		if len(ids) == 0 {
			return a.redirect(c, peopleURL(), "Nobody was invited: tick the people to invite first, or invite everyone without a password.")
		}
	}
	base := strings.TrimRight(a.Cfg.BaseURL, "/")
	passwords := a.Cfg.PasswordsOn()
	days := int(models.InviteTokenTTL.Hours() / 24)
	invited, err := models.InvitePeople(ctx, a.DB, actor(c), ids, passwords, a.Now(), func(p *models.Person, tok string) *models.OutboxMail {
		m := &models.OutboxMail{PersonID: &p.ID, ToName: p.Name, ToAddress: p.Email, Subject: "You are invited to Summit"}
		switch {
		case passwords && a.Cfg.SSO():
			m.Body = fmt.Sprintf("%s invites you to Summit, where we run our summits: the agenda, registrations, awards and ideas. Sign in with %s at %s/signin, or set a Summit password with the link below (it works once, for %d days).", me.Name, a.ssoLabel(), base, days)
			m.Link = base + resetURL(tok)
		case passwords:
			m.Body = fmt.Sprintf("%s invites you to Summit, where we run our summits: the agenda, registrations, awards and ideas. Set your password with the link below; it works once, for %d days.", me.Name, days)
			m.Link = base + resetURL(tok)
		default:
			m.Body = fmt.Sprintf("%s invites you to Summit, where we run our summits: the agenda, registrations, awards and ideas. Sign in with %s, your work account.", me.Name, a.ssoLabel())
			m.Link = base + signinURL()
		}
		return m
	})
	if err != nil {
		return err
	}
	if len(invited) == 0 {
		return a.redirect(c, peopleURL(), "Nobody was invited: everyone active already has a password.")
	}
	msg := fmt.Sprintf("Invited %d people; their mails are in the outbox.", len(invited))
	if len(invited) == 1 {
		msg = "Invited " + invited[0].Name + "; the mail is in the outbox."
	}
	return a.redirect(c, peopleURL(), msg)
}
