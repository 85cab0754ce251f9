package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// Over HTTP: next year's preview offers the settings part (checked on a
// first visit) and shows the feedback close, the ideas window and the own
// hint words it will copy; the draft it creates has them.
func TestNextYearCopiesSettingsOverHTTP(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newIdeasWorld(t, ta.DB, 4)
		s := w.summit
		if _, err := models.SetFeedbackSettings(ctx, ta.DB, models.Actor{Name: "test"}, s.ID, models.FeedbackSettingsInput{ClosesDay: "2030-05-20", ClosesTime: "18:00", MinAnswers: "6"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := models.AddHintWord(ctx, ta.DB, models.Actor{Name: "test"}, s.ID, "headcount", "people", time.Now()); err != nil {
			t.Fatal(err)
		}
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		page := org.get(w.org + "/next-year")
		body := text(page.Body)
		if page.Code != http.StatusOK || !strings.Contains(page.Body, `value="settings" checked`) {
			t.Fatalf("next year form: %d %s", page.Code, body)
		}
		for _, want := range []string{"Feedback closes", "a result is shown from 6 answers", "4 votes each", "“headcount”", "the feedback settings, the ideas window, 1 hint word"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the preview does not say %q: %s", want, body)
			}
		}
		form := url.Values{"title": {"Service Summit 2031"}, "start_date": {"2031-05-05"}, "end_date": {""}, "parts": models.CloneParts}
		res := org.post(w.org+"/next-year", form)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Code, text(res.Body))
		}
		var to models.Summit
		if err := ta.DB.Where("title = ?", "Service Summit 2031").First(&to).Error; err != nil {
			t.Fatal(err)
		}
		fw, _ := models.GetFeedbackWindow(ctx, ta.DB, &to)
		iw, _ := models.GetIdeaWindow(ctx, ta.DB, &to)
		words, _ := models.SummitHintWords(ctx, ta.DB, to.ID)
		if !fw.Set || fw.MinAnswers != 6 || fw.ClosesAt.In(to.Location()).Format("2006-01-02 15:04") != "2031-05-19 18:00" || !iw.Set || iw.Budget != 4 || len(words) != 1 {
			t.Fatalf("the draft's settings: %+v %+v %+v", fw, iw, words)
		}
	})
}
