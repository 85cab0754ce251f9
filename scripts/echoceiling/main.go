// Command echoceiling answers GETs with files' bytes, held in memory, from a
// bare Echo handler (no middleware): the ceiling of any Echo handler on this
// machine, for scripts/bench.sh to compare Summit with. Each file of --dir is
// one route, /<file name>, so every page Summit serves in the benchmark has a
// ceiling of its own bytes.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18082", "listen address")
	dir := flag.String("dir", "", "the folder whose files are served, each at /<name>")
	flag.Parse()
	files, err := os.ReadDir(*dir)
	if err != nil {
		log.Fatal(err)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	for _, f := range files {
		if f.IsDir() {
			continue
		}
		body, err := os.ReadFile(filepath.Join(*dir, f.Name()))
		if err != nil {
			log.Fatal(err)
		}
		e.GET("/"+f.Name(), func(c echo.Context) error { return c.HTMLBlob(http.StatusOK, body) })
	}
	srv := &http.Server{Addr: *addr, Handler: e, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.ListenAndServe())
}
