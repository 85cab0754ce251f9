package app_test

import (
	"testing"

	"summit/models"
)

func init() {
	expectRoutes(
		routeRow{"GET", "/setup/:token", visitor},
		routeRow{"POST", "/setup/:token", visitor},
		routeRow{"GET", "/reset/:token", visitor},
		routeRow{"POST", "/reset/:token", visitor},
		routeRow{"GET", "/account", staff},
		routeRow{"POST", "/account/password", staff},
		routeRow{"GET", "/admin/people", admin},
		routeRow{"GET", "/admin/people/new", admin},
		routeRow{"POST", "/admin/people/new", admin},
		routeRow{"GET", "/admin/people/:person/edit", admin},
		routeRow{"POST", "/admin/people/:person/edit", admin},
		routeRow{"POST", "/admin/people/:person/deactivate", admin},
		routeRow{"POST", "/admin/people/:person/reset", admin},
		routeRow{"GET", "/admin/people.csv", admin},
		routeRow{"GET", "/admin/import", admin},
		routeRow{"POST", "/admin/import", admin},
		routeRow{"GET", "/admin/import/:import", admin},
		routeRow{"POST", "/admin/import/:import/commit", admin},
		routeRow{"GET", "/admin/audit", admin},
	)
	routeParamHooks = append(routeParamHooks, func(t *testing.T, ta *testApp, s *models.Summit, ids map[string]string) {
		pv, err := models.CreateImportPreview(ctx, ta.DB, 0, "walk.csv", []byte("name,email,department,job_title,manager_email,role\nWalk Er,walker@example.com,QA,,,staff\n"))
		if err != nil {
			t.Fatal(err)
		}
		ids["import"] = itoa(pv.ID)
	})
}
