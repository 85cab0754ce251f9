// Package app is Summit's web server: Echo routes, handlers per feature,
// middleware, rendering and exports. Echo stays inside this package.
package app

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"gorm.io/gorm"

	"summit/models"
)

// Config is everything Summit reads from its environment and flags.
type Config struct {
	DatabaseURL    string   // postgres://… ; empty means SQLite in DataDir
	Addr           string   // listen address, e.g. :8080
	BaseURL        string   // public URL, e.g. https://summit.example.com
	DataDir        string   // folder for the SQLite file
	LogLevel       string   // debug, info, warn, error
	TrustedProxies []string // CIDRs whose X-Forwarded-For is believed
	Demo           bool     // seed a demo summit into an empty database
	// Accounts: outgoing mail for password reset links (optional).
	SMTPHost     string // mail server host; empty: links are shown to the admin only
	SMTPPort     int    // mail server port (587 with STARTTLS is usual)
	SMTPUser     string // user name for SMTP AUTH; empty: no AUTH
	SMTPPassword string
	SMTPFrom     string // sender address, e.g. summit@example.com
	// CacheBytes bounds the memory of the public page cache; 0 means
	// DefaultCacheBytes.
	CacheBytes int
	// Single sign-on with OpenID Connect (optional; off when OIDCIssuer is
	// empty): see signin_oidc.go and the README.
	OIDCIssuer       string   // the identity provider's issuer URL
	OIDCClientID     string   // this Summit's client id there
	OIDCClientSecret string   // and its secret
	OIDCDomains      []string // email domains that may sign in; empty: any
	OIDCLabel        string   // the button: "Sign in with <label>"
	OIDCCreatePeople bool     // unknown people with an allowed domain become staff
	// OIDCTrustDomains takes an address in OIDCDomains as verified when the
	// provider sends no email_verified claim at all (Entra ID); an explicit
	// false is still refused.
	OIDCTrustDomains bool
	SSOOnly          bool     // passwords stop working, except for BreakGlass admins
	BreakGlass       []string // admins' addresses that keep their password when SSOOnly
}

// SSO reports whether single sign-on is set up.
func (c Config) SSO() bool { return c.OIDCIssuer != "" && c.OIDCClientID != "" }

// PasswordsOn reports whether passwords work for everyone.
func (c Config) PasswordsOn() bool { return !(c.SSOOnly && c.SSO()) }

