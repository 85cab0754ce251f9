package app_test

import (
	"testing"

	"summit/models"
)

func init() {
	expectRoutes(
		routeRow{"GET", "/summits/:summit/honorees", visitor},
		routeRow{"GET", "/awards", staff},
		routeRow{"GET", "/my/recognition", staff},
		routeRow{"GET", "/summits/:summit/awards", staff},
		routeRow{"GET", "/summits/:summit/awards/nominate", staff},
		routeRow{"POST", "/summits/:summit/awards/nominate", staff},
		routeRow{"GET", "/summits/:summit/awards/nominations/:nomination/edit", staff},
		routeRow{"POST", "/summits/:summit/awards/nominations/:nomination/edit", staff},
		routeRow{"POST", "/summits/:summit/awards/nominations/:nomination/withdraw", staff},
		routeRow{"GET", "/summits/:summit/awards/judging/:category", staff},
		routeRow{"GET", "/summits/:summit/awards/score/:nomination", staff},
		routeRow{"POST", "/summits/:summit/awards/score/:nomination", staff},
		routeRow{"POST", "/summits/:summit/awards/score/:nomination/recuse", staff},
		routeRow{"GET", "/organise/summits/:summit/awards", organiser},
		routeRow{"GET", "/organise/summits/:summit/awards/new", organiser},
		routeRow{"POST", "/organise/summits/:summit/awards/new", organiser},
		routeRow{"GET", "/organise/summits/:summit/awards/coverage", organiser},
		routeRow{"GET", "/organise/summits/:summit/awards/nominations.csv", organiser},
		routeRow{"GET", "/organise/summits/:summit/awards/:category/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/awards/:category/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/awards/:category/delete", organiser},
		routeRow{"GET", "/organise/summits/:summit/awards/:category/judges", organiser},
		routeRow{"POST", "/organise/summits/:summit/awards/:category/judges", organiser},
		routeRow{"POST", "/organise/summits/:summit/awards/:category/judges/:person/remove", organiser},
		routeRow{"GET", "/organise/summits/:summit/awards/:category/results", organiser},
		routeRow{"POST", "/organise/summits/:summit/awards/:category/winners", organiser},
	)
	routeParamHooks = append(routeParamHooks, func(t *testing.T, ta *testApp, s *models.Summit, ids map[string]string) {
		t.Helper()
		var id uint
		ta.DB.Raw("SELECT id FROM award_categories WHERE summit_id = ? ORDER BY id LIMIT 1", s.ID).Scan(&id)
		if id != 0 {
			ids["category"] = itoa(id)
		}
		id = 0
		ta.DB.Raw("SELECT n.id FROM award_nominations n JOIN award_categories c ON c.id = n.category_id WHERE c.summit_id = ? ORDER BY n.id LIMIT 1", s.ID).Scan(&id)
		if id != 0 {
			ids["nomination"] = itoa(id)
		}
	})
}
