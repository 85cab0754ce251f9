package models_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// demoForClone seeds the demo and returns its 2027 summit.
func demoForClone(t *testing.T, db *gorm.DB) *models.Summit {
	t.Helper()
	if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
		t.Fatal(err)
	}
	var s models.Summit
	if err := db.Where("year = ?", 2027).First(&s).Error; err != nil {
		t.Fatal(err)
	}
	return &s
}

// personalCounts counts the rows of a summit that belong to people:
// registrations (seats, waitlists, check-ins), nominations, scores,
// recusals, winners and feedback.
func personalCounts(t *testing.T, db *gorm.DB, summitID uint) map[string]int64 {
	t.Helper()
	q := map[string]string{
		"registrations": "SELECT COUNT(*) FROM registrations r JOIN sessions x ON x.id = r.session_id WHERE x.summit_id = ?",
		"nominations":   "SELECT COUNT(*) FROM award_nominations n JOIN award_categories c ON c.id = n.category_id WHERE c.summit_id = ?",
		"scores":        "SELECT COUNT(*) FROM award_scores s JOIN award_nominations n ON n.id = s.nomination_id JOIN award_categories c ON c.id = n.category_id WHERE c.summit_id = ?",
		"recusals":      "SELECT COUNT(*) FROM award_recusals s JOIN award_nominations n ON n.id = s.nomination_id JOIN award_categories c ON c.id = n.category_id WHERE c.summit_id = ?",
		"winners":       "SELECT COUNT(*) FROM award_winners w JOIN award_categories c ON c.id = w.category_id WHERE c.summit_id = ?",
		"feedback":      "SELECT COUNT(*) FROM feedback WHERE summit_id = ?",
	}
	out := map[string]int64{}
	for k, sql := range q {
		var n int64
		if err := db.Raw(sql, summitID).Scan(&n).Error; err != nil {
			t.Fatalf("%s: %v", k, err)
		}
		out[k] = n
	}
	return out
}

