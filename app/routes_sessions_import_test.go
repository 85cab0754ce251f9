package app_test

import (
	"testing"
	"time"

	"summit/models"
)

func init() {
	expectRoutes(
		routeRow{"GET", "/organise/summits/:summit/sessions/import", organiser},
		routeRow{"POST", "/organise/summits/:summit/sessions/import", organiser},
		routeRow{"GET", "/organise/summits/:summit/sessions/import/template.csv", organiser},
		routeRow{"GET", "/organise/summits/:summit/sessions/import/sessions.csv", organiser},
		routeRow{"GET", "/organise/summits/:summit/sessions/import/:sessions_import", organiser},
		routeRow{"POST", "/organise/summits/:summit/sessions/import/:sessions_import/commit", organiser},
	)
	routeParamHooks = append(routeParamHooks, func(t *testing.T, ta *testApp, s *models.Summit, ids map[string]string) {
		day := s.Days()[len(s.Days())-1]
		pv, err := models.CreateSessionImport(ctx, ta.DB, models.ActorOf(nil, ""), s.ID, "walk.csv",
			[]byte("key,title,kind,day,start,end,room,track,speakers,seat_capacity,abstract\nW1,Walk-through,social,"+day+",19:00,20:00,,,,,\n"), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		ids["sessions_import"] = itoa(pv.ID)
	})
}
