package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"summit/models"
)

// Word hints beside each text field: after saving an idea, a nomination
// story, a session abstract and a category description that call people
// tickets or targets, the confirmation carries a gentle note (without
// JavaScript), the field shows it when the text is edited, the field
// carries the rules for hints as you type, nothing is refused; a word an
// organiser adds for the summit is hinted too.
func TestWordHintsBesideEveryTextField(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		sid := itoa(w.summit.ID)
		org := w.signIn(t, ta, w.organiser)
		staff := w.signIn(t, ta, w.nominator)
		if res := org.post("/organise/summits/"+sid+"/words", url.Values{"word": {"backlog"}, "suggestion": {"the people waiting for us"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("add a word: %d %s", res.Code, text(res.Body))
		}
		if res := org.post("/organise/summits/"+sid+"/words", url.Values{"word": {"Backlog"}, "suggestion": {"x"}}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(text(res.Body), "already") {
			t.Fatalf("the same word twice: %d %s", res.Code, text(res.Body))
		}
		const words = "We closed our tickets and beat the backlog every week, and customers noticed the difference in how we spoke with them."
		note := "A note on words (you can keep yours)"
		check := func(what string, c *client, save *response, editPath string) {
			t.Helper()
			if save.Code != http.StatusSeeOther {
				t.Fatalf("%s: saving was refused (hints never block): %d %s", what, save.Code, text(save.Body))
			}
			if f := flashOf(save); !strings.Contains(f, note) || !strings.Contains(f, "ticket") {
				t.Errorf("%s: the confirmation has no hint: %q", what, f)
			}
			body := c.get(editPath).Body
			plain := text(body)
			if !strings.Contains(plain, "“tickets”") || !strings.Contains(plain, "the people waiting for us") {
				t.Errorf("%s: the field shows no hints for the saved text: %s", what, plain)
			}
			if what != "idea" && (!strings.Contains(body, "data-hint-rules=") || !strings.Contains(body, "backlog")) {
				t.Errorf("%s: the field carries no rules for hints as you type", what)
			}
		}
		// Idea (ideas are not edited: its page shows its author the hints, the form carries the rules).
		res := staff.post("/summits/"+sid+"/ideas/new", url.Values{"title": {"Say what we heard"}, "change": {words}, "helps": {"customers"}})
		check("idea", staff, res, res.Location)
		if body := staff.get("/summits/" + sid + "/ideas/new").Body; !strings.Contains(body, "data-hint-rules=") || !strings.Contains(body, "backlog") {
			t.Error("idea form: no rules for hints as you type")
		}
		// Nomination story.
		res = staff.post("/summits/"+sid+"/awards/nominate", url.Values{"nominee": {"Quentin Quiet (Customer Support)"}, "category_id": {itoa(w.cat.ID)}, "story": {words}, "served": {string(models.ServedCustomer)}})
		var nom uint
		ta.DB.Raw("SELECT id FROM award_nominations WHERE nominator_id = ? ORDER BY id DESC LIMIT 1", w.nominator.ID).Scan(&nom)
		check("nomination story", staff, res, "/summits/"+sid+"/awards/nominations/"+itoa(nom)+"/edit")
		// Session abstract.
		sessions, err := models.ListSessions(ctx, ta.DB, w.summit, models.AgendaFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var sess *models.Session
		for i := range sessions {
			if sessions[i].Kind == models.KindKeynote && sess == nil {
				sess = &sessions[i]
			}
		}
		edit := "/organise/summits/" + sid + "/sessions/" + itoa(sess.ID) + "/edit"
		form := url.Values{"title": {sess.Title}, "kind": {string(sess.Kind)}, "day": {sess.StartsAt.In(w.summit.Location()).Format(models.DateLayout)},
			"start_time": {sess.StartsAt.In(w.summit.Location()).Format("15:04")}, "end_time": {sess.EndsAt.In(w.summit.Location()).Format("15:04")},
			"room_id": {idOf(sess.RoomID)}, "track_id": {idOf(sess.TrackID)}, "abstract": {words}, "confirm": {"1"}}
		for _, sp := range sess.Speakers {
			form.Add("speakers", itoa(sp.ID))
		}
		check("session abstract", org, org.post(edit, form), edit)
		// Category description.
		cat := "/organise/summits/" + sid + "/awards/" + itoa(w.cat.ID) + "/edit"
		page := org.get(cat).Body
		vals := url.Values{}
		for _, f := range []string{"name", "trait", "criteria", "winners", "opens_day", "opens_time", "closes_day", "closes_time", "announce_day", "announce_time", "judging_day", "judging_time"} {
			vals.Set(f, fieldValue(page, f))
		}
		vals.Set("description", words)
		check("category description", org, org.post(cat, vals), cat)
	})
}

func idOf(p *uint) string {
	if p == nil {
		return ""
	}
	return itoa(*p)
}