// Copying the demo summit to a date after the clocks change (11 March 2027,
// winter time, to 6 April 2028, summer time) gives a draft with every part,
// each session at the same local time on its shifted day (one hour earlier
// in UTC), award moments and the registration window shifted the same way,
// the same speakers kept, judges who are still here, and nothing personal.
func TestCloneDemoSummitAcrossDaylightSaving(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		from := demoForClone(t, db)
		loc := from.Location()
		before := personalCounts(t, db, from.ID)
		if before["registrations"] == 0 || before["nominations"] == 0 {
			t.Fatalf("the demo should have registrations and nominations to leave behind: %v", before)
		}
		// A judge who has left since.
		var judge models.AwardJudge
		if err := db.Preload("Person").Joins("JOIN award_categories c ON c.id = award_judges.category_id").Where("c.summit_id = ?", from.ID).
			Order("award_judges.id").First(&judge).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := models.DeactivatePerson(ctx, db, models.ActorOf(nil, ""), judge.PersonID); err != nil {
			t.Fatal(err)
		}
		// Commitments: an open one carries over, a done one stays.
		var owner models.Person
		db.Where("active AND id <> ?", judge.PersonID).Order("id").First(&owner)
		sys := models.ActorOf(nil, "")
		mkCommit := func(what string) *models.Commitment {
			c, err := models.SaveCommitment(ctx, db, sys, from.ID, 0, models.CommitmentInput{What: what, OwnerID: itoa(owner.ID), DueDate: "2027-09-01",
				Success: "We will see it in the survey."}, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		mkCommit("Answer every colleague within a day")
		done := mkCommit("Publish the service promises")
		if err := db.Model(&models.Commitment{}).Where("id = ?", done.ID).Update("status", models.CommitDone).Error; err != nil {
			t.Fatal(err)
		}
		var openBefore int64
		db.Model(&models.Commitment{}).Where("summit_id = ? AND status NOT IN ?", from.ID, []models.CommitmentStatus{models.CommitDone, models.CommitDropped}).Count(&openBefore)
		in := models.CloneInput{Title: "Service Summit 2028", StartDate: "2028-04-06", Parts: models.CloneParts}
		plan, err := models.PreviewClone(ctx, db, from.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		var n int64
		db.Model(&models.Summit{}).Where("title = ?", in.Title).Count(&n)
		if n != 0 {
			t.Fatal("the preview wrote a summit")
		}
		if plan.To.EndDate != "2028-04-07" || plan.Days != 392 {
			t.Fatalf("new dates: %s–%s, %d days later", plan.To.StartDate, plan.To.EndDate, plan.Days)
		}
		if cannot := strings.Join(plan.Cannot, "\n"); !strings.Contains(cannot, "Judge "+judge.Person.Name) || !strings.Contains(cannot, "Speaker "+judge.Person.Name+" has left") {
			t.Fatalf("the preview does not say the judge who left cannot be copied: %v", plan.Cannot)
		}

		to, made, err := models.CloneSummit(ctx, db, models.ActorOf(nil, ""), from.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if to.Status != models.StatusDraft || to.CopiedFromID == nil || *to.CopiedFromID != from.ID || to.Year != 2028 || to.TimeZone != from.TimeZone ||
			to.Theme != from.Theme || to.Venue != from.Venue {
			t.Fatalf("the new edition: %+v", to)
		}
		if len(made.Sessions) != len(plan.Sessions) {
			t.Fatalf("preview said %d sessions, the copy made %d", len(plan.Sessions), len(made.Sessions))
		}
		var carried []models.Commitment
		db.Where("summit_id = ?", to.ID).Find(&carried)
		if plan.Commitments != int(openBefore) || made.Commitments != int(openBefore) || len(carried) != int(openBefore) || openBefore == 0 {
			t.Fatalf("open commitments: %d before, preview %d, carried %d, stored %d", openBefore, plan.Commitments, made.Commitments, len(carried))
		}
		for _, c := range carried {
			if c.What == "Publish the service promises" || c.CarriedFromID == nil {
				t.Fatalf("carried %+v", c)
			}
		}

		// Sessions: every one, same local time, shifted day, same room and
		// track names, same seats (none taken), new UUIDs, same speakers.
		old, _ := models.ListSessions(ctx, db, from, models.AgendaFilter{})
		got, _ := models.ListSessions(ctx, db, to, models.AgendaFilter{})
		if len(old) == 0 || len(got) != len(old) {
			t.Fatalf("%d sessions copied of %d", len(got), len(old))
		}
		for i := range old {
			o, g := old[i], got[i]
			ol, gl := o.StartsAt.In(loc), g.StartsAt.In(loc)
			if g.Title != o.Title || gl.Format("15:04") != ol.Format("15:04") || g.EndsAt.In(loc).Format("15:04") != o.EndsAt.In(loc).Format("15:04") ||
				gl.Format(models.DateLayout) != ol.AddDate(0, 0, 392).Format(models.DateLayout) {
				t.Fatalf("session %q: %s → %s", o.Title, ol, gl)
			}
			if d := g.StartsAt.Sub(o.StartsAt); d != 392*24*time.Hour-time.Hour {
				t.Fatalf("session %q moved %v in UTC; summer time makes it one hour less than 392 days", o.Title, d)
			}
			if g.UUID == o.UUID || g.SeatsTaken != 0 || (o.Capacity == nil) != (g.Capacity == nil) || (o.Capacity != nil && *o.Capacity != *g.Capacity) {
				t.Fatalf("session %q: uuid %s/%s, seats %d, capacity %v/%v", o.Title, o.UUID, g.UUID, g.SeatsTaken, o.Capacity, g.Capacity)
			}
			if (o.Room == nil) != (g.Room == nil) || (o.Room != nil && (o.Room.Name != g.Room.Name || o.Room.SummitID == g.Room.SummitID)) {
				t.Fatalf("session %q room: %v → %v", o.Title, o.Room, g.Room)
			}
			if (o.Track == nil) != (g.Track == nil) || (o.Track != nil && (o.Track.Name != g.Track.Name || g.Track.SummitID != to.ID)) {
				t.Fatalf("session %q track: %v → %v", o.Title, o.Track, g.Track)
			}
			var kept []models.Speaker // the judge who left spoke too: taken off their sessions
			for _, sp := range o.Speakers {
				if sp.PersonID == nil || *sp.PersonID != judge.PersonID {
					kept = append(kept, sp)
				}
			}
			if g.Abstract != o.Abstract || len(g.Speakers) != len(kept) {
				t.Fatalf("session %q: abstract or speakers differ (%d → %d)", o.Title, len(kept), len(g.Speakers))
			}
			for k := range kept {
				gs, os := g.Speakers[k], kept[k]
				if gs.Name != os.Name || gs.SummitID != to.ID || gs.KeptFromID == nil || *gs.KeptFromID != os.ID ||
					(os.PersonID == nil) != (gs.PersonID == nil) || (os.PersonID != nil && *os.PersonID != *gs.PersonID) {
					t.Fatalf("speaker %q of %q not kept: %+v", os.Name, o.Title, gs)
				}
			}
		}
		// Speakers, guests with their bio.
		oldSp, _ := models.ListSpeakers(ctx, db, from.ID)
		newSp, _ := models.ListSpeakers(ctx, db, to.ID)
		wantSp := 0
		for _, sp := range oldSp {
			if sp.PersonID == nil || sp.PersonID != nil && *sp.PersonID != judge.PersonID {
				wantSp++
			}
		}
		if len(newSp) != wantSp {
			t.Fatalf("%d speakers kept of %d", len(newSp), wantSp)
		}
		for _, sp := range newSp {
			if sp.PersonID == nil && sp.Bio == "" {
				t.Fatalf("guest %s lost their bio", sp.Name)
			}
		}

		// Award categories: moments shifted by local wall-clock, judges
		// still active, and no nominations, scores or winners.
		oldCats, _ := models.ListCategories(ctx, db, from.ID)
		newCats, _ := models.ListCategories(ctx, db, to.ID)
		if len(oldCats) == 0 || len(newCats) != len(oldCats) {
			t.Fatalf("%d categories of %d", len(newCats), len(oldCats))
		}
		byName := map[string]models.AwardCategory{}
		for _, c := range oldCats {
			byName[c.Name] = c
		}
		for _, c := range newCats {
			o := byName[c.Name]
			for _, pair := range [][2]time.Time{{o.OpensAt, c.OpensAt}, {o.ClosesAt, c.ClosesAt}, {o.AnnounceAt, c.AnnounceAt}, {o.JudgingClosesAt, c.JudgingClosesAt}} {
				if pair[1].In(loc).Format("15:04") != pair[0].In(loc).Format("15:04") ||
					pair[1].In(loc).Format(models.DateLayout) != pair[0].In(loc).AddDate(0, 0, 392).Format(models.DateLayout) {
					t.Fatalf("category %q: %s → %s", c.Name, pair[0].In(loc), pair[1].In(loc))
				}
			}
			if c.Criteria != o.Criteria || c.Winners != o.Winners || c.Blind != o.Blind {
				t.Fatalf("category %q: %+v", c.Name, c)
			}
			var judges []models.AwardJudge
			db.Where("category_id = ?", c.ID).Find(&judges)
			var oldJudges []models.AwardJudge
			db.Where("category_id = ?", o.ID).Find(&oldJudges)
			want := len(oldJudges)
			for _, j := range oldJudges {
				if j.PersonID == judge.PersonID {
					want--
				}
			}
			if len(judges) != want {
				t.Fatalf("category %q: %d judges, want %d", c.Name, len(judges), want)
			}
			for _, j := range judges {
				if j.PersonID == judge.PersonID {
					t.Fatalf("the judge who left was copied to %q", c.Name)
				}
			}
		}
		ow, _ := models.GetRegistrationWindow(ctx, db, from.ID)
		nw, _ := models.GetRegistrationWindow(ctx, db, to.ID)
		if ow.OpensAt == nil || nw.OpensAt == nil || nw.OpensAt.In(loc).Format("15:04") != ow.OpensAt.In(loc).Format("15:04") ||
			nw.ClosesAt.In(loc).Format(models.DateLayout) != ow.ClosesAt.In(loc).AddDate(0, 0, 392).Format(models.DateLayout) {
			t.Fatalf("registration window %v → %v", ow, nw)
		}

		// Nothing personal: none in the copy, all of it still in the original.
		for k, v := range personalCounts(t, db, to.ID) {
			if v != 0 {
				t.Errorf("the copy has %d %s", v, k)
			}
		}
		for k, v := range personalCounts(t, db, from.ID) {
			if v != before[k] {
				t.Errorf("the original's %s went from %d to %d", k, before[k], v)
			}
		}
	})
}

// Choosing parts: without rooms, speakers and texts, sessions come without
// room, speakers or abstract, tracks are the pillars; what cannot be
// copied is listed — a day the shorter new edition lacks, and a time that
// does not exist on the new day when the clocks go forward.
func TestCloneChosenPartsAndWhatCannotBeCopied(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		from, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Night Summit 2027", StartDate: "2027-03-20", EndDate: "2027-03-21", TimeZone: "Europe/Amsterdam", Theme: "Late"})
		if err != nil {
			t.Fatal(err)
		}
		tracks, _ := models.ListTracks(ctx, db, from.ID)
		room, err := models.CreateRoom(ctx, db, models.ActorOf(nil, ""), from.ID, models.RoomInput{Name: "Cellar", Capacity: "30"})
		if err != nil {
			t.Fatal(err)
		}
		guest, err := models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), from.ID, 0, models.SpeakerInput{Name: "Nox Guest", Organisation: "Night Ltd", Bio: "Speaks at night."})
		if err != nil {
			t.Fatal(err)
		}
		mk := func(title, day, start, end string) {
			t.Helper()
			if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), from.ID, 0, models.SessionInput{Title: title, Kind: models.KindPanel, Abstract: "About " + title, Day: day,
				StartTime: start, EndTime: end, RoomID: itoa(room.ID), TrackID: itoa(tracks[0].ID), SpeakerIDs: []string{itoa(guest.ID)}}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		mk("Owl hour", "2027-03-21", "02:30", "03:30") // 28 March 2027: 02:30 does not exist
		mk("Day one", "2027-03-20", "10:00", "11:00")
		mk("Day two", "2027-03-21", "10:00", "11:00")

		in := models.CloneInput{Title: "Night Summit 2027 bis", StartDate: "2027-03-27", Parts: []string{models.PartSessions}}
		to, plan, err := models.CloneSummit(ctx, db, models.ActorOf(nil, ""), from.ID, in)
		if err != nil {
			t.Fatal(err)
		}
		if len(plan.Cannot) != 1 || !strings.Contains(plan.Cannot[0], "“Owl hour”") || !strings.Contains(plan.Cannot[0], "clocks go forward") {
			t.Fatalf("cannot: %v", plan.Cannot)
		}
		got, _ := models.ListSessions(ctx, db, to, models.AgendaFilter{})
		if len(got) != 2 {
			t.Fatalf("%d sessions", len(got))
		}
		for _, g := range got {
			if g.Room != nil || len(g.Speakers) != 0 || g.Abstract != "" || g.Track == nil || g.Track.Pillar != tracks[0].Pillar || g.Track.SummitID != to.ID {
				t.Fatalf("session %q: room %v, %d speakers, abstract %q, track %+v", g.Title, g.Room, len(g.Speakers), g.Abstract, g.Track)
			}
		}
		if to.Theme != "" {
			t.Fatalf("texts were not chosen, but the theme was copied: %q", to.Theme)
		}
		if rooms, _ := models.ListRooms(ctx, db, to.ID); len(rooms) != 0 {
			t.Fatalf("rooms were not chosen: %v", rooms)
		}

		// A shorter new edition: day two does not exist.
		plan, err = models.PreviewClone(ctx, db, from.ID, models.CloneInput{Title: "Night Summit 2028", StartDate: "2028-03-18", EndDate: "2028-03-18", Parts: models.CloneParts})
		if err != nil {
			t.Fatal(err)
		}
		cannot := strings.Join(plan.Cannot, "\n")
		if !strings.Contains(cannot, "“Day two”") || !strings.Contains(cannot, "does not exist in the new edition") || strings.Contains(cannot, "“Day one”") {
			t.Fatalf("cannot: %v", plan.Cannot)
		}
		if len(plan.Speakers) != 1 || plan.Speakers[0].Name != "Nox Guest" {
			t.Fatalf("speakers: %+v", plan.Speakers)
		}

		// Bad input: field messages, nothing written.
		_, err = models.PreviewClone(ctx, db, from.ID, models.CloneInput{Title: "", StartDate: "soon"})
		fieldErr(t, err, "title", "required")
		fieldErr(t, err, "start_date", "like 2028-03-09")
		_, _, err = models.CloneSummit(ctx, db, models.ActorOf(nil, ""), from.ID, models.CloneInput{Title: "Earlier", StartDate: "2027-01-05", Parts: models.CloneParts})
		fieldErr(t, err, "start_date", "must start after")
		_, _, err = models.CloneSummit(ctx, db, models.ActorOf(nil, ""), from.ID, models.CloneInput{Title: "night summit 2027 BIS", StartDate: "2027-05-05", Parts: models.CloneParts})
		fieldErr(t, err, "title", "already an edition called")
		var n int64
		db.Model(&models.Summit{}).Count(&n)
		if n != 2 {
			t.Fatalf("%d summits after refused copies, want 2", n)
		}
		if _, err := models.PreviewClone(ctx, db, 999999, in); err != models.ErrNotFound {
			t.Fatalf("a missing summit: %v", err)
		}
	})
}

