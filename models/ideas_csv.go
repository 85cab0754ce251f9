package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
)

// IdeasCSV returns every idea of a summit as CSV rows (header first, most
// votes first), formula-safe, for organisers: votes, comments, themes, its
// state (open, hidden with the reason, merged), the strategy session it is
// shortlisted for and the commitments made from it with their last status.
// An idea posted without a name names nobody, not even a department.
func IdeasCSV(ctx context.Context, db *gorm.DB, s *Summit) ([][]string, error) {
	list, err := ListIdeas(ctx, db, s.ID, IdeaFilter{IncludeHidden: true})
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(list))
	for i, r := range list {
		ids[i] = r.ID
	}
	made := map[uint][]string{}
	if len(ids) > 0 {
		var cs []Commitment
		if err := withCtx(ctx, db).Where("idea_id IN ?", ids).Order("id").Find(&cs).Error; err != nil {
			return nil, fmt.Errorf("models: ideas CSV of %d: %w", s.ID, err)
		}
		for _, c := range cs {
			made[*c.IdeaID] = append(made[*c.IdeaID], c.What+" ("+c.StatusLabel()+")")
		}
	}
	loc := s.Location()
	rows := [][]string{CSVRow("idea", "what would change", "helps", "concerns department", "author", "author's department",
		"votes", "comments", "themes", "state", "shortlisted for", "commitments", "posted")}
	for _, r := range list {
		author, dept := r.AuthorName, r.AuthorDepartment
		if r.Anonymous {
			author, dept = "(posted without a name)", ""
		}
		state := "open"
		switch {
		case r.Hidden():
			state = "hidden: " + r.HiddenReason
		case r.MergedIntoID != nil:
			state = "merged into: " + r.MergedIntoTitle
		}
		rows = append(rows, CSVRow(r.Title, r.Change, HelpsLabel(r.Helps), r.Department, author, dept,
			strconv.Itoa(r.Votes), strconv.Itoa(r.Comments), r.Themes, state, r.SessionTitle,
			strings.Join(made[r.ID], "; "), r.CreatedAt.In(loc).Format("2006-01-02 15:04")))
	}
	return rows, nil
}
