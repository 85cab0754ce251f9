package export

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"summit/models"
)

// The frab schedule (schedule.xml and schedule.json) is what conference apps
// such as Giggity, EventFahrplan and ConfClerk read. Both are built from one
// in-memory model so they always agree. Ids are session ids; guids are the
// sessions' stored UUIDs, so they stay the same from one export to the next.

type frabEvent struct {
	ID          uint
	GUID        string
	Room        string
	Title       string
	Type        string
	Date        time.Time // local to the summit
	End         time.Time
	Start       string // HH:MM
	Duration    string // HH:MM
	Abstract    string
	Description string
	Slug        string
	Track       string
	URL         string
	Persons     []frabPerson
}

type frabPerson struct {
	ID        uint
	GUID      string
	Name      string
	Biography string
}

type frabRoom struct {
	Name   string
	GUID   string
	Events []frabEvent
}

type frabDay struct {
	Index      int
	Date       string
	Start, End time.Time
	Rooms      []frabRoom
}

type frabTrack struct{ Name, Slug, Color string }

type frabSchedule struct {
	Version   string
	BaseURL   string
	URL       string
	Title     string
	Acronym   string
	Start     string
	End       string
	TimeZone  string
	Tracks    []frabTrack
	Rooms     []frabRoom // every room, without events
	Days      []frabDay
	SourceURL string
}

var slugRe = regexp.MustCompile(`[^a-z0-9]+`)

func slugify(s string) string {
	return strings.Trim(slugRe.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func hhmm(d time.Duration) string {
	m := int(d.Round(time.Minute) / time.Minute)
	if m < 0 {
		m = 0
	}
	return fmt.Sprintf("%02d:%02d", m/60, m%60)
}

// tzNameRe is the frab JSON schema's pattern for time_zone_name.
var tzNameRe = regexp.MustCompile(`^([A-Z][a-z]+/[A-Z][a-z]+)|UTC$`)

const noRoom = "To be announced"

func stableGUID(kind string, id uint) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("summit:"+kind+":"+strconv.FormatUint(uint64(id), 10))).String()
}

func hasRoom(rooms []frabRoom, name string) bool {
	for _, r := range rooms {
		if r.Name == name {
			return true
		}
	}
	return false
}

