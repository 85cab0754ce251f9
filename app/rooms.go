package app

import (
	"errors"
	"fmt"

	"github.com/labstack/echo/v4"

	"summit/models"
)

func roomForm(s *models.Summit, action, heading string) *FormView {
	return &FormView{Heading: heading, Action: action, Submit: "Save room", Cancel: orgRoomsURL(s.ID),
		Fields: []Field{
			{Name: "name", Label: "Name", Type: "text", Required: true},
			{Name: "capacity", Label: "Capacity", Type: "number", Required: true, Help: "How many people the room holds.", Attrs: map[string]string{"min": "1"}},
			{Name: "position", Label: "Order on the timetable", Type: "number", Help: "Rooms are shown left to right in this order.", Attrs: map[string]string{"min": "0"}},
		}}
}

func roomInput(c echo.Context) models.RoomInput {
	return models.RoomInput{Name: c.FormValue("name"), Capacity: c.FormValue("capacity"), Position: c.FormValue("position")}
}

// RoomNew shows the form for a new room.
func (a *App) RoomNew(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	return a.renderForm(c, roomForm(s, c.Request().URL.Path, "New room"), nil)
}

// RoomCreate stores a new room.
func (a *App) RoomCreate(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	r, err := models.CreateRoom(c.Request().Context(), a.DB, actor(c), s.ID, roomInput(c))
	if err != nil {
		return a.renderForm(c, roomForm(s, c.Request().URL.Path, "New room"), err)
	}
	return a.redirect(c, orgRoomsURL(s.ID), "Room "+r.Name+" added.")
}

// RoomEdit shows a room's form.
func (a *App) RoomEdit(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "room")
	if err != nil {
		return err
	}
	r, err := models.GetRoom(c.Request().Context(), a.DB, s.ID, id)
	if err != nil {
		return err
	}
	fv := roomForm(s, c.Request().URL.Path, "Edit room")
	fv.DeleteAction, fv.DeleteLabel = orgRoomURL(s.ID, r.ID)+"/delete", "Delete room"
	fv.fill(map[string]string{"name": r.Name, "capacity": fmt.Sprint(r.Capacity), "position": fmt.Sprint(r.Position)}, nil, nil)
	return a.renderForm(c, fv, nil)
}

// RoomUpdate saves a room.
func (a *App) RoomUpdate(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "room")
	if err != nil {
		return err
	}
	r, err := models.UpdateRoom(c.Request().Context(), a.DB, actor(c), s.ID, id, roomInput(c))
	if err != nil {
		return a.renderForm(c, roomForm(s, c.Request().URL.Path, "Edit room"), err)
	}
	return a.redirect(c, orgRoomsURL(s.ID), "Room "+r.Name+" saved.")
}

// RoomDelete removes a room that no session uses.
func (a *App) RoomDelete(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "room")
	if err != nil {
		return err
	}
	err = models.DeleteRoom(c.Request().Context(), a.DB, actor(c), s.ID, id)
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		return a.redirect(c, orgRoomsURL(s.ID), "Not deleted: "+fe["room"])
	}
	if err != nil {
		return err
	}
	return a.redirect(c, orgRoomsURL(s.ID), "Room deleted.")
}
