package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"summit/models"
)

// One person may hold several parts of the awards at once. Two categories,
// A (“The Quiet Hero Award”, won by Quentin) and B (“The Steady Hand
// Award”, won by Oscar), and these mixes, each walked over every route of
// the router (walkCanary) before the announcement — while judging is open,
// after the judging notices went out — and after it:
//
//   - Jade, a staff member who judges A and is nominated in B;
//   - Nico, who nominated Quentin in A and was then made a judge of A;
//   - Olga, an organiser who judges B and is nominated in A;
//   - Rhea, an organiser nominated in A, deactivated and re-activated;
//   - Oscar, an admin nominated in B (and its winner).
//
// Before: nobody learns a winner of a category they do not run; a nominee
// learns nothing of their category (stories, judges, comments, who
// nominated); a judge reads the stories of their own category on their
// judging pages only, never one they are part of. After: the stories that
// did not win, the judges' comments and who nominated whom stay with the
// judges and organisers.
func TestAwardsCanaryRoleMixes(t *testing.T) {
	eachApp(t, func(t *testing.T, ta *testApp) {
		w := newAwardsWorld(t, ta)
		s := w.summit
		sys := models.Actor{Name: "test"}
		loc := s.Location()
		a := w.cat
		b, err := models.SaveCategory(ctx, ta.DB, sys, s.ID, 0, models.CategoryInput{Name: "The Steady Hand Award", Trait: "Patience",
			OpensDay: a.OpensAt.In(loc).Format(models.DateLayout), OpensTime: a.OpensAt.In(loc).Format("15:04"),
			ClosesDay: a.ClosesAt.In(loc).Format(models.DateLayout), ClosesTime: a.ClosesAt.In(loc).Format("15:04"),
			AnnounceDay: a.AnnounceAt.In(loc).Format(models.DateLayout), AnnounceTime: a.AnnounceAt.In(loc).Format("15:04")}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		mark := func(who string) string { return "MIX-" + who + "-" + strings.ToUpper(models.RandomToken(6)) }
		markA, markA2, markNico, markOlga, markRhea := mark("A"), mark("A2"), mark("NICO"), mark("OLGA"), mark("RHEA")
		markB, markOscar, commentA, commentB := mark("B"), mark("OSCAR"), mark("COMMENTA"), mark("COMMENTB")
		// Names nobody else in the demo or the world has; none of them signs
		// in, so no sign-in line of the audit log names them.
		const nell, norm, abe, bea = "Zabrowski-Quillfeather", "Vasquez-Ottoline", "Quistorp-Vellacott", "Thorngrave-Ilsley"
		nellP := ta.addPerson(t, "Nell "+nell, "nell@example.com", models.RoleStaff)
		normP := ta.addPerson(t, "Norm "+norm, "norm@example.com", models.RoleStaff)
		abeP := ta.addPerson(t, "Abe "+abe, "abe@example.com", models.RoleStaff)
		beaP := ta.addPerson(t, "Bea "+bea, "bea@example.com", models.RoleStaff)
		paula := ta.addPerson(t, "Paula Patient", "paula@example.com", models.RoleStaff)
		olga := ta.addPerson(t, "Olga Organiser", "olga@example.com", models.RoleOrganiser)
		rhea := ta.addPerson(t, "Rhea Returning", "rhea@example.com", models.RoleOrganiser)
		oscar := ta.addPerson(t, "Oscar Admin", "oscar@example.com", models.RoleAdmin)
		jade, nico, quentin := w.judge, w.nominator, w.nominee
		now := time.Now()
		nominate := func(by *models.Person, c *models.AwardCategory, who *models.Person, story string) *models.Nomination {
			t.Helper()
			n, err := models.Nominate(ctx, ta.DB, s.ID, by.ID, models.NominationInput{CategoryID: itoa(c.ID), NomineeID: itoa(who.ID),
				Story: "A story long enough to count, about service that stood out. " + story + " Colleagues still mention it.", Served: models.ServedColleague, Quotable: true}, now)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		judge := func(c *models.AwardCategory, p *models.Person) {
			t.Helper()
			if err := models.AddJudge(ctx, ta.DB, sys, s.ID, c.ID, p.ID, now); err != nil {
				t.Fatal(err)
			}
		}
		score := func(p *models.Person, n *models.Nomination, comment string) {
			t.Helper()
			if _, err := models.SaveScore(ctx, ta.DB, s.ID, p.ID, n.ID, models.ScoreInput{Points: []string{"5", "5", "5"}, Comment: comment}, now); err != nil {
				t.Fatal(err)
			}
		}
		nomA := nominate(nellP, a, quentin, markA)
		nomA2 := nominate(nellP, a, paula, markA2)
		nominate(nico, a, quentin, markNico)
		nominate(nellP, a, olga, markOlga)
		nominate(nellP, a, rhea, markRhea)
		nomB := nominate(normP, b, jade, markB)
		nomOscar := nominate(normP, b, oscar, markOscar)
		judge(a, abeP)
		judge(a, jade)
		judge(a, nico) // after nominating Quentin there
		judge(b, beaP)
		judge(b, olga)
		score(abeP, nomA, commentA)
		score(beaP, nomOscar, commentB)
		for c, winner := range map[*models.AwardCategory]*models.Person{a: quentin, b: oscar} {
			if err := models.ChooseWinners(ctx, ta.DB, sys, s.ID, c.ID, []uint{winner.ID}, "", now); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := models.DeactivatePerson(ctx, ta.DB, sys, rhea.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := models.UpdatePerson(ctx, ta.DB, sys, rhea.ID, models.PersonInput{Name: rhea.Name, Email: rhea.Email, Department: rhea.Department, Role: rhea.Role, Active: true}); err != nil {
			t.Fatal(err)
		}

		// Nominations have closed, judging is open: the judging notices and
		// their mails go out in the walk.
		ta.App.Now = func() time.Time { return a.ClosesAt.Add(time.Hour) }
		jadeC, nicoC, olgaC, rheaC, oscarC := w.signIn(t, ta, jade), w.signIn(t, ta, nico), w.signIn(t, ta, olga), w.signIn(t, ta, rhea), w.signIn(t, ta, oscar)
		samC := w.signIn(t, ta, w.staffer)
		allA := []string{markA, markA2, markNico, markOlga, markRhea, commentA}
		allB := []string{markB, markOscar, commentB}
		idsA := routeParams(t, ta, s)
		idsA["category"], idsA["nomination"], idsA["person"] = itoa(a.ID), itoa(nomA2.ID), itoa(abeP.ID)
		idsB := routeParams(t, ta, s)
		idsB["category"], idsB["nomination"], idsB["person"] = itoa(b.ID), itoa(nomB.ID), itoa(beaP.ID)
		both := []string{"Quentin Quiet", "Oscar Admin"}
		walkCanary(t, ta, idsA, "Quentin Quiet", []canaryRole{
			{name: "organiser judging B, nominated in A", c: olgaC, never: allA, names: []string{nell, abe}, organiser: true, directory: true},
			{name: "organiser nominated in A, deactivated and back", c: rheaC, never: allA, names: []string{nell, abe}, organiser: true, directory: true},
			{name: "judge of A nominated in B", c: jadeC, never: append([]string{commentA}, allB...), outsideJudging: []string{markA, markA2, markNico, markOlga, markRhea},
				names: []string{nell, norm, bea}, winners: both},
			// Nico's own story is his to read; Quentin's other one is a conflict.
			{name: "nominator of A made its judge", c: nicoC, never: append([]string{markA, commentA}, allB...), outsideJudging: []string{markA2, markOlga, markRhea},
				names: []string{nell, norm, bea}, winners: both},
		})
		walkCanary(t, ta, idsB, "Oscar Admin", []canaryRole{
			{name: "admin nominated in B", c: oscarC, never: allB, names: []string{norm, bea}, organiser: true, directory: true},
		})
		// The walk could fail: those allowed read what it looks for.
		base := "/organise/summits/" + itoa(s.ID) + "/awards/"
		if res := olgaC.get(base + itoa(b.ID) + "/results"); res.Code != http.StatusOK || !strings.Contains(res.Body, markOscar) || !strings.Contains(res.Body, commentB) || !strings.Contains(res.Body, norm) {
			t.Fatalf("Olga cannot read the results of B, which she may run: %d", res.Code)
		}
		if res := oscarC.get(base + itoa(a.ID) + "/judges"); res.Code != http.StatusOK || !strings.Contains(res.Body, abe) {
			t.Fatalf("Oscar cannot read the judges of A, which he may run: %d", res.Code)
		}
		if res := jadeC.get("/summits/" + itoa(s.ID) + "/awards/judging/" + itoa(a.ID)); res.Code != http.StatusOK || !strings.Contains(res.Body, markOlga) {
			t.Fatalf("Jade cannot read the stories of A, which she judges: %d", res.Code)
		}

		// After the announcement.
		ta.App.Now = func() time.Time { return a.AnnounceAt.Add(time.Minute) }
		lost := []string{markA2, markNico, markOlga, markRhea}
		walkCanary(t, ta, idsA, "", []canaryRole{
			{name: "after: judge of A not chosen in B", c: jadeC, never: []string{markB, commentA, commentB}, outsideJudging: lost, names: []string{nell, norm, bea}},
			{name: "after: nominator of A and its judge", c: nicoC, never: []string{markB, commentA, commentB}, outsideJudging: []string{markA2, markOlga, markRhea}, names: []string{nell, norm, bea}},
			{name: "after: staff", c: samC, never: append(append([]string{markB}, lost...), commentA, commentB), names: []string{nell, norm, abe, bea}},
		})
		res := samC.get("/summits/" + itoa(s.ID) + "/honorees")
		if !strings.Contains(res.Body, markA) || !strings.Contains(res.Body, markOscar) {
			t.Fatalf("after the announcement the honorees page does not quote the winners: %s", text(res.Body))
		}
	})
}