// Secure reports whether the public URL is https (cookies get Secure, HSTS is sent).
func (c Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// App holds what handlers share. Handlers are its methods.
type App struct {
	DB    *gorm.DB
	Cfg   Config
	Log   *slog.Logger
	Now   func() time.Time
	echo  *echo.Echo
	pages map[string]*template.Template
	// shells are the cached pages' layouts, around Page.Cached; cache
	// holds the public responses (pagecache.go).
	shells map[string]*template.Template
	cache  *pageCache
	// postgres: the database is Postgres (else SQLite).
	postgres bool
	// routes records every route with who may use it (see routes.go);
	// cachedGETs the paths of those served from the page cache.
	routes     []Route
	cachedGETs map[string]bool
	// Mailer delivers outbox mail; nil when no SMTP server is set up (mail
	// then stays in the outbox, marked not sent).
	Mailer Mailer
	// worker names this instance's outbox worker.
	worker string
	// sso talks to the identity provider (signin_oidc.go).
	sso ssoClient
	// secHeaders are the headers every response carries (securityHeaders);
	// fast answers some requests before Echo (fastpath.go).
	secHeaders []fastHeader
	fast       *fastPath
}

// New builds the app: parses every template (failing fast), sets up Echo,
// middleware and routes.
func New(cfg Config, db *gorm.DB, log *slog.Logger) (*App, error) {
	if log == nil {
		log = slog.Default()
	}
	a := &App{DB: db, Cfg: cfg, Log: log, Now: time.Now, cachedGETs: map[string]bool{}}
	pages, shells, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	a.pages, a.shells = pages, shells
	a.cache = newPageCache(db, cfg.CacheBytes)
	a.postgres = models.IsPostgres(db)
	a.worker = workerName()
	if cfg.SMTPHost != "" {
		a.Mailer = a.smtpMailer()
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = a.handleError
	ipx, err := ipExtractor(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	e.IPExtractor = ipx
	a.echo = e
	a.secHeaders = securityHeaderList(cfg)
	a.middleware()
	a.registerRoutes()
	a.fast = newFastPath(a, headAsGet(e), cfg.CacheBytes)
	return a, nil
}

// ipExtractor believes X-Forwarded-For only from the configured proxies.
func ipExtractor(cidrs []string) (echo.IPExtractor, error) {
	if len(cidrs) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, c := range cidrs {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		if !strings.Contains(c, "/") {
			if strings.Contains(c, ":") {
				c += "/128"
			} else {
				c += "/32"
			}
		}
		_, n, err := net.ParseCIDR(c)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not an address or CIDR range", c)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}

// Handler returns the HTTP handler (for tests and for Serve): the fast path
// for a visitor's repeated request of a cached public response, Echo for
// everything else (fastpath.go).
func (a *App) Handler() http.Handler { return a.fast }

// Routes lists every registered route with its access level.
func (a *App) Routes() []Route { return append([]Route(nil), a.routes...) }

// Serve listens on cfg.Addr until ctx is cancelled, then shuts down gracefully.
func (a *App) Serve(ctx context.Context) error {
	srv := &http.Server{
		Addr:              a.Cfg.Addr,
		Handler:           a.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return srv.Shutdown(shutCtx)
}

func (a *App) middleware() {
	e := a.echo
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently,
		// Under /static a slash means a folder, which is no file: 404 there (staticFiles), not a redirect.
		Skipper: func(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/static/") }}))
	e.Pre(a.readableURL)
	e.Use(middleware.RequestID())
	e.Use(a.securityHeaders())
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
		a.Log.Error("panic", "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "stack", string(stack))
		return err
	}}))
	e.Use(middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		// It logs at debug level only: below that it would time and box
		// every request's values for nothing.
		Skipper:   func(c echo.Context) bool { return !a.Log.Enabled(c.Request().Context(), slog.LevelDebug) },
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRequestID: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			a.Log.Debug("request", "method", v.Method, "path", v.URIPath, "status", v.Status, "latency", v.Latency, "request_id", v.RequestID)
			return nil
		},
	}))
	e.Use(middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: requestTimeout,
		// On SQLite a visitor's cached GET has nothing for the deadline to
		// bound: its reads run without it (models.RevisionReader), a miss
		// builds under a timeout of its own, and a local file has no
		// network to hang on. Skipping saves a timer and a copy of the
		// request on every request of a rush. On Postgres it stays.
		Skipper: func(c echo.Context) bool { return !a.postgres && a.visitorCachedGET(c) }}))
	e.Use(a.bodyLimit)
	e.Use(a.csrf(middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		CookieName:     csrfCookie,
		CookieMaxAge:   int(csrfMaxAge.Seconds()),
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   a.Cfg.Secure(),
		CookieSameSite: http.SameSiteLaxMode,
		ContextKey:     csrfKey,
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden, "This form has expired or did not come from Summit. Go back, reload the page and try again.")
		},
	})))
	e.Use(a.retryLostConnection)
	e.Use(a.loadPerson)
}

// csrf is the CSRF middleware, except for a visitor's GET of a cached public
// response (a route added with cachedGET) from a client that sends no cookie
// at all: no session, no message, no token to renew. What such a request gets
// is the same bytes for every visitor, with no form and no token in it, so
// the token and cookie the middleware would make for it (a random string and
// a Set-Cookie on every request of a rush) serve nothing; the first page with
// a form (sign in) sets them. Only GETs skip: every POST is checked as
// before. The answer still says that it varies with cookies.
func (a *App) csrf(mw echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		checked := mw(next)
		return func(c echo.Context) error {
			if a.visitorCachedGET(c) {
				c.Response().Header().Add(echo.HeaderVary, echo.HeaderCookie)
				return next(c)
			}
			return checked(c)
		}
	}
}

// visitorCachedGET reports whether a request is a GET of a cached public
// response (a route added with cachedGET) from a client that sends no
// cookie at all: no session, no message, no token.
func (a *App) visitorCachedGET(c echo.Context) bool {
	r := c.Request()
	_, cookies := r.Header["Cookie"]
	return !cookies && r.Method == http.MethodGet && a.cachedGETs[c.Path()]
}

// retryLostConnection runs a GET (HEAD too, see headAsGet) once more when
// its database connection was lost midway (a restart, a failover, an ended
// backend). A read changes nothing, so a second run is safe, and it gets a
// fresh connection. Pages are rendered into a buffer, so nothing has been
// sent yet. A POST is never run twice: it may have been applied.
func (a *App) retryLostConnection(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil || c.Request().Method != http.MethodGet || c.Response().Committed || c.Request().Context().Err() != nil || !models.ConnectionLost(err) {
			return err
		}
		a.Log.Warn("database connection lost; reading again", "path", c.Request().URL.Path, "err", err)
		return next(c)
	}
}

