package app_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"summit/models"
)

// Issue 10, item 17, through the forms: the time zone is chosen from a
// searchable list of every zone (a datalist), a zone not in it is refused
// with a field message and the input kept; a new summit shows its three
// pillar tracks; a track colour white labels cannot be read on is refused
// with what to fix, the colour typed kept.
func TestNewSummitDefaultsThroughTheForms(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		org, _ := ta.signedIn(t, models.RoleOrganiser)
		form := org.get("/organise/summits/new")
		if form.Code != http.StatusOK || !strings.Contains(form.Body, `list="f-time_zone-list"`) ||
			!strings.Contains(form.Body, `<datalist id="f-time_zone-list">`) || !strings.Contains(form.Body, `<option value="America/Argentina/Buenos_Aires">`) {
			t.Fatalf("the summit form has no searchable list of zones: %d", form.Code)
		}
		if n := strings.Count(form.Body, "<option value="); n != len(models.TimeZones()) {
			t.Fatalf("the list offers %d zones, want all %d", n, len(models.TimeZones()))
		}
		in := url.Values{"title": {"Service Summit 2030"}, "start_date": {"2030-05-06"}, "end_date": {"2030-05-07"}, "time_zone": {"Amsterdam"}}
		refused(t, org.post("/organise/summits/new", in), map[string]string{"time_zone": "Did you mean Europe/Amsterdam?"},
			map[string]string{"time_zone": "Amsterdam", "title": "Service Summit 2030"})
		in.Set("time_zone", "Europe/Amsterdam")
		res := org.post("/organise/summits/new", in)
		if res.Code != http.StatusSeeOther {
			t.Fatalf("create: %d %s", res.Code, text(res.Body))
		}
		dash := text(org.get(res.Location + "/rooms").Body)
		for _, name := range []string{"Celebrate", "Train", "Strategize"} {
			if !strings.Contains(dash, name) {
				t.Fatalf("the new summit's dashboard lacks the %s track: %s", name, dash)
			}
		}
		var s models.Summit
		if err := ta.DB.Where("title = ?", "Service Summit 2030").First(&s).Error; err != nil || s.TimeZone != "Europe/Amsterdam" {
			t.Fatalf("stored summit: %+v %v", s, err)
		}
		tracks, _ := models.ListTracks(ctx, ta.DB, s.ID)
		if len(tracks) != 3 || res.Location != "/organise/summits/"+itoa(s.ID) {
			t.Fatalf("%d tracks; created at %s", len(tracks), res.Location)
		}
		edit := res.Location + "/tracks/" + itoa(tracks[1].ID) + "/edit"
		if !strings.Contains(org.get(edit).Body, "at least 4.5:1") {
			t.Fatal("the track form does not say what colour is readable")
		}
		refused(t, org.post(edit, url.Values{"name": {"Train"}, "pillar": {"train"}, "color": {"#fbbf24"}}),
			map[string]string{"color": "White track labels on #fbbf24 are hard to read: the contrast is 1.6:1"},
			map[string]string{"color": "#fbbf24", "name": "Train"})
		if r := org.post(res.Location+"/tracks/new", url.Values{"name": {"Leadership"}, "pillar": {"strategize"}, "color": {"#6d28d9"}}); r.Code != http.StatusSeeOther {
			t.Fatalf("a readable colour: %d %s", r.Code, text(r.Body))
		}
	})
}
