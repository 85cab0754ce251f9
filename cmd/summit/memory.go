package main

// Memory and profiling settings of the server: a soft memory limit for the Go
// runtime and an optional debug address with net/http/pprof. See
// docs/PERFORMANCE.md ("Memory") for what they cost and why the default.

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"runtime/debug"
	"strconv"
	"time"

	"summit/app"
)

// runtimeConfig is the server's settings for the Go runtime.
type runtimeConfig struct {
	memoryLimitMB int    // soft limit of the Go runtime's memory; 0: none; -1: the default
	debugAddr     string // pprof address; empty: none
}

// memoryHeadroomMB is what the default memory limit allows beyond the page
// cache's bound: the rest of the heap at rest (~10 MiB), the requests under
// way, and a cold render of a large program PDF (about 40 MiB live at once
// for 2,000 sessions).
const memoryHeadroomMB = 32

// memoryLimit is the soft limit in MiB for the settings: the one set, else
// the page cache's bound plus memoryHeadroomMB (80 MiB with the default
// cache). The collector works harder only near it; below, nothing changes.
func memoryLimit(rc runtimeConfig, cacheBytes int) int {
	if rc.memoryLimitMB >= 0 {
		return rc.memoryLimitMB
	}
	if cacheBytes <= 0 {
		cacheBytes = app.DefaultCacheBytes
	}
	return cacheBytes>>20 + memoryHeadroomMB
}

// applyMemoryLimit sets the Go runtime's soft memory limit, unless GOMEMLIMIT
// (the runtime's own variable) already says one.
func applyMemoryLimit(rc runtimeConfig, cacheBytes int, log *slog.Logger) {
	mb := memoryLimit(rc, cacheBytes)
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok || mb <= 0 {
		return
	}
	debug.SetMemoryLimit(int64(mb) << 20)
	log.Debug("memory limit", "mib", mb)
}

// serveDebug serves net/http/pprof on addr until ctx ends. It is for
// operators only: bind it to a loopback or private address.
func serveDebug(ctx context.Context, addr string, log *slog.Logger) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("debug address: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("debug address stopped", "err", err)
		}
	}()
	log.Info("pprof on the debug address", "addr", ln.Addr().String())
	return nil
}

// memoryLimitFlag parses --memory-limit-mb: a number of MiB, 0 for none.
func memoryLimitFlag(dst *int) func(string) error {
	return func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return fmt.Errorf("--memory-limit-mb must be a number of MiB (0: no limit)")
		}
		*dst = n
		return nil
	}
}
