package models_test

import (
	"context"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// BenchmarkPostgresQuery measures one small query (a person by id) through
// models.Open, which pings every connection taken from the pool, and through
// pgx's default (a ping only after a second idle), to show what the ping
// that finds dropped connections costs.
//
//	go test -run '^$' -bench BenchmarkPostgresQuery -count 5 ./models/
func BenchmarkPostgresQuery(b *testing.B) {
	ctx := context.Background()
	dbURL := modelstest.NewPostgresURL(b)
	pinged, err := models.Open(dbURL, "")
	if err != nil {
		b.Fatal(err)
	}
	plain, err := gorm.Open(postgres.Open(dbURL), &gorm.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		for _, db := range []*gorm.DB{pinged, plain} {
			if s, err := db.DB(); err == nil {
				s.Close()
			}
		}
	})
	p, err := models.CreatePerson(ctx, pinged, models.ActorOf(nil, ""), models.PersonInput{Name: "Ana", Email: "ana@example.com", Active: true})
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		db   *gorm.DB
	}{{"ping-every-checkout", pinged}, {"pgx-default", plain}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := models.GetPerson(ctx, c.db, p.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
