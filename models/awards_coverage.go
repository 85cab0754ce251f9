package models

import (
	"context"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// --- Coverage ---

// Bar is one bar of a chart.
type Bar struct {
	Label   string
	Count   int
	Percent int // of the largest bar, 0–100
	Zero    bool
}

// Coverage is how far recognition reaches across the company.
type Coverage struct {
	Total       int
	Departments []Bar
	Roles       []Bar
	Served      []Bar
	Unreached   []string // departments nobody has nominated anyone in
}

func bars(counts map[string]int, labels []string) []Bar {
	max := 0
	for _, n := range counts {
		if n > max {
			max = n
		}
	}
	out := make([]Bar, 0, len(labels))
	for _, l := range labels {
		b := Bar{Label: l, Count: counts[l], Zero: counts[l] == 0}
		if max > 0 {
			b.Percent = b.Count * 100 / max
		}
		out = append(out, b)
	}
	return out
}

// AwardCoverage counts a summit's active nominations per nominee department
// and job title, and by who was served; departments of the directory that
// nobody has nominated stand out. For organisers only.
func AwardCoverage(ctx context.Context, db *gorm.DB, summitID uint) (*Coverage, error) {
	tx := withCtx(ctx, db)
	type row struct {
		Department string
		JobTitle   string
		Served     string
	}
	var rows []row
	err := tx.Table("award_nominations").Select("people.department, people.job_title, award_nominations.served").
		Joins("JOIN award_categories ON award_categories.id = award_nominations.category_id").
		Joins("JOIN people ON people.id = award_nominations.nominee_id").
		Where("award_categories.summit_id = ? AND award_nominations.status = ?", summitID, NominationActive).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("models: coverage: %w", err)
	}
	depts, err := Departments(ctx, tx)
	if err != nil {
		return nil, err
	}
	dc, rc, sc := map[string]int{}, map[string]int{}, map[string]int{}
	var roles []string
	for _, r := range rows {
		d := r.Department
		if d == "" {
			d = "(no department)"
		}
		dc[d]++
		jt := r.JobTitle
		if jt == "" {
			jt = "(no job title)"
		}
		if rc[jt] == 0 {
			roles = append(roles, jt)
		}
		rc[jt]++
		sc[r.Served]++
	}
	all := append([]string{}, depts...)
	for d := range dc {
		found := false
		for _, x := range all {
			found = found || x == d
		}
		if !found {
			all = append(all, d)
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if dc[all[i]] != dc[all[j]] {
			return dc[all[i]] > dc[all[j]]
		}
		return all[i] < all[j]
	})
	sort.SliceStable(roles, func(i, j int) bool {
		if rc[roles[i]] != rc[roles[j]] {
			return rc[roles[i]] > rc[roles[j]]
		}
		return roles[i] < roles[j]
	})
	cov := &Coverage{Total: len(rows), Departments: bars(dc, all), Roles: bars(rc, roles)}
	var servedLabels []string
	servedCounts := map[string]int{}
	for _, c := range ServedChoices {
		servedLabels = append(servedLabels, c[1])
		servedCounts[c[1]] = sc[c[0]]
	}
	cov.Served = bars(servedCounts, servedLabels)
	for i := range cov.Served {
		cov.Served[i].Zero = false // only departments are flagged as not reached
	}
	for _, d := range all {
		if dc[d] == 0 {
			cov.Unreached = append(cov.Unreached, d)
		}
	}
	return cov, nil
}

// --- Organiser export ---

// NominationsCSV returns every nomination of a summit as CSV rows (header
// first), formula-safe. For organisers only: it holds stories and names. The
// categories whose outcome is kept from the viewer at now (they are
// nominated in them) are left out.
func NominationsCSV(ctx context.Context, db *gorm.DB, summitID uint, loc *time.Location, viewerID uint, now time.Time) ([][]string, error) {
	var noms []Nomination
	tx := withCtx(ctx, db)
	q := tx.Preload("Nominee").Preload("Nominator").Preload("Category").
		Joins("JOIN award_categories ON award_categories.id = award_nominations.category_id").
		Where("award_categories.summit_id = ?", summitID)
	if viewerID != 0 {
		q = q.Where("award_nominations.category_id NOT IN (?)", hiddenOutcomes(tx.Session(&gorm.Session{NewDB: true}), viewerID, now))
	}
	err := q.Order("award_categories.name, award_nominations.id").Find(&noms).Error
	if err != nil {
		return nil, fmt.Errorf("models: nominations csv: %w", err)
	}
	rows := [][]string{CSVRow("category", "nominee", "nominee department", "nominator", "nominator department", "served", "may be quoted", "status", "submitted", "story")}
	for _, n := range noms {
		nominee, nominator, cat := n.Nominee, n.Nominator, n.Category
		if nominee == nil {
			nominee = &Person{}
		}
		if nominator == nil {
			nominator = &Person{}
		}
		if cat == nil {
			cat = &AwardCategory{}
		}
		q := "no"
		if n.Quotable {
			q = "yes"
		}
		rows = append(rows, CSVRow(cat.Name, nominee.Name, nominee.Department, nominator.Name, nominator.Department,
			n.ServedText(), q, string(n.Status), n.CreatedAt.In(loc).Format("2006-01-02 15:04"), n.Story))
	}
	return rows, nil
}