func TestNextYearSuggestions(t *testing.T) {
	s := &models.Summit{Title: "Service Summit 2027 Europe", Year: 2027, StartDate: "2027-03-11"}
	start := models.NextYearStart(s)
	if start != "2028-03-09" {
		t.Fatalf("start %s", start)
	}
	if d, _ := time.Parse(models.DateLayout, start); d.Weekday() != time.Thursday {
		t.Fatalf("%s is not a Thursday", start)
	}
	if got := models.NextYearTitle(s, start); got != "Service Summit 2028 Europe" {
		t.Fatalf("title %q", got)
	}
	if got := models.NextYearTitle(&models.Summit{Title: "Service Summit", Year: 2027}, start); got != "Service Summit 2028" {
		t.Fatalf("title %q", got)
	}
	if parts, err := models.ParseCloneParts("rooms, Sessions"); err != nil || len(parts) != 2 || parts[1] != models.PartSessions {
		t.Fatalf("parts %v %v", parts, err)
	}
	if _, err := models.ParseCloneParts("rooms,winners"); err == nil || !strings.Contains(err.Error(), "winners") {
		t.Fatalf("an unknown part: %v", err)
	}
}

// The checklist: each item opens on what it checks and closes when fixed.
func TestPublishChecklist(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSummit(t, db)
		now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
		open := func() map[string]string {
			t.Helper()
			list, err := models.PublishChecklist(ctx, db, s, now)
			if err != nil {
				t.Fatal(err)
			}
			out := map[string]string{}
			for _, it := range models.OpenItems(list) {
				out[it.Key] = it.Text + " → " + it.Href
			}
			return out
		}
		got := open()
		if len(got) != 2 || got[models.CheckRegistration] == "" || got[models.CheckCeremony] == "" {
			t.Fatalf("a new summit: %v", got)
		}
		tracks, _ := models.ListTracks(ctx, db, s.ID)
		room, _ := models.CreateRoom(ctx, db, models.ActorOf(nil, ""), s.ID, models.RoomInput{Name: "Hall", Capacity: "100"})
		x, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Unseated", Kind: models.KindTraining, Day: "2027-03-11", StartTime: "09:00", EndTime: "10:00"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Coffee", Kind: models.KindBreak, Day: "2027-03-11", StartTime: "10:00", EndTime: "10:30"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		got = open()
		if !strings.Contains(got[models.CheckSessionsPlaced], "1 session has no room or no track: “Unseated”") || strings.Contains(got[models.CheckSessionsPlaced], "Coffee") ||
			!strings.HasSuffix(got[models.CheckTrainingSeats], "/sessions/"+itoa(x.Session.ID)+"/edit") {
			t.Fatalf("sessions: %v", got)
		}
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, x.Session.ID, models.SessionInput{Title: "Unseated", Kind: models.KindTraining, Day: "2027-03-11", StartTime: "09:00", EndTime: "10:00",
			RoomID: itoa(room.ID), TrackID: itoa(tracks[0].ID), Capacity: "20"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Awards", Kind: models.KindCeremony, Day: "2027-03-12", StartTime: "16:00", EndTime: "17:00",
			RoomID: itoa(room.ID), TrackID: itoa(tracks[0].ID)}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("UPDATE summits SET registration_opens_at = ?, registration_closes_at = ? WHERE id = ?", now, now.AddDate(0, 2, 0), s.ID).Error; err != nil {
			t.Fatal(err)
		}
		if err := db.Exec("UPDATE tracks SET color = ? WHERE id = ?", "#ffee00", tracks[1].ID).Error; err != nil { // older data: a yellow from before the rule
			t.Fatal(err)
		}
		got = open()
		if len(got) != 1 || !strings.Contains(got[models.CheckTrackContrast], "“"+tracks[1].Name+"”") || !strings.HasSuffix(got[models.CheckTrackContrast], "/tracks/"+itoa(tracks[1].ID)+"/edit") {
			t.Fatalf("after fixing: %v", got)
		}
		db.Exec("UPDATE tracks SET color = ? WHERE id = ?", "#1d4e89", tracks[1].ID)
		c := models.AwardCategory{SummitID: s.ID, Name: "Patience", Winners: 1, OpensAt: now.AddDate(0, -2, 0), ClosesAt: now.AddDate(0, -1, 0),
			AnnounceAt: now.AddDate(0, 3, 0), JudgingClosesAt: now.AddDate(0, 2, 0)}
		if err := db.Create(&c).Error; err != nil {
			t.Fatal(err)
		}
		got = open()
		if len(got) != 2 || !strings.Contains(got[models.CheckAwardJudges], "“Patience”") || !strings.Contains(got[models.CheckAwardWindows], "already over") {
			t.Fatalf("a category without judges whose window is over: %v", got)
		}
	})
}

