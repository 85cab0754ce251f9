package app

import (
	"sort"
	"time"

	"summit/models"
)

// Grid is a day's timetable: rooms across, time down. Each column is split
// into lanes when sessions in it overlap, so parallel sessions sit side by
// side and none is dropped.
type Grid struct {
	Columns   []GridColumn
	Lanes     int
	Rows      int // 5-minute rows
	Start     time.Time
	Times     []GridTime
	Items     []GridItem
	SlotMins  int
	HasOthers bool
	// Shift: the clocks change during the grid (a summer-time night), so
	// an hour's labels happen twice (or are skipped) and carry their zone.
	Shift bool
}

// GridColumn is a room (or "Other" for sessions without a room).
type GridColumn struct {
	Name      string
	RoomID    uint // 0: Other (no room)
	FirstLane int  // 1-based grid column of the column's first lane (after the time column)
	Lanes     int
}

// GridTime labels a row with a time.
type GridTime struct {
	Row   int
	Label string
}

// GridItem is a session placed on the grid (1-based CSS grid lines).
type GridItem struct {
	S        *models.Session
	Row      int
	RowEnd   int
	Col      int
	ColEnd   int
	FullSpan bool
	// At is the session's start in minutes since the grid's start: real
	// minutes, as the rows are, so the editor's arithmetic holds across a
	// change of the clocks.
	At int
	// Part marks the second and later pieces of a break for everyone that
	// sessions during it split: shown again for the eye, but hidden from
	// screen readers and the tab order (the first piece is the link).
	Part bool
}

const slotMinutes = 5

// minutesFrom is how many real minutes t is after start.
func minutesFrom(start, t time.Time) int { return int(t.Sub(start) / time.Minute) }

// BuildGrid lays out one day's sessions. Sessions without a room that
// overlap no other session span all rooms. A break for everyone (a break
// without a room: lunch) spans all rooms even when sessions happen during it
// (the organiser was warned): it then fills every room lane those sessions
// leave free, in pieces. Other roomless sessions go into an "Other" column.
func BuildGrid(sessions []models.Session, rooms []models.Room, loc *time.Location) *Grid {
	return buildGrid(sessions, rooms, loc, gridOptions{})
}

// gridOptions widen a grid for the timetable editor: every room gets a
// column (something can be dropped into an empty room) and the rows cover
// at least From to To.
type gridOptions struct {
	AllRooms bool
	From, To time.Time
}

