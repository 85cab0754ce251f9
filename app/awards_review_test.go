package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// Deleting a category with nominations over HTTP asks for its name on a page
// (works without JavaScript), keeps everything on a wrong name, and deletes on
// the right one.
func TestDeleteCategoryAsksForTheName(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		if _, err := models.Nominate(ctx, ta.DB, w.summit.ID, w.nominator.ID, models.NominationInput{CategoryID: itoa(w.cat.ID), NomineeID: itoa(w.nominee.ID),
			Story: "Quentin answered every call during the outage with calm and care, for hours.", Served: models.ServedCustomer}, time.Now()); err != nil {
			t.Fatal(err)
		}
		org := w.signIn(t, ta, w.organiser)
		path := "/organise/summits/" + itoa(w.summit.ID) + "/awards/" + itoa(w.cat.ID) + "/delete"
		res := org.post(path, url.Values{})
		if res.Code != http.StatusOK || !strings.Contains(text(res.Body), "holds 1 nomination") || !strings.Contains(res.Body, `name="confirm"`) {
			t.Fatalf("first delete: %d %s", res.Code, text(res.Body))
		}
		res = org.post(path, url.Values{"confirm": {"Quiet"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `value="Quiet"`) {
			t.Fatalf("wrong name: %d %s", res.Code, text(res.Body))
		}
		if _, err := models.GetCategory(ctx, ta.DB, w.summit.ID, w.cat.ID); err != nil {
			t.Fatalf("deleted on a wrong name: %v", err)
		}
		if res = org.post(path, url.Values{"confirm": {"The Quiet Hero Award"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("right name: %d %s", res.Code, text(res.Body))
		}
		if _, err := models.GetCategory(ctx, ta.DB, w.summit.ID, w.cat.ID); err == nil {
			t.Fatal("not deleted on the right name")
		}
	})
}
