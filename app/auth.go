package app

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

const sessionCookie = "summit_session"

const personKey = "person"

// The CSRF token's cookie, context key and lifetime (see middleware()).
const (
	csrfCookie = "summit_csrf"
	csrfKey    = "csrf"
	csrfMaxAge = 24 * time.Hour
)

// currentPerson returns the signed-in person, or nil for a visitor.
func currentPerson(c echo.Context) *models.Person {
	p, _ := c.Get(personKey).(*models.Person)
	return p
}

// actor is who makes a change in this request, for the audit log: the
// signed-in person (or the system) and the client's address.
func actor(c echo.Context) models.Actor { return models.ActorOf(currentPerson(c), c.RealIP()) }

// loadPerson reads the session cookie and loads the signed-in person from the
// database, so any app instance serves any signed-in person.
func (a *App) loadPerson(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if strings.HasPrefix(c.Request().URL.Path, "/static/") {
			return next(c)
		}
		ck, err := c.Cookie(sessionCookie)
		if err == nil && ck.Value != "" {
			p, err := models.PersonForSession(c.Request().Context(), a.DB, ck.Value)
			switch {
			case err == nil:
				c.Set(personKey, p)
				// Pages for signed-in people (and their downloads) are never cached.
				c.Response().Header().Set("Cache-Control", "no-store")
			case errors.Is(err, models.ErrNotFound):
				a.clearSessionCookie(c)
			default:
				return err
			}
		}
		return next(c)
	}
}

func (a *App) setSessionCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.Cfg.Secure(), MaxAge: int(models.SessionAbsoluteTimeout.Seconds())})
}

// startBrowserSession hands the browser a new session's cookie and a new
// CSRF token: a token seen before sign-in (on a shared computer, or planted
// by someone who set the cookie) is worth nothing after it.
func (a *App) startBrowserSession(c echo.Context, token string) {
	a.setSessionCookie(c, token)
	// The CSRF middleware has already queued its cookie with the old token;
	// drop that one, so the browser gets exactly one answer.
	h := c.Response().Header()
	cookies := h.Values("Set-Cookie")
	h.Del("Set-Cookie")
	for _, v := range cookies {
		if !strings.HasPrefix(v, csrfCookie+"=") {
			h.Add("Set-Cookie", v)
		}
	}
	tok := models.RandomToken(24)
	c.Set(csrfKey, tok)
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: a.Cfg.Secure(), Expires: time.Now().Add(csrfMaxAge)})
}

func (a *App) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.Cfg.Secure()})
}

// requireAccess lets a request through only when the signed-in person has at
// least the given access. Visitors are sent to sign in; signed-in people
// without the role get 403.
func (a *App) requireAccess(level Access) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if level == AccessVisitor {
				return next(c)
			}
			p := currentPerson(c)
			if p == nil {
				if c.Request().Method == http.MethodGet {
					return c.Redirect(http.StatusSeeOther, signinNextURL(c.Request().URL.RequestURI()))
				}
				return echo.NewHTTPError(http.StatusUnauthorized, "Please sign in first.")
			}
			if accessOf(p) < level {
				return echo.NewHTTPError(http.StatusForbidden, "Your role does not allow this page. Ask an admin if you need it.")
			}
			return next(c)
		}
	}
}

func accessOf(p *models.Person) Access {
	switch {
	case p == nil:
		return AccessVisitor
	case p.Role == models.RoleAdmin:
		return AccessAdmin
	case p.Role == models.RoleOrganiser:
		return AccessOrganiser
	default:
		return AccessStaff
	}
}

// safeNext keeps a post-sign-in redirect on this site.
func safeNext(next string) string {
	// Browsers drop tabs and newlines and read \ as /, so "/\t/evil" and
	// "/\\evil" lead off-site: any control character or backslash is refused.
	if next == "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\x7f") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 {
			return "/"
		}
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "/"
	}
	return next
}

// SignInForm shows the sign-in page.
func (a *App) SignInForm(c echo.Context) error {
	p := a.page(c, "Sign in")
	p.Form["next"] = safeNext(c.QueryParam("next"))
	p.Data = a.signInView()
	a.allowSSOFormAction(c)
	return a.render(c, http.StatusOK, "signin", p)
}