func buildFrab(s *models.Summit, sessions []models.Session, rooms []models.Room, tracks []models.Track, base string) *frabSchedule {
	base = strings.TrimRight(base, "/")
	loc := s.Location()
	summitURL := fmt.Sprintf("%s/summits/%d", base, s.ID)
	f := &frabSchedule{BaseURL: summitURL + "/", URL: summitURL, Title: models.OneLine(s.Title), Acronym: fmt.Sprintf("summit%d", s.Year),
		Start: s.StartDate, End: s.EndDate, SourceURL: summitURL + "/schedule.xml"}
	if tzNameRe.MatchString(s.TimeZone) {
		f.TimeZone = s.TimeZone
	}
	latest := s.UpdatedAt
	for _, t := range tracks {
		f.Tracks = append(f.Tracks, frabTrack{Name: models.OneLine(t.Name), Slug: slugify(t.Name), Color: t.Color})
		if t.UpdatedAt.After(latest) {
			latest = t.UpdatedAt
		}
	}
	sort.SliceStable(rooms, func(i, j int) bool { return rooms[i].Position < rooms[j].Position })
	roomPos := map[string]int{}
	for i, r := range rooms {
		name := models.OneLine(r.Name)
		f.Rooms = append(f.Rooms, frabRoom{Name: name, GUID: stableGUID("room", r.ID)})
		roomPos[name] = i
	}
	if _, ok := roomPos[noRoom]; !ok {
		roomPos[noRoom] = len(rooms)
	}
	byDay := map[string]map[string][]frabEvent{}
	for i := range sessions {
		x := &sessions[i]
		if x.UpdatedAt.After(latest) {
			latest = x.UpdatedAt
		}
		start := x.StartsAt.In(loc)
		room := noRoom
		if x.Room != nil {
			room = models.OneLine(x.Room.Name)
		}
		track := ""
		if x.Track != nil {
			track = models.OneLine(x.Track.Name)
		}
		slugTitle := slugify(x.Title)
		if len(slugTitle) < 4 {
			slugTitle = strings.Trim(slugTitle+"-session", "-")
		}
		abstract := models.NormalizeLineEnds(x.Abstract)
		ev := frabEvent{ID: x.ID, GUID: x.UUID, Room: room, Title: models.OneLine(x.Title), Type: string(x.Kind), Date: start, End: x.EndsAt.In(loc),
			Start: start.Format("15:04"), Duration: hhmm(x.Duration()), Abstract: abstract, Description: abstract,
			Slug: fmt.Sprintf("%s-%d-%s", f.Acronym, x.ID, slugTitle), Track: track,
			URL: fmt.Sprintf("%s/sessions/%d", summitURL, x.ID)}
		for _, sp := range x.Speakers {
			ev.Persons = append(ev.Persons, frabPerson{ID: sp.ID, GUID: stableGUID("speaker", sp.ID), Name: models.OneLine(sp.Name), Biography: models.NormalizeLineEnds(sp.Bio)})
		}
		day := start.Format(models.DateLayout)
		if byDay[day] == nil {
			byDay[day] = map[string][]frabEvent{}
		}
		byDay[day][room] = append(byDay[day][room], ev)
		if !hasRoom(f.Rooms, room) {
			// Every room an event uses is one of the conference's rooms: apps
			// build their room list from it. Sessions without a room meet
			// in "To be announced".
			guid := stableGUID("room-name", 0)
			if x.Room != nil {
				guid = stableGUID("room", x.Room.ID)
			}
			if _, ok := roomPos[room]; !ok {
				roomPos[room] = len(f.Rooms)
			}
			f.Rooms = append(f.Rooms, frabRoom{Name: room, GUID: guid})
		}
	}
	f.Version = latest.UTC().Format("2006-01-02 15:04:05")
	for i, day := range s.Days() {
		d0, _ := time.ParseInLocation(models.DateLayout, day, loc)
		fd := frabDay{Index: i + 1, Date: day, Start: d0, End: d0.AddDate(0, 0, 1).Add(-time.Minute)}
		var names []string
		for name := range byDay[day] {
			names = append(names, name)
		}
		sort.Slice(names, func(a, b int) bool {
			if roomPos[names[a]] != roomPos[names[b]] {
				return roomPos[names[a]] < roomPos[names[b]]
			}
			return names[a] < names[b]
		})
		for _, name := range names {
			guid := ""
			for _, r := range f.Rooms {
				if r.Name == name && guid == "" {
					guid = r.GUID
				}
			}
			fd.Rooms = append(fd.Rooms, frabRoom{Name: name, GUID: guid, Events: byDay[day][name]})
		}
		f.Days = append(f.Days, fd)
	}
	return f
}

// --- XML ---

type xGenerator struct {
	Name    string `xml:"name,attr"`
	Version string `xml:"version,attr"`
}

type xTrack struct {
	Name  string `xml:"name,attr"`
	Color string `xml:"color,attr,omitempty"`
	Slug  string `xml:"slug,attr,omitempty"`
}

type xConference struct {
	Title            string   `xml:"title"`
	Acronym          string   `xml:"acronym"`
	Start            string   `xml:"start"`
	End              string   `xml:"end"`
	Days             int      `xml:"days"`
	TimeslotDuration string   `xml:"timeslot_duration"`
	BaseURL          string   `xml:"base_url"`
	URL              string   `xml:"url"`
	TimeZoneName     string   `xml:"time_zone_name,omitempty"`
	Tracks           []xTrack `xml:"track"`
}

type xPerson struct {
	ID   uint   `xml:"id,attr"`
	GUID string `xml:"guid,attr"`
	Name string `xml:",chardata"`
}

type xEvent struct {
	ID          uint      `xml:"id,attr"`
	GUID        string    `xml:"guid,attr"`
	Room        string    `xml:"room"`
	Title       string    `xml:"title"`
	Subtitle    string    `xml:"subtitle"`
	Type        string    `xml:"type"`
	Date        string    `xml:"date"`
	Start       string    `xml:"start"`
	Duration    string    `xml:"duration"`
	Abstract    string    `xml:"abstract"`
	Slug        string    `xml:"slug"`
	Track       string    `xml:"track"`
	Persons     []xPerson `xml:"persons>person"`
	Language    string    `xml:"language"`
	Description string    `xml:"description"`
	URL         string    `xml:"url"`
}

