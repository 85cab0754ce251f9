package app

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"summit/models"
)

const sessionCookie = "summit_session"

const personKey = "person"

// currentPerson returns the signed-in person, or nil for a visitor.
func currentPerson(c echo.Context) *models.Person {
	p, _ := c.Get(personKey).(*models.Person)
	return p
}

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
					return c.Redirect(http.StatusSeeOther, "/signin?next="+url.QueryEscape(c.Request().URL.RequestURI()))
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
	return a.render(c, http.StatusOK, "signin", p)
}

// signInTooMany is what a person sees once the brute-force limit is reached.
const signInTooMany = "Too many failed sign-ins for this account or from your network. Wait 5 minutes and try again; if you forgot your password, ask an admin for a reset link."

// SignIn checks the email and password and starts a session. Failed tries
// are counted in the database per account and per client address; past the
// limit the answer is 429 before any password is checked.
func (a *App) SignIn(c echo.Context) error {
	ctx := c.Request().Context()
	email, pw := strings.TrimSpace(c.FormValue("email")), c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	ip := c.RealIP()
	again := func(code int, msg string) error {
		p := a.page(c, "Sign in")
		p.Form = map[string]string{"email": email, "next": next}
		p.Errors = models.FieldErrors{"password": msg}
		return a.render(c, code, "signin", p)
	}
	// Text no account can have is refused before the database sees it
	// (Postgres refuses a NUL in text outright).
	if !utf8.ValidString(email) || strings.ContainsRune(email, 0) || len(email) > 254 {
		p := a.page(c, "Sign in")
		p.Form = map[string]string{"email": strings.ToValidUTF8(strings.ReplaceAll(email, "\x00", ""), "\uFFFD"), "next": next}
		p.Errors = models.FieldErrors{"email": "That is not an email address. Type the address of your Summit account, like name@example.com."}
		return a.render(c, http.StatusUnprocessableEntity, "signin", p)
	}
	blocked, err := models.SignInBlocked(ctx, a.DB, email, ip, a.Now())
	if err != nil {
		return err
	}
	if blocked {
		c.Response().Header().Set("Retry-After", "300")
		return again(http.StatusTooManyRequests, signInTooMany)
	}
	person, err := models.Authenticate(ctx, a.DB, email, pw)
	if err != nil {
		if !errors.Is(err, models.ErrBadCredentials) {
			return err
		}
		if err := models.RecordFailedSignIn(ctx, a.DB, email, ip, a.Now()); err != nil {
			return err
		}
		shown := email
		if len(shown) > 100 {
			shown = shown[:100] + "…" // a log line, visibly shortened
		}
		if err := models.Audit(ctx, a.DB, models.ActorOf(nil, ip), "signin.failed", "person", "", "Failed sign-in for "+strings.ToValidUTF8(shown, "?"), nil, nil); err != nil {
			a.Log.Error("audit not recorded", "err", err)
		}
		return again(http.StatusUnprocessableEntity, "That email and password do not match an active account. Check both and try again.")
	}
	// A new session id at every sign-in; an old cookie's session ends.
	if ck, err := c.Cookie(sessionCookie); err == nil {
		_ = models.EndLoginSession(ctx, a.DB, ck.Value)
	}
	tok, err := models.StartLoginSession(ctx, a.DB, person.ID, ip, c.Request().UserAgent())
	if err != nil {
		return err
	}
	if err := models.Audit(ctx, a.DB, models.ActorOf(person, ip), "signin.ok", "person", person.ID, person.Name+" signed in", nil, nil); err != nil {
		a.Log.Error("audit not recorded", "err", err)
	}
	a.setSessionCookie(c, tok)
	return a.redirect(c, next, "Welcome, "+person.Name+".")
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
