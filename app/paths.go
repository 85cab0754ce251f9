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
// a.baseURL(c) + one of these. A form that acts on a thing may add its verb
// to the thing's path (orgRoomURL(…)+"/delete") where the function's
// comment names it; pages always have their own function.

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

// sessionURL is a session's public page; a person registers for it with
// +"/register" and gives their seat back with +"/cancel".
func sessionURL(summitID, sessionID uint) string {
	return summitURL(summitID) + "/sessions/" + itoa(sessionID)
}

// awardsURL is the staff side of a summit's awards.
func awardsURL(summitID uint) string { return summitURL(summitID) + "/awards" }

// ideasURL is the staff list of a summit's ideas.
func ideasURL(summitID uint) string { return summitURL(summitID) + "/ideas" }

// ideaURL is one idea's page; staff post +"/vote", "/unvote", "/comments".
func ideaURL(summitID, ideaID uint) string { return ideasURL(summitID) + "/" + itoa(ideaID) }

// ideaEditURL is where an idea's author (or an organiser) changes it.
func ideaEditURL(summitID, ideaID uint) string { return ideaURL(summitID, ideaID) + "/edit" }

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

// noticesPageURL is page n of a person's notices (1 the newest).
func noticesPageURL(page uint) string { return withPage(noticesURL(), page) }

func withPage(path string, page uint) string { return withQueryPage(path, nil, page) }

