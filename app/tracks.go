package app

import (
	"github.com/labstack/echo/v4"

	"summit/models"
)

func trackForm(s *models.Summit, action, heading string) *FormView {
	pillars := make([]Option, 0, 3)
	for _, p := range models.Pillars {
		pillars = append(pillars, Option{Value: string(p), Label: models.PillarLabel(p)})
	}
	return &FormView{Heading: heading, Action: action, Submit: "Save track", Cancel: orgRoomsURL(s.ID),
		Fields: []Field{
			{Name: "name", Label: "Name", Type: "text", Required: true},
			{Name: "pillar", Label: "Pillar", Type: "select", Required: true, Options: pillars, Help: "Every summit celebrates, trains and strategizes."},
			{Name: "color", Label: "Colour on the timetable", Type: "color", Required: true, Value: "#1d4ed8",
				Help: "Track labels are white on this colour, so it must be dark enough to read: a contrast of at least 4.5:1 (WCAG AA)."},
			{Name: "description", Label: "Description", Type: "textarea"},
		}}
}

func trackInput(c echo.Context) models.TrackInput {
	return models.TrackInput{Name: c.FormValue("name"), Pillar: models.Pillar(c.FormValue("pillar")), Color: c.FormValue("color"), Description: c.FormValue("description")}
}

// TrackNew shows the form for a new track.
func (a *App) TrackNew(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	return a.renderForm(c, trackForm(s, c.Request().URL.Path, "New track"), nil)
}

// TrackCreate stores a new track.
func (a *App) TrackCreate(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	t, err := models.CreateTrack(c.Request().Context(), a.DB, actor(c), s.ID, trackInput(c))
	if err != nil {
		return a.renderForm(c, trackForm(s, c.Request().URL.Path, "New track"), err)
	}
	return a.redirect(c, orgRoomsURL(s.ID)+"#tracks", "Track "+t.Name+" added.")
}

// TrackEdit shows a track's form.
func (a *App) TrackEdit(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "track")
	if err != nil {
		return err
	}
	t, err := models.GetTrack(c.Request().Context(), a.DB, s.ID, id)
	if err != nil {
		return err
	}
	fv := trackForm(s, c.Request().URL.Path, "Edit track")
	fv.DeleteAction, fv.DeleteLabel = orgTrackURL(s.ID, t.ID)+"/delete", "Delete track (its sessions stay)"
	fv.fill(map[string]string{"name": t.Name, "pillar": string(t.Pillar), "color": t.Color, "description": t.Description}, nil, nil)
	return a.renderForm(c, fv, nil)
}

// TrackUpdate saves a track.
func (a *App) TrackUpdate(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "track")
	if err != nil {
		return err
	}
	t, err := models.UpdateTrack(c.Request().Context(), a.DB, actor(c), s.ID, id, trackInput(c))
	if err != nil {
		return a.renderForm(c, trackForm(s, c.Request().URL.Path, "Edit track"), err)
	}
	return a.redirect(c, orgRoomsURL(s.ID)+"#tracks", "Track "+t.Name+" saved.")
}

// TrackDelete removes a track; its sessions stay without one.
func (a *App) TrackDelete(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "track")
	if err != nil {
		return err
	}
	if err := models.DeleteTrack(c.Request().Context(), a.DB, actor(c), s.ID, id); err != nil {
		return err
	}
	return a.redirect(c, orgRoomsURL(s.ID)+"#tracks", "Track deleted.")
}
