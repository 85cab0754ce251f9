package models_test

import (
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// Every change through the models API is audited in its own transaction,
// with the actor, whatever the entry point (web, CLI, a future API): no
// handler writes the audit log any more. A refused change leaves no audit
// row, because the row and the change commit or roll back together.
func TestEveryChangeIsAuditedWithItsActor(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		admin, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Ada Admin", Email: "ada@example.com", Role: models.RoleAdmin, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		who := models.ActorOf(admin, "192.0.2.7")
		now := time.Now()
		s, err := models.CreateSummit(ctx, db, who, models.SummitInput{Title: "Service Summit 2027", StartDate: "2027-03-11", EndDate: "2027-03-12", TimeZone: "Europe/Amsterdam"})
		if err != nil {
			t.Fatal(err)
		}
		step := func(what string, err error) {
			t.Helper()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		}
		r, err := models.CreateRoom(ctx, db, who, s.ID, models.RoomInput{Name: "Atrium", Capacity: "40"})
		step("create room", err)
		_, err = models.UpdateRoom(ctx, db, who, s.ID, r.ID, models.RoomInput{Name: "Atrium Hall", Capacity: "40"})
		step("update room", err)
		tr, err := models.CreateTrack(ctx, db, who, s.ID, models.TrackInput{Name: "Extra", Pillar: models.PillarTrain, Color: "#1d4ed8"})
		step("create track", err)
		step("delete track", models.DeleteTrack(ctx, db, who, s.ID, tr.ID))
		sp, err := models.SaveSpeaker(ctx, db, who, s.ID, 0, models.SpeakerInput{Name: "Zoë Ølberg"})
		step("create speaker", err)
		res, err := models.SaveSession(ctx, db, who, s.ID, 0, models.SessionInput{Title: "Opening", Kind: models.KindKeynote, RoomID: itoa(r.ID),
			Day: "2027-03-11", StartTime: "09:00", EndTime: "10:00", SpeakerIDs: []string{itoa(sp.ID)}}, now)
		step("create session", err)
		step("delete session", models.DeleteSession(ctx, db, who, s.ID, res.Session.ID, now))
		step("delete speaker", models.DeleteSpeaker(ctx, db, who, s.ID, sp.ID))
		step("delete room", models.DeleteRoom(ctx, db, who, s.ID, r.ID))
		_, err = models.UpdateSummit(ctx, db, who, s.ID, models.SummitInput{Title: "Service Summit 2027", Theme: "Everyone serves", StartDate: "2027-03-11", EndDate: "2027-03-12", TimeZone: "Europe/Amsterdam"}, now)
		step("update summit", err)
		_, err = models.SetSummitStatus(ctx, db, who, s.ID, models.StatusPublished)
		step("publish", err)
		bo, err := models.CreatePerson(ctx, db, who, models.PersonInput{Name: "Bo Staff", Email: "bo@example.com", Role: models.RoleStaff, Active: true})
		step("create person", err)
		_, err = models.UpdatePerson(ctx, db, who, bo.ID, models.PersonInput{Name: "Bo Staff", Email: "bo@example.com", Role: models.RoleOrganiser, Active: true})
		step("update person", err)
		_, err = models.DeactivatePerson(ctx, db, who, bo.ID)
		step("deactivate", err)

		// A refused change writes nothing, its audit row included.
		if _, err := models.CreateRoom(ctx, db, who, s.ID, models.RoomInput{Name: "", Capacity: "x"}); err == nil {
			t.Fatal("an empty room name was accepted")
		}
		if _, err := models.CreateSummit(ctx, db, who, models.SummitInput{Title: "Service Summit 2027", StartDate: "2027-05-01", EndDate: "2027-05-02", TimeZone: "UTC"}); err == nil {
			t.Fatal("a second edition of 2027 with the same title was accepted")
		}

		evs, err := models.ListAudit(ctx, db, models.AuditFilter{ActorID: admin.ID, Limit: 100})
		step("list audit", err)
		got := map[string]int{}
		for _, ev := range evs {
			got[ev.Action]++
			if ev.IP != "192.0.2.7" || ev.ActorName != "Ada Admin" {
				t.Errorf("%s: actor %q from %q", ev.Action, ev.ActorName, ev.IP)
			}
		}
		for _, a := range []string{"summit.create", "room.create", "room.update", "track.create", "track.delete", "speaker.create",
			"session.create", "session.delete", "speaker.delete", "room.delete", "summit.update", "summit.status",
			"person.create", "person.update", "person.role", "person.deactivate"} {
			if got[a] == 0 {
				t.Errorf("no %s event; got %v", a, got)
			}
		}
		if got["summit.create"] != 1 || got["room.create"] != 1 {
			t.Errorf("a refused change left an audit row: %v", got)
		}
	})
}
