package app

import (
	"strconv"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// idParam parses a numeric path parameter; anything else is a 404.
func idParam(c echo.Context, name string) (uint, error) {
	n, err := strconv.ParseUint(c.Param(name), 10, 32)
	if err != nil || n == 0 {
		return 0, models.ErrNotFound
	}
	return uint(n), nil
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
	n, err := strconv.ParseUint(raw, 10, 32)
	if err != nil || n == 0 {
		return nil, models.ErrNotFound
	}
	return models.VisibleSummit(c.Request().Context(), a.DB, uint(n), currentPerson(c), preview)
}
