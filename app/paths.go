package app

import (
	"html/template"
	"net/url"
	"strconv"
)

// The URL vocabulary: one function per linked page (or form target), used
// by handlers (redirects, links in flashes, form actions) and by templates
// (the same names are template functions, see pathFuncs). Nothing else in
// app/ or templates/ writes a path; static files (/static/…) are the one
// exception, written as they are in templates/layouts/base.html. Change a
// URL here and in app/routes.go; TestEveryPathIsARoute checks every
// function against the routes, TestEveryLinkOfTheDemoLeadsToARoute every
// link and form of the demo. Absolute links (mails, calendar feeds) are
// a.baseURL(c) + one of these.

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// --- for everyone ---

// homeURL is the front page; summitsURL the list of every summit.
func homeURL() string    { return "/" }
func summitsURL() string { return "/summits" }

// signinURL is the sign-in form; signinNextURL the same, coming back to
// next (a path of this site) once signed in.
func signinURL() string                { return "/signin" }
func signinNextURL(next string) string { return signinURL() + "?next=" + url.QueryEscape(next) }
func signinSSOURL() string             { return signinURL() + "/sso" }
func signinSSOCallbackURL() string     { return signinSSOURL() + "/callback" }
func signinForgotURL() string          { return signinURL() + "/forgot" }
func signoutURL() string               { return "/signout" }

// setupURL is the first admin's set-up link; resetURL a password (re)set
// link. Both carry a secret token.
func setupURL(token string) string { return "/setup/" + token }
func resetURL(token string) string { return "/reset/" + token }

// calendarFeedURL is a person's private calendar subscription.
func calendarFeedURL(token string) string { return "/cal/" + token + ".ics" }

// summitURL is a summit's public agenda.
func summitURL(summitID uint) string { return "/summits/" + itoa(summitID) }

// sessionURL is a session's public page.
func sessionURL(summitID, sessionID uint) string {
	return summitURL(summitID) + "/sessions/" + itoa(sessionID)
}

// awardsURL is the staff side of a summit's awards.
func awardsURL(summitID uint) string { return summitURL(summitID) + "/awards" }

// ideasURL is the staff list of a summit's ideas.
func ideasURL(summitID uint) string { return summitURL(summitID) + "/ideas" }

// ideaURL is one idea's page.
func ideaURL(summitID, ideaID uint) string { return ideasURL(summitID) + "/" + itoa(ideaID) }

// commitmentsURL is the staff list of a summit's commitments.
func commitmentsURL(summitID uint) string { return summitURL(summitID) + "/commitments" }

// --- a person's own pages ---

// myAgendaURL is a person's own agenda of a summit (0: of the current
// summit); myAgendaPDFURL the same as a PDF.
func myAgendaURL(summitID uint) string { return withSummit("/my/agenda", summitID) }

func myAgendaPDFURL(summitID uint) string { return withSummit("/my/agenda.pdf", summitID) }

func withSummit(path string, summitID uint) string {
	if summitID == 0 {
		return path
	}
	return path + "?summit=" + itoa(summitID)
}

func accountURL() string         { return "/account" }
func accountPasswordURL() string { return accountURL() + "/password" }
func myCalendarURL() string      { return "/my/calendar" }
func myFeedbackURL() string      { return "/my/feedback" }
func myRecognitionURL() string   { return "/my/recognition" }
func myCommitmentsURL() string   { return "/my/commitments" }

// currentAwardsURL and currentIdeasURL lead to the awards and ideas of the
// summit that currently has them.
func currentAwardsURL() string { return "/awards" }
func currentIdeasURL() string  { return "/ideas" }

// howWeGrewURL is the staff page of the outcomes over the years.
func howWeGrewURL() string { return "/how-we-grew" }