// headAsGet answers HEAD like GET (Echo routes HEAD only where it is
// registered, so every page and static file answered 405). GET handlers
// change nothing, so running one for a HEAD is safe; net/http still knows the
// request was HEAD, sends the headers and Content-Length, and drops the body.
func headAsGet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			r = r.Clone(r.Context())
			r.Method = http.MethodGet
		}
		next.ServeHTTP(w, r)
	})
}

// readableURL refuses an address whose path or query holds a NUL or bytes
// that are not UTF-8 text: no page takes them, and Postgres would refuse
// them in a query with an error (a 500) instead of an answer.
func (a *App) readableURL(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		u := c.Request().URL
		bad := func(s string) bool { return !utf8.ValidString(s) || strings.ContainsRune(s, 0) }
		if bad(u.Path) {
			return echo.NewHTTPError(http.StatusBadRequest, "That address contains characters that are not text. Check the link and try again.")
		}
		if u.RawQuery == "" {
			return next(c)
		}
		q, err := url.ParseQuery(u.RawQuery)
		if err != nil {
			return echo.NewHTTPError(http.StatusBadRequest, "That address has a broken search part (after the ?). Check the link and try again.")
		}
		for k, vs := range q {
			for _, v := range append(vs, k) {
				if bad(v) {
					return echo.NewHTTPError(http.StatusBadRequest, "That address contains characters that are not text. Check the link and try again.")
				}
			}
		}
		return next(c)
	}
}

// MaxUploadBytes bounds request bodies (the directory import is the largest).
const MaxUploadBytes = 5 << 20

func (a *App) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		if r.ContentLength > MaxUploadBytes+64<<10 {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "That upload is larger than 5 MB. Split the file or remove unused columns and try again.")
		}
		r.Body = http.MaxBytesReader(c.Response(), r.Body, MaxUploadBytes+64<<10)
		return next(c)
	}
}

// securityHeaderList is the headers every response carries, error pages and
// downloads included. The values are made once and shared by every response
// (header keys already canonical, each slice full to its capacity, so an Add
// copies instead of writing into it): setting them costs no allocation.
func securityHeaderList(cfg Config) []fastHeader {
	headers := []fastHeader{
		{"Content-Security-Policy", []string{"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"}},
		{"X-Content-Type-Options", []string{"nosniff"}},
		{"Referrer-Policy", []string{"same-origin"}},
		{"X-Frame-Options", []string{"DENY"}},
		{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=()"}},
	}
	if cfg.Secure() {
		headers = append(headers, fastHeader{"Strict-Transport-Security", []string{"max-age=63072000; includeSubDomains"}})
	}
	return headers
}

// securityHeaders sets securityHeaderList on every response.
func (a *App) securityHeaders() echo.MiddlewareFunc {
	headers := a.secHeaders
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			for _, hd := range headers {
				h[hd.key] = hd.values
			}
			return next(c)
		}
	}
}

// handleError is the one place errors become responses: 4xx show their
// message, 5xx are logged with the request id and shown as a friendly page.
func (a *App) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code := http.StatusInternalServerError
	msg := "Something went wrong on our side. It has been logged; please try again in a moment."
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, models.ErrNotFound):
		code, msg = http.StatusNotFound, "We could not find that page. It may have moved, or it is not published yet."
	case errors.As(err, &mbe):
		code, msg = http.StatusRequestEntityTooLarge, "That upload is larger than 5 MB. Split the file or remove unused columns and try again."
	case errors.As(err, &he):
		code = he.Code
		if m, ok := he.Message.(string); ok && code < 500 {
			msg = m
		}
		if code == http.StatusNotFound {
			msg = "We could not find that page. It may have moved, or it is not published yet."
		} else if code == http.StatusMethodNotAllowed {
			msg = "That address does not take this kind of request."
		}
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled):
		code, msg = http.StatusServiceUnavailable, "That took too long. Please try again."
	}
	rid := c.Response().Header().Get(echo.HeaderXRequestID)
	if code >= 500 {
		a.Log.Error("request failed", "err", err, "method", c.Request().Method, "path", c.Request().URL.Path, "request_id", rid)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(code)
		return
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") || strings.Contains(c.Request().Header.Get("Accept"), "application/json") && !strings.Contains(c.Request().Header.Get("Accept"), "text/html") {
		_ = c.JSON(code, map[string]any{"error": msg, "request_id": rid})
		return
	}
	p := a.page(c, http.StatusText(code))
	p.Data = map[string]any{"Code": code, "Message": msg, "RequestID": rid}
	if rerr := a.render(c, code, "error", p); rerr != nil {
		_ = c.String(code, msg)
	}
}
