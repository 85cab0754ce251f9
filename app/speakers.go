package app

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"summit/models"
)

func (a *App) speakerForm(c echo.Context, s *models.Summit, heading string) (*FormView, error) {
	people, err := models.ListPeople(c.Request().Context(), a.DB, models.PeopleFilter{ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	opts := []Option{{Value: "", Label: "— A guest (not in the directory) —"}}
	for _, p := range people {
		label := p.Name
		if p.Department != "" {
			label += " · " + p.Department
		}
		opts = append(opts, Option{Value: itoa(p.ID), Label: label})
	}
	return &FormView{Heading: heading, Action: c.Request().URL.Path, Submit: "Save speaker", Cancel: orgSpeakersURL(s.ID),
		Intro: "Speakers are colleagues from the directory or guests. Everyone serves: executives speak as staff like anyone else.",
		Fields: []Field{
			{Name: "person_id", Label: "From the directory", Type: "select", Options: opts},
			{Name: "name", Label: "Name", Type: "text", Help: "Taken from the directory when you choose a person; required for a guest."},
			{Name: "organisation", Label: "Organisation or department", Type: "text"},
			{Name: "bio", Label: "Short bio", Type: "textarea", Help: "Two or three sentences, printed in the program."},
		}}, nil
}

func speakerInput(c echo.Context) models.SpeakerInput {
	return models.SpeakerInput{PersonID: c.FormValue("person_id"), Name: c.FormValue("name"), Organisation: c.FormValue("organisation"), Bio: c.FormValue("bio")}
}

// SpeakerNew shows the form for a new speaker.
func (a *App) SpeakerNew(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	fv, err := a.speakerForm(c, s, "New speaker")
	if err != nil {
		return err
	}
	return a.renderForm(c, fv, nil)
}

// SpeakerCreate stores a new speaker.
func (a *App) SpeakerCreate(c echo.Context) error {
	return a.saveSpeaker(c, 0, "New speaker", "added")
}

// SpeakerEdit shows a speaker's form.
func (a *App) SpeakerEdit(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "speaker")
	if err != nil {
		return err
	}
	sp, err := models.GetSpeaker(c.Request().Context(), a.DB, s.ID, id)
	if err != nil {
		return err
	}
	fv, err := a.speakerForm(c, s, "Edit speaker")
	if err != nil {
		return err
	}
	fv.DeleteAction, fv.DeleteLabel = orgSpeakerURL(s.ID, sp.ID)+"/delete", "Delete speaker"
	pid := ""
	if sp.PersonID != nil {
		pid = itoa(*sp.PersonID)
	}
	fv.fill(map[string]string{"person_id": pid, "name": sp.Name, "organisation": sp.Organisation, "bio": sp.Bio}, nil, nil)
	return a.renderForm(c, fv, nil)
}

// SpeakerUpdate saves a speaker.
func (a *App) SpeakerUpdate(c echo.Context) error {
	id, err := idParam(c, "speaker")
	if err != nil {
		return err
	}
	return a.saveSpeaker(c, id, "Edit speaker", "saved")
}

// saveSpeaker creates (id 0) or updates a speaker; on bad input the form
// under heading comes back with the messages, else the list says done.
func (a *App) saveSpeaker(c echo.Context, id uint, heading, done string) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	sp, err := models.SaveSpeaker(c.Request().Context(), a.DB, actor(c), s.ID, id, speakerInput(c))
	if err != nil {
		fv, ferr := a.speakerForm(c, s, heading)
		if ferr != nil {
			return ferr
		}
		return a.renderForm(c, fv, err)
	}
	return a.redirect(c, orgSpeakersURL(s.ID), "Speaker "+sp.Name+" "+done+".")
}

// SpeakerDelete removes a speaker from the summit and their sessions.
func (a *App) SpeakerDelete(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "speaker")
	if err != nil {
		return err
	}
	if err := models.DeleteSpeaker(c.Request().Context(), a.DB, actor(c), s.ID, id); err != nil {
		return err
	}
	return a.redirect(c, orgSpeakersURL(s.ID), "Speaker deleted.")
}

// SpeakersList lists a summit's speakers.
func (a *App) SpeakersList(c echo.Context) error {
	s, p, err := a.orgPage(c, "Speakers")
	if err != nil {
		return err
	}
	v := SpeakersView{SummitView: summitView(s)}
	if v.Speakers, err = models.ListSpeakers(c.Request().Context(), a.DB, s.ID); err != nil {
		return err
	}
	if v.Earlier, err = models.EarlierSpeakers(c.Request().Context(), a.DB, s.ID); err != nil {
		return err
	}
	p.Data = v
	return a.render(c, http.StatusOK, "summit_speakers", p)
}

// SpeakersView is a summit's speakers and those of other editions it can keep.
type SpeakersView struct {
	SummitView
	Speakers []models.Speaker
	Earlier  []models.Speaker
}

// SpeakerKeep adds a speaker of another edition to this summit.
func (a *App) SpeakerKeep(c echo.Context) error {
	s, from, err := a.orgSummitAndID(c, "speaker")
	if err != nil {
		return err
	}
	sp, err := models.KeepSpeaker(c.Request().Context(), a.DB, actor(c), s.ID, from)
	if err != nil {
		if fe, ok := err.(models.FieldErrors); ok {
			return a.redirect(c, orgSpeakersURL(s.ID), "Not added: "+fe["speaker"])
		}
		return err
	}
	return a.redirect(c, orgSpeakersURL(s.ID), "Speaker "+sp.Name+" added from an earlier edition; put them on sessions from the agenda.")
}
