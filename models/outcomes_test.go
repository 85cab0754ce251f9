package models_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

var sys = models.ActorOf(nil, "")

// edition makes a summit on a start date with a status.
func edition(t *testing.T, db *gorm.DB, start string, status models.SummitStatus) *models.Summit {
	t.Helper()
	s, err := models.CreateSummit(ctx, db, models.ActorOf(nil, ""), models.SummitInput{Title: "Service Summit " + start[:4], StartDate: start, EndDate: start, TimeZone: "Europe/Amsterdam"})
	if err != nil {
		t.Fatal(err)
	}
	if status != models.StatusDraft {
		if s, err = models.SetSummitStatus(ctx, db, models.ActorOf(nil, ""), s.ID, status); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func measure(t *testing.T, db *gorm.DB, name, unit string, higher bool) *models.OutcomeMeasure {
	t.Helper()
	m, err := models.SaveMeasure(ctx, db, sys, 0, models.MeasureInput{Name: name, Unit: unit, HigherIsBetter: higher}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func series(t *testing.T, f *models.EditionFigures, name string) models.MeasureSeries {
	t.Helper()
	for _, s := range f.Series {
		if s.Measure.Name == name {
			return s
		}
	}
	t.Fatalf("no series %q", name)
	return models.MeasureSeries{}
}

// Organisers define measures and type values per edition; bad numbers are
// refused whole, Summit's own measures stay.
func TestMeasuresAndValues(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := edition(t, db, "2026-03-12", models.StatusArchived)
		csat := measure(t, db, "Customer satisfaction", "%", true)
		_, err := models.SaveMeasure(ctx, db, sys, 0, models.MeasureInput{Name: "customer SATISFACTION"}, time.Now())
		fieldErr(t, err, "name", "already a measure")
		_, err = models.SaveMeasure(ctx, db, sys, 0, models.MeasureInput{Name: " "}, time.Now())
		fieldErr(t, err, "name", "required")
		hours := measure(t, db, "Resolution time", "hours", false)

		err = models.SetEditionValues(ctx, db, sys, s.ID, map[string]string{csat.Key(): "81,5", hours.Key(): "1,234.5"}, time.Now())
		fieldErr(t, err, hours.Key(), "not a number")
		for _, bad := range []string{"NaN", "Inf", "0x10", "1e13", "12 %"} {
			err = models.SetEditionValues(ctx, db, sys, s.ID, map[string]string{hours.Key(): bad}, time.Now())
			if _, ok := err.(models.FieldErrors); !ok {
				t.Errorf("%q was taken: %v", bad, err)
			}
		}
		vals, _ := models.EditionValues(ctx, db, s.ID)
		if len(vals) != 0 {
			t.Fatalf("a refused form stored %v", vals)
		}
		if err := models.SetEditionValues(ctx, db, sys, s.ID, map[string]string{csat.Key(): "81,5", hours.Key(): "-2"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if err := models.SetEditionValues(ctx, db, sys, s.ID, map[string]string{csat.Key(): "82"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		vals, _ = models.EditionValues(ctx, db, s.ID)
		if vals[csat.ID] != 82 || vals[hours.ID] != -2 || len(vals) != 2 {
			t.Fatalf("values: %v", vals)
		}
		if err := models.SetEditionValues(ctx, db, sys, s.ID, map[string]string{hours.Key(): " "}, time.Now()); err != nil {
			t.Fatal(err)
		}
		if vals, _ = models.EditionValues(ctx, db, s.ID); len(vals) != 1 {
			t.Fatalf("an emptied value stays: %v", vals)
		}

		all, err := models.ListMeasures(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		var computed *models.OutcomeMeasure
		kept := false
		for i := range all {
			kept = kept || all[i].Computed == models.MeasureCommitmentsKept
			if all[i].Computed == models.MeasureRegistered {
				computed = &all[i]
			}
		}
		if !kept {
			t.Fatal("Commitments kept (the strategize feature's measure) is not listed")
		}
		if computed == nil || all[0].Name != "Customer satisfaction" || all[1].Name != "Resolution time" {
			t.Fatalf("measures: %+v", all)
		}
		fieldErr(t, models.DeleteMeasure(ctx, db, sys, computed.ID), "name", "cannot be removed")
		if m, err := models.SaveMeasure(ctx, db, sys, computed.ID, models.MeasureInput{Name: "Renamed", OnGrowthPage: false}, time.Now()); err != nil || m.Name != "People registered" || m.OnGrowthPage {
			t.Fatalf("editing a computed measure: %+v %v", m, err)
		}
		if err := models.DeleteMeasure(ctx, db, sys, csat.ID); err != nil {
			t.Fatal(err)
		}
		if vals, _ = models.EditionValues(ctx, db, s.ID); len(vals) != 0 {
			t.Fatalf("values outlive their measure: %v", vals)
		}
		if _, err := models.GetMeasure(ctx, db, csat.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deleted measure: %v", err)
		}
	})
}

// The previous edition is the published or archived summit that starts last
// before this one; series follow editions oldest first, with gaps, and each
// change knows which way is better.
func TestPreviousEditionAndYearOverYear(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		e24 := edition(t, db, "2024-03-12", models.StatusArchived)
		e26 := edition(t, db, "2026-03-12", models.StatusPublished)
		edition(t, db, "2025-03-12", models.StatusDraft)
		e27 := edition(t, db, "2027-03-12", models.StatusPublished)
		if p, err := models.PreviousEdition(ctx, db, e26); err != nil || p.ID != e24.ID {
			t.Fatalf("previous of 2026 (the 2025 draft does not count): %+v %v", p, err)
		}
		if _, err := models.PreviousEdition(ctx, db, e24); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("previous of the first: %v", err)
		}
		csat := measure(t, db, "CSAT", "%", true)
		hours := measure(t, db, "Resolution time", "hours", false)
		set := func(s *models.Summit, m *models.OutcomeMeasure, v string) {
			if err := models.SetEditionValues(ctx, db, sys, s.ID, map[string]string{m.Key(): v}, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		set(e24, csat, "78")
		set(e26, csat, "84")
		set(e27, csat, "84")
		set(e24, hours, "50")
		set(e27, hours, "40")
		if eds, _ := models.ListEditions(ctx, db, time.Date(2027, 3, 11, 22, 59, 0, 0, time.UTC)); len(eds) != 2 {
			t.Fatalf("2027 counts before it starts: %+v", eds)
		}
		eds, err := models.ListEditions(ctx, db, time.Date(2027, 3, 12, 9, 0, 0, 0, time.UTC))
		if err != nil || len(eds) != 3 || eds[0].ID != e24.ID || eds[2].ID != e27.ID {
			t.Fatalf("editions: %+v %v", eds, err)
		}
		fig, err := models.YearOverYear(ctx, db, eds, false)
		if err != nil {
			t.Fatal(err)
		}
		c := series(t, fig, "CSAT")
		if ch := c.ChangeAt(1); !ch.Has || ch.Delta != 6 || !ch.Better || ch.Worse || ch.Describe(&c.Measure) != "up 6 % on 2024" {
			t.Fatalf("CSAT 2024→2026: %+v %q", ch, ch.Describe(&c.Measure))
		}
		if ch := c.Latest(); ch.Better || ch.Worse || ch.Describe(&c.Measure) != "the same as 2026" {
			t.Fatalf("CSAT 2026→2027: %+v", ch)
		}
		h := series(t, fig, "Resolution time")
		if h.Points[1].Has || h.Values() != 2 {
			t.Fatalf("resolution time 2026 should be missing: %+v", h.Points)
		}
		if ch := h.Latest(); ch.Has || ch.Describe(&h.Measure) != "nothing to compare with 2026" {
			t.Fatalf("change against a missing value: %+v", ch)
		}
		set(e26, hours, "48")
		fig, _ = models.YearOverYear(ctx, db, eds, false)
		h = series(t, fig, "Resolution time")
		if ch := h.Latest(); !ch.Better || ch.Describe(&h.Measure) != "down 8 hours (\u221216.7 %) on 2026" {
			t.Fatalf("lower is better: %+v %q", ch, ch.Describe(&h.Measure))
		}
		if ch := h.ChangeAt(0); ch.Prev != nil || ch.Describe(&h.Measure) != "" {
			t.Fatalf("the first edition has no change: %+v", ch)
		}
		// Only the growth page's measures when asked.
		fig, _ = models.YearOverYear(ctx, db, eds, true)
		for _, s := range fig.Series {
			if !s.Measure.OnGrowthPage {
				t.Fatalf("%s is not on the growth page", s.Measure.Name)
			}
		}
	})
}

// Summit's own measures count what happened at an edition.
func TestComputedMeasures(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFeedbackFixture(t, db)
		dept := func(p *models.Person, d string, manager *models.Person) {
			up := map[string]any{"department": d}
			if manager != nil {
				up["manager_id"] = manager.ID
			}
			if err := db.Model(p).Updates(up).Error; err != nil {
				t.Fatal(err)
			}
		}
		boss := f.people(t, 1)[0]
		report := f.people(t, 1)[0]
		dept(boss, "Executive", nil)
		dept(report, "Sales", boss)
		dept(f.seated, "Support", f.speakerPers) // the speaker leads the seated person
		dept(f.speakerPers, "Support", nil)
		dept(f.waiting, "Finance", nil)
		// boss nominates report (taking part, and a leader); nobody else leads.
		cat, err := models.SaveCategory(ctx, db, sys, f.summit.ID, 0, models.CategoryInput{Name: "Kindness", OpensDay: "2027-01-01", OpensTime: "09:00",
			ClosesDay: "2027-03-01", ClosesTime: "17:00", AnnounceDay: "2027-03-12", AnnounceTime: "15:00"}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.Nominate(ctx, db, f.summit.ID, boss.ID, models.NominationInput{CategoryID: id(cat.ID), NomineeID: id(report.ID),
			Story: strings.Repeat("Served a customer with care and patience. ", 3), Served: models.ServedCustomer}, regNow); err != nil {
			t.Fatal(err)
		}
		// Check the seated person in.
		roster, err := models.GetRoster(ctx, db, f.summit.ID, f.training.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := models.MarkAttended(ctx, db, sys, f.summit.ID, f.training.ID, roster.Confirmed[0].ID, true, at("2027-03-11", "10:30")); err != nil {
			t.Fatal(err)
		}
		got, err := models.ComputeEdition(ctx, db, f.summit)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]float64{
			models.MeasureRegistered:  1, // the waitlisted person had no seat
			models.MeasureCheckedIn:   1,
			models.MeasureDepartments: 2, // Support (seated, speaker) and Executive (boss)
			// boss (nominated someone, has a report) and the speaker (spoke, leads the seated person)
			models.MeasureLeaders:                2,
			models.MeasureNominations:            1,
			models.MeasureRecognitionDepartments: 1,
			models.MeasureTrainingSeats:          1,
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("%s = %v, want %v", k, got[k], v)
			}
		}
		if _, ok := got[models.MeasureSessionRating]; ok {
			t.Error("a session rating without any answers")
		}
		// An edition held outside Summit (no sessions, no awards) has no counts, not zeros.
		bare := edition(t, db, "2020-03-12", models.StatusArchived)
		if got, _ := models.ComputeEdition(ctx, db, bare); len(got) != 0 {
			t.Fatalf("an empty edition: %v", got)
		}
	})
}

// Outcome values come from a CSV file through a stored preview that lists
// every problem by line and column; committing is all or nothing, once.
func TestOutcomeImportPreviewAndCommit(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		e25 := edition(t, db, "2025-03-12", models.StatusArchived)
		e26 := edition(t, db, "2026-03-12", models.StatusArchived)
		csat := measure(t, db, "CSAT", "%", true)
		if err := models.SetEditionValues(ctx, db, sys, e25.ID, map[string]string{csat.Key(): "80"}, time.Now()); err != nil {
			t.Fatal(err)
		}
		bad := "\xEF\xBB\xBFmeasure,edition,value,unit,higher_is_better\r\n" +
			"CSAT,2025,80,,\r\n" +
			"csat,2026,83.5,,\r\n" +
			"People registered,2026,10,,\r\n" +
			"CSAT,2019,70,,\r\n" +
			"Engagement,2026,lots,of 100,yes\r\n" +
			"CSAT,2026,84,,\r\n" +
			"Handle time,2026,3,hours,maybe\r\n"
		p, err := models.CreateOutcomeImport(ctx, db, 0, "values.csv", []byte(bad), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []struct {
			line      int
			col, part string
		}{{4, "measure", "Summit's own"}, {5, "edition", "no summit"}, {6, "value", "not a number"}, {7, "measure", "already on line 3"}, {8, "higher_is_better", "not yes or no"}} {
			if !problemAt(p.Problems, want.line, want.col, want.part) {
				t.Errorf("no problem at line %d %s (%q): %+v", want.line, want.col, want.part, p.Problems)
			}
		}
		if _, _, err := models.CommitOutcomeImport(ctx, db, sys, p.ID, time.Now()); !errors.Is(err, models.ErrImportHasProblems) {
			t.Fatalf("a file with problems was committed: %v", err)
		}
		good := "measure,edition,value,unit,higher_is_better\n" +
			"CSAT,2025,80\n" + // short rows are a problem: the header has five columns
			""
		p, _ = models.CreateOutcomeImport(ctx, db, 0, "short.csv", []byte(good), time.Now())
		if !problemAt(p.Problems, 2, "", "3 columns") {
			t.Fatalf("short row: %+v", p.Problems)
		}
		good = "measure,edition,value,unit,higher_is_better\n" +
			"CSAT,2025,80,,\n" +
			"CSAT,Service Summit 2026,83.5,,\n" +
			"Engagement,2026,71,of 100,yes\n" +
			"Complaint resolution time,2026,36,hours,no\n"
		p, err = models.CreateOutcomeImport(ctx, db, 0, "values.csv", []byte(good), time.Now())
		if err != nil || len(p.Problems) != 0 {
			t.Fatalf("good file: %+v %v", p, err)
		}
		if c, u, un, m := p.Counts(); c != 3 || u != 0 || un != 1 || m != 2 {
			t.Fatalf("counts %d new, %d updated, %d unchanged, %d measures", c, u, un, m)
		}
		// Nothing is written by the preview.
		if vals, _ := models.EditionValues(ctx, db, e26.ID); len(vals) != 0 {
			t.Fatalf("the preview wrote %v", vals)
		}
		// A directory preview id is not an outcome preview, nor the other way round.
		if _, err := models.GetImportPreview(ctx, db, p.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("the directory import reads an outcome preview: %v", err)
		}
		created, updated, err := models.CommitOutcomeImport(ctx, db, sys, p.ID, time.Now())
		if err != nil || created != 3 || updated != 0 {
			t.Fatalf("commit: %d %d %v", created, updated, err)
		}
		if _, _, err := models.CommitOutcomeImport(ctx, db, sys, p.ID, time.Now()); !errors.Is(err, models.ErrImportCommitted) {
			t.Fatalf("the same preview committed twice: %v", err)
		}
		eds, _ := models.ListEditions(ctx, db, time.Now())
		fig, _ := models.YearOverYear(ctx, db, eds, false)
		if s := series(t, fig, "Complaint resolution time"); s.Measure.HigherIsBetter || s.Measure.Unit != "hours" || !s.Points[1].Has || s.Points[1].Value != 36 {
			t.Fatalf("imported measure: %+v", s)
		}
		if s := series(t, fig, "CSAT"); s.Points[1].Value != 83.5 {
			t.Fatalf("CSAT 2026: %+v", s.Points)
		}
		rows, err := models.OutcomesCSV(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, r := range rows {
			lines = append(lines, strings.Join(r, ","))
		}
		if got := strings.Join(lines, "\n"); !strings.Contains(got, "CSAT,2026,83.5,%,yes") || !strings.Contains(got, "Complaint resolution time,2026,36,hours,no") {
			t.Fatalf("export:\n%s", got)
		}
	})
}

// The demo has earlier editions with feedback, the company's measures and a
// published "How we grew", so charts show on the first run.
func TestDemoHasOutcomes(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
			t.Fatal(err)
		}
		eds, err := models.ListEditions(ctx, db, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || len(eds) != 3 || eds[2].Year != 2026 || eds[0].Status != models.StatusArchived {
			t.Fatalf("editions: %+v %v", eds, err)
		}
		cur, err := models.CurrentSummit(ctx, db, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		if err != nil || cur.Year != 2027 {
			t.Fatalf("the current summit is still next year's: %+v %v", cur, err)
		}
		fig, err := models.YearOverYear(ctx, db, eds, false)
		if err != nil {
			t.Fatal(err)
		}
		reg := series(t, fig, "People registered")
		if !(reg.Points[0].Value < reg.Points[1].Value && reg.Points[1].Value < reg.Points[2].Value) {
			t.Fatalf("registrations do not grow: %+v", reg.Points)
		}
		rating := series(t, fig, "Average session rating")
		if rating.Points[0].Has || !rating.Points[1].Has || !rating.Points[2].Has || !rating.ChangeAt(2).Better {
			t.Fatalf("session rating: %+v", rating.Points)
		}
		eng := series(t, fig, "Employee engagement")
		if eng.Points[1].Has || !eng.Points[2].Has {
			t.Fatalf("engagement should miss 2025: %+v", eng.Points)
		}
		g, err := models.GetGrowthPage(ctx, db)
		if err != nil || !g.Published {
			t.Fatalf("growth page: %+v %v", g, err)
		}
		jose, _ := models.PersonByEmail(ctx, db, models.DemoEmail("jose.nunez"))
		list, err := models.SpeakerResults(ctx, db, jose.ID, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		ready := 0
		for _, x := range list {
			if x.Summit.Year == 2026 && x.Ready && x.Result.Shown {
				ready++
			}
			if x.Summit.Year == 2027 && (x.Ready || x.Result.Shown) {
				t.Errorf("next year's session %q has results", x.Session.Title)
			}
		}
		if err != nil || ready != 1 {
			t.Fatalf("José's results as a speaker in 2026: %d, %v", ready, err)
		}
		// 2026's ceremony has two answers: hidden.
		res, _ := models.GetFeedbackResults(ctx, db, &eds[2])
		for _, s := range res.Sessions {
			if (s.Session.Kind == models.KindCeremony) == s.Result.Shown {
				t.Errorf("%s shown=%v", s.Session.Title, s.Result.Shown)
			}
		}
	})
}
