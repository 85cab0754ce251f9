package app

import (
	"html/template"
	"strconv"
)

// The URL vocabulary: one function per linked page (or form target) that
// takes ids, used by handlers (redirects, links in flashes) and by templates
// (the same names are template functions, see pathFuncs). Change a URL here
// and in app/routes.go; TestEveryLinkOfTheDemoLeadsToARoute checks every
// link and form of the demo against the routes.

func itoa(n uint) string { return strconv.FormatUint(uint64(n), 10) }

// --- for everyone ---

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

// myAgendaURL is a person's own agenda of a summit.
func myAgendaURL(summitID uint) string { return "/my/agenda?summit=" + itoa(summitID) }

// --- for organisers ---

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

// --- for admins ---

// personEditURL is a directory entry's edit form.
func personEditURL(personID uint) string { return "/admin/people/" + itoa(personID) + "/edit" }

// pathFuncs are the URL functions as template functions.
var pathFuncs = template.FuncMap{
	"summitURL": summitURL, "sessionURL": sessionURL, "awardsURL": awardsURL, "ideasURL": ideasURL, "ideaURL": ideaURL,
	"myAgendaURL": myAgendaURL, "orgSummitURL": orgSummitURL, "orgSessionURL": orgSessionURL, "orgSessionEditURL": orgSessionEditURL,
	"orgTimetableURL": orgTimetableURL, "orgSessionMoveURL": orgSessionMoveURL,
	"orgRoomURL": orgRoomURL, "orgTrackURL": orgTrackURL, "orgSpeakerURL": orgSpeakerURL, "orgAwardsURL": orgAwardsURL,
	"orgIdeasURL": orgIdeasURL, "commitmentsURL": commitmentsURL, "orgCommitmentsURL": orgCommitmentsURL, "rosterURL": rosterURL, "checkinURL": checkinURL, "personEditURL": personEditURL,
}
