package app_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"summit/app"
	"summit/models"
	"summit/models/modelstest"
)

// benchApp is Summit with the demo summit on a fresh SQLite database, for
// benchmarks that call the handler in-process (no network, no client).
func benchApp(b *testing.B, dialect string) (http.Handler, *models.Summit) {
	b.Helper()
	db := modelstest.Open(b, dialect)
	if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
		b.Fatal(err)
	}
	s, err := models.CurrentSummit(ctx, db, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	a, err := app.New(app.Config{BaseURL: "http://summit.test"}, db, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		b.Fatal(err)
	}
	return a.Handler(), s
}

func benchGet(b *testing.B, h http.Handler, path string) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		if code := visitorGet(h, path); code != http.StatusOK {
			b.Fatalf("GET %s: %d", path, code)
		}
	}
}

// visitorGet is one request of a visitor's browser (gzip accepted); it
// returns the status.
func visitorGet(h http.Handler, path string) int {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// BenchmarkAgendaPage is the public agenda of the demo summit for a visitor.
func BenchmarkAgendaPage(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			h, s := benchApp(b, d)
			benchGet(b, h, "/summits/"+itoa(s.ID)+"?day="+s.StartDate)
		})
	}
}

// BenchmarkAgendaPageParallel is BenchmarkAgendaPage with 64 requests at
// once (2 per CPU × 32), as under wrk -c64, where the revision reads are
// shared (coalesced).
func BenchmarkAgendaPageParallel(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			h, s := benchApp(b, d)
			path := "/summits/" + itoa(s.ID) + "?day=" + s.StartDate
			if code := visitorGet(h, path); code != http.StatusOK { // built and cached
				b.Fatalf("GET %s: %d", path, code)
			}
			b.ReportAllocs()
			b.SetParallelism(32)
			b.ResetTimer() // RunParallel does not, unlike b.Loop
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if code := visitorGet(h, path); code != http.StatusOK {
						b.Errorf("GET %s: %d", path, code)
						return
					}
				}
			})
		})
	}
}

// BenchmarkProgramPDFRequest is a request for the demo's program PDF once it
// is in the page cache (gzip accepted), as a rush on the booklet sees it.
func BenchmarkProgramPDFRequest(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			h, s := benchApp(b, d)
			benchGet(b, h, "/summits/"+itoa(s.ID)+"/program.pdf")
		})
	}
}
