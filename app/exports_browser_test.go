package app_test

import (
	"strings"
	"testing"

	"summit/models/export/exporttest"
)

// In Chromium: a visitor on the agenda page finds the program download, and
// the link gives a PDF (fetched by the page itself, as the browser would);
// the Letter link and the calendar link are there too.
func TestBrowserProgramDownload(t *testing.T) {
	ta := newBrowserApp(t)
	f := exporttest.Build(t, ta.DB, 2027, false)
	b := newBrowser(t)
	console := watchConsole(t, b)
	visit(t, b, ta.Server.URL+"/summits/"+itoa(f.Summit.ID))
	waitText(t, b, "Download program PDF")
	links := pageText(t, b, ".agenda-exports")
	for _, w := range []string{"US Letter", "Add to calendar", "schedule.xml"} {
		if !strings.Contains(links, w) {
			t.Errorf("agenda downloads lack %q: %s", w, links)
		}
	}
	eval[bool](t, b, `(window.__pdf = null, fetch(document.querySelector("#program-pdf-link").href).then(async r => {
		const head = new Uint8Array(await r.arrayBuffer()).slice(0, 5);
		window.__pdf = r.status + " " + r.headers.get("content-type") + " " + String.fromCharCode(...head);
	}).catch(e => { window.__pdf = "error " + e; }), true)`)
	step(t, b, "download the program", waitFor(`window.__pdf !== null`))
	if got := eval[string](t, b, `window.__pdf`); got != "200 application/pdf %PDF-" {
		t.Fatalf("the program link gave %q", got)
	}
	screenshot(t, b, "agenda-downloads")
	console.check(t)
}