// With several editions a year, the previous edition of a copy is its
// source; of an edition without one, the latest of an earlier year (not a
// sister edition of the same year).
func TestPreviousEditionWithSeveralEditionsAYear(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		mk := func(title, day string, status models.SummitStatus) *models.Summit {
			t.Helper()
			s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: title, StartDate: day, EndDate: day, TimeZone: "UTC"})
			if err != nil {
				t.Fatal(err)
			}
			if s, err = models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), s.ID, status); err != nil {
				t.Fatal(err)
			}
			return s
		}
		eu26 := mk("Summit 2026 Europe", "2026-03-12", models.StatusArchived)
		am26 := mk("Summit 2026 Americas", "2026-09-10", models.StatusArchived)
		eu27, _, err := models.CloneSummit(ctx, db, models.ActorOf(nil, ""), eu26.ID, models.CloneInput{Title: "Summit 2027 Europe", StartDate: "2027-03-11", Parts: models.CloneParts})
		if err != nil {
			t.Fatal(err)
		}
		if eu27, err = models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), eu27.ID, models.StatusPublished); err != nil {
			t.Fatal(err)
		}
		am27 := mk("Summit 2027 Americas", "2027-09-09", models.StatusPublished)
		for _, c := range []struct {
			of, want *models.Summit
		}{{eu27, eu26}, {am27, am26}, {am26, eu26}} {
			if p, err := models.PreviousEdition(ctx, db, c.of); err != nil || p.ID != c.want.ID {
				t.Errorf("previous of %s: %v %v, want %s", c.of.Title, p, err, c.want.Title)
			}
		}
		if _, err := models.PreviousEdition(ctx, db, eu26); err != models.ErrNotFound {
			t.Errorf("the first edition: %v", err)
		}
	})
}

