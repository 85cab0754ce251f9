package app_test

// The organiser workspace's pages, the status confirmation and next year's copy.
func init() {
	expectRoutes(
		routeRow{"GET", "/organise/summits/:summit/agenda", organiser},
		routeRow{"GET", "/organise/summits/:summit/rooms", organiser},
		routeRow{"GET", "/organise/summits/:summit/speakers", organiser},
		routeRow{"POST", "/organise/summits/:summit/speakers/:speaker/keep", organiser},
		routeRow{"GET", "/organise/summits/:summit/exports", organiser},
		routeRow{"GET", "/organise/summits/:summit/settings", organiser},
		routeRow{"GET", "/organise/summits/:summit/status", organiser},
		routeRow{"GET", "/organise/summits/:summit/next-year", organiser},
		routeRow{"POST", "/organise/summits/:summit/next-year", organiser},
	)
}
