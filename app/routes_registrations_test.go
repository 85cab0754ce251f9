package app_test

// Routes the door (walk-ins) adds to the route table.
func init() {
	expectRoutes(
		routeRow{"POST", "/organise/summits/:summit/sessions/:session/walkins", organiser},
	)
}
