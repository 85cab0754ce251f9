package models_test

import (
	"fmt"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// BenchmarkMoveSessionWith2000Registrants measures moving a session that
// 2,000 people hold a seat in: one SaveSession transaction that checks the
// agenda rules, finds everyone affected and queues a notice and a mail for
// each (4,000 rows) before it commits. Each iteration moves it to the other
// of two times. Budget: 1 s per move (docs/PERFORMANCE.md).
//
//	CI=1 go test -run '^$' -bench BenchmarkMoveSessionWith2000Registrants -benchtime 5x -count 3 ./models/
func BenchmarkMoveSessionWith2000Registrants(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			db := modelstest.Open(b, d)
			s, sess := seedBigSession(b, db, 2000)
			times := [][2]string{{"11:00", "12:00"}, {"10:00", "11:00"}}
			i := 0
			for b.Loop() {
				t := times[i%2]
				i++
				res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, sess.ID, models.SessionInput{Title: sess.Title, Kind: models.KindTraining,
					Day: "2027-03-11", StartTime: t[0], EndTime: t[1], Capacity: "2000"}, time.Now())
				if err != nil {
					b.Fatal(err)
				}
				if len(res.Change.Affected) != 2000 {
					b.Fatalf("%d affected", len(res.Change.Affected))
				}
			}
			b.StopTimer()
			var n int64
			db.Model(&models.Notice{}).Count(&n)
			if n != int64(2000*i) {
				b.Fatalf("%d notices after %d moves", n, i)
			}
			b.ReportMetric(float64(n)/float64(i), "notices/op")
		})
	}
}

// seedBigSession makes a published summit with one training session of
// n seats, all taken by n people (inserted in bulk: the registrations are
// the setting, not what is measured).
func seedBigSession(b *testing.B, db *gorm.DB, n int) (*models.Summit, *models.Session) {
	b.Helper()
	s := newSummit(b, db)
	res, err := models.SaveSession(ctx, db, models.ActorOf(nil, ""), s.ID, 0, models.SessionInput{Title: "Listening at scale", Kind: models.KindTraining,
		Day: "2027-03-11", StartTime: "10:00", EndTime: "11:00", Capacity: fmt.Sprint(n)}, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	people := make([]models.Person, n)
	for i := range people {
		people[i] = models.Person{Name: fmt.Sprintf("Person %04d", i), Email: fmt.Sprintf("p%04d@example.com", i), Role: models.RoleStaff, Active: true, CreatedAt: now, UpdatedAt: now}
	}
	if err := db.CreateInBatches(people, 500).Error; err != nil {
		b.Fatal(err)
	}
	regs := make([]models.Registration, n)
	for i := range regs {
		regs[i] = models.Registration{SessionID: res.Session.ID, PersonID: people[i].ID, Status: models.RegConfirmed, CreatedAt: now, UpdatedAt: now, ConfirmedAt: &now}
	}
	if err := db.CreateInBatches(regs, 500).Error; err != nil {
		b.Fatal(err)
	}
	if err := db.Exec("UPDATE sessions SET seats_taken = ? WHERE id = ?", n, res.Session.ID).Error; err != nil {
		b.Fatal(err)
	}
	return s, res.Session
}