// withQueryPage is path with the query q (empty values left out) and, past
// the first, the page.
func withQueryPage(path string, q url.Values, page uint) string {
	v := url.Values{}
	for k, vals := range q {
		for _, x := range vals {
			if x != "" {
				v.Add(k, x)
			}
		}
	}
	if page > 1 {
		v.Set("page", itoa(page))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// summitFeedbackURL is the feedback form on a whole summit;
// sessionFeedbackURL on one session.
func summitFeedbackURL(summitID uint) string { return summitURL(summitID) + "/feedback" }

func sessionFeedbackURL(summitID, sessionID uint) string {
	return sessionURL(summitID, sessionID) + "/feedback"
}

// sessionICSURL is one session as a calendar file.
func sessionICSURL(summitID, sessionID uint) string {
	return sessionURL(summitID, sessionID) + "/calendar.ics"
}

// The downloads of a published summit: the program (?paper=letter for US
// Letter), its calendar and its frab schedule.
func programPDFURL(summitID uint) string   { return summitURL(summitID) + "/program.pdf" }
func agendaICSURL(summitID uint) string    { return summitURL(summitID) + "/agenda.ics" }
func scheduleXMLURL(summitID uint) string  { return summitURL(summitID) + "/schedule.xml" }
func scheduleJSONURL(summitID uint) string { return summitURL(summitID) + "/schedule.json" }

// honoreesURL is a summit's public page of award winners.
func honoreesURL(summitID uint) string { return summitURL(summitID) + "/honorees" }

// nominateURL is the nomination form; nominationURL where a nomination is
// changed (nominationEditURL) or withdrawn (+"/withdraw").
func nominateURL(summitID uint) string { return awardsURL(summitID) + "/nominate" }

func nominationURL(summitID, nominationID uint) string {
	return awardsURL(summitID) + "/nominations/" + itoa(nominationID)
}

func nominationEditURL(summitID, nominationID uint) string {
	return nominationURL(summitID, nominationID) + "/edit"
}

// judgingURL is a judge's queue in a category; scoreURL the scoring of one
// nomination (+"/recuse" to step back).
func judgingURL(summitID, categoryID uint) string {
	return awardsURL(summitID) + "/judging/" + itoa(categoryID)
}

func scoreURL(summitID, nominationID uint) string {
	return awardsURL(summitID) + "/score/" + itoa(nominationID)
}

// newIdeaURL is the form to share an idea.
func newIdeaURL(summitID uint) string { return ideasURL(summitID) + "/new" }

// commitmentURL is one commitment's page; its owner posts +"/status",
// staff +"/follow" and "/unfollow".
func commitmentURL(summitID, commitmentID uint) string {
	return commitmentsURL(summitID) + "/" + itoa(commitmentID)
}

// --- for organisers ---

// organiseURL is the organisers' list of summits; orgNewSummitURL creates one.
func organiseURL() string     { return "/organise" }
func orgNewSummitURL() string { return organiseURL() + "/summits/new" }

// orgSummitURL is the organisers' dashboard of a summit; its sections are
// anchors (orgSummitURL(id)+"#rooms").
func orgSummitURL(summitID uint) string { return "/organise/summits/" + itoa(summitID) }

// The pages of a summit's organiser workspace (app/workspace.go).
func orgSummitEditURL(summitID uint) string   { return orgSummitURL(summitID) + "/edit" }
func orgNextYearURL(summitID uint) string     { return orgSummitURL(summitID) + "/next-year" }
func orgAgendaURL(summitID uint) string       { return orgSummitURL(summitID) + "/agenda" }
func orgRoomsURL(summitID uint) string        { return orgSummitURL(summitID) + "/rooms" }
func orgSpeakersURL(summitID uint) string     { return orgSummitURL(summitID) + "/speakers" }
func orgTrainingURL(summitID uint) string     { return orgSummitURL(summitID) + "/training" }
func orgRegistrationURL(summitID uint) string { return orgSummitURL(summitID) + "/registration" }
func orgCheckinURL(summitID uint) string      { return orgSummitURL(summitID) + "/checkin" }
func orgExportsURL(summitID uint) string      { return orgSummitURL(summitID) + "/exports" }
func orgSettingsURL(summitID uint) string     { return orgSummitURL(summitID) + "/settings" }
func orgWordsURL(summitID uint) string        { return orgSummitURL(summitID) + "/words" }
func orgFeedbackURL(summitID uint) string     { return orgSummitURL(summitID) + "/feedback" }

// The organisers' downloads of a summit.
func orgCertificatesPDFURL(summitID uint) string { return orgSummitURL(summitID) + "/certificates.pdf" }
func orgSessionsCSVURL(summitID uint) string     { return orgSummitURL(summitID) + "/sessions.csv" }
func orgRegistrationsCSVURL(summitID uint) string {
	return orgSummitURL(summitID) + "/registrations.csv"
}
func orgFeedbackCSVURL(summitID uint) string { return orgSummitURL(summitID) + "/feedback.csv" }
func orgReportPDFURL(summitID uint) string   { return orgSummitURL(summitID) + "/report.pdf" }

// orgWordURL is one word of the hints list (+"/delete").
func orgWordURL(summitID, wordID uint) string { return orgWordsURL(summitID) + "/" + itoa(wordID) }

// orgSummitStatusURL is the publish / archive step (to: the status offered,
// or "" for the form's target).
func orgSummitStatusURL(summitID uint, to string) string {
	if to == "" {
		return orgSummitURL(summitID) + "/status"
	}
	return orgSummitURL(summitID) + "/status?to=" + url.QueryEscape(to)
}

// orgFeedbackSettingsURL is when feedback opens and closes.
func orgFeedbackSettingsURL(summitID uint) string { return orgFeedbackURL(summitID) + "/settings" }

// orgSummitOutcomesURL is the outcome values of one edition.
func orgSummitOutcomesURL(summitID uint) string { return orgSummitURL(summitID) + "/outcomes" }

// The forms that add to a summit.
func orgNewRoomURL(summitID uint) string    { return orgRoomsURL(summitID) + "/new" }
func orgNewTrackURL(summitID uint) string   { return orgSummitURL(summitID) + "/tracks/new" }
func orgNewSpeakerURL(summitID uint) string { return orgSpeakersURL(summitID) + "/new" }
func orgNewSessionURL(summitID uint) string { return orgSummitURL(summitID) + "/sessions/new" }

// orgSessionURL is where a session is changed: its edit form (+"/edit",
// orgSessionEditURL) and its deletion (+"/delete").
func orgSessionURL(summitID, sessionID uint) string {
	return orgSummitURL(summitID) + "/sessions/" + itoa(sessionID)
}

// orgSessionEditURL is a session's edit form.
func orgSessionEditURL(summitID, sessionID uint) string {
	return orgSessionURL(summitID, sessionID) + "/edit"
}

// orgSessionsImportURL is a summit's sessions import: the upload form;
// orgSessionsImportTemplateURL and orgSessionsImportCSVURL are the files in
// its format (a template, and the summit's sessions to edit and upload again).
func orgSessionsImportURL(summitID uint) string { return orgSummitURL(summitID) + "/sessions/import" }

func orgSessionsImportTemplateURL(summitID uint) string {
	return orgSessionsImportURL(summitID) + "/template.csv"
}

func orgSessionsImportCSVURL(summitID uint) string {
	return orgSessionsImportURL(summitID) + "/sessions.csv"
}

// orgSessionsImportPreviewURL is an uploaded sessions file's preview
// (+"/commit" imports it).
func orgSessionsImportPreviewURL(summitID, importID uint) string {
	return orgSessionsImportURL(summitID) + "/" + itoa(importID)
}

// orgTimetableURL is a summit's timetable editor (?day= picks the day).
func orgTimetableURL(summitID uint) string { return orgSummitURL(summitID) + "/timetable" }

// orgSessionMoveURL is where the timetable editor posts a move.
func orgSessionMoveURL(summitID, sessionID uint) string {
	return orgSessionURL(summitID, sessionID) + "/move"
}

// orgRoomURL, orgTrackURL and orgSpeakerURL are where a room, track or
// speaker is edited (orgRoomEditURL …) or deleted (+"/delete"; a speaker of
// an earlier edition is kept with +"/keep").
func orgRoomURL(summitID, roomID uint) string {
	return orgSummitURL(summitID) + "/rooms/" + itoa(roomID)
}

func orgTrackURL(summitID, trackID uint) string {
	return orgSummitURL(summitID) + "/tracks/" + itoa(trackID)
}

func orgSpeakerURL(summitID, speakerID uint) string {
	return orgSummitURL(summitID) + "/speakers/" + itoa(speakerID)
}

func orgRoomEditURL(summitID, roomID uint) string { return orgRoomURL(summitID, roomID) + "/edit" }

func orgTrackEditURL(summitID, trackID uint) string { return orgTrackURL(summitID, trackID) + "/edit" }

func orgSpeakerEditURL(summitID, speakerID uint) string {
	return orgSpeakerURL(summitID, speakerID) + "/edit"
}

// orgAwardsURL is the organisers' awards page of a summit.
func orgAwardsURL(summitID uint) string { return orgSummitURL(summitID) + "/awards" }

// orgIdeasURL is the organisers' list of a summit's ideas; orgIdeaURL
// where one idea is moderated (+"/themes", "/hide", "/merge" …).
func orgIdeasURL(summitID uint) string { return orgSummitURL(summitID) + "/ideas" }

func orgIdeasSettingsURL(summitID uint) string { return orgIdeasURL(summitID) + "/settings" }

func orgIdeaURL(summitID, ideaID uint) string { return orgIdeasURL(summitID) + "/" + itoa(ideaID) }

// orgIdeasCSVURL downloads every idea of a summit as CSV.
func orgIdeasCSVURL(summitID uint) string { return orgIdeasURL(summitID) + ".csv" }

// orgCategoryURL is where an award category is edited (orgCategoryEditURL),
// deleted (+"/delete"), judged (orgJudgesURL) and decided (orgResultsURL,
// +"/winners").
func orgNewCategoryURL(summitID uint) string { return orgAwardsURL(summitID) + "/new" }

func orgCategoryURL(summitID, categoryID uint) string {
	return orgAwardsURL(summitID) + "/" + itoa(categoryID)
}

func orgCategoryEditURL(summitID, categoryID uint) string {
	return orgCategoryURL(summitID, categoryID) + "/edit"
}

func orgJudgesURL(summitID, categoryID uint) string {
	return orgCategoryURL(summitID, categoryID) + "/judges"
}

func orgResultsURL(summitID, categoryID uint) string {
	return orgCategoryURL(summitID, categoryID) + "/results"
}

// orgJudgeURL is one judge of a category (+"/remove").
func orgJudgeURL(summitID, categoryID, personID uint) string {
	return orgJudgesURL(summitID, categoryID) + "/" + itoa(personID)
}

// orgCoverageURL is who the nominations reach; orgNominationsCSVURL their
// download.
func orgCoverageURL(summitID uint) string       { return orgAwardsURL(summitID) + "/coverage" }
func orgNominationsCSVURL(summitID uint) string { return orgAwardsURL(summitID) + "/nominations.csv" }

// orgCommitmentsURL is the organisers' list of a summit's commitments.
func orgCommitmentsURL(summitID uint) string { return orgSummitURL(summitID) + "/commitments" }

func orgNewCommitmentURL(summitID uint) string { return orgCommitmentsURL(summitID) + "/new" }

func orgCommitmentEditURL(summitID, commitmentID uint) string {
	return orgCommitmentsURL(summitID) + "/" + itoa(commitmentID) + "/edit"
}

// rosterURL is a session's roster; checkinURL its door check-in.
func rosterURL(summitID, sessionID uint) string {
	return orgSessionURL(summitID, sessionID) + "/roster"
}

func checkinURL(summitID, sessionID uint) string {
	return orgSessionURL(summitID, sessionID) + "/checkin"
}

// rosterCSVURL is a session's roster as a download.
func rosterCSVURL(summitID, sessionID uint) string {
	return orgSessionURL(summitID, sessionID) + "/roster.csv"
}

// rosterEntryURL is one registration on a roster (+"/promote", "/remove",
// "/attend"); walk-ins are added with orgSessionURL(…)+"/walkins".
func rosterEntryURL(summitID, sessionID, registrationID uint) string {
	return orgSessionURL(summitID, sessionID) + "/registrations/" + itoa(registrationID)
}

// --- outcomes over the years (organisers) ---

// orgOutcomesURL is every edition's outcome figures side by side (anchors
// #growth, #chart-<key>); orgOutcomesCSVURL their download.
func orgOutcomesURL() string       { return organiseURL() + "/outcomes" }
func orgOutcomesCSVURL() string    { return orgOutcomesURL() + ".csv" }
func orgGrowthURL() string         { return orgOutcomesURL() + "/growth" }
func orgNewMeasureURL() string     { return orgOutcomesURL() + "/measures/new" }
func orgOutcomesImportURL() string { return orgOutcomesURL() + "/import" }

// orgMeasureURL is where a measure is edited (+"/edit", orgMeasureEditURL) or
// deleted (+"/delete").
func orgMeasureURL(measureID uint) string     { return orgOutcomesURL() + "/measures/" + itoa(measureID) }
func orgMeasureEditURL(measureID uint) string { return orgMeasureURL(measureID) + "/edit" }

// orgOutcomesImportPreviewURL is an uploaded file's preview; +"/commit" imports it.
func orgOutcomesImportPreviewURL(importID uint) string {
	return orgOutcomesImportURL() + "/" + itoa(importID)
}

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

// outboxPageURL is page n (1 the newest) of the outbox's mails of one
// status ("" every status).
func outboxPageURL(status string, page uint) string {
	return withQueryPage(outboxURL(), url.Values{"status": {status}}, page)
}

// peoplePageURL is page n of the directory searched for q in department
// ("" everyone).
func peoplePageURL(q, department string, page uint) string {
	return withQueryPage(peopleURL(), url.Values{"q": {q}, "department": {department}}, page)
}

// auditPageURL is page n (1 the newest) of the audit log under a filter
// (the page's query: actor, action, record_type, record_id, from, to).
func auditPageURL(filter url.Values, page uint) string {
	return withQueryPage(auditURL(), filter, page)
}

// pathFuncs are the URL functions as template functions: every one of
// them, in the order above, so that TestEveryPathIsARoute checks them all.
var pathFuncs = template.FuncMap{
	"homeURL": homeURL, "summitsURL": summitsURL, "signinURL": signinURL, "signinNextURL": signinNextURL,
	"signinSSOURL": signinSSOURL, "signinSSOCallbackURL": signinSSOCallbackURL,
	"signinForgotURL": signinForgotURL, "signoutURL": signoutURL, "setupURL": setupURL, "resetURL": resetURL,
	"calendarFeedURL": calendarFeedURL, "summitURL": summitURL, "sessionURL": sessionURL, "awardsURL": awardsURL,
	"ideasURL": ideasURL, "ideaURL": ideaURL, "ideaEditURL": ideaEditURL, "commitmentsURL": commitmentsURL,
	"myAgendaURL": myAgendaURL, "myAgendaPDFURL": myAgendaPDFURL, "accountURL": accountURL,
	"accountPasswordURL": accountPasswordURL, "myCalendarURL": myCalendarURL, "myFeedbackURL": myFeedbackURL,
	"myRecognitionURL": myRecognitionURL, "myCommitmentsURL": myCommitmentsURL,
	"currentAwardsURL": currentAwardsURL, "currentIdeasURL": currentIdeasURL, "howWeGrewURL": howWeGrewURL,
	"noticesURL": noticesURL, "noticesReadURL": noticesReadURL, "noticeReadURL": noticeReadURL,
	"noticesSettingsURL": noticesSettingsURL, "noticesPageURL": noticesPageURL,
	"summitFeedbackURL": summitFeedbackURL, "sessionFeedbackURL": sessionFeedbackURL,
	"sessionICSURL": sessionICSURL, "programPDFURL": programPDFURL, "agendaICSURL": agendaICSURL,
	"scheduleXMLURL": scheduleXMLURL, "scheduleJSONURL": scheduleJSONURL, "honoreesURL": honoreesURL,
	"nominateURL": nominateURL, "nominationURL": nominationURL, "nominationEditURL": nominationEditURL,
	"judgingURL": judgingURL, "scoreURL": scoreURL, "newIdeaURL": newIdeaURL, "commitmentURL": commitmentURL,
	"organiseURL": organiseURL, "orgNewSummitURL": orgNewSummitURL, "orgSummitURL": orgSummitURL,
	"orgSummitEditURL": orgSummitEditURL, "orgNextYearURL": orgNextYearURL, "orgAgendaURL": orgAgendaURL,
	"orgRoomsURL": orgRoomsURL, "orgSpeakersURL": orgSpeakersURL, "orgTrainingURL": orgTrainingURL,
	"orgRegistrationURL": orgRegistrationURL, "orgCheckinURL": orgCheckinURL, "orgExportsURL": orgExportsURL,
	"orgSettingsURL": orgSettingsURL, "orgWordsURL": orgWordsURL, "orgFeedbackURL": orgFeedbackURL,
	"orgCertificatesPDFURL": orgCertificatesPDFURL, "orgSessionsCSVURL": orgSessionsCSVURL,
	"orgRegistrationsCSVURL": orgRegistrationsCSVURL, "orgFeedbackCSVURL": orgFeedbackCSVURL,
	"orgReportPDFURL": orgReportPDFURL, "orgWordURL": orgWordURL, "orgSummitStatusURL": orgSummitStatusURL,
	"orgFeedbackSettingsURL": orgFeedbackSettingsURL, "orgSummitOutcomesURL": orgSummitOutcomesURL,
	"orgNewRoomURL": orgNewRoomURL, "orgNewTrackURL": orgNewTrackURL, "orgNewSpeakerURL": orgNewSpeakerURL,
	"orgNewSessionURL": orgNewSessionURL, "orgSessionURL": orgSessionURL, "orgSessionEditURL": orgSessionEditURL,
	"orgSessionsImportURL": orgSessionsImportURL, "orgSessionsImportTemplateURL": orgSessionsImportTemplateURL,
	"orgSessionsImportCSVURL": orgSessionsImportCSVURL, "orgSessionsImportPreviewURL": orgSessionsImportPreviewURL,
	"orgTimetableURL": orgTimetableURL, "orgSessionMoveURL": orgSessionMoveURL, "orgRoomURL": orgRoomURL,
	"orgTrackURL": orgTrackURL, "orgSpeakerURL": orgSpeakerURL, "orgRoomEditURL": orgRoomEditURL,
	"orgTrackEditURL": orgTrackEditURL, "orgSpeakerEditURL": orgSpeakerEditURL, "orgAwardsURL": orgAwardsURL,
	"orgIdeasURL": orgIdeasURL, "orgIdeasSettingsURL": orgIdeasSettingsURL, "orgIdeaURL": orgIdeaURL,
	"orgIdeasCSVURL": orgIdeasCSVURL, "orgNewCategoryURL": orgNewCategoryURL, "orgCategoryURL": orgCategoryURL,
	"orgCategoryEditURL": orgCategoryEditURL, "orgJudgesURL": orgJudgesURL, "orgResultsURL": orgResultsURL,
	"orgJudgeURL": orgJudgeURL, "orgCoverageURL": orgCoverageURL, "orgNominationsCSVURL": orgNominationsCSVURL,
	"orgCommitmentsURL": orgCommitmentsURL, "orgNewCommitmentURL": orgNewCommitmentURL,
	"orgCommitmentEditURL": orgCommitmentEditURL, "rosterURL": rosterURL, "checkinURL": checkinURL,
	"rosterCSVURL": rosterCSVURL, "rosterEntryURL": rosterEntryURL, "orgOutcomesURL": orgOutcomesURL,
	"orgOutcomesCSVURL": orgOutcomesCSVURL, "orgGrowthURL": orgGrowthURL, "orgNewMeasureURL": orgNewMeasureURL,
	"orgOutcomesImportURL": orgOutcomesImportURL, "orgMeasureURL": orgMeasureURL,
	"orgMeasureEditURL": orgMeasureEditURL, "orgOutcomesImportPreviewURL": orgOutcomesImportPreviewURL,
	"peopleURL": peopleURL, "peopleCSVURL": peopleCSVURL, "newPersonURL": newPersonURL, "inviteURL": inviteURL,
	"auditURL": auditURL, "outboxURL": outboxURL, "peopleImportURL": peopleImportURL, "personURL": personURL,
	"personEditURL": personEditURL, "peopleImportPreviewURL": peopleImportPreviewURL,
	"mailRetryURL": mailRetryURL, "outboxPageURL": outboxPageURL, "peoplePageURL": peoplePageURL,
}
