package models_test

import (
	"fmt"
	"testing"

	"summit/models"
	"summit/models/modelstest"
)

// BenchmarkIdeas measures a vote taken and given back (two transactions,
// each locking the person's row) and the ideas list of a summit with 200
// ideas, 1,000 votes and 200 comments, on both databases.
//
//	CI=1 TEST_DATABASE_URL=… go test -run '^$' -bench BenchmarkIdeas -benchmem ./models/
func BenchmarkIdeas(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			db := modelstest.Open(b, d)
			s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Bench", StartDate: "2027-03-11", EndDate: "2027-03-12", TimeZone: "Europe/Amsterdam"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := models.SetIdeaSettings(ctx, db, models.Actor{Name: "bench"}, s.ID, models.IdeaSettingsInput{OpensDay: "2027-01-01", OpensTime: "09:00",
				ClosesDay: "2027-03-11", ClosesTime: "09:00", Budget: "5"}, ideaNow); err != nil {
				b.Fatal(err)
			}
			people := make([]*models.Person, 200)
			for i := range people {
				if people[i], err = models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: fmt.Sprintf("Person %d", i), Email: fmt.Sprintf("p%d@example.com", i),
					Department: fmt.Sprintf("Dept %d", i%12), Role: models.RoleStaff, Active: true}); err != nil {
					b.Fatal(err)
				}
			}
			ideas := make([]*models.Idea, 200)
			for i := range ideas {
				if ideas[i], err = models.SubmitIdea(ctx, db, models.Actor{Name: "bench"}, s.ID, people[i].ID, models.IdeaInput{Title: fmt.Sprintf("Idea %d", i),
					Change: "Something kind and useful.", Helps: models.HelpsCustomers, Anonymous: i%7 == 0}, ideaNow); err != nil {
					b.Fatal(err)
				}
				if _, err := models.CommentOnIdea(ctx, db, s.ID, ideas[i].ID, people[(i+1)%200].ID, "Yes.", ideaNow); err != nil {
					b.Fatal(err)
				}
			}
			for i, p := range people {
				for k := 0; k < 5; k++ {
					if err := models.Vote(ctx, db, s.ID, ideas[(i*7+k*31)%200].ID, p.ID, ideaNow); err != nil {
						b.Fatal(err)
					}
				}
			}
			voter, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Voter", Email: "voter@example.com", Role: models.RoleStaff, Active: true})
			if err != nil {
				b.Fatal(err)
			}
			b.Run("vote-and-take-back", func(b *testing.B) {
				for b.Loop() {
					if err := models.Vote(ctx, db, s.ID, ideas[0].ID, voter.ID, ideaNow); err != nil {
						b.Fatal(err)
					}
					if err := models.Unvote(ctx, db, s.ID, ideas[0].ID, voter.ID, ideaNow); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("list-200-ideas", func(b *testing.B) {
				for b.Loop() {
					rows, err := models.ListIdeas(ctx, db, s.ID, models.IdeaFilter{ViewerID: voter.ID})
					if err != nil || len(rows) != 200 {
						b.Fatal(len(rows), err)
					}
				}
			})
		})
	}
}
