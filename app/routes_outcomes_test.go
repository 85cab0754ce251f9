package app_test

import (
	"testing"

	"summit/models"
)

func init() {
	expectRoutes(
		routeRow{"GET", "/my/feedback", staff},
		routeRow{"GET", "/summits/:summit/feedback", staff},
		routeRow{"POST", "/summits/:summit/feedback", staff},
		routeRow{"GET", "/summits/:summit/sessions/:session/feedback", staff},
		routeRow{"POST", "/summits/:summit/sessions/:session/feedback", staff},
		routeRow{"GET", "/how-we-grew", staff},
		routeRow{"GET", "/organise/summits/:summit/feedback", organiser},
		routeRow{"GET", "/organise/summits/:summit/feedback/settings", organiser},
		routeRow{"POST", "/organise/summits/:summit/feedback/settings", organiser},
		routeRow{"POST", "/organise/summits/:summit/feedback/close", organiser},
		routeRow{"GET", "/organise/summits/:summit/feedback.csv", organiser},
		routeRow{"GET", "/organise/summits/:summit/outcomes", organiser},
		routeRow{"POST", "/organise/summits/:summit/outcomes", organiser},
		routeRow{"GET", "/organise/summits/:summit/report.pdf", organiser},
		routeRow{"GET", "/organise/outcomes", organiser},
		routeRow{"GET", "/organise/outcomes.csv", organiser},
		routeRow{"POST", "/organise/outcomes/growth", organiser},
		routeRow{"GET", "/organise/outcomes/measures/new", organiser},
		routeRow{"POST", "/organise/outcomes/measures/new", organiser},
		routeRow{"GET", "/organise/outcomes/measures/:measure/edit", organiser},
		routeRow{"POST", "/organise/outcomes/measures/:measure/edit", organiser},
		routeRow{"POST", "/organise/outcomes/measures/:measure/delete", organiser},
		routeRow{"GET", "/organise/outcomes/import", organiser},
		routeRow{"POST", "/organise/outcomes/import", organiser},
		routeRow{"GET", "/organise/outcomes/import/:import", organiser},
		routeRow{"POST", "/organise/outcomes/import/:import/commit", organiser},
	)
	routeParamHooks = append(routeParamHooks, func(t *testing.T, ta *testApp, s *models.Summit, ids map[string]string) {
		var id uint
		if err := ta.DB.Raw("SELECT id FROM outcome_measures WHERE computed = '' ORDER BY id LIMIT 1").Scan(&id).Error; err != nil {
			t.Fatal(err)
		}
		if id != 0 {
			ids["measure"] = itoa(id)
		}
	})
}
