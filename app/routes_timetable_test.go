package app_test

func init() {
	expectRoutes(
		routeRow{"GET", "/organise/summits/:summit/timetable", organiser},
		routeRow{"POST", "/organise/summits/:summit/sessions/:session/move", organiser},
	)
}
