package export_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/export"
	"summit/models/export/exporttest"
	"summit/models/modelstest"
)

func frabFiles(t *testing.T, db *gorm.DB, s *models.Summit) (xmlDoc, jsonDoc []byte) {
	t.Helper()
	list, err := models.ListSessions(ctx, db, s, models.AgendaFilter{})
	if err != nil {
		t.Fatal(err)
	}
	rooms, _ := models.ListRooms(ctx, db, s.ID)
	tracks, _ := models.ListTracks(ctx, db, s.ID)
	var x, j bytes.Buffer
	if err := export.WriteFrabXML(&x, s, list, rooms, tracks, "https://summit.example"); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteFrabJSON(&j, s, list, rooms, tracks, "https://summit.example"); err != nil {
		t.Fatal(err)
	}
	return x.Bytes(), j.Bytes()
}

// The frab schedule validates against the shared XSD and JSON schema, lists
// every session with its id and UUID, and is the same from one export to
// the next.
func TestFrabSchedule(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := exporttest.Build(t, db, 2027, false)
		x, j := frabFiles(t, db, f.Summit)
		exporttest.ValidateFrabXML(t, x)
		exporttest.ValidateFrabJSON(t, j)
		for title, s := range f.Sessions {
			if !bytes.Contains(x, []byte(`guid="`+s.UUID+`"`)) {
				t.Errorf("XML lacks %q with guid %s", title, s.UUID)
			}
			if !bytes.Contains(j, []byte(`"guid": "`+s.UUID+`"`)) {
				t.Errorf("JSON lacks %q with guid %s", title, s.UUID)
			}
		}
		var doc struct {
			Schedule struct {
				Conference struct {
					Days []struct {
						Rooms map[string][]struct {
							ID      uint
							Title   string
							Date    string
							Persons []struct{ Name string }
						}
					}
				}
			}
		}
		if err := json.Unmarshal(j, &doc); err != nil {
			t.Fatal(err)
		}
		found := map[string]string{}
		for _, d := range doc.Schedule.Conference.Days {
			for _, evs := range d.Rooms {
				for _, e := range evs {
					found[e.Title] = e.Date
					for _, p := range e.Persons {
						found[p.Name] = "speaker"
					}
				}
			}
		}
		if len(doc.Schedule.Conference.Days) != 3 {
			t.Errorf("%d days, want 3", len(doc.Schedule.Conference.Days))
		}
		for _, name := range exporttest.Names {
			if found[name] == "" {
				t.Errorf("JSON lacks speaker %s", name)
			}
		}
		if got := found[exporttest.TitleEmoji]; got != "2027-03-28T09:30:00+02:00" {
			t.Errorf("emoji session date %q, want 2027-03-28T09:30:00+02:00 (after the clocks change)", got)
		}
		if got := found[exporttest.TitleKeynote]; got != "2027-03-27T09:00:00+01:00" {
			t.Errorf("keynote date %q", got)
		}
		// The validators can fail: an event without its guid is refused.
		if exporttest.FrabJSONError(t, bytes.Replace(j, []byte(`"guid": "`+f.Sessions[exporttest.TitleKeynote].UUID+`",`), nil, 1)) == nil {
			t.Error("the JSON schema accepted an event without a guid")
		}
		if exporttest.FrabXMLError(t, regexp.MustCompile(`<abstract>[^<]*</abstract>`).ReplaceAll(x, nil)) == nil {
			t.Error("the XSD accepted an event without an abstract")
		}
		x2, j2 := frabFiles(t, db, f.Summit)
		if !bytes.Equal(x, x2) || !bytes.Equal(j, j2) {
			t.Error("two exports of an unchanged summit differ")
		}
		if !strings.Contains(string(x), "<acronym>summit2027</acronym>") {
			t.Error("XML acronym")
		}
	})
}

// A summit with no sessions still gives valid files.
func TestFrabScheduleEmpty(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s, err := models.CreateSummit(ctx, db, models.SummitInput{Title: "Empty", StartDate: "2028-05-01", EndDate: "2028-05-01", TimeZone: "America/Argentina/Buenos_Aires"})
		if err != nil {
			t.Fatal(err)
		}
		x, j := frabFiles(t, db, s)
		exporttest.ValidateFrabXML(t, x)
		exporttest.ValidateFrabJSON(t, j)
	})
}
