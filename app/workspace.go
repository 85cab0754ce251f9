package app

import (
	"strconv"
	"strings"
)

// WorkspaceEntry is one item of a summit's organiser sub-navigation.
type WorkspaceEntry struct {
	Label string
	// URL is the entry's page (a function of app/paths.go); Path the same
	// page below /organise/summits/:summit ("" is the overview), which the
	// current page is matched against.
	URL  func(summitID uint) string
	Path string
	// Also lists further pages the entry stands for, as paths below the
	// summit; "*" matches one path segment (an id). The longest match wins.
	Also []string
}

// workspaceEntries is the sub-navigation of every organiser page of one
// summit, in order. A feature adds its own entry here; the layout shows the
// list on every page under /organise/summits/:summit (templates/partials/
// workspace.html), so no handler has to pass it.
var workspaceEntries = []WorkspaceEntry{
	{Label: "Overview", URL: orgSummitURL, Path: "", Also: []string{"/next-year", "/status"}},
	{Label: "Agenda", URL: orgAgendaURL, Path: "/agenda", Also: []string{"/sessions", "/sessions/*", "/timetable"}},
	{Label: "Rooms and tracks", URL: orgRoomsURL, Path: "/rooms", Also: []string{"/rooms/*", "/tracks", "/tracks/*"}},
	{Label: "Speakers", URL: orgSpeakersURL, Path: "/speakers", Also: []string{"/speakers/*"}},
	{Label: "Training", URL: orgTrainingURL, Path: "/training", Also: []string{"/registration", "/checkin", "/sessions/*/roster", "/sessions/*/checkin", "/sessions/*/roster.csv"}},
	{Label: "Awards", URL: orgAwardsURL, Path: "/awards", Also: []string{"/awards/*"}},
	{Label: "Ideas and commitments", URL: orgIdeasURL, Path: "/ideas", Also: []string{"/ideas/*", "/commitments", "/commitments/*", "/words"}},
	{Label: "Exports", URL: orgExportsURL, Path: "/exports", Also: []string{"/feedback", "/feedback/*", "/outcomes"}},
	{Label: "Settings", URL: orgSettingsURL, Path: "/settings", Also: []string{"/edit"}},
}

// WorkspaceLink is a rendered entry of the sub-navigation.
type WorkspaceLink struct {
	Label, Href string
	Current     bool
}

// Workspace returns the sub-navigation for the page, or nil when the page
// is not one of a summit's organiser pages.
func (p *Page) Workspace() []WorkspaceLink {
	const prefix = "/organise/summits/"
	if !strings.HasPrefix(p.Path, prefix) {
		return nil
	}
	rest := strings.TrimPrefix(p.Path, prefix)
	id, sub, _ := strings.Cut(rest, "/")
	summitID, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return nil
	}
	if sub != "" {
		sub = "/" + strings.TrimSuffix(sub, "/")
	}
	current, best := -1, -1
	for i, e := range workspaceEntries {
		for _, pat := range append([]string{e.Path}, e.Also...) {
			if workspaceMatch(pat, sub) && len(pat) > best {
				current, best = i, len(pat)
			}
		}
	}
	out := make([]WorkspaceLink, len(workspaceEntries))
	for i, e := range workspaceEntries {
		out[i] = WorkspaceLink{Label: e.Label, Href: e.URL(uint(summitID)), Current: i == current}
	}
	return out
}

// workspaceMatch reports whether a sub-path matches a pattern exactly or is
// below it; "*" in the pattern matches one segment. The empty pattern (the
// overview) matches only the summit's own page.
func workspaceMatch(pattern, sub string) bool {
	if pattern == "" {
		return sub == ""
	}
	ps, ss := strings.Split(pattern, "/"), strings.Split(sub, "/")
	if len(ss) < len(ps) {
		return false
	}
	for i, seg := range ps {
		if seg != "*" && seg != ss[i] {
			return false
		}
	}
	return true
}