// Speakers across years: a new summit picks from other editions' speakers,
// each person or guest once and as last described, not those already
// speaking or gone from the directory; a kept guest keeps organisation and
// bio; directory speakers carry their department from the directory.
func TestSpeakersKeptAcrossEditions(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		old := newSummit(t, db)
		next, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit 2028", StartDate: "2028-03-09", EndDate: "2028-03-10", TimeZone: "Europe/Amsterdam"})
		if err != nil {
			t.Fatal(err)
		}
		person, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Ana Souza", Email: "ana@example.com", Department: "Customer Support", Role: models.RoleStaff, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		gone, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Gone Person", Email: "gone@example.com", Department: "Sales", Role: models.RoleStaff, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		staffSp, _ := models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), old.ID, 0, models.SpeakerInput{PersonID: itoa(person.ID), Bio: "Coaches the team."})
		guest, _ := models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), old.ID, 0, models.SpeakerInput{Name: "Dr. Ama Mensah", Organisation: "Institute for Service Research", Bio: "Studies service."})
		models.SaveSpeaker(ctx, db, models.ActorOf(nil, ""), old.ID, 0, models.SpeakerInput{PersonID: itoa(gone.ID)})
		models.DeactivatePerson(ctx, db, models.ActorOf(nil, ""), gone.ID)
		list, err := models.EarlierSpeakers(ctx, db, next.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Name != "Ana Souza" || list[0].Affiliation() != "Customer Support" || list[1].Name != "Dr. Ama Mensah" {
			t.Fatalf("earlier speakers: %+v", list)
		}
		kept, err := models.KeepSpeaker(ctx, db, models.ActorOf(nil, ""), next.ID, guest.ID)
		if err != nil || kept.Organisation != guest.Organisation || kept.Bio != guest.Bio || kept.KeptFromID == nil || *kept.KeptFromID != guest.ID || kept.SummitID != next.ID {
			t.Fatalf("kept guest: %+v %v", kept, err)
		}
		if _, err := models.KeepSpeaker(ctx, db, models.ActorOf(nil, ""), next.ID, guest.ID); err == nil {
			t.Fatal("a guest was kept twice")
		}
		if _, err := models.KeepSpeaker(ctx, db, models.ActorOf(nil, ""), next.ID, staffSp.ID); err != nil {
			t.Fatal(err)
		}
		if list, _ := models.EarlierSpeakers(ctx, db, next.ID); len(list) != 0 {
			t.Fatalf("still offered: %+v", list)
		}
		here, _ := models.ListSpeakers(ctx, db, next.ID)
		if len(here) != 2 || here[0].Department != "Customer Support" || here[1].Department != "" || here[1].Affiliation() != "Institute for Service Research" {
			t.Fatalf("the new summit's speakers: %+v", here)
		}
		// The department comes from the directory, on sessions too.
		if _, err := models.UpdatePerson(ctx, db, models.ActorOf(nil, ""), person.ID, models.PersonInput{Name: person.Name, Email: person.Email, Department: "Customer Care", Role: person.Role, Active: true}); err != nil {
			t.Fatal(err)
		}
		if _, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), next.ID, 0, models.SessionInput{Title: "Coaching", Kind: models.KindPanel, Day: "2028-03-09", StartTime: "09:00", EndTime: "10:00",
			SpeakerIDs: []string{itoa(here[0].ID)}}, time.Now()); err != nil {
			t.Fatal(err)
		}
		sessions, _ := models.ListSessions(ctx, db, next, models.AgendaFilter{})
		if len(sessions) != 1 || len(sessions[0].Speakers) != 1 || sessions[0].Speakers[0].Affiliation() != "Customer Care" {
			t.Fatalf("session speakers: %+v", sessions)
		}
		if _, err := models.KeepSpeaker(ctx, db, models.ActorOf(nil, ""), old.ID, 999999); err != models.ErrNotFound {
			t.Fatalf("a missing speaker: %v", err)
		}
	})
}
