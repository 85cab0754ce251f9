package app_test

func init() {
	expectRoutes(
		routeRow{"GET", "/summits/:summit/program.pdf", visitor},
	)
}
