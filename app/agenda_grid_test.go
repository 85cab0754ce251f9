package app_test

import (
	"testing"
	"time"

	"summit/app"
	"summit/models"
)

var amsterdam, _ = time.LoadLocation("Europe/Amsterdam")

// gridDay builds sessions on 11 March 2027 in Amsterdam: room 0 means none.
type gridDay struct {
	sessions []models.Session
	rooms    []models.Room
}

func newGridDay(rooms ...string) *gridDay {
	d := &gridDay{}
	for i, name := range rooms {
		d.rooms = append(d.rooms, models.Room{ID: uint(i + 1), Name: name, Position: i + 1})
	}
	return d
}

func (d *gridDay) add(title string, room uint, start, end string) {
	at := func(hm string) time.Time {
		t, err := models.LocalTime(amsterdam, "2027-03-11", hm)
		if err != nil {
			panic(err)
		}
		return t.UTC()
	}
	s := models.Session{ID: uint(len(d.sessions) + 1), Title: title, StartsAt: at(start), EndsAt: at(end)}
	if room != 0 {
		r := room
		s.RoomID = &r
	}
	d.sessions = append(d.sessions, s)
}

func (d *gridDay) build() *app.Grid { return app.BuildGrid(d.sessions, d.rooms, amsterdam) }

func item(t *testing.T, g *app.Grid, title string) app.GridItem {
	t.Helper()
	var found []app.GridItem
	for _, it := range g.Items {
		if it.S.Title == title {
			found = append(found, it)
		}
	}
	if len(found) != 1 {
		t.Fatalf("%q is on the grid %d times, want once", title, len(found))
	}
	return found[0]
}

