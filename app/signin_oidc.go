package app

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"summit/models"
)

// Single sign-on with OpenID Connect: the authorization code flow with PKCE,
// state and nonce. The state, nonce and verifier are kept on the server
// (models.OIDCLogin); the browser holds the state in a short-lived cookie
// too, so a callback only finishes the sign-in of the browser that started
// it. What to do with the person the provider vouched for is models.SSOSignIn.

// ssoStateCookie holds the state of this browser's sign-in under way.
const ssoStateCookie = "summit_sso_state"

// ssoClient is the identity provider, discovered on first use (and again
// after a failure, so a provider that was down at start does not need a
// restart).
type ssoClient struct {
	mu       sync.Mutex
	provider *oidc.Provider
}

func (a *App) ssoProvider(ctx context.Context) (*oidc.Provider, error) {
	a.sso.mu.Lock()
	defer a.sso.mu.Unlock()
	if a.sso.provider != nil {
		return a.sso.provider, nil
	}
	// The provider keeps the context for fetching its keys later: not the
	// request's, which ends with it; the client's time-out bounds each call.
	_ = ctx
	p, err := oidc.NewProvider(oidc.ClientContext(context.Background(), ssoHTTP), a.Cfg.OIDCIssuer)
	if err != nil {
		return nil, err
	}
	a.sso.provider = p
	return p, nil
}

// ssoHTTP talks to the identity provider.
var ssoHTTP = &http.Client{Timeout: 10 * time.Second}

func (a *App) oauthConfig(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: a.Cfg.OIDCClientID, ClientSecret: a.Cfg.OIDCClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: strings.TrimRight(a.Cfg.BaseURL, "/") + signinSSOCallbackURL(), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
}

// ssoLabel is the name on the sign-in button.
func (a *App) ssoLabel() string {
	if a.Cfg.OIDCLabel != "" {
		return a.Cfg.OIDCLabel
	}
	return "single sign-on"
}

// SSOStart sends the browser to the identity provider.
func (a *App) SSOStart(c echo.Context) error {
	if !a.Cfg.SSO() {
		return echo.NewHTTPError(http.StatusNotFound, "Single sign-on is not set up here.")
	}
	ctx := c.Request().Context()
	prov, err := a.ssoProvider(ctx)
	if err != nil {
		a.Log.Error("single sign-on: identity provider not reachable", "err", err)
		return a.ssoRefused(c, http.StatusBadGateway, "The identity provider ("+a.ssoLabel()+") does not answer right now. Try again in a minute; if it keeps failing, tell an admin.")
	}
	state, l, err := models.StartOIDCLogin(ctx, a.DB, safeNext(c.FormValue("next")), a.Now())
	if err != nil {
		return err
	}
	c.SetCookie(&http.Cookie{Name: ssoStateCookie, Value: state, Path: signinSSOURL(), HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.Cfg.Secure(), MaxAge: int(models.OIDCLoginTTL.Seconds())})
	u := a.oauthConfig(prov).AuthCodeURL(state, oidc.Nonce(l.Nonce), oauth2.S256ChallengeOption(l.Verifier))
	return c.Redirect(http.StatusSeeOther, u)
}