// noticesURL is a person's notices; noticeReadURL marks one read.
func noticesURL() string                 { return "/notices" }
func noticesReadURL() string             { return noticesURL() + "/read" }
func noticeReadURL(noticeID uint) string { return noticesURL() + "/" + itoa(noticeID) + "/read" }
func noticesSettingsURL() string         { return noticesURL() + "/settings" }

// --- for organisers ---

// organiseURL is the organisers' list of summits; newSummitURL creates one.
func organiseURL() string  { return "/organise" }
func newSummitURL() string { return organiseURL() + "/summits/new" }

// orgSummitURL is the organisers' dashboard of a summit; its sections are
// anchors (orgSummitURL(id)+"#rooms").
func orgSummitURL(summitID uint) string { return "/organise/summits/" + itoa(summitID) }

// orgSessionURL is where a session is changed: its edit form (+"/edit",
// orgSessionEditURL) and its deletion (+"/delete").
func orgSessionURL(summitID, sessionID uint) string {
	return orgSummitURL(summitID) + "/sessions/" + itoa(sessionID)
}

// orgSessionEditURL is a session's edit form.
func orgSessionEditURL(summitID, sessionID uint) string {
	return orgSessionURL(summitID, sessionID) + "/edit"
}

// orgTimetableURL is a summit's timetable editor (?day= picks the day).
func orgTimetableURL(summitID uint) string { return orgSummitURL(summitID) + "/timetable" }

// orgSessionMoveURL is where the timetable editor posts a move.
func orgSessionMoveURL(summitID, sessionID uint) string {
	return orgSessionURL(summitID, sessionID) + "/move"
}

// orgRoomURL, orgTrackURL and orgSpeakerURL are where a room, track or
// speaker is edited (+"/edit") or deleted (+"/delete").
func orgRoomURL(summitID, roomID uint) string {
	return orgSummitURL(summitID) + "/rooms/" + itoa(roomID)
}

func orgTrackURL(summitID, trackID uint) string {
	return orgSummitURL(summitID) + "/tracks/" + itoa(trackID)
}

func orgSpeakerURL(summitID, speakerID uint) string {
	return orgSummitURL(summitID) + "/speakers/" + itoa(speakerID)
}

// orgAwardsURL is the organisers' awards page of a summit.
func orgAwardsURL(summitID uint) string { return orgSummitURL(summitID) + "/awards" }

// orgIdeasURL is the organisers' list of a summit's ideas.
func orgIdeasURL(summitID uint) string { return orgSummitURL(summitID) + "/ideas" }

// orgCommitmentsURL is the organisers' list of a summit's commitments.
func orgCommitmentsURL(summitID uint) string { return orgSummitURL(summitID) + "/commitments" }

// rosterURL is a session's roster; checkinURL its door check-in.
func rosterURL(summitID, sessionID uint) string {
	return orgSessionURL(summitID, sessionID) + "/roster"
}

func checkinURL(summitID, sessionID uint) string {
	return orgSessionURL(summitID, sessionID) + "/checkin"
}

// --- outcomes over the years (organisers) ---

// orgOutcomesURL is every edition's outcome figures side by side (anchors
// #growth, #chart-<key>); orgOutcomesCSVURL their download.
func orgOutcomesURL() string       { return organiseURL() + "/outcomes" }
func orgOutcomesCSVURL() string    { return orgOutcomesURL() + ".csv" }
func orgGrowthURL() string         { return orgOutcomesURL() + "/growth" }
func newMeasureURL() string        { return orgOutcomesURL() + "/measures/new" }
func orgOutcomesImportURL() string { return orgOutcomesURL() + "/import" }

// measureURL is where a measure is edited (+"/edit", measureEditURL) or
// deleted (+"/delete").
func measureURL(measureID uint) string     { return orgOutcomesURL() + "/measures/" + itoa(measureID) }
func measureEditURL(measureID uint) string { return measureURL(measureID) + "/edit" }

// outcomesImportURL is an uploaded file's preview; +"/commit" imports it.
func outcomesImportURL(importID uint) string { return orgOutcomesImportURL() + "/" + itoa(importID) }

