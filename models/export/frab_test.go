package export_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

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
		s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Empty", StartDate: "2028-05-01", EndDate: "2028-05-01", TimeZone: "America/Argentina/Buenos_Aires"})
		if err != nil {
			t.Fatal(err)
		}
		x, j := frabFiles(t, db, s)
		exporttest.ValidateFrabXML(t, x)
		exporttest.ValidateFrabJSON(t, j)
	})
}

type frabEventIDs struct {
	ID      uint   `json:"id"`
	GUID    string `json:"guid"`
	Slug    string `json:"slug"`
	URL     string `json:"url"`
	Title   string `json:"title"`
	Room    string `json:"room"`
	Persons []struct {
		GUID string `json:"guid"`
	} `json:"persons"`
}

func frabEvents(t *testing.T, j []byte) map[uint]frabEventIDs {
	t.Helper()
	var doc struct {
		Schedule struct {
			Conference struct {
				Days []struct {
					Rooms map[string][]frabEventIDs `json:"rooms"`
				} `json:"days"`
			} `json:"conference"`
		} `json:"schedule"`
	}
	if err := json.Unmarshal(j, &doc); err != nil {
		t.Fatal(err)
	}
	out := map[uint]frabEventIDs{}
	for _, d := range doc.Schedule.Conference.Days {
		for _, evs := range d.Rooms {
			for _, e := range evs {
				out[e.ID] = e
			}
		}
	}
	return out
}

// Editing one session changes nothing about the others in the frab files:
// same ids, guids, slugs, urls, rooms and person guids, so apps keep users'
// favourites. Every event carries what apps show: room, track, persons,
// abstract and a link.
func TestFrabIDsStableAfterUnrelatedEdit(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := exporttest.Build(t, db, 2027, false)
		x1, j1 := frabFiles(t, db, f.Summit)
		before := frabEvents(t, j1)
		if len(before) != len(f.Sessions) {
			t.Fatalf("%d events for %d sessions", len(before), len(f.Sessions))
		}
		for _, e := range before {
			if e.Room == "" || e.URL == "" || e.Slug == "" || e.GUID == "" {
				t.Errorf("event %d lacks room, url, slug or guid: %+v", e.ID, e)
			}
		}
		for _, w := range []string{"<track>Skills</track>", "<abstract>Boundaries, calm words and knowing when to hand over.</abstract>", "<person id=", "<url>https://summit.example/summits/"} {
			if !bytes.Contains(x1, []byte(w)) {
				t.Errorf("XML lacks %s", w)
			}
		}
		p := f.Sessions[exporttest.TitlePanel]
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.Summit.ID, p.ID, models.SessionInput{Title: "A renamed panel", Kind: models.KindPanel, Abstract: "New words.",
			RoomID: fmt.Sprint(*p.RoomID), TrackID: fmt.Sprint(*p.TrackID), Day: "2027-03-27", StartTime: "10:45", EndTime: "12:00"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		_, j2 := frabFiles(t, db, f.Summit)
		after := frabEvents(t, j2)
		for id, e := range before {
			a := after[id]
			if id == p.ID {
				if a.GUID != e.GUID || a.Title != "A renamed panel" {
					t.Errorf("the edited session keeps its guid and shows its new title: %+v", a)
				}
				continue
			}
			if fmt.Sprint(a) != fmt.Sprint(e) {
				t.Errorf("unrelated session %d changed:\n%+v\n%+v", id, e, a)
			}
		}
	})
}

// Rooms appear in the summit's room order in schedule.json too (a JSON
// object's keys in the order apps read them), not alphabetically.
func TestFrabJSONRoomOrder(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := exporttest.Build(t, db, 2027, false)
		list, _ := models.ListSessions(ctx, db, f.Summit, models.AgendaFilter{})
		rooms, _ := models.ListRooms(ctx, db, f.Summit.ID)
		for i := range rooms {
			rooms[i].Position = len(rooms) - i // reverse: Studio B, Room Ørsted, Main hall
		}
		var j bytes.Buffer
		if err := export.WriteFrabJSON(&j, f.Summit, list, rooms, nil, "https://summit.example"); err != nil {
			t.Fatal(err)
		}
		exporttest.ValidateFrabJSON(t, j.Bytes())
		day1 := j.String()[strings.Index(j.String(), `"date": "2027-03-27"`):]
		a, b, c := strings.Index(day1, `"Studio B": [`), strings.Index(day1, `"Room Ørsted": [`), strings.Index(day1, `"Main hall": [`)
		if !(a >= 0 && a < b && b < c) {
			t.Errorf("rooms of day 1 not in room order: Studio B %d, Room Ørsted %d, Main hall %d", a, b, c)
		}
	})
}

// Every room an event uses is among the conference's rooms, with the same
// guid as the day's room: also "To be announced", where sessions without a
// room (a lunch for everyone) meet. Both files still validate.
func TestFrabListsEveryRoomAnEventUses(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := exporttest.Build(t, db, 2027, false)
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), f.Summit.ID, 0, models.SessionInput{Title: "Lunch", Kind: models.KindBreak,
			Day: "2027-03-27", StartTime: "12:00", EndTime: "13:00"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		x, j := frabFiles(t, db, f.Summit)
		exporttest.ValidateFrabXML(t, x)
		exporttest.ValidateFrabJSON(t, j)
		var doc struct {
			Schedule struct {
				Conference struct {
					Rooms []struct{ Name, GUID string }
					Days  []struct {
						Rooms map[string][]struct{ Room string }
					}
				}
			}
		}
		if err := json.Unmarshal(j, &doc); err != nil {
			t.Fatal(err)
		}
		listed := map[string]string{}
		for _, r := range doc.Schedule.Conference.Rooms {
			if _, dup := listed[r.Name]; dup || r.GUID == "" {
				t.Errorf("conference room %q is listed twice or without a guid", r.Name)
			}
			listed[r.Name] = r.GUID
		}
		used := 0
		for _, d := range doc.Schedule.Conference.Days {
			for name, evs := range d.Rooms {
				used++
				if _, ok := listed[name]; !ok {
					t.Errorf("JSON: events meet in %q, which is not among the conference's rooms %v", name, listed)
				}
				for _, e := range evs {
					if e.Room != name {
						t.Errorf("JSON: an event in %q says its room is %q", name, e.Room)
					}
				}
			}
		}
		if _, ok := listed["To be announced"]; !ok || used == 0 {
			t.Errorf("the lunch's room is not listed: %v", listed)
		}
		for _, m := range regexp.MustCompile(`<room name="([^"]*)" guid="([^"]*)"`).FindAllSubmatch(x, -1) {
			if g, ok := listed[string(m[1])]; !ok || g != string(m[2]) {
				t.Errorf("XML: day room %q (guid %s) is not the conference's room (guid %q)", m[1], m[2], g)
			}
		}
	})
}
