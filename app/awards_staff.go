package app

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"summit/models"
)

// --- Staff ---

// AwardsStaffView is the staff awards page.
type AwardsStaffView struct {
	SummitView
	Now        time.Time
	Categories []models.AwardCategory
	Mine       []models.Nomination
	Judging    []models.AwardCategory
	Announced  bool // some category has been announced
}

// AwardsHome sends a signed-in person to the awards of the current summit.
func (a *App) AwardsHome(c echo.Context) error {
	s, err := models.CurrentSummit(c.Request().Context(), a.DB, a.Now())
	if errors.Is(err, models.ErrNotFound) {
		return a.redirect(c, summitsURL(), "There is no summit with awards yet; the organisers will announce it.")
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, awardsURL(s.ID))
}

// AwardsStaff lists a summit's award categories with their windows, the
// person's own nominations and the categories they judge. No counts.
func (a *App) AwardsStaff(c echo.Context) error {
	ctx := c.Request().Context()
	s, err := a.publicSummit(c)
	if err != nil {
		return err
	}
	me := currentPerson(c)
	v := AwardsStaffView{SummitView: summitView(s), Now: a.Now()}
	if v.Categories, err = models.ListCategories(ctx, a.DB, s.ID); err != nil {
		return err
	}
	for _, cat := range v.Categories {
		v.Announced = v.Announced || cat.Announced(v.Now)
	}
	if v.Mine, err = models.MyNominations(ctx, a.DB, s.ID, me.ID); err != nil {
		return err
	}
	if v.Judging, err = models.JudgeCategories(ctx, a.DB, s.ID, me.ID); err != nil {
		return err
	}
	p := a.page(c, "Awards · "+s.Title)
	p.Section, p.Summit, p.Data = "awards", s, v
	return a.render(c, http.StatusOK, "awards_staff", p)
}

// NominateView is the nominate (or edit) form.
type NominateView struct {
	SummitView
	Now        time.Time
	Categories []models.AwardCategory
	People     []models.Person
	Picks      []PickOption
	Editing    *models.Nomination
	Served     [][2]string
	Action     string
	// StoryHints and HintRules are the word hints beside the story
	// (app/words.go).
	StoryHints []models.Hint
	HintRules  string
}

func (a *App) nominateView(c echo.Context, s *models.Summit) (*NominateView, error) {
	ctx := c.Request().Context()
	v := &NominateView{SummitView: summitView(s), Now: a.Now(), Served: models.ServedChoices, Action: nominateURL(s.ID)}
	var err error
	if v.Categories, err = models.ListCategories(ctx, a.DB, s.ID); err != nil {
		return nil, err
	}
	if v.People, err = models.Nominatable(ctx, a.DB); err != nil {
		return nil, err
	}
	v.Picks = pickOptions(v.People)
	return v, nil
}

func (a *App) renderNominate(c echo.Context, v *NominateView, form map[string]string, err error) error {
	code, fe, err := formStatus(err)
	if err != nil {
		return err
	}
	extra, herr := a.summitRules(c, v.Summit.ID)
	if herr != nil {
		return herr
	}
	if v.HintRules, herr = hintRulesJSON(extra); herr != nil {
		return herr
	}
	v.StoryHints = models.FindHints(form["story"], extra)
	title := "Nominate a colleague"
	if v.Editing != nil {
		title = "Edit your nomination"
	}
	p := a.page(c, title)
	p.Section, p.Summit, p.Data, p.Errors = "awards", v.Summit, v, fe
	if form != nil {
		p.Form = form
	}
	return a.render(c, code, "awards_nominate", p)
}

// summitNominateView loads the summit in the path and its nominate form.
func (a *App) summitNominateView(c echo.Context) (*models.Summit, *NominateView, error) {
	s, err := a.publicSummit(c)
	if err != nil {
		return nil, nil, err
	}
	v, err := a.nominateView(c, s)
	return s, v, err
}

// NominateForm shows the nominate form.
func (a *App) NominateForm(c echo.Context) error {
	_, v, err := a.summitNominateView(c)
	if err != nil {
		return err
	}
	form := map[string]string{"category_id": c.QueryParam("category")}
	return a.renderNominate(c, v, form, nil)
}

// Nominate records a nomination by the signed-in person.
func (a *App) Nominate(c echo.Context) error {
	s, v, err := a.summitNominateView(c)
	if err != nil {
		return err
	}
	form := formValues(c)
	in := models.NominationInput{CategoryID: form["category_id"], NomineeID: resolveNominee(v.People, form["nominee"]),
		Story: form["story"], Served: models.Served(form["served"]), Quotable: form["quotable"] != ""}
	n, err := models.Nominate(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, in, a.Now())
	if err != nil {
		return a.renderNominate(c, v, form, err)
	}
	return a.redirect(c, awardsURL(s.ID)+"#mine", a.withHints(c, s.ID, "Thank you — your nomination is in. It stays confidential: only the judges and organisers read it. You can edit or withdraw it until nominations close.", n.Story))
}

// myNomination loads the summit and the signed-in person's nomination named
// in the path (a 404 for anyone else's).
func (a *App) myNomination(c echo.Context) (*models.Summit, *models.Nomination, error) {
	s, id, err := a.publicSummitAndID(c, "nomination")
	if err != nil {
		return nil, nil, err
	}
	n, err := models.GetMyNomination(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, id)
	return s, n, err
}

