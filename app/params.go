package app

import (
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// parseID reads a record id written as text; anything else is 0 (no
// record has id 0). Every id in a path, query or form goes through it.
func parseID(s string) uint {
	n, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0
	}
	return uint(n)
}

// pageParam is the page of a paged list asked for (?page=N, 1 the newest);
// anything else is the first page.
func pageParam(c echo.Context) int {
	if n := parseID(c.QueryParam("page")); n > 1 {
		return int(n)
	}
	return 1
}

// Pager is what templates/partials/pager.html shows under a paged list:
// the links to the pages before and after this one ("" where there is
// none) and, when set, where this page is ("Page 2 of 5").
type Pager struct {
	Newer, Older string
	Label        string
	// ByName words the links "Previous" and "Next", for a list in order of
	// name rather than newest first.
	ByName bool
}

// pagerURLs is the pager of a newest-first list around pg, its links made
// by the list's path function.
func pagerURLs(pg models.Paging, url func(page uint) string) Pager {
	var p Pager
	if pg.Newer() {
		p.Newer = url(uint(pg.Number - 1))
	}
	if pg.Older {
		p.Older = url(uint(pg.Number + 1))
	}
	return p
}

// idParam parses a numeric path parameter; anything else is a 404.
func idParam(c echo.Context, name string) (uint, error) {
	if n := parseID(c.Param(name)); n != 0 {
		return n, nil
	}
	return 0, models.ErrNotFound
}

// idFormValue parses a numeric form value (spaces around it allowed);
// anything else is a 404.
func idFormValue(c echo.Context, name string) (uint, error) {
	if n := parseID(strings.TrimSpace(c.FormValue(name))); n != 0 {
		return n, nil
	}
	return 0, models.ErrNotFound
}

// orgSummit loads the summit named in the path, for organiser pages.
func (a *App) orgSummit(c echo.Context) (*models.Summit, error) {
	id, err := idParam(c, "summit")
	if err != nil {
		return nil, err
	}
	return models.GetSummit(c.Request().Context(), a.DB, id)
}

// publicSummit loads the summit named in the path if visitors may see it;
// organisers may preview drafts (models.VisibleSummit).
func (a *App) publicSummit(c echo.Context) (*models.Summit, error) {
	return a.visibleSummit(c, c.Param("summit"), true)
}

// visibleSummit loads the summit whose id is raw (a path or query value)
// under models.VisibleSummit's rule for the signed-in person; a malformed id
// is a 404 like a hidden one.
func (a *App) visibleSummit(c echo.Context, raw string, preview bool) (*models.Summit, error) {
	n := parseID(raw)
	if n == 0 {
		return nil, models.ErrNotFound
	}
	return models.VisibleSummit(c.Request().Context(), a.DB, n, currentPerson(c), preview)
}

// orgSummitAndID loads the summit named in the path for an organiser page
// and parses the id of the record named param (a 404 if either is wrong).
func (a *App) orgSummitAndID(c echo.Context, param string) (*models.Summit, uint, error) {
	return summitAndID(c, a.orgSummit, param)
}

// publicSummitAndID is orgSummitAndID for pages under publicSummit's rule.
func (a *App) publicSummitAndID(c echo.Context, param string) (*models.Summit, uint, error) {
	return summitAndID(c, a.publicSummit, param)
}

func summitAndID(c echo.Context, load func(echo.Context) (*models.Summit, error), param string) (*models.Summit, uint, error) {
	s, err := load(c)
	if err != nil {
		return nil, 0, err
	}
	id, err := idParam(c, param)
	return s, id, err
}
