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
// organisers may preview drafts.
func (a *App) publicSummit(c echo.Context) (*models.Summit, error) {
	id, err := idParam(c, "summit")
	if err != nil {
		return nil, err
	}
	s, err := models.GetSummit(c.Request().Context(), a.DB, id)
	if err != nil {
		return nil, err
	}
	if !s.IsPublic() && !currentPerson(c).IsOrganiser() {
		return nil, models.ErrNotFound
	}
	return s, nil
}

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }
