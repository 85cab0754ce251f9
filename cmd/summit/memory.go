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
)

// runtimeConfig is the server's settings for the Go runtime.
type runtimeConfig struct {
	memoryLimitMB int    // soft limit of the Go runtime's memory; 0: none
	debugAddr     string // pprof address; empty: none
}

// applyMemoryLimit sets the Go runtime's soft memory limit, unless GOMEMLIMIT
// (the runtime's own variable) already says one.
func applyMemoryLimit(rc runtimeConfig, log *slog.Logger) {
	if _, ok := os.LookupEnv("GOMEMLIMIT"); ok || rc.memoryLimitMB <= 0 {
		return
	}
	debug.SetMemoryLimit(int64(rc.memoryLimitMB) << 20)
	log.Debug("memory limit", "mib", rc.memoryLimitMB)
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

// defaultMemoryLimitMB is the soft memory limit when none is set.
const defaultMemoryLimitMB = 0
