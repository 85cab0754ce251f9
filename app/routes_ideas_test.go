package app_test

import (
	"testing"

	"summit/models"
)

func init() {
	expectRoutes(
		routeRow{"GET", "/ideas", staff},
		routeRow{"GET", "/summits/:summit/ideas", staff},
		routeRow{"GET", "/summits/:summit/ideas/new", staff},
		routeRow{"POST", "/summits/:summit/ideas/new", staff},
		routeRow{"GET", "/summits/:summit/ideas/:idea", staff},
		routeRow{"POST", "/summits/:summit/ideas/:idea/vote", staff},
		routeRow{"POST", "/summits/:summit/ideas/:idea/unvote", staff},
		routeRow{"POST", "/summits/:summit/ideas/:idea/comments", staff},
		routeRow{"GET", "/summits/:summit/ideas/:idea/edit", staff},
		routeRow{"POST", "/summits/:summit/ideas/:idea/edit", staff},
		routeRow{"GET", "/organise/summits/:summit/ideas", organiser},
		routeRow{"GET", "/organise/summits/:summit/ideas.csv", organiser},
		routeRow{"GET", "/organise/summits/:summit/ideas/settings", organiser},
		routeRow{"POST", "/organise/summits/:summit/ideas/settings", organiser},
		routeRow{"POST", "/organise/summits/:summit/ideas/:idea/themes", organiser},
		routeRow{"POST", "/organise/summits/:summit/ideas/:idea/hide", organiser},
		routeRow{"POST", "/organise/summits/:summit/ideas/:idea/unhide", organiser},
		routeRow{"POST", "/organise/summits/:summit/ideas/:idea/merge", organiser},
		routeRow{"POST", "/organise/summits/:summit/ideas/:idea/shortlist", organiser},
		routeRow{"GET", "/my/commitments", staff},
		routeRow{"GET", "/summits/:summit/commitments", staff},
		routeRow{"GET", "/summits/:summit/commitments/:commitment", staff},
		routeRow{"POST", "/summits/:summit/commitments/:commitment/status", staff},
		routeRow{"POST", "/summits/:summit/commitments/:commitment/follow", staff},
		routeRow{"POST", "/summits/:summit/commitments/:commitment/unfollow", staff},
		routeRow{"GET", "/organise/summits/:summit/commitments", organiser},
		routeRow{"GET", "/organise/summits/:summit/commitments/new", organiser},
		routeRow{"POST", "/organise/summits/:summit/commitments/new", organiser},
		routeRow{"GET", "/organise/summits/:summit/commitments/:commitment/edit", organiser},
		routeRow{"POST", "/organise/summits/:summit/commitments/:commitment/edit", organiser},
		routeRow{"GET", "/organise/summits/:summit/words", organiser},
		routeRow{"POST", "/organise/summits/:summit/words", organiser},
		routeRow{"POST", "/organise/summits/:summit/words/:word/delete", organiser},
	)
	routeParamHooks = append(routeParamHooks, func(t *testing.T, ta *testApp, s *models.Summit, ids map[string]string) {
		for name, q := range map[string]string{
			"idea":       "SELECT id FROM ideas WHERE summit_id = ? AND hidden_at IS NULL AND merged_into_id IS NULL ORDER BY id LIMIT 1",
			"word":       "SELECT id FROM hint_words WHERE summit_id = ? ORDER BY id LIMIT 1",
			"commitment": "SELECT id FROM commitments WHERE summit_id = ? ORDER BY id LIMIT 1",
		} {
			var id uint
			if err := ta.DB.Raw(q, s.ID).Scan(&id).Error; err != nil {
				t.Fatal(err)
			}
			if id != 0 {
				ids[name] = itoa(id)
			}
		}
	})
}