func buildGrid(sessions []models.Session, rooms []models.Room, loc *time.Location, opt gridOptions) *Grid {
	g := &Grid{SlotMins: slotMinutes}
	if len(sessions) == 0 && opt.From.IsZero() {
		return g
	}
	start, end := opt.From, opt.To
	if start.IsZero() {
		start, end = sessions[0].StartsAt, sessions[0].EndsAt
	}
	for _, s := range sessions {
		if s.StartsAt.Before(start) {
			start = s.StartsAt
		}
		if s.EndsAt.After(end) {
			end = s.EndsAt
		}
	}
	// The grid starts on the local half hour before the first session (in
	// local time, so zones with :30 and :45 offsets label whole half hours).
	ls := start.In(loc)
	start = start.Add(-(time.Duration(ls.Minute()%30)*time.Minute + time.Duration(ls.Second())*time.Second + time.Duration(ls.Nanosecond())))
	g.Start = start
	_, off0 := start.In(loc).Zone()
	_, off1 := end.In(loc).Zone()
	g.Shift = off0 != off1
	g.Rows = int((end.Sub(start) + slotMinutes*time.Minute - 1) / (slotMinutes * time.Minute))
	if g.Rows < 1 {
		g.Rows = 1
	}
	slot := slotMinutes * time.Minute
	row := func(t time.Time) int { return int(t.Sub(start)/slot) + 1 }
	// rowEnd rounds up, so a session that ends between two rows (or lasts
	// under five minutes) still gets at least one row.
	rowEnd := func(s *models.Session) int {
		e := int((s.EndsAt.Sub(start)+slot-1)/slot) + 1
		if r := row(s.StartsAt); e <= r {
			e = r + 1
		}
		return e
	}

	// Columns: rooms in order, only those used today, then Other.
	used := map[uint]bool{}
	for _, r := range rooms {
		used[r.ID] = opt.AllRooms
	}
	for _, s := range sessions {
		if s.RoomID != nil {
			used[*s.RoomID] = true
		}
	}
	colIdx := map[uint]int{}
	type col struct {
		name  string
		room  uint
		items []int // indexes into sessions
	}
	var cols []col
	for _, r := range rooms {
		if used[r.ID] {
			colIdx[r.ID] = len(cols)
			cols = append(cols, col{name: r.Name, room: r.ID})
		}
	}
	roomCol := func(s *models.Session) (int, bool) {
		if s.RoomID == nil {
			return 0, false
		}
		ci, ok := colIdx[*s.RoomID]
		return ci, ok
	}
	var full []int
	otherIdx := -1
	for i := range sessions {
		s := &sessions[i]
		if s.RoomID != nil {
			if ci, ok := colIdx[*s.RoomID]; ok {
				cols[ci].items = append(cols[ci].items, i)
				continue
			}
		}
		// A roomless session spans every room only when nothing else happens
		// at that time: neither a roomed session nor another roomless one
		// (two full-width blocks at once would cover each other). A break for
		// everyone only needs no other roomless session and a room with
		// nothing on during it.
		alone, roomlessBeside := true, false
		busy := map[int]bool{}
		for j := range sessions {
			if j != i && sessions[j].Overlaps(s) {
				alone = false
				if ci, ok := roomCol(&sessions[j]); ok {
					busy[ci] = true
				} else {
					roomlessBeside = true
				}
			}
		}
		if len(cols) > 0 && (alone || s.IsPlenaryBreak() && !roomlessBeside && len(busy) < len(cols)) {
			full = append(full, i)
			continue
		}
		if otherIdx < 0 {
			otherIdx = len(cols)
			cols = append(cols, col{name: "Other"})
			g.HasOthers = true
		}
		cols[otherIdx].items = append(cols[otherIdx].items, i)
	}
	// Lanes within each column: greedy interval partitioning.
	lane := make(map[int]int)
	next := 2 // grid column 1 is the time column
	for _, c := range cols {
		sort.SliceStable(c.items, func(a, b int) bool { return sessions[c.items[a]].StartsAt.Before(sessions[c.items[b]].StartsAt) })
		var laneEnds []time.Time
		for _, i := range c.items {
			placed := false
			for l, e := range laneEnds {
				if !sessions[i].StartsAt.Before(e) {
					laneEnds[l] = sessions[i].EndsAt
					lane[i] = l
					placed = true
					break
				}
			}
			if !placed {
				lane[i] = len(laneEnds)
				laneEnds = append(laneEnds, sessions[i].EndsAt)
			}
		}
		n := len(laneEnds)
		if n == 0 {
			n = 1
		}
		g.Columns = append(g.Columns, GridColumn{Name: c.name, RoomID: c.room, FirstLane: next, Lanes: n})
		for _, i := range c.items {
			g.Items = append(g.Items, GridItem{S: &sessions[i], Row: row(sessions[i].StartsAt) + 1, RowEnd: rowEnd(&sessions[i]) + 1,
				Col: next + lane[i], ColEnd: next + lane[i] + 1, At: minutesFrom(start, sessions[i].StartsAt)})
		}
		next += n
	}
	g.Lanes = next - 2
	if g.Lanes < 1 {
		g.Lanes = 1
	}
	placed := len(g.Items) // the sessions in rooms (and Other), before the full-width ones
	for _, i := range full {
		r, re := row(sessions[i].StartsAt)+1, rowEnd(&sessions[i])+1
		// Lanes taken by a session during this block: the block goes around them.
		taken := make([]bool, g.Lanes+2)
		for _, it := range g.Items[:placed] {
			if it.Row < re && r < it.RowEnd {
				for c := it.Col; c < it.ColEnd; c++ {
					taken[c] = true
				}
			}
		}
		part := false
		for c := 2; c < 2+g.Lanes; c++ {
			if taken[c] {
				continue
			}
			end := c
			for end < 2+g.Lanes && !taken[end] {
				end++
			}
			g.Items = append(g.Items, GridItem{S: &sessions[i], Row: r, RowEnd: re, Col: c, ColEnd: end, FullSpan: true, Part: part,
				At: minutesFrom(start, sessions[i].StartsAt)})
			part = true
			c = end
		}
	}
	for t := start; t.Before(end); t = t.Add(30 * time.Minute) {
		label := t.In(loc).Format("15:04")
		if g.Shift { // 02:30 CEST, then 02:30 CET
			label = t.In(loc).Format("15:04 MST")
		}
		g.Times = append(g.Times, GridTime{Row: row(t) + 1, Label: label})
	}
	sort.SliceStable(g.Items, func(a, b int) bool { return g.Items[a].Row < g.Items[b].Row })
	return g
}
