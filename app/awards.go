package app

import (
	"strings"

	"summit/models"
)

// Awards: staff nominate, judges score, organisers choose winners, everyone
// sees the honorees after each category's announcement. Every rule lives in
// models/; these handlers parse, call and render.

func personLabel(p *models.Person) string {
	if p.Department == "" {
		return p.Name
	}
	return p.Name + " (" + p.Department + ")"
}

// PickOption is one entry of the colleague picker's list.
type PickOption struct {
	ID          uint
	Label, Hint string
}

// pickOptions labels people "Name (Department)"; two people who would share
// a label get their email added, so that picking one never means the other.
func pickOptions(people []models.Person) []PickOption {
	count := map[string]int{}
	for i := range people {
		count[strings.ToLower(personLabel(&people[i]))]++
	}
	out := make([]PickOption, len(people))
	for i := range people {
		p := &people[i]
		l := personLabel(p)
		if count[strings.ToLower(l)] > 1 {
			if p.Department == "" {
				l = p.Name + " (" + p.Email + ")"
			} else {
				l = p.Name + " (" + p.Department + ", " + p.Email + ")"
			}
		}
		out[i] = PickOption{ID: p.ID, Label: l, Hint: p.JobTitle}
	}
	return out
}

// resolveNominee turns what was typed in the colleague picker (a label from
// the list, or a name alone when only one person has it) into a person id,
// or "" when it names nobody or more than one person.
func resolveNominee(people []models.Person, typed string) string {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return ""
	}
	var byName []models.Person
	for _, o := range pickOptions(people) {
		if strings.EqualFold(o.Label, typed) {
			return itoa(o.ID)
		}
	}
	for i := range people {
		if strings.EqualFold(people[i].Name, typed) {
			byName = append(byName, people[i])
		}
	}
	if len(byName) == 1 {
		return itoa(byName[0].ID)
	}
	return ""
}
