package app

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// Words that keep people human (models/words.go): hints beside the idea,
// nomination story, session abstract and category description fields —
// after saving without JavaScript, as you type with static/js/hints.js.

// summitRules returns the shared rules and the summit's own.
func (a *App) summitRules(c echo.Context, summitID uint) ([]models.HintRule, error) {
	if summitID == 0 {
		return nil, nil
	}
	return models.SummitHintRules(c.Request().Context(), a.DB, summitID)
}

// hintsFor finds the hints for a text.
func (a *App) hintsFor(c echo.Context, summitID uint, text string) ([]models.Hint, error) {
	extra, err := a.summitRules(c, summitID)
	if err != nil {
		return nil, err
	}
	return models.FindHints(text, extra), nil
}

// hintFields fills the hints and the rules of a form's hinted fields.
func (a *App) hintFields(c echo.Context, summitID uint, fv *FormView) error {
	extra, err := a.summitRules(c, summitID)
	if err != nil {
		return err
	}
	rules, err := hintRulesJSON(extra)
	if err != nil {
		return err
	}
	for i := range fv.Fields {
		f := &fv.Fields[i]
		if f.Hinted {
			f.Hints, f.HintRules = models.FindHints(f.Value, extra), rules
		}
	}
	return nil
}

// hintRulesJSON is every rule as the browser reads it.
func hintRulesJSON(extra []models.HintRule) (string, error) {
	b, err := json.Marshal(append(append([]models.HintRule{}, models.HintWords...), extra...))
	return string(b), err
}

// withHints adds to a save's flash message the first hint about the words
// just saved (a flash holds 500 bytes: the hint is left out when it does
// not fit; the field shows every hint when the text is edited).
func (a *App) withHints(c echo.Context, summitID uint, msg string, texts ...string) string {
	hints, err := a.hintsFor(c, summitID, strings.Join(texts, "\n"))
	if err != nil || len(hints) == 0 {
		return msg
	}
	note := " A note on words (you can keep yours): “" + hints[0].Found + "” — " + hints[0].Suggestion
	if len(hints) > 1 {
		note += " (and " + itoa(uint(len(hints)-1)) + " more beside the field when you edit it)"
	}
	if len(msg)+len(note) > 500 {
		return msg
	}
	return msg + note
}

// pathSummitID is the summit named in the path, 0 when there is none.
func pathSummitID(c echo.Context) uint { return parseID(c.Param("summit")) }

// HintWordsView is the organisers' page of a summit's own hint words.
type HintWordsView struct {
	SummitView
	Shared []models.HintRule
	Words  []models.HintWord
}

// HintWordsShow lists the shared word list and the summit's own words.
func (a *App) HintWordsShow(c echo.Context) error { return a.renderHintWords(c, http.StatusOK, nil) }

func (a *App) renderHintWords(c echo.Context, code int, errs models.FieldErrors) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	v := HintWordsView{SummitView: summitView(s), Shared: models.HintWords}
	if v.Words, err = models.SummitHintWords(c.Request().Context(), a.DB, s.ID); err != nil {
		return err
	}
	p := a.page(c, "Words that keep people human · "+s.Title)
	p.Section, p.Summit, p.Errors, p.Data = "organise", s, errs, v
	if errs != nil {
		p.Form = formValues(c)
	}
	return a.render(c, code, "words", p)
}

// HintWordAdd adds a word to the summit's hints.
func (a *App) HintWordAdd(c echo.Context) error {
	s, err := a.orgSummit(c)
	if err != nil {
		return err
	}
	w, err := models.AddHintWord(c.Request().Context(), a.DB, actor(c), s.ID, c.FormValue("word"), c.FormValue("suggestion"), a.Now())
	if fe := fieldErrs(err); fe != nil {
		return a.renderHintWords(c, http.StatusUnprocessableEntity, fe)
	}
	if err != nil {
		return err
	}
	return a.redirect(c, orgWordsURL(s.ID), "Added “"+w.Word+"”: writers now get its hint.")
}

// HintWordDelete removes a word from the summit's hints.
func (a *App) HintWordDelete(c echo.Context) error {
	s, id, err := a.orgSummitAndID(c, "word")
	if err != nil {
		return err
	}
	if err := models.DeleteHintWord(c.Request().Context(), a.DB, actor(c), s.ID, id); err != nil {
		return err
	}
	return a.redirect(c, orgWordsURL(s.ID), "Removed.")
}
