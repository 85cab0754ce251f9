package app_test

func init() {
	expectRoutes(
		routeRow{"POST", "/signin/sso", visitor},
		routeRow{"GET", "/signin/sso/callback", visitor},
	)
}