// SSOCallback finishes a sign-in through the identity provider: the state
// must be this browser's and unused, the code is exchanged with the PKCE
// verifier, the ID token's signature, issuer, audience, expiry and nonce are
// checked, then models.SSOSignIn decides. Every refusal is a clear page and
// creates nothing.
func (a *App) SSOCallback(c echo.Context) error {
	if !a.Cfg.SSO() {
		return echo.NewHTTPError(http.StatusNotFound, "Single sign-on is not set up here.")
	}
	ctx := c.Request().Context()
	c.SetCookie(&http.Cookie{Name: ssoStateCookie, Value: "", Path: signinSSOURL(), MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.Cfg.Secure()})
	const again = "Start again from the sign-in page."
	state := c.QueryParam("state")
	ck, err := c.Cookie(ssoStateCookie)
	if err != nil || state == "" || subtle.ConstantTimeCompare([]byte(ck.Value), []byte(state)) != 1 {
		return a.ssoRefused(c, http.StatusBadRequest, "This sign-in did not start in this browser, or it was changed on the way. "+again)
	}
	l, err := models.TakeOIDCLogin(ctx, a.DB, state, a.Now())
	if errors.Is(err, models.ErrTokenInvalid) {
		return a.ssoRefused(c, http.StatusBadRequest, "This sign-in has been used already or took too long. "+again)
	}
	if err != nil {
		return err
	}
	if e := c.QueryParam("error"); e != "" {
		return a.ssoRefused(c, http.StatusForbidden, "The identity provider did not sign you in ("+clip(e+" "+c.QueryParam("error_description"), 200)+"). "+again)
	}
	prov, err := a.ssoProvider(ctx)
	if err != nil {
		a.Log.Error("single sign-on: identity provider not reachable", "err", err)
		return a.ssoRefused(c, http.StatusBadGateway, "The identity provider does not answer right now. "+again)
	}
	tok, err := a.oauthConfig(prov).Exchange(oidc.ClientContext(ctx, ssoHTTP), c.QueryParam("code"), oauth2.VerifierOption(l.Verifier))
	if err != nil {
		a.Log.Warn("single sign-on: code exchange refused", "err", err)
		return a.ssoRefused(c, http.StatusForbidden, "The identity provider did not confirm this sign-in. "+again)
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := prov.Verifier(&oidc.Config{ClientID: a.Cfg.OIDCClientID, Now: a.Now}).Verify(ctx, raw)
	if err != nil {
		a.Log.Warn("single sign-on: ID token refused", "err", err)
		return a.ssoRefused(c, http.StatusForbidden, "The identity provider's answer could not be trusted (it is for another application, expired, or not signed by the provider). "+again)
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(l.Nonce)) != 1 {
		return a.ssoRefused(c, http.StatusForbidden, "The identity provider's answer belongs to another sign-in. "+again)
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified any    `json:"email_verified"`
		Name          string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return a.ssoRefused(c, http.StatusForbidden, "The identity provider's answer could not be read. "+again)
	}
	verified := claims.EmailVerified == true || claims.EmailVerified == "true"
	if claims.EmailVerified == nil && a.Cfg.OIDCTrustDomains && len(a.Cfg.OIDCDomains) > 0 {
		verified = true // the domain check (models.SSOSignIn) still applies
	}
	in := models.SSOSignInInput{Email: claims.Email, EmailVerified: verified,
		Name: claims.Name, IP: c.RealIP(), UserAgent: c.Request().UserAgent(),
		AllowedDomains: a.Cfg.OIDCDomains, CreatePeople: a.Cfg.OIDCCreatePeople}
	if old, err := c.Cookie(sessionCookie); err == nil {
		in.OldToken = old.Value
	}
	person, session, err := models.SSOSignIn(ctx, a.DB, in, a.Now())
	switch {
	case errors.Is(err, models.ErrSSOUnverified):
		return a.ssoRefused(c, http.StatusForbidden, "Your identity provider has not verified your email address, so Summit cannot tell who you are. Ask your IT team to verify it.")
	case errors.Is(err, models.ErrSSODomain):
		return a.ssoRefused(c, http.StatusForbidden, "Addresses at "+domainOf(claims.Email)+" may not sign in to this Summit. Sign in with your work account.")
	case errors.Is(err, models.ErrSSOUnknown):
		return a.ssoRefused(c, http.StatusForbidden, "Nobody in the Summit directory has the address "+clip(claims.Email, 100)+". Ask an admin to add you.")
	case errors.Is(err, models.ErrSSODeactivated):
		return a.ssoRefused(c, http.StatusForbidden, "Your Summit account is deactivated. Ask an admin if you think this is a mistake.")
	case err != nil:
		return err
	}
	a.startBrowserSession(c, session)
	return a.land(c, person, l.Next)
}

// ssoRefused is the page that tells why single sign-on did not sign someone in.
func (a *App) ssoRefused(c echo.Context, code int, msg string) error {
	p := a.page(c, "Not signed in")
	p.Data = map[string]any{"Code": code, "Message": msg}
	return a.render(c, code, "error", p)
}

func domainOf(email string) string {
	if at := strings.LastIndexByte(email, '@'); at >= 0 {
		return clip(email[at+1:], 100)
	}
	return "that domain"
}

func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) > n {
		return strings.ToValidUTF8(s[:n], "") + "…"
	}
	return s
}

// allowSSOFormAction lets the sign-in page's single sign-on form lead to the
// identity provider: the policy's form-action covers the redirects after a
// form is sent, so without the provider's origin in it the browser stops at
// the button.
func (a *App) allowSSOFormAction(c echo.Context) {
	if !a.Cfg.SSO() {
		return
	}
	origins := []string{}
	add := func(raw string) {
		if u, err := url.Parse(raw); err == nil && u.Host != "" && (u.Scheme == "https" || u.Scheme == "http") {
			o := u.Scheme + "://" + u.Host
			if !slices.Contains(origins, o) {
				origins = append(origins, o)
			}
		}
	}
	add(a.Cfg.OIDCIssuer)
	a.sso.mu.Lock()
	if a.sso.provider != nil {
		add(a.sso.provider.Endpoint().AuthURL)
	}
	a.sso.mu.Unlock()
	if len(origins) == 0 {
		return
	}
	h := c.Response().Header()
	csp := h.Get("Content-Security-Policy")
	h.Set("Content-Security-Policy", strings.Replace(csp, "form-action 'self'", "form-action 'self' "+strings.Join(origins, " "), 1))
}
