package app

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// Field describes one form field for the shared form template.
type Field struct {
	Name     string
	Label    string
	Type     string // text, textarea, date, time, number, select, multiselect, color, email, password, checkbox
	Help     string
	Required bool
	Options  []Option
	Value    string
	Values   []string // multiselect
	Error    string
	Attrs    map[string]string
	// Datalist is a searchable list of suggestions for a text input (a
	// <datalist> with the id f-<name>-list); the server still validates.
	Datalist []string
	// Hinted fields get the word hints (models/words.go) beside them: the
	// hints for Value, and HintRules (JSON) for hints as you type.
	Hinted    bool
	Hints     []models.Hint
	HintRules string
}

// Option is one choice of a select field.
type Option struct {
	Value, Label string
}

// FormView is a whole form page.
type FormView struct {
	Heading      string
	Intro        string
	Action       string
	Submit       string
	Cancel       string
	Fields       []Field
	Warnings     []string
	DeleteAction string
	DeleteLabel  string
	Back         string
	// Preview, when set, is what the change would do to people: the form
	// shows it above the fields and its button confirms (session_change.html).
	Preview *models.SessionChange
}

// formStatus is the one way to answer a form's outcome: no error is 200, a
// models.FieldErrors is 422 with the messages to show next to the fields
// (the page is shown again with the input kept), and any other error goes
// back to the caller unchanged, for handleError.
func formStatus(err error) (int, models.FieldErrors, error) {
	if err == nil {
		return http.StatusOK, nil, nil
	}
	var fe models.FieldErrors
	if !errors.As(err, &fe) {
		return 0, nil, err
	}
	return http.StatusUnprocessableEntity, fe, nil
}

// fill puts the typed values and error messages into the fields.
func (f *FormView) fill(values map[string]string, multi map[string][]string, errs models.FieldErrors) {
	for i := range f.Fields {
		fl := &f.Fields[i]
		if v, ok := values[fl.Name]; ok && fl.Type != "password" { // passwords are never sent back
			fl.Value = v
		}
		if v, ok := multi[fl.Name]; ok {
			fl.Values = v
		}
		fl.Error = errs[fl.Name]
	}
}

// renderForm shows a form page; on validation errors the status is 422.
func (a *App) renderForm(c echo.Context, fv *FormView, err error) error {
	code, fe, err := formStatus(err)
	if err != nil {
		return err
	}
	if fe != nil {
		// A message for a field the form does not show still reaches the person.
		shown := map[string]bool{}
		for _, f := range fv.Fields {
			shown[f.Name] = f.Type != "hidden"
		}
		var unshown []string
		for k, v := range fe {
			if !shown[k] {
				unshown = append(unshown, v)
			}
		}
		fv.Warnings = append(unshown, fv.Warnings...)
	}
	var multi map[string][]string
	if c.Request().Method == http.MethodPost {
		_ = c.Request().ParseForm()
		multi = c.Request().PostForm
		fv.fill(formValues(c), multi, fe)
	} else {
		fv.fill(nil, nil, fe)
	}
	// Word hints beside the hinted fields, for what they hold now.
	if err := a.hintFields(c, pathSummitID(c), fv); err != nil {
		return err
	}
	p := a.page(c, fv.Heading)
	p.Errors = fe
	p.Data = fv
	return a.render(c, code, "form", p)
}
