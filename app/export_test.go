package app

import "net/http"

// PathFuncs lets the external tests call every function of the URL
// vocabulary (paths_test.go).
var PathFuncs = pathFuncs

// WorkspaceEntryURLs gives, for a summit, each workspace entry's URL and the
// path its Path names (workspace.go), to check they agree.
func WorkspaceEntryURLs(summitID uint) (urls, paths []string) {
	for _, e := range workspaceEntries {
		urls, paths = append(urls, e.URL(summitID)), append(paths, orgSummitURL(summitID)+e.Path)
	}
	return urls, paths
}

// AcceptedCodings lets the external tests read Accept-Encoding as the cache
// does (pagecache_send.go).
var AcceptedCodings = acceptedCodings

// EchoHandler is the app's handler without the fast path (fastpath.go), for
// tests comparing the two.
func (a *App) EchoHandler() http.Handler { return headAsGet(a.echo) }

// SetFastHook sets what the fast path runs before it writes a remembered
// answer (nil: nothing). Set it while no request is under way.
func (a *App) SetFastHook(fn func(*http.Request)) { a.fast.hook = fn }
