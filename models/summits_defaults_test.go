package models_test

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// Issue 10, item 17: a new summit starts with its three pillar tracks, in
// three distinct colours that white labels are readable on.
func TestNewSummitHasThePillarTracks(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSummit(t, db)
		tracks, err := models.ListTracks(ctx, db, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(tracks) != 3 {
			t.Fatalf("a new summit has %d tracks, want the three pillars", len(tracks))
		}
		colours := map[string]bool{}
		for i, tr := range tracks {
			if tr.Pillar != models.Pillars[i] || tr.Name == "" || tr.Description == "" {
				t.Errorf("track %d: %+v", i, tr)
			}
			if c := models.ContrastRatio(models.TrackTextColor, tr.Color); c < models.MinTrackContrast {
				t.Errorf("%s: %s gives labels a contrast of %.2f:1", tr.Name, tr.Color, c)
			}
			colours[tr.Color] = true
		}
		if len(colours) != 3 {
			t.Fatalf("the pillar tracks share colours: %v", colours)
		}
		// They are ordinary tracks: renamed, recoloured, deleted like any.
		if _, err := models.UpdateTrack(ctx, db, models.ActorOf(nil, ""), s.ID, tracks[0].ID, models.TrackInput{Name: "Recognition", Pillar: models.PillarCelebrate, Color: "#be123c"}); err != nil {
			t.Fatal(err)
		}
		if err := models.DeleteTrack(ctx, db, models.ActorOf(nil, ""), s.ID, tracks[2].ID); err != nil {
			t.Fatal(err)
		}
	})
}

// Every track colour is checked on save: white labels on it must reach
// 4.5:1 (WCAG AA); the message says the contrast and a readable shade.
func TestTrackColourNeedsReadableContrast(t *testing.T) {
	// The WCAG formula at its known points: black on white is 21:1; #767676 is
	// the lightest grey that passes on white, #777777 just fails.
	if c := models.ContrastRatio("#000000", "#ffffff"); math.Abs(c-21) > 1e-9 {
		t.Fatalf("black on white: %v", c)
	}
	if c := models.ContrastRatio("#ffffff", "#767676"); c < 4.5 || c > 4.6 {
		t.Fatalf("#767676: %v", c)
	}
	if c := models.ContrastRatio("#ffffff", "#777777"); c >= 4.5 {
		t.Fatalf("#777777: %v", c)
	}
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSummit(t, db)
		_, err := models.CreateTrack(ctx, db, models.ActorOf(nil, ""), s.ID, models.TrackInput{Name: "Sunshine", Pillar: models.PillarCelebrate, Color: "#FBBF24"})
		fieldErr(t, err, "color", "#fbbf24")
		fieldErr(t, err, "color", "1.6:1")
		fieldErr(t, err, "color", "at least 4.5:1 (WCAG AA)")
		fieldErr(t, err, "color", "for example #947015")
		if c := models.ContrastRatio(models.TrackTextColor, "#947015"); c < 4.5 {
			t.Fatalf("the suggested shade gives %.2f:1", c)
		}
		if _, err := models.CreateTrack(ctx, db, models.ActorOf(nil, ""), s.ID, models.TrackInput{Name: "Sunshine", Pillar: models.PillarCelebrate, Color: "#947015"}); err != nil {
			t.Fatalf("the suggested shade is refused: %v", err)
		}
		_, err = models.CreateTrack(ctx, db, models.ActorOf(nil, ""), s.ID, models.TrackInput{Name: "Grey", Pillar: models.PillarTrain, Color: "#777777"})
		fieldErr(t, err, "color", "4.4:1") // rounded down, never up to a passing 4.5
		tracks, _ := models.ListTracks(ctx, db, s.ID)
		_, err = models.UpdateTrack(ctx, db, models.ActorOf(nil, ""), s.ID, tracks[0].ID, models.TrackInput{Name: tracks[0].Name, Pillar: tracks[0].Pillar, Color: "#ffffff"})
		fieldErr(t, err, "color", "1.0:1")
		if got, _ := models.GetTrack(ctx, db, s.ID, tracks[0].ID); got.Color != tracks[0].Color {
			t.Fatalf("a refused colour was stored: %s", got.Color)
		}
	})
}

// The time zone comes from Go's zone data: the list holds the region zones
// and UTC (each of which loads), a typed zone is matched to it regardless
// of case, and anything else is refused with a message that helps.
func TestSummitTimeZoneIsChosenFromTheList(t *testing.T) {
	zones := models.TimeZones()
	if len(zones) < 300 || !slices.IsSorted(zones) {
		t.Fatalf("%d zones (sorted: %v)", len(zones), slices.IsSorted(zones))
	}
	for _, z := range []string{"Europe/Amsterdam", "America/Argentina/Buenos_Aires", "Asia/Kolkata", "Pacific/Auckland", "UTC"} {
		if !slices.Contains(zones, z) {
			t.Errorf("%s is not offered", z)
		}
	}
	for _, z := range []string{"Local", "US/Eastern", "EST5EDT", "Etc/GMT+5", "Factory", ""} {
		if slices.Contains(zones, z) {
			t.Errorf("%q is offered", z)
		}
	}
	for _, z := range zones {
		if _, err := time.LoadLocation(z); err != nil {
			t.Errorf("the listed zone %s does not load: %v", z, err)
		}
	}
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Typed", StartDate: "2029-03-11", EndDate: "2029-03-11", TimeZone: " america/new york "})
		if err != nil || s.TimeZone != "America/New_York" {
			t.Fatalf("a zone typed loosely: %+v %v", s, err)
		}
		in := models.SummitInput{Title: "Zones", StartDate: "2030-03-11", EndDate: "2030-03-11"}
		for typed, want := range map[string]string{
			"Amsterdam":              "Did you mean Europe/Amsterdam?",
			"Europe/Amsterdm":        "“Europe/Amsterdm” is not a time zone in the list",
			"US/Eastern":             "not a time zone in the list",
			"Local":                  "not a time zone in the list",
			"":                       "Time zone is required",
			strings.Repeat("x", 500): "…” is not a time zone in the list",
			"Europe/\xff":            "not a time zone in the list",
		} {
			in.TimeZone = typed
			_, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), in)
			fieldErr(t, err, "time_zone", want)
		}
		_, err = models.UpdateSummit(ctx, db, models.ActorOf(nil, ""), s.ID, models.SummitInput{Title: s.Title, StartDate: s.StartDate, EndDate: s.EndDate, TimeZone: "Mars/Olympus"}, time.Now())
		fieldErr(t, err, "time_zone", "Mars/Olympus")
	})
}
