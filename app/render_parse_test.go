package app

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
)

// A page's template set holds the layout and the partial definitions it
// reaches — through {{template}} and through holes, which the page cache
// runs by name — and not the others; a page reaching a definition nobody
// wrote fails at start-up.
func TestParsePageTakesOnlyWhatItUses(t *testing.T) {
	fsys := fstest.MapFS{
		"layouts/base.html": {Data: []byte(`{{define "base"}}<nav>{{template "nav" .}}</nav>{{template "content" .}}{{end}}`)},
		"partials/a.html":   {Data: []byte(`{{define "nav"}}N{{template "nav_item" .}}{{end}}{{define "nav_item"}}I{{end}}{{define "seats"}}S{{.}}{{end}}`)},
		"partials/b.html":   {Data: []byte(`{{define "unused"}}U{{template "nav" .}}{{end}}`)},
		"pages/show.html":   {Data: []byte(`{{define "content"}}<p>{{hole $ "seats" 3}}</p>{{end}}`)},
		"pages/own.html":    {Data: []byte(`{{define "content"}}{{template "nav" .}}{{end}}{{define "nav"}}own{{end}}`)},
		"pages/broken.html": {Data: []byte(`{{define "content"}}{{if .}}{{template "nowhere" .}}{{end}}{{end}}`)},
	}
	shared, err := sharedTrees(fsys)
	if err != nil {
		t.Fatal(err)
	}
	show, err := parsePage(fsys, "pages/show.html", "show", shared)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"base", "nav", "nav_item", "seats", "content"} {
		if show.Lookup(n) == nil {
			t.Errorf("show lacks %q, which it uses", n)
		}
	}
	if show.Lookup("unused") != nil {
		t.Errorf("show holds %q, which it never uses", "unused")
	}
	bindHole(show)
	var out bytes.Buffer
	if err := show.ExecuteTemplate(&out, "base", &Page{}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "<nav>NI</nav><p>S3</p>" {
		t.Errorf("show renders %q", got)
	}

	// A page's own definition wins over a partial's of the same name.
	own, err := parsePage(fsys, "pages/own.html", "own", shared)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := own.ExecuteTemplate(&out, "base", &Page{}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "<nav>own</nav>own" {
		t.Errorf("own renders %q", got)
	}

	if _, err := parsePage(fsys, "pages/broken.html", "broken", shared); err == nil || !strings.Contains(err.Error(), "nowhere") {
		t.Errorf("a page using an undefined template parsed: %v", err)
	}
}
