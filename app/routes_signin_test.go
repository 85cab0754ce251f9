package app_test

func init() {
	expectRoutes(
		routeRow{"POST", "/signin/sso", visitor},
		routeRow{"GET", "/signin/sso/callback", visitor},
		routeRow{"GET", "/signin/forgot", visitor},
		routeRow{"POST", "/signin/forgot", visitor},
		routeRow{"POST", "/admin/people/invite", admin},
	)
}
