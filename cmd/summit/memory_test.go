package main

import (
	"io"
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"testing"
)

// The soft memory limit: the page cache's bound plus headroom unless set;
// 0 turns it off; GOMEMLIMIT, the runtime's own setting, wins.
func TestMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		set, cacheBytes, want int
	}{
		{-1, 0, 48 + memoryHeadroomMB},
		{-1, 16 << 20, 16 + memoryHeadroomMB},
		{0, 0, 0},
		{100, 16 << 20, 100},
	} {
		if got := memoryLimit(runtimeConfig{memoryLimitMB: c.set}, c.cacheBytes); got != c.want {
			t.Errorf("set %d, cache %d B: limit %d MiB, want %d", c.set, c.cacheBytes, got, c.want)
		}
	}
	prev := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(prev) })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, ok := os.LookupEnv("GOMEMLIMIT"); !ok {
		applyMemoryLimit(runtimeConfig{memoryLimitMB: -1}, 0, log)
		if got := debug.SetMemoryLimit(-1); got != int64(48+memoryHeadroomMB)<<20 {
			t.Errorf("the runtime's limit is %d B, want %d MiB", got, 48+memoryHeadroomMB)
		}
	}
	debug.SetMemoryLimit(math.MaxInt64)
	t.Setenv("GOMEMLIMIT", "1GiB")
	applyMemoryLimit(runtimeConfig{memoryLimitMB: 64}, 0, log)
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("with GOMEMLIMIT set, Summit changed the limit to %d B", got)
	}
}
