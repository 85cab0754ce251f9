package app_test

func init() {
	expectRoutes(
		routeRow{"GET", "/notices", staff},
		routeRow{"POST", "/notices/read", staff},
		routeRow{"POST", "/notices/:notice/read", staff},
		routeRow{"GET", "/notices/settings", staff},
		routeRow{"POST", "/notices/settings", staff},
		routeRow{"GET", "/admin/outbox", admin},
		routeRow{"POST", "/admin/outbox/:mail/retry", admin},
	)
}
