package app_test

import (
	"net/url"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"summit/app"
)

// Every function of the URL vocabulary gives the path of a registered route
// (or the common start of some, like orgSessionURL for its /edit and
// /delete): a URL changed in app/routes.go and not in app/paths.go fails
// here, for every page, whether or not the demo links it.
func TestEveryPathIsARoute(t *testing.T) {
	ta := newTestApp(t, "sqlite")
	param := regexp.MustCompile(`:[a-z_]+`)
	var routes []*regexp.Regexp
	for _, r := range ta.Routes() {
		// a path may also be only the start of routes (orgSessionURL for its
		// /edit and /delete): the route's path minus its last segments.
		for p := r.Path; ; {
			re := param.ReplaceAllString(strings.ReplaceAll(regexp.QuoteMeta(p), `\*`, `.*`), `[^/]+`)
			routes = append(routes, regexp.MustCompile("^"+re+"$"))
			i := strings.LastIndex(p, "/")
			if i <= 0 {
				break
			}
			p = p[:i]
		}
	}
	var names []string
	for name := range app.PathFuncs {
		names = append(names, name)
	}
	sort.Strings(names)
	if len(names) < 50 {
		t.Fatalf("only %d path functions; is PathFuncs the vocabulary?", len(names))
	}
	for _, name := range names {
		fn := reflect.ValueOf(app.PathFuncs[name])
		var args []reflect.Value
		for i := 0; i < fn.Type().NumIn(); i++ {
			switch k := fn.Type().In(i).Kind(); k {
			case reflect.Uint:
				args = append(args, reflect.ValueOf(uint(7+i)))
			case reflect.String:
				args = append(args, reflect.ValueOf("t0ken"))
			default:
				t.Fatalf("%s takes a %s", name, k)
			}
		}
		raw := fn.Call(args)[0].String()
		u, err := url.Parse(raw)
		if err != nil || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
			t.Errorf("%s gives %q, not a path of this site", name, raw)
			continue
		}
		ok := false
		for _, re := range routes {
			if re.MatchString(u.Path) {
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("%s gives %s, which no route answers", name, u.Path)
		}
	}
}

// The workspace navigation links each entry through its path function and
// marks the current page by the entry's Path: both name the same page.
func TestWorkspaceEntriesLinkTheirOwnPath(t *testing.T) {
	urls, paths := app.WorkspaceEntryURLs(7)
	for i := range urls {
		if urls[i] != paths[i] {
			t.Errorf("workspace entry %d links %s but is matched as %s", i, urls[i], paths[i])
		}
	}
}