// --- for admins ---

// peopleURL is the directory (anchor #invite-form); peopleCSVURL its download.
func peopleURL() string       { return "/admin/people" }
func peopleCSVURL() string    { return peopleURL() + ".csv" }
func newPersonURL() string    { return peopleURL() + "/new" }
func inviteURL() string       { return peopleURL() + "/invite" }
func auditURL() string        { return "/admin/audit" }
func outboxURL() string       { return "/admin/outbox" }
func peopleImportURL() string { return "/admin/import" }

// personURL is a directory entry: +"/edit" (personEditURL), +"/reset",
// +"/deactivate".
func personURL(personID uint) string     { return peopleURL() + "/" + itoa(personID) }
func personEditURL(personID uint) string { return personURL(personID) + "/edit" }

// peopleImportPreviewURL is an uploaded directory's preview; +"/commit"
// imports it.
func peopleImportPreviewURL(importID uint) string { return peopleImportURL() + "/" + itoa(importID) }

// mailRetryURL sends a mail of the outbox again.
func mailRetryURL(mailID uint) string { return outboxURL() + "/" + itoa(mailID) + "/retry" }

// pathFuncs are the URL functions as template functions.
var pathFuncs = template.FuncMap{
	"homeURL": homeURL, "summitsURL": summitsURL, "signinURL": signinURL, "signinNextURL": signinNextURL,
	"signinSSOURL": signinSSOURL, "signinForgotURL": signinForgotURL, "signoutURL": signoutURL,
	"myAgendaPDFURL": myAgendaPDFURL, "accountURL": accountURL, "myCalendarURL": myCalendarURL,
	"myFeedbackURL": myFeedbackURL, "myRecognitionURL": myRecognitionURL, "myCommitmentsURL": myCommitmentsURL,
	"currentAwardsURL": currentAwardsURL, "currentIdeasURL": currentIdeasURL, "howWeGrewURL": howWeGrewURL,
	"noticesURL": noticesURL, "noticesReadURL": noticesReadURL, "noticeReadURL": noticeReadURL, "noticesSettingsURL": noticesSettingsURL,
	"organiseURL": organiseURL, "newSummitURL": newSummitURL,
	"orgOutcomesURL": orgOutcomesURL, "orgOutcomesCSVURL": orgOutcomesCSVURL, "orgGrowthURL": orgGrowthURL,
	"newMeasureURL": newMeasureURL, "orgOutcomesImportURL": orgOutcomesImportURL, "measureEditURL": measureEditURL,
	"outcomesImportURL": outcomesImportURL,
	"peopleURL":         peopleURL, "peopleCSVURL": peopleCSVURL, "newPersonURL": newPersonURL, "inviteURL": inviteURL,
	"auditURL": auditURL, "outboxURL": outboxURL, "peopleImportURL": peopleImportURL, "personURL": personURL,
	"peopleImportPreviewURL": peopleImportPreviewURL, "mailRetryURL": mailRetryURL,
	"summitURL": summitURL, "sessionURL": sessionURL, "awardsURL": awardsURL, "ideasURL": ideasURL, "ideaURL": ideaURL,
	"myAgendaURL": myAgendaURL, "orgSummitURL": orgSummitURL, "orgSessionURL": orgSessionURL, "orgSessionEditURL": orgSessionEditURL,
	"orgTimetableURL": orgTimetableURL, "orgSessionMoveURL": orgSessionMoveURL,
	"orgRoomURL": orgRoomURL, "orgTrackURL": orgTrackURL, "orgSpeakerURL": orgSpeakerURL, "orgAwardsURL": orgAwardsURL,
	"orgIdeasURL": orgIdeasURL, "commitmentsURL": commitmentsURL, "orgCommitmentsURL": orgCommitmentsURL, "rosterURL": rosterURL, "checkinURL": checkinURL, "personEditURL": personEditURL,
}
