package app

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
	"summit/templates"
)

// Page is what every page template receives.
type Page struct {
	Title   string
	Me      *models.Person
	CSRF    string
	Flash   string
	Path    string
	Summit  *models.Summit
	Errors  models.FieldErrors
	Form    map[string]string
	Data    any
	Section string // which navigation item is current
	Base    string // the public address of the site (links that leave it: calendar subscriptions)
	Unread  int    // the signed-in person's unread notices, shown in the header

	// FlashLink, when set, follows the flash: where to act on it.
	FlashLink *Link
	// Cached is the content of a cached page (pagecache.go), put into the
	// layout by the page's shell template.
	Cached template.HTML
	build  *pageBuild // set while a page renders for the cache
}

// Err returns the message for a field, for templates.
func (p *Page) Err(field string) string { return p.Errors[field] }

// Val returns what was typed into a field, for templates.
func (p *Page) Val(field string) string { return p.Form[field] }

var funcs = template.FuncMap{
	"fmtTime":  func(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04") },
	"fmtClock": wallClock, // fmtTime, with the zone on a day the clocks change
	"fmtDay": func(day string) string {
		d, err := time.Parse(models.DateLayout, day)
		if err != nil {
			return day
		}
		return d.Format("Monday 2 January")
	},
	"fmtDayShort": func(day string) string {
		d, err := time.Parse(models.DateLayout, day)
		if err != nil {
			return day
		}
		return d.Format("Mon 2 Jan")
	},
	"fmtDate":     func(t time.Time, loc *time.Location) string { return t.In(loc).Format("Mon 2 Jan 2006") },
	"localDay":    func(t time.Time, loc *time.Location) string { return t.In(loc).Format(models.DateLayout) },
	"dateRange":   func(s *models.Summit) string { return s.DateRange(false) },
	"pillarLabel": models.PillarLabel,
	// trackLabel names a track and its pillar once: "Strategize — where
	// service goes next", or "Leadership · Strategize — …" when they differ.
	"trackLabel": func(t *models.Track) string {
		if t == nil {
			return ""
		}
		if strings.EqualFold(strings.TrimSpace(t.Name), string(t.Pillar)) {
			return models.PillarLabel(t.Pillar)
		}
		return t.Name + " · " + models.PillarLabel(t.Pillar)
	},
	// title takes any string-like value: session kinds and statuses are
	// their own types (models.SessionKind …), which a string parameter
	// would refuse at render time.
	"title": func(v any) string {
		s := fmt.Sprint(v)
		if s == "" {
			return ""
		}
		return strings.ToUpper(s[:1]) + s[1:]
	},
	"add":       func(a, b int) int { return a + b },
	"hasPrefix": strings.HasPrefix,
	"contains1": strings.Contains,
	// paragraphs splits a plain text at blank lines (notices, mails).
	"paragraphs": func(s string) []string {
		var out []string
		for _, p := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n\n") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	},
	"pct": func(a, b int) int {
		if b <= 0 {
			return 0
		}
		p := a * 100 / b
		if p > 100 {
			p = 100
		}
		return p
	},
	"deref": func(p *int) int {
		if p == nil {
			return 0
		}
		return *p
	},
	"deref_uint": func(p *uint) uint {
		if p == nil {
			return 0
		}
		return *p
	},
	"idstr": func(p *uint) string {
		if p == nil {
			return ""
		}
		return fmt.Sprint(*p)
	},
	"query": func(kv ...any) template.URL {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			s := fmt.Sprint(kv[i+1])
			if s != "" && s != "0" {
				v.Set(fmt.Sprint(kv[i]), s)
			}
		}
		if len(v) == 0 {
			return ""
		}
		return template.URL("?" + v.Encode())
	},
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"summitFeedLinks":   summitFeedLinks,
	"sessionEventLinks": sessionEventLinks,
	// hole marks a part of a cached page filled on every request (seat
	// counts, the registration box): {{hole $ "template" arg}} runs the
	// template with arg, or leaves a marker when the page renders for the
	// cache. Each template set gets its own (bindHole).
	"hole": func(*Page, string, any) (template.HTML, error) { return "", fmt.Errorf("app: hole is not bound") },
	"contains": func(list []string, s string) bool {
		for _, x := range list {
			if x == s {
				return true
			}
		}
		return false
	},
}

// cachedPages are the pages served from the page cache (pagecache.go); each
// gets a shell: the layout with the content left to Page.Cached.
var cachedPages = []string{"agenda", "session", "awards_honorees"}

// parseTemplates parses every page with the layouts and partials, once, at
// start-up; a broken template stops the server from starting. It returns
// the pages and the shells of the cached pages.
func parseTemplates() (pages, shells map[string]*template.Template, err error) {
	files, err := fs.Glob(templates.FS, "pages/*.html")
	if err != nil {
		return nil, nil, err
	}
	shared, err := sharedTrees(templates.FS)
	if err != nil {
		return nil, nil, err
	}
	pages, shells = map[string]*template.Template{}, map[string]*template.Template{}
	for _, p := range files {
		name := strings.TrimSuffix(path.Base(p), ".html")
		t, err := parsePage(templates.FS, p, name, shared)
		if err != nil {
			return nil, nil, fmt.Errorf("app: parse template %s: %w", p, err)
		}
		bindHole(t)
		pages[name] = t
	}
	if _, ok := pages["error"]; !ok {
		return nil, nil, fmt.Errorf("app: the error page template is missing")
	}
	for _, name := range cachedPages {
		t, ok := pages[name]
		if !ok {
			return nil, nil, fmt.Errorf("app: the cached page %s is missing", name)
		}
		shell, err := t.Clone()
		if err == nil {
			_, err = shell.Parse(`{{define "content"}}{{.Cached}}{{end}}`)
		}
		if err != nil {
			return nil, nil, fmt.Errorf("app: shell of %s: %w", name, err)
		}
		bindHole(shell)
		shells[name] = shell
	}
	return pages, shells, nil
}

// bindHole gives a template set its hole function: while a page renders for
// the cache (Page.build set) it records the hole and leaves holeMark; else
// it runs the named template in place.
func bindHole(t *template.Template) {
	t.Funcs(template.FuncMap{"hole": func(p *Page, name string, arg any) (template.HTML, error) {
		if p != nil && p.build != nil {
			p.build.holes = append(p.build.holes, hole{name: name, arg: arg})
			return holeMark, nil
		}
		var b bytes.Buffer
		if err := t.ExecuteTemplate(&b, name, arg); err != nil {
			return "", err
		}
		return template.HTML(b.String()), nil
	}})
}

// page builds the data every page needs.
func (a *App) page(c echo.Context, title string) *Page {
	p := &Page{Title: title, Path: c.Request().URL.Path, Form: map[string]string{}, Base: a.baseURL(c)}
	p.Me = currentPerson(c)
	if p.Me != nil {
		if n, err := models.UnreadNotices(c.Request().Context(), a.DB, p.Me.ID); err == nil {
			p.Unread = n
		}
	}
	if tok, ok := c.Get(csrfKey).(string); ok {
		p.CSRF = tok
	}
	p.Flash, p.FlashLink = a.takeFlash(c)
	return p
}

// render executes a page into a buffer first, so a template failure becomes
// a clean error instead of half a page.
func (a *App) render(c echo.Context, code int, name string, p *Page) error {
	t, ok := a.pages[name]
	if !ok {
		return fmt.Errorf("app: no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", p); err != nil {
		return fmt.Errorf("app: render %s: %w", name, err)
	}
	if p.Me != nil {
		c.Response().Header().Set("Cache-Control", "no-store")
	}
	return c.HTMLBlob(code, buf.Bytes())
}

const flashCookie = "summit_flash"

// Link is a labelled address on this site.
type Link struct {
	Href  string
	Label string
}

// flash stores a one-time message shown on the next page.
func (a *App) flash(c echo.Context, msg string) { a.flashLink(c, msg, nil) }

// flashLink stores a one-time message with a link to act on it.
func (a *App) flashLink(c echo.Context, msg string, link *Link) {
	v := url.Values{"m": {msg}}
	if link != nil {
		v.Set("href", link.Href)
		v.Set("link", link.Label)
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: v.Encode(), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: a.Cfg.Secure(), MaxAge: 60})
}

func (a *App) takeFlash(c echo.Context) (string, *Link) {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return "", nil
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: a.Cfg.Secure()})
	v, err := url.ParseQuery(ck.Value)
	msg := v.Get("m")
	if err != nil || msg == "" || len(msg) > 500 {
		return "", nil
	}
	// The link leads only to a page of this site.
	if href := v.Get("href"); href != "" && safeNext(href) == href && v.Get("link") != "" {
		return msg, &Link{Href: href, Label: v.Get("link")}
	}
	return msg, nil
}

// redirect answers a successful POST (POST → redirect → GET) with a flash.
func (a *App) redirect(c echo.Context, to, flash string) error {
	if flash != "" {
		a.flash(c, flash)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// formValues keeps what the person typed, to show it again on error.
func formValues(c echo.Context) map[string]string {
	out := map[string]string{}
	if err := c.Request().ParseForm(); err != nil {
		return out
	}
	for k, v := range c.Request().PostForm {
		if k != "_csrf" && len(v) > 0 {
			out[k] = v[0]
		}
	}
	return out
}
