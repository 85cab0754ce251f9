package app

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// --- Judges ---

// JudgingView is a judge's list for one category.
type JudgingView struct {
	SummitView
	Now      time.Time
	Category *models.AwardCategory
	Items    []models.JudgeItem
	Done     int
}

// JudgingQueue lists the nominations a judge may score in a category.
func (a *App) JudgingQueue(c echo.Context) error {
	s, cid, err := a.publicSummitAndID(c, "category")
	if err != nil {
		return err
	}
	cat, items, err := models.JudgeQueue(c.Request().Context(), a.DB, s.ID, cid, currentPerson(c).ID)
	if err != nil {
		return err
	}
	v := JudgingView{SummitView: summitView(s), Now: a.Now(), Category: cat, Items: items}
	for _, it := range items {
		if it.MyScore != nil || it.Recusal != nil {
			v.Done++
		}
	}
	p := a.page(c, "Judging · "+cat.Name)
	p.Section, p.Summit, p.Data = "awards", s, v
	return a.render(c, http.StatusOK, "awards_judging", p)
}

// ScoreView is the score form of one nomination.
type ScoreView struct {
	SummitView
	Now      time.Time
	Item     *models.JudgeItem
	Category *models.AwardCategory
	Criteria []ScoreCriterion
	Scale    []string
}

// ScoreCriterion is one criterion row of the score form.
type ScoreCriterion struct {
	Field, Name, Value string
}

func (a *App) renderScore(c echo.Context, s *models.Summit, it *models.JudgeItem, form map[string]string, err error) error {
	code, fe, err := formStatus(err)
	if err != nil {
		return err
	}
	cat := it.Nomination.Category
	v := ScoreView{SummitView: summitView(s), Now: a.Now(), Item: it, Category: cat, Scale: []string{"1", "2", "3", "4", "5"}}
	var pts []int
	if it.MyScore != nil {
		pts = it.MyScore.PointList()
	}
	for i, name := range cat.CriteriaList() {
		sc := ScoreCriterion{Field: "c" + itoa(uint(i)), Name: name}
		if i < len(pts) {
			sc.Value = itoa(uint(pts[i]))
		}
		if fv, ok := form[sc.Field]; ok {
			sc.Value = fv
		}
		v.Criteria = append(v.Criteria, sc)
	}
	p := a.page(c, "Score a nomination")
	p.Section, p.Summit, p.Data, p.Errors = "awards", s, v, fe
	if form != nil {
		p.Form = form
	} else if it.MyScore != nil {
		p.Form["comment"] = it.MyScore.Comment
	}
	return a.render(c, code, "awards_score", p)
}

// refusedScore re-renders the score page after a refused score or recusal,
// with the nomination as it is stored now (another request of the same judge
// may have just scored or recused it).
func (a *App) refusedScore(c echo.Context, s *models.Summit, it *models.JudgeItem, form map[string]string, err error) error {
	if fresh, ferr := models.GetJudgeItem(c.Request().Context(), a.DB, s.ID, it.Nomination.ID, currentPerson(c).ID); ferr == nil {
		it = fresh
	}
	return a.renderScore(c, s, it, form, err)
}

func (a *App) judgeItem(c echo.Context) (*models.Summit, *models.JudgeItem, error) {
	s, id, err := a.publicSummitAndID(c, "nomination")
	if err != nil {
		return nil, nil, err
	}
	it, err := models.GetJudgeItem(c.Request().Context(), a.DB, s.ID, id, currentPerson(c).ID)
	return s, it, err
}

// ScoreForm shows a nomination to its judge with their own score.
func (a *App) ScoreForm(c echo.Context) error {
	s, it, err := a.judgeItem(c)
	if err != nil {
		return err
	}
	return a.renderScore(c, s, it, nil, nil)
}

// ScoreSave records or changes the judge's score.
func (a *App) ScoreSave(c echo.Context) error {
	s, it, err := a.judgeItem(c)
	if err != nil {
		return err
	}
	form := formValues(c)
	in := models.ScoreInput{Comment: form["comment"]}
	for i := range it.Nomination.Category.CriteriaList() {
		in.Points = append(in.Points, form["c"+itoa(uint(i))])
	}
	if _, err := models.SaveScore(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, it.Nomination.ID, in, a.Now()); err != nil {
		return a.refusedScore(c, s, it, form, err)
	}
	queue := judgingURL(s.ID, it.Nomination.CategoryID)
	if form["next"] == "" {
		return a.redirect(c, queue, "Your score is saved. You can change it until judging closes.")
	}
	// "Save and next": on to the next nomination still to score.
	next, err := models.NextToScore(c.Request().Context(), a.DB, s.ID, it.Nomination.CategoryID, currentPerson(c).ID, it.Nomination.ID)
	if err != nil {
		return err
	}
	if next == 0 {
		return a.redirect(c, queue, "Your score is saved. That was the last nomination left to score in “"+it.Nomination.Category.Name+"”.")
	}
	return a.redirect(c, scoreURL(s.ID, next), "Your score is saved. Here is the next nomination to score.")
}

// ScoreRecuse records that the judge steps back from a nomination.
func (a *App) ScoreRecuse(c echo.Context) error {
	s, it, err := a.judgeItem(c)
	if err != nil {
		return err
	}
	form := formValues(c)
	if err := models.Recuse(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, it.Nomination.ID, form["reason"], a.Now()); err != nil {
		return a.refusedScore(c, s, it, form, err)
	}
	return a.redirect(c, judgingURL(s.ID, it.Nomination.CategoryID), "You stepped back from that nomination; the organisers see your reason.")
}