type xRoom struct {
	Name   string   `xml:"name,attr"`
	GUID   string   `xml:"guid,attr,omitempty"`
	Events []xEvent `xml:"event"`
}

type xDay struct {
	Index int     `xml:"index,attr"`
	Date  string  `xml:"date,attr"`
	Start string  `xml:"start,attr"`
	End   string  `xml:"end,attr"`
	Rooms []xRoom `xml:"room"`
}

type xSchedule struct {
	XMLName    xml.Name    `xml:"schedule"`
	Generator  xGenerator  `xml:"generator"`
	URL        string      `xml:"url"`
	Version    string      `xml:"version"`
	Conference xConference `xml:"conference"`
	Days       []xDay      `xml:"day"`
}

// WriteFrabXML writes the frab schedule.xml of a summit. base is the public
// URL of the site (https://summit.example.com).
func WriteFrabXML(w io.Writer, s *models.Summit, sessions []models.Session, rooms []models.Room, tracks []models.Track, base string) error {
	f := buildFrab(s, sessions, rooms, tracks, base)
	x := xSchedule{Generator: xGenerator{Name: "Summit", Version: "1"}, URL: f.SourceURL, Version: f.Version,
		Conference: xConference{Title: f.Title, Acronym: f.Acronym, Start: f.Start, End: f.End, Days: len(f.Days),
			TimeslotDuration: "00:15", BaseURL: f.BaseURL, URL: f.URL, TimeZoneName: f.TimeZone}}
	for _, t := range f.Tracks {
		x.Conference.Tracks = append(x.Conference.Tracks, xTrack{Name: t.Name, Color: t.Color, Slug: xmlSlug(t.Slug)})
	}
	for _, d := range f.Days {
		xd := xDay{Index: d.Index, Date: d.Date, Start: d.Start.Format(time.RFC3339), End: d.End.Format(time.RFC3339)}
		for _, r := range d.Rooms {
			xr := xRoom{Name: r.Name, GUID: r.GUID}
			for _, e := range r.Events {
				xe := xEvent{ID: e.ID, GUID: e.GUID, Room: e.Room, Title: e.Title, Type: e.Type, Date: e.Date.Format(time.RFC3339),
					Start: e.Start, Duration: e.Duration, Abstract: e.Abstract, Slug: e.Slug, Track: e.Track, Language: "en",
					Description: e.Description, URL: e.URL}
				for _, p := range e.Persons {
					xe.Persons = append(xe.Persons, xPerson{ID: p.ID, GUID: p.GUID, Name: p.Name})
				}
				xr.Events = append(xr.Events, xe)
			}
			xd.Rooms = append(xd.Rooms, xr)
		}
		x.Days = append(x.Days, xd)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(x); err != nil {
		return fmt.Errorf("export: frab xml: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// xmlSlug returns a track slug that fits the XSD's pattern (a letter first),
// or "" to leave the optional attribute out.
func xmlSlug(s string) string {
	if len(s) >= 2 && s[0] >= 'a' && s[0] <= 'z' {
		return s
	}
	return ""
}

// --- JSON ---

type jPerson struct {
	GUID      string `json:"guid"`
	Name      string `json:"name"`
	Biography string `json:"biography"`
}

type jEvent struct {
	ID          uint      `json:"id"`
	GUID        string    `json:"guid"`
	Date        string    `json:"date"`
	Start       string    `json:"start"`
	End         string    `json:"end"`
	Duration    string    `json:"duration"`
	Room        string    `json:"room"`
	Slug        string    `json:"slug"`
	URL         string    `json:"url"`
	Title       string    `json:"title"`
	Subtitle    string    `json:"subtitle"`
	Track       *string   `json:"track"`
	Type        string    `json:"type"`
	Language    string    `json:"language"`
	Abstract    string    `json:"abstract"`
	Description string    `json:"description"`
	Persons     []jPerson `json:"persons"`
	Links       []any     `json:"links"`
	Attachments []any     `json:"attachments"`
}

type jDay struct {
	Index    int       `json:"index"`
	Date     string    `json:"date"`
	DayStart string    `json:"day_start"`
	DayEnd   string    `json:"day_end"`
	Rooms    jDayRooms `json:"rooms"`
}

// jDayRooms is a day's rooms as a JSON object keyed by room name, written in
// the summit's room order (a Go map would sort the names, and apps show the
// rooms in the order they read them).
type jDayRooms []jDayRoom

type jDayRoom struct {
	Name   string
	Events []jEvent
}

func (rs jDayRooms) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(r.Name)
		if err != nil {
			return nil, err
		}
		v, err := json.Marshal(r.Events)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

type jRoom struct {
	Name string `json:"name"`
	GUID string `json:"guid"`
}

type jTrack struct {
	Name  string `json:"name"`
	Slug  string `json:"slug,omitempty"`
	Color string `json:"color,omitempty"`
}

type jConference struct {
	Acronym          string   `json:"acronym"`
	Title            string   `json:"title"`
	Start            string   `json:"start"`
	End              string   `json:"end"`
	DaysCount        int      `json:"daysCount"`
	TimeslotDuration string   `json:"timeslot_duration"`
	TimeZoneName     string   `json:"time_zone_name,omitempty"`
	URL              string   `json:"url"`
	Tracks           []jTrack `json:"tracks"`
	Rooms            []jRoom  `json:"rooms"`
	Days             []jDay   `json:"days"`
}

type jSchedule struct {
	Version    string      `json:"version"`
	BaseURL    string      `json:"base_url"`
	Conference jConference `json:"conference"`
}

type jDoc struct {
	Schema    string            `json:"$schema"`
	Generator map[string]string `json:"generator"`
	Schedule  jSchedule         `json:"schedule"`
}

// WriteFrabJSON writes the frab schedule.json of a summit.
func WriteFrabJSON(w io.Writer, s *models.Summit, sessions []models.Session, rooms []models.Room, tracks []models.Track, base string) error {
	f := buildFrab(s, sessions, rooms, tracks, base)
	c := jConference{Acronym: f.Acronym, Title: f.Title, Start: f.Start, End: f.End, DaysCount: len(f.Days), TimeslotDuration: "00:15",
		TimeZoneName: f.TimeZone, URL: f.URL, Tracks: []jTrack{}, Rooms: []jRoom{}, Days: []jDay{}}
	for _, t := range f.Tracks {
		c.Tracks = append(c.Tracks, jTrack{Name: t.Name, Slug: t.Slug, Color: t.Color})
	}
	for _, r := range f.Rooms {
		c.Rooms = append(c.Rooms, jRoom{Name: r.Name, GUID: r.GUID})
	}
	for _, d := range f.Days {
		jd := jDay{Index: d.Index, Date: d.Date, DayStart: d.Start.Format(time.RFC3339), DayEnd: d.End.Format(time.RFC3339), Rooms: jDayRooms{}}
		for _, r := range d.Rooms {
			list := []jEvent{}
			for _, e := range r.Events {
				je := jEvent{ID: e.ID, GUID: e.GUID, Date: e.Date.Format(time.RFC3339), Start: e.Start, End: e.End.Format(time.RFC3339),
					Duration: e.Duration, Room: e.Room, Slug: e.Slug, URL: e.URL, Title: e.Title, Type: e.Type, Language: "en",
					Abstract: e.Abstract, Description: e.Description, Persons: []jPerson{}, Links: []any{}, Attachments: []any{}}
				if e.Track != "" {
					tr := e.Track
					je.Track = &tr
				}
				for _, p := range e.Persons {
					je.Persons = append(je.Persons, jPerson{GUID: p.GUID, Name: p.Name, Biography: p.Biography})
				}
				list = append(list, je)
			}
			jd.Rooms = append(jd.Rooms, jDayRoom{Name: r.Name, Events: list})
		}
		c.Days = append(c.Days, jd)
	}
	doc := jDoc{Schema: "https://c3voc.de/schedule/schema.json", Generator: map[string]string{"name": "Summit", "version": "1"},
		Schedule: jSchedule{Version: f.Version, BaseURL: f.BaseURL, Conference: c}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("export: frab json: %w", err)
	}
	return nil
}