// SignInView is what the sign-in page offers: single sign-on (its button's
// label), passwords, or both.
type SignInView struct {
	SSO         bool
	SSOLabel    string
	PasswordsOn bool
}

func (a *App) signInView() *SignInView {
	return &SignInView{SSO: a.Cfg.SSO(), SSOLabel: a.ssoLabel(), PasswordsOn: a.Cfg.PasswordsOn()}
}

// signInTooMany is what a person sees once the brute-force limit is reached.
const signInTooMany = "Too many failed sign-ins for this account or from your network. Wait 5 minutes and try again; if you forgot your password, use “Forgot password?” below."

// SignIn checks the email and password and starts a session (the rules,
// the limit on failed tries included, are models.SignIn's).
func (a *App) SignIn(c echo.Context) error {
	email, pw := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	in := models.SignInInput{Email: email, Password: pw, IP: c.RealIP(), UserAgent: c.Request().UserAgent(),
		PasswordsOff: !a.Cfg.PasswordsOn(), BreakGlass: a.Cfg.BreakGlass}
	if ck, err := c.Cookie(sessionCookie); err == nil {
		in.OldToken = ck.Value
	}
	person, tok, err := models.SignIn(c.Request().Context(), a.DB, in, a.Now())
	again := func(code int, errs models.FieldErrors) error {
		p := a.page(c, "Sign in")
		// What was typed is shown again, made displayable.
		p.Form = map[string]string{"email": strings.ToValidUTF8(strings.ReplaceAll(email, "\x00", ""), "\uFFFD"), "next": next}
		p.Errors = errs
		p.Data = a.signInView()
		a.allowSSOFormAction(c)
		return a.render(c, code, "signin", p)
	}
	var fe models.FieldErrors
	switch {
	case errors.As(err, &fe):
		return again(http.StatusUnprocessableEntity, fe)
	case errors.Is(err, models.ErrTooManySignIns):
		c.Response().Header().Set("Retry-After", "300")
		return again(http.StatusTooManyRequests, models.FieldErrors{"password": signInTooMany})
	case errors.Is(err, models.ErrPasswordsOff):
		return again(http.StatusForbidden, models.FieldErrors{"password": "Passwords are switched off here: sign in with " + a.ssoLabel() + " above. Only break-glass admins sign in with a password."})
	case errors.Is(err, models.ErrBadCredentials):
		return again(http.StatusUnprocessableEntity, models.FieldErrors{"password": "That email and password do not match an active account. Check both and try again."})
	case err != nil:
		return err
	}
	a.startBrowserSession(c, tok)
	return a.land(c, person, next)
}

// land sends a person who just signed in to where their work is: the page
// they came from if there was one; else organisers to the dashboard of the
// summit they are organising, everyone else to the home page. Judges with
// nominations waiting for their score are told so, with a link to the
// queue, on whichever page they land.
func (a *App) land(c echo.Context, person *models.Person, next string) error {
	msg := "Welcome, " + person.Name + "."
	work, err := models.WorkFor(c.Request().Context(), a.DB, person, a.Now())
	if err != nil {
		// Signed in already: a failure to look up their work only costs
		// the shortcut.
		a.Log.Error("sign-in landing", "err", err, "person", person.ID)
		return a.redirect(c, next, msg)
	}
	if next == "/" && person.IsOrganiser() {
		next = organiseURL()
		if work.Organise != nil {
			next = orgSummitURL(work.Organise.ID)
		}
	}
	if work.Unscored == 0 {
		return a.redirect(c, next, msg)
	}
	if work.Unscored == 1 {
		msg += " One nomination is waiting for your score."
	} else {
		msg += fmt.Sprintf(" %d nominations are waiting for your score.", work.Unscored)
	}
	a.flashLink(c, msg, &Link{Href: judgingURL(work.JudgeSummit.ID, work.JudgeCategory.ID),
		Label: "Open your judging queue: " + work.JudgeCategory.Name})
	return c.Redirect(http.StatusSeeOther, next)
}

// SignOut ends this browser's session.
func (a *App) SignOut(c echo.Context) error {
	if ck, err := c.Cookie(sessionCookie); err == nil {
		if err := models.EndLoginSession(c.Request().Context(), a.DB, ck.Value); err != nil {
			return err
		}
	}
	a.clearSessionCookie(c)
	return a.redirect(c, "/", "You are signed out.")
}
