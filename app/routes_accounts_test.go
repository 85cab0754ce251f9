package app_test

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
	)
}
