package models_test

import (
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// The results rank scored nominees by mean (two decimals), highest first,
// then by name whatever its case; equal means share a place and are marked
// as a tie; unscored nominees come last, unranked against each other but
// for their names (two people of one name stay in the order nominated).
// Choosing winners records who chose them and names them in the audit log;
// choosing none is refused.
func TestResultsRankByMeanThenNameAndRecordTheChoice(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		j1, j2, nell := f.person(t, "Jo Judge", "Legal"), f.person(t, "Kim Judge", "Sales"), f.person(t, "Nell Nominator", "Support")
		ann, bo, cy, dee := f.person(t, "ann Able", "Support"), f.person(t, "Bo Bright", "Finance"), f.person(t, "Cy Clark", "IT"), f.person(t, "Dee Dale", "IT")
		sam1 := f.person(t, "Sam Lee", "Support")
		sam2, err := models.CreatePerson(ctx, db, models.ActorOf(nil, ""), models.PersonInput{Name: "Sam Lee", Email: "sam.lee.2@example.com", Department: "Finance", Role: models.RoleStaff, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		f.judge(t, f.cat, j1)
		f.judge(t, f.cat, j2)
		nom := map[uint]*models.Nomination{}
		for _, p := range []*models.Person{ann, bo, cy, sam2, dee, sam1} {
			nom[p.ID] = f.nominate(t, f.cat, nell, p, goodStory)
		}
		f.score(t, j1, nom[ann.ID], "5", "5", "4")
		f.score(t, j2, nom[ann.ID], "5", "4", "5")
		f.score(t, j1, nom[bo.ID], "4", "5", "5")
		f.score(t, j2, nom[bo.ID], "5", "5", "4")
		f.score(t, j1, nom[cy.ID], "5", "5", "5")
		_, rows, err := models.Results(ctx, db, f.summit.ID, f.cat.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows {
			got = append(got, r.Nominee.Name+"/"+r.Nominee.Department+" "+itoa(uint(r.Rank))+" "+r.MeanText()+map[bool]string{true: " tie", false: ""}[r.Tie])
		}
		want := "Cy Clark/IT 1 5.00, ann Able/Support 2 4.67 tie, Bo Bright/Finance 2 4.67 tie, Dee Dale/IT 4 –, Sam Lee/Finance 5 –, Sam Lee/Support 6 –"
		if strings.Join(got, ", ") != want {
			t.Fatalf("ranking:\n got %s\nwant %s", strings.Join(got, ", "), want)
		}
		olive := f.person(t, "Olive Organiser", "Events")
		who := models.ActorOf(olive, "10.0.0.1")
		fieldErr(t, models.ChooseWinners(ctx, db, who, f.summit.ID, f.cat.ID, nil, "", awardNow), "winners", "Choose at least one winner.")
		if err := models.ChooseWinners(ctx, db, who, f.summit.ID, f.cat.ID, []uint{cy.ID}, "", awardNow); err != nil {
			t.Fatal(err)
		}
		var by []uint
		db.Raw("SELECT chosen_by FROM award_winners WHERE category_id = ?", f.cat.ID).Scan(&by)
		if len(by) != 1 || by[0] != olive.ID {
			t.Fatalf("chosen by %v, want Olive (%d)", by, olive.ID)
		}
		ev, err := models.ListAudit(ctx, db, models.AuditFilter{Action: "award.winners"})
		if err != nil || len(ev) != 1 || ev[0].Summary != "Chose the winners of “Patience Award”: Cy Clark" {
			t.Fatalf("audit: %+v %v", ev, err)
		}
		if err := models.ChooseWinners(ctx, db, models.ActorOf(nil, ""), f.summit.ID, f.cat.ID, []uint{cy.ID}, "", awardNow); err != nil {
			t.Fatal(err)
		}
		by = nil
		db.Raw("SELECT chosen_by FROM award_winners WHERE category_id = ? AND chosen_by IS NOT NULL", f.cat.ID).Scan(&by)
		if len(by) != 0 {
			t.Fatalf("chosen by the system, yet recorded as %v", by)
		}
	})
}

// The public agenda links the honorees page from the first announcement on,
// not a minute before.
func TestHonoreesAnnouncedFromTheFirstAnnouncement(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newAwardFixture(t, db)
		for at, want := range map[time.Time]bool{f.cat.AnnounceAt.Add(-time.Minute): false, f.cat.AnnounceAt: true} {
			if got, err := models.HonoreesAnnounced(ctx, db, f.summit.ID, at); err != nil || got != want {
				t.Fatalf("at %v: %v %v, want %v", at, got, err, want)
			}
		}
	})
}
