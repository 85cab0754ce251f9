package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// seedDemoAwards gives the demo summit four award categories built on the
// service traits, with a nomination window open now (so a newcomer can
// nominate at once), judges, and a few nominations with stories and scores.
// Winners are announced at the start of the ceremony session.
func seedDemoAwards(ctx context.Context, db *gorm.DB, summit *Summit) error {
	now := Now()
	loc := summit.Location()
	opens := now.AddDate(0, 0, -14).In(loc)
	closes := summit.Start().AddDate(0, 0, -1).Add(17 * time.Hour)
	var announceDay, announceTime string
	if !closes.After(now.Add(24 * time.Hour)) {
		// Seeded close to (or after) the summit: keep the window open for two weeks.
		closes = now.AddDate(0, 0, 14).In(loc)
		a := closes.Add(24 * time.Hour).In(loc)
		announceDay, announceTime = a.Format(DateLayout), a.Format("15:04")
	}
	closes = closes.In(loc)
	person := func(i int) (*Person, error) { return PersonByEmail(ctx, db, DemoEmail(demoPeople[i][1])) }
	sys := ActorOf(nil, "")
	plan := []struct {
		key    string
		judges []int
	}{
		{"patience", []int{0, 15, 28}},
		{"damage-control", []int{14, 16}},
		{"kindness", []int{9, 28}},
		{"communication", []int{3, 15}},
	}
	cats := map[string]*AwardCategory{}
	for _, p := range plan {
		sg := Suggestion(p.key)
		c, err := SaveCategory(ctx, db, sys, summit.ID, 0, CategoryInput{Name: sg.Name, Trait: sg.Trait, Description: sg.Description,
			OpensDay: opens.Format(DateLayout), OpensTime: "09:00", ClosesDay: closes.Format(DateLayout), ClosesTime: closes.Format("15:04"),
			AnnounceDay: announceDay, AnnounceTime: announceTime}, now)
		if err != nil {
			return fmt.Errorf("models: seed award %s: %w", p.key, err)
		}
		cats[p.key] = c
		for _, j := range p.judges {
			jp, err := person(j)
			if err != nil {
				return err
			}
			if err := AddJudge(ctx, db, sys, summit.ID, c.ID, jp.ID, now); err != nil {
				return fmt.Errorf("models: seed judge: %w", err)
			}
		}
	}
	noms := []struct {
		by, who int
		cat     string
		served  Served
		story   string
	}{
		{1, 5, "patience", ServedCustomer, "Amara spent ninety minutes on the phone with an elderly customer who had been locked out of her late husband's account. She never rushed her, explained each step twice, and stayed on the line until the first bill was paid and the customer said she finally felt at home with us."},
		{36, 5, "patience", ServedCustomer, "When a customer called for the fourth time in a week about the same billing question, Amara listened as if it were the first call, found the real cause in an old contract, and fixed it for good."},
		{7, 17, "patience", ServedColleague, "Rahul walked our whole on-call rota through the new laptop set-up, one person at a time, evenings included, without a single sigh. Nobody felt stupid for asking again."},
		{13, 20, "damage-control", ServedCustomer, "A family's heating installation was cancelled by mistake on the coldest day of the year. Aisling re-planned three routes in twenty minutes, called the family herself and had a technician at their door that afternoon."},
		{10, 35, "kindness", ServedCommunity, "Carlos noticed that the neighbourhood school had no one to fix its broken gate over the holidays. He fixed it on his own time, and left a note with his number in case anything else broke."},
		{22, 29, "kindness", ServedColleague, "On Oskar's first week a new colleague was lost in the warehouse and close to tears. Oskar stopped, showed him every aisle, and checked on him every morning for a month."},
		{2, 22, "communication", ServedCustomer, "Yasmin answered a deaf customer's chat, switched to a video call with captions when the text got confusing, and followed up by letter because that was what he preferred."},
	}
	created := make([]*Nomination, len(noms))
	for i, n := range noms {
		by, err := person(n.by)
		if err != nil {
			return err
		}
		who, err := person(n.who)
		if err != nil {
			return err
		}
		created[i], err = Nominate(ctx, db, summit.ID, by.ID, NominationInput{CategoryID: strconv.FormatUint(uint64(cats[n.cat].ID), 10),
			NomineeID: strconv.FormatUint(uint64(who.ID), 10), Story: n.story, Served: n.served, Quotable: true}, now)
		if err != nil {
			return fmt.Errorf("models: seed nomination of %s: %w", demoPeople[n.who][0], err)
		}
	}
	scores := []struct {
		judge, nom int
		pts        []string
	}{
		{15, 0, []string{"5", "4", "5"}},
		{28, 0, []string{"5", "5", "4"}},
		{15, 2, []string{"4", "4", "4"}},
		{14, 3, []string{"5", "5", "5"}},
	}
	for _, s := range scores {
		j, err := person(s.judge)
		if err != nil {
			return err
		}
		if _, err := SaveScore(ctx, db, summit.ID, j.ID, created[s.nom].ID, ScoreInput{Points: s.pts}, now); err != nil {
			return fmt.Errorf("models: seed score: %w", err)
		}
	}
	return nil
}