func column(t *testing.T, g *app.Grid, name string) app.GridColumn {
	t.Helper()
	for _, c := range g.Columns {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no column %q in %+v", name, g.Columns)
	return app.GridColumn{}
}

// overlapping reports whether two items share a grid cell.
func overlapping(a, b app.GridItem) bool {
	return a.Row < b.RowEnd && b.Row < a.RowEnd && a.Col < b.ColEnd && b.Col < a.ColEnd
}

func assertNoCoveredItems(t *testing.T, g *app.Grid, want int) {
	t.Helper()
	if len(g.Items) != want {
		t.Fatalf("grid has %d items, want %d (none dropped)", len(g.Items), want)
	}
	for i := range g.Items {
		for j := i + 1; j < len(g.Items); j++ {
			if overlapping(g.Items[i], g.Items[j]) {
				t.Errorf("%q and %q cover each other: %+v %+v", g.Items[i].S.Title, g.Items[j].S.Title, g.Items[i], g.Items[j])
			}
		}
	}
}

func TestGridPutsParallelSessionsSideBySide(t *testing.T) {
	d := newGridDay("Main Hall", "Harbour Room", "Garden Studio", "Library")
	d.add("Everyone serves", 1, "09:00", "10:00")
	d.add("What customers told us", 1, "10:15", "11:30")
	d.add("De-escalation", 2, "10:15", "11:30")
	d.add("Product lab", 3, "10:15", "11:30")
	d.add("Internal customers", 4, "10:15", "11:30")
	g := d.build()
	if len(g.Columns) != 4 || g.Lanes != 4 || g.HasOthers {
		t.Fatalf("columns %+v lanes %d others %v", g.Columns, g.Lanes, g.HasOthers)
	}
	for i, name := range []string{"Main Hall", "Harbour Room", "Garden Studio", "Library"} {
		if c := g.Columns[i]; c.Name != name || c.FirstLane != i+2 || c.Lanes != 1 {
			t.Fatalf("column %d: %+v", i, c)
		}
	}
	parallel := []string{"What customers told us", "De-escalation", "Product lab", "Internal customers"}
	for i, title := range parallel {
		it := item(t, g, title)
		if it.Col != i+2 || it.ColEnd != i+3 || it.FullSpan {
			t.Errorf("%q in columns %d–%d, want %d–%d", title, it.Col, it.ColEnd, i+2, i+3)
		}
		if it.Row != item(t, g, parallel[0]).Row {
			t.Errorf("%q does not start on the same row as the others", title)
		}
	}
	// 09:00 is the first row (after the header); five-minute rows.
	key := item(t, g, "Everyone serves")
	if key.Row != 2 || key.RowEnd != 2+12 {
		t.Fatalf("keynote rows %d–%d, want 2–14", key.Row, key.RowEnd)
	}
	if g.Times[0].Label != "09:00" || g.Times[1].Label != "09:30" {
		t.Fatalf("time labels: %+v", g.Times[:2])
	}
	assertNoCoveredItems(t, g, 5)
}

func TestGridGivesOverlappingSessionsInOneRoomTheirOwnLanes(t *testing.T) {
	// The rules refuse this, but data from before a fix or an import must
	// still show every session.
	d := newGridDay("Main Hall", "Library")
	d.add("A", 1, "10:00", "11:00")
	d.add("B", 1, "10:30", "11:30")
	d.add("C", 1, "10:45", "11:15")
	d.add("D", 1, "11:00", "12:00") // fits back into A's lane
	d.add("E", 2, "10:00", "11:00")
	g := d.build()
	hall := column(t, g, "Main Hall")
	if hall.Lanes != 3 || hall.FirstLane != 2 {
		t.Fatalf("Main Hall: %+v, want 3 lanes from column 2", hall)
	}
	if lib := column(t, g, "Library"); lib.FirstLane != 5 || lib.Lanes != 1 {
		t.Fatalf("Library: %+v, want after the hall's three lanes", lib)
	}
	if g.Lanes != 4 {
		t.Fatalf("lanes %d, want 4", g.Lanes)
	}
	if a, dd := item(t, g, "A"), item(t, g, "D"); a.Col != dd.Col {
		t.Errorf("D should reuse A's lane: %d vs %d", a.Col, dd.Col)
	}
	for _, title := range []string{"A", "B", "C", "D"} {
		if it := item(t, g, title); it.Col < 2 || it.ColEnd > 5 {
			t.Errorf("%q left the Main Hall's lanes: %+v", title, it)
		}
	}
	assertNoCoveredItems(t, g, 5)
}

func TestGridRoomlessBreaksSpanAllRooms(t *testing.T) {
	d := newGridDay("Main Hall", "Harbour Room", "Library")
	d.add("Session one", 1, "10:00", "11:00")
	d.add("Session two", 2, "10:00", "11:00")
	d.add("Session three", 3, "10:00", "11:00")
	d.add("Coffee", 0, "11:00", "11:30")
	d.add("Session four", 1, "11:30", "12:30")
	g := d.build()
	coffee := item(t, g, "Coffee")
	if !coffee.FullSpan || coffee.Col != 2 || coffee.ColEnd != 2+3 {
		t.Fatalf("coffee %+v, want full span over 3 rooms", coffee)
	}
	if g.HasOthers {
		t.Fatalf("no Other column expected: %+v", g.Columns)
	}
	assertNoCoveredItems(t, g, 5)
}

// A break for everyone (lunch, no room) spans every room even when a session
// happens during it: it fills the lanes that session leaves free, in pieces
// (the first one the link, the others hidden from screen readers), and
// covers nothing. When every room is busy during it, it goes to Other.
func TestGridBreakForEveryoneSpansAroundSessionsDuringIt(t *testing.T) {
	d := newGridDay("Main Hall", "Harbour Room", "Garden Studio", "Library")
	d.add("Keynote", 1, "09:00", "10:00")
	d.add("Garden talk", 3, "10:00", "11:00")
	d.add("Library talk", 4, "10:00", "11:00")
	d.add("Lunch", 0, "12:30", "13:30")
	d.sessions[len(d.sessions)-1].Kind = models.KindBreak
	d.add("Lunch and learn", 2, "12:45", "13:15")
	g := d.build()
	if g.HasOthers {
		t.Fatalf("lunch went to an Other column: %+v", g.Columns)
	}
	var pieces []app.GridItem
	for _, it := range g.Items {
		if it.S.Title == "Lunch" {
			pieces = append(pieces, it)
		}
	}
	learn := item(t, g, "Lunch and learn")
	if len(pieces) != 2 || pieces[0].Col != 2 || pieces[0].ColEnd != learn.Col || pieces[1].Col != learn.ColEnd || pieces[1].ColEnd != 2+g.Lanes ||
		!pieces[0].FullSpan || pieces[0].Part || !pieces[1].Part {
		t.Fatalf("lunch should fill Main Hall, then Garden Studio and Library around the lunch-and-learn (%+v): %+v", learn, pieces)
	}
	assertNoCoveredItems(t, g, 6)

	// Every room busy at lunch: no lane is left, so lunch gets its own column.
	d.add("Studio lunch talk", 3, "12:30", "13:00")
	d.add("Library lunch talk", 4, "13:00", "13:30")
	d.add("Hall lunch talk", 1, "12:30", "13:30")
	g = d.build()
	if lunch := item(t, g, "Lunch"); !g.HasOthers || lunch.FullSpan {
		t.Fatalf("with every room busy, lunch should be in Other: %+v", lunch)
	}
	assertNoCoveredItems(t, g, 8)
}

func TestGridRoomlessSessionsOverlappingRoomedOnesGoToOther(t *testing.T) {
	d := newGridDay("Main Hall", "Library")
	d.add("Keynote", 1, "09:00", "10:00")
	d.add("Walking tour", 0, "09:30", "10:30") // overlaps the keynote: must not cover it
	d.add("Lunch", 0, "12:00", "13:00")        // alone: spans all rooms
	d.add("Dinner", 0, "18:30", "21:00")       // two roomless at once: neither may cover the other
	d.add("Night walk", 0, "20:00", "21:30")
	g := d.build()
	if !g.HasOthers {
		t.Fatalf("want an Other column: %+v", g.Columns)
	}
	other := column(t, g, "Other")
	for _, title := range []string{"Walking tour", "Dinner", "Night walk"} {
		it := item(t, g, title)
		if it.FullSpan || it.Col < other.FirstLane || it.ColEnd > other.FirstLane+other.Lanes {
			t.Errorf("%q should be in Other (%+v): %+v", title, other, it)
		}
	}
	if other.Lanes != 2 {
		t.Errorf("Other has %d lanes, want 2 (dinner and the night walk overlap)", other.Lanes)
	}
	if lunch := item(t, g, "Lunch"); !lunch.FullSpan || lunch.ColEnd != 2+g.Lanes {
		t.Errorf("lunch should span every column: %+v (lanes %d)", lunch, g.Lanes)
	}
	assertNoCoveredItems(t, g, 5)
}

func TestGridEdgeCases(t *testing.T) {
	if g := app.BuildGrid(nil, nil, amsterdam); len(g.Items) != 0 || len(g.Columns) != 0 {
		t.Fatalf("empty day: %+v", g)
	}
	d := newGridDay("Main Hall")
	d.add("Quick word", 1, "10:02", "10:04") // under five minutes, off the five-minute marks
	d.add("Only breaks", 0, "10:02", "10:04")
	g := d.build()
	for _, it := range g.Items {
		if it.RowEnd <= it.Row {
			t.Errorf("%q has no height: rows %d–%d", it.S.Title, it.Row, it.RowEnd)
		}
	}
	assertNoCoveredItems(t, g, 2)
	// Half-hour zones label whole local half hours.
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	at, _ := models.LocalTime(kolkata, "2027-03-11", "09:40")
	s := []models.Session{{ID: 1, Title: "Morning", StartsAt: at.UTC(), EndsAt: at.Add(time.Hour).UTC(), RoomID: new(uint)}}
	*s[0].RoomID = 1
	g = app.BuildGrid(s, []models.Room{{ID: 1, Name: "Hall"}}, kolkata)
	if g.Times[0].Label != "09:30" || g.Times[1].Label != "10:00" {
		t.Fatalf("labels %q %q, want 09:30 and 10:00", g.Times[0].Label, g.Times[1].Label)
	}
	// A day that starts at 08:30 starts the grid there, not at 08:00.
	d = newGridDay("Main Hall")
	d.add("Coffee", 0, "08:30", "09:00")
	d.add("Keynote", 1, "09:00", "10:00")
	g = d.build()
	if g.Times[0].Label != "08:30" || item(t, g, "Coffee").Row != 2 {
		t.Fatalf("first label %q, coffee row %d", g.Times[0].Label, item(t, g, "Coffee").Row)
	}
}
