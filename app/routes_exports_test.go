package app_test

func init() {
	expectRoutes(
		routeRow{"GET", "/summits/:summit/program.pdf", visitor},
		routeRow{"GET", "/summits/:summit/agenda.ics", visitor},
		routeRow{"GET", "/summits/:summit/schedule.xml", visitor},
		routeRow{"GET", "/summits/:summit/schedule.json", visitor},
		routeRow{"GET", "/cal/:feed", visitor},
		routeRow{"GET", "/summits/:summit/sessions/:session/calendar.ics", visitor},
		routeRow{"GET", "/my/agenda.pdf", staff},
		routeRow{"GET", "/my/calendar", staff},
		routeRow{"POST", "/my/calendar", staff},
		routeRow{"GET", "/organise/summits/:summit/certificates.pdf", organiser},
		routeRow{"GET", "/organise/summits/:summit/sessions.csv", organiser},
		routeRow{"GET", "/organise/summits/:summit/registrations.csv", organiser},
	)
}