// editNominateView is the nominate form for editing n.
func (a *App) editNominateView(c echo.Context, s *models.Summit, n *models.Nomination) (*NominateView, error) {
	v, err := a.nominateView(c, s)
	if err != nil {
		return nil, err
	}
	v.Editing, v.Action = n, nominationEditURL(s.ID, n.ID)
	return v, nil
}

// NominationEdit shows the edit form of one's own nomination.
func (a *App) NominationEdit(c echo.Context) error {
	s, n, err := a.myNomination(c)
	if err != nil {
		return err
	}
	v, err := a.editNominateView(c, s, n)
	if err != nil {
		return err
	}
	form := map[string]string{"story": n.Story, "served": string(n.Served)}
	if n.Quotable {
		form["quotable"] = "1"
	}
	return a.renderNominate(c, v, form, nil)
}

// NominationUpdate saves an edited nomination.
func (a *App) NominationUpdate(c echo.Context) error {
	s, n, err := a.myNomination(c)
	if err != nil {
		return err
	}
	form := formValues(c)
	in := models.NominationInput{Story: form["story"], Served: models.Served(form["served"]), Quotable: form["quotable"] != ""}
	if _, err := models.UpdateNomination(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, n.ID, in, a.Now()); err != nil {
		v, verr := a.editNominateView(c, s, n)
		if verr != nil {
			return verr
		}
		return a.renderNominate(c, v, form, err)
	}
	return a.redirect(c, awardsURL(s.ID)+"#mine", a.withHints(c, s.ID, "Your nomination is updated.", in.Story))
}

// NominationWithdraw withdraws one's own nomination.
func (a *App) NominationWithdraw(c echo.Context) error {
	s, id, err := a.publicSummitAndID(c, "nomination")
	if err != nil {
		return err
	}
	if err := models.WithdrawNomination(c.Request().Context(), a.DB, s.ID, currentPerson(c).ID, id, a.Now()); err != nil {
		if msg := models.RefusalMessage(err); msg != "" {
			return a.redirect(c, awardsURL(s.ID)+"#mine", msg)
		}
		return err
	}
	return a.redirect(c, awardsURL(s.ID)+"#mine", "Your nomination is withdrawn.")
}

// --- After the announcement ---

// HonoreesView is the public honorees page.
type HonoreesView struct {
	SummitView
	Honorees  []models.Honoree
	Upcoming  []models.AwardSummary // categories not yet announced
	MyAwards  map[string]bool       // award names the signed-in person won
	Recognise bool                  // the My recognition page
}

// Honorees shows a summit's announced winners; before an announcement, only
// when it will be. The page is built once per revision and announcement
// state (pagecache.go); a signed-in winner gets it rendered for them, with
// their awards marked.
func (a *App) Honorees(c echo.Context) error {
	st, err := a.publicState(c)
	if err != nil {
		return err
	}
	s := st.info.summit
	pg, err := a.cachedPage(c, st, "awards_honorees", "", honoreesURL(s.ID), func(ctx context.Context, p *Page) error {
		v := HonoreesView{SummitView: summitView(s), MyAwards: map[string]bool{}}
		var err error
		if v.Honorees, err = models.Honorees(ctx, a.DB, s.ID, st.now); err != nil {
			return err
		}
		sums, err := models.AwardSummaries(ctx, a.DB, s.ID)
		if err != nil {
			return err
		}
		for _, sm := range sums {
			if st.now.Before(sm.AnnounceAt) {
				v.Upcoming = append(v.Upcoming, sm)
			}
		}
		p.Title, p.Section, p.Summit, p.Data = "Honorees · "+s.Title, "summits", s, v
		return nil
	})
	if err != nil {
		return err
	}
	if me := currentPerson(c); me != nil {
		mine, err := models.MyRecognition(c.Request().Context(), a.DB, me.ID, st.now)
		if err != nil {
			return err
		}
		v := pg.data.(HonoreesView)
		v.MyAwards = map[string]bool{}
		for _, h := range mine {
			for _, shown := range v.Honorees {
				if shown.AwardName == h.AwardName && shown.PersonName == h.PersonName {
					v.MyAwards[h.AwardName+"\x00"+h.PersonName] = true
				}
			}
		}
		if len(v.MyAwards) > 0 {
			p := a.page(c, pg.title)
			p.Section, p.Summit, p.Data = pg.section, s, v
			return a.render(c, http.StatusOK, "awards_honorees", p)
		}
	}
	if rec := fastRecordOf(c); rec != nil {
		rec.memo = true // the revision and the announcement state are all it shows
	}
	return a.servePage(c, st, pg, "awards_honorees", "", nil)
}

// MyRecognition shows the signed-in person's announced awards.
func (a *App) MyRecognition(c echo.Context) error {
	me := currentPerson(c)
	list, err := models.MyRecognition(c.Request().Context(), a.DB, me.ID, a.Now())
	if err != nil {
		return err
	}
	v := HonoreesView{Honorees: list, Recognise: true, SummitView: SummitView{Loc: time.UTC}, MyAwards: map[string]bool{}}
	for _, h := range list {
		v.MyAwards[h.AwardName+"\x00"+h.PersonName] = true
	}
	p := a.page(c, "My recognition")
	p.Section, p.Data = "awards", v
	return a.render(c, http.StatusOK, "awards_honorees", p)
}
