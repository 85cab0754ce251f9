package coalesce

import (
	"context"
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// gatedReader is a fake read: each call announces itself on started, waits
// for a value (or an error) on its gate, and counts.
type gatedReader struct {
	calls   atomic.Int64
	started chan context.Context
	gate    chan result
}

type result struct {
	v   int
	err error
}

func newGated() *gatedReader {
	return &gatedReader{started: make(chan context.Context, 16), gate: make(chan result)}
}

func (g *gatedReader) read(ctx context.Context) (int, error) {
	g.calls.Add(1)
	g.started <- ctx
	select {
	case r := <-g.gate:
		return r.v, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// waitFor polls cond (the state is behind the mutex; the test has no other
// way to see that callers have queued) for up to ten seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// queued is how many callers of key wait for the read after the running one.
func queued[K comparable, V any](r *Reads[K, V], key K) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if q := r.keys[key]; q != nil && q.next != nil {
		return q.next.sharers
	}
	return 0
}

func idle[K comparable, V any](r *Reads[K, V]) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.keys) == 0
}

// noLeak waits until the goroutines are back to what they were (the
// goroutine of a key ends just after its last read's callers return).
func noLeak(t *testing.T, before int) {
	t.Helper()
	waitFor(t, "the read goroutines end", func() bool { return runtime.NumGoroutine() <= before })
}

type outcome struct {
	v   int
	err error
}

func doAsync(r *Reads[string, int], ctx context.Context, key string, fn func(context.Context) (int, error)) chan outcome {
	ch := make(chan outcome, 1)
	go func() {
		v, err := r.Do(ctx, key, fn)
		ch <- outcome{v, err}
	}()
	return ch
}

// A caller who arrives while a read runs does not get that read's result: it
// waits for it to end and shares the next one with everyone else who arrived
// meanwhile. Two reads for eleven callers.
func TestLateCallersShareTheNextRead(t *testing.T) {
	before := runtime.NumGoroutine()
	var r Reads[string, int]
	g := newGated()
	first := doAsync(&r, t.Context(), "k", g.read)
	<-g.started
	var late []chan outcome
	for range 10 {
		late = append(late, doAsync(&r, t.Context(), "k", g.read))
	}
	waitFor(t, "ten callers queue", func() bool { return queued(&r, "k") == 10 })
	g.gate <- result{v: 1}
	if o := <-first; o.v != 1 || o.err != nil {
		t.Fatalf("first caller: %v %v, want 1", o.v, o.err)
	}
	<-g.started // the second read starts without anyone calling again
	for _, ch := range late {
		select {
		case o := <-ch:
			t.Fatalf("a late caller returned %v %v before its own read ended", o.v, o.err)
		default:
		}
	}
	g.gate <- result{v: 2}
	for _, ch := range late {
		if o := <-ch; o.v != 2 || o.err != nil {
			t.Errorf("late caller: %v %v, want 2 (the read that started after it called)", o.v, o.err)
		}
	}
	if n := g.calls.Load(); n != 2 {
		t.Errorf("%d reads for 11 callers, want 2", n)
	}
	waitFor(t, "the key is forgotten", func() bool { return idle(&r) })
	noLeak(t, before)
}

// A lone caller costs one read, and so does each of a series of them.
func TestLoneCallersReadOnceEach(t *testing.T) {
	var r Reads[string, int]
	calls := 0
	for i := range 5 {
		v, err := r.Do(t.Context(), "k", func(context.Context) (int, error) { calls++; return i, nil })
		if v != i || err != nil {
			t.Fatalf("call %d: %v %v", i, v, err)
		}
	}
	if calls != 5 {
		t.Errorf("%d reads for 5 calls one after another, want 5", calls)
	}
}

// Keys do not wait for each other.
func TestKeysAreApart(t *testing.T) {
	var r Reads[string, int]
	g := newGated()
	a := doAsync(&r, t.Context(), "a", g.read)
	<-g.started
	v, err := r.Do(t.Context(), "b", func(context.Context) (int, error) { return 7, nil })
	if v != 7 || err != nil {
		t.Fatalf("key b while a reads: %v %v", v, err)
	}
	g.gate <- result{v: 1}
	<-a
}

// A caller whose context ends leaves at once; the read it shared goes on for
// the others and is not cancelled.
func TestCancelledCallerLeavesTheReadToOthers(t *testing.T) {
	before := runtime.NumGoroutine()
	var r Reads[string, int]
	g := newGated()
	quitter, quit := context.WithCancel(t.Context())
	first := doAsync(&r, quitter, "k", g.read)
	readCtx := <-g.started
	stayer := doAsync(&r, t.Context(), "k", g.read)
	// The stayer queued for the next read; the quitter leaves the first one,
	// which nobody then waits for: it is cancelled.
	waitFor(t, "the second caller queues", func() bool { return queued(&r, "k") == 1 })
	quit()
	if o := <-first; !errors.Is(o.err, context.Canceled) {
		t.Fatalf("the cancelled caller got %v %v, want context.Canceled", o.v, o.err)
	}
	select {
	case <-readCtx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the read nobody waits for was not cancelled")
	}
	// The stayer's read starts and is not disturbed by anyone's leaving.
	readCtx = <-g.started
	third, quit3 := context.WithCancel(t.Context())
	leaver := doAsync(&r, third, "k", g.read)
	waitFor(t, "a third caller queues", func() bool { return queued(&r, "k") == 1 })
	quit3()
	if o := <-leaver; !errors.Is(o.err, context.Canceled) {
		t.Fatalf("the third caller got %v %v, want context.Canceled", o.v, o.err)
	}
	if readCtx.Err() != nil {
		t.Fatal("the stayer's read was cancelled by callers who left other reads")
	}
	g.gate <- result{v: 5}
	if o := <-stayer; o.v != 5 || o.err != nil {
		t.Fatalf("the caller who stayed: %v %v, want 5", o.v, o.err)
	}
	// The third caller left before its read started: it never runs.
	waitFor(t, "the key is forgotten", func() bool { return idle(&r) })
	if n := g.calls.Load(); n != 2 {
		t.Errorf("%d reads, want 2 (none for the caller who left before it started)", n)
	}
	noLeak(t, before)
}

// One of two sharers leaving does not cancel the read; both are counted.
func TestOneSharerLeavingKeepsTheRead(t *testing.T) {
	var r Reads[string, int]
	g := newGated()
	first := doAsync(&r, t.Context(), "k", g.read)
	<-g.started
	leaving, quit := context.WithCancel(t.Context())
	a := doAsync(&r, leaving, "k", g.read)
	b := doAsync(&r, t.Context(), "k", g.read)
	waitFor(t, "two callers queue", func() bool { return queued(&r, "k") == 2 })
	g.gate <- result{v: 1}
	<-first
	readCtx := <-g.started
	quit()
	if o := <-a; !errors.Is(o.err, context.Canceled) {
		t.Fatalf("the leaver got %v %v", o.v, o.err)
	}
	if readCtx.Err() != nil {
		t.Fatal("the shared read was cancelled while a sharer still waits")
	}
	g.gate <- result{v: 2}
	if o := <-b; o.v != 2 || o.err != nil {
		t.Fatalf("the remaining sharer: %v %v, want 2", o.v, o.err)
	}
}

// A failed read fails only its sharers; the next read is a new one.
func TestFailedReadFailsOnlyItsSharers(t *testing.T) {
	var r Reads[string, int]
	g := newGated()
	boom := errors.New("connection lost")
	first := doAsync(&r, t.Context(), "k", g.read)
	<-g.started
	late := doAsync(&r, t.Context(), "k", g.read)
	waitFor(t, "a caller queues", func() bool { return queued(&r, "k") == 1 })
	g.gate <- result{err: boom}
	if o := <-first; !errors.Is(o.err, boom) {
		t.Fatalf("the failed read's caller got %v %v", o.v, o.err)
	}
	<-g.started
	g.gate <- result{v: 3}
	if o := <-late; o.v != 3 || o.err != nil {
		t.Fatalf("the next read's caller got %v %v, want 3", o.v, o.err)
	}
}

// A lone read that panics panics in its caller, as it would uncoalesced
// (the request's recovery answers it), and the callers queued meanwhile
// still get their read; a shared read that panics is an error for its
// sharers, not the end of the process.
func TestPanickingRead(t *testing.T) {
	var r Reads[string, int]
	g := newGated()
	started := make(chan struct{})
	lone := make(chan any, 1)
	go func() {
		defer func() { lone <- recover() }()
		r.Do(t.Context(), "k", func(context.Context) (int, error) {
			close(started)
			<-g.gate
			panic("bad")
		})
	}()
	<-started
	late := doAsync(&r, t.Context(), "k", func(context.Context) (int, error) { panic("bad too") })
	waitFor(t, "a caller queues", func() bool { return queued(&r, "k") == 1 })
	g.gate <- result{}
	if p := <-lone; p != "bad" {
		t.Fatalf("the lone caller's panic: %v", p)
	}
	if o := <-late; o.err == nil {
		t.Fatal("no error from a shared read that panicked")
	}
	waitFor(t, "the key is forgotten", func() bool { return idle(&r) })
	v, err := r.Do(t.Context(), "k", func(context.Context) (int, error) { return 4, nil })
	if v != 4 || err != nil {
		t.Fatalf("after the panics: %v %v", v, err)
	}
}

// A caller whose context has already ended starts nothing.
func TestEndedContextStartsNothing(t *testing.T) {
	var r Reads[string, int]
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	called := false
	if _, err := r.Do(ctx, "k", func(context.Context) (int, error) { called = true; return 0, nil }); !errors.Is(err, context.Canceled) || called {
		t.Fatalf("err %v, called %v", err, called)
	}
}

// Many goroutines on a few keys, released together, some giving up early:
// every result comes from a read that started after its caller called (a
// logical clock orders arrivals and read starts), reads are shared, and no
// goroutine is left behind. Run with -race.
func TestEveryResultComesFromAReadStartedAfterTheCall(t *testing.T) {
	before := runtime.NumGoroutine()
	var r Reads[int, int64]
	var clock atomic.Int64
	var reads atomic.Int64
	read := func(ctx context.Context) (int64, error) {
		reads.Add(1)
		start := clock.Add(1)
		// A read takes a while, longer sometimes; it honours cancellation.
		select {
		case <-time.After(time.Duration(rand.IntN(200)) * time.Microsecond):
		case <-ctx.Done():
			return 0, ctx.Err()
		}
		if rand.IntN(50) == 0 {
			return 0, errors.New("a failed read")
		}
		return start, nil
	}
	const goroutines, calls, keys = 64, 150, 3
	var wg sync.WaitGroup
	var stale, served, gaveUp, failed atomic.Int64
	gate := make(chan struct{})
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			for i := range calls {
				ctx, cancel := t.Context(), context.CancelFunc(func() {})
				if (g+i)%17 == 0 {
					ctx, cancel = context.WithTimeout(t.Context(), time.Duration(rand.IntN(300))*time.Microsecond)
				}
				arrival := clock.Add(1)
				v, err := r.Do(ctx, i%keys, read)
				cancel()
				switch {
				case errors.Is(err, context.DeadlineExceeded):
					gaveUp.Add(1)
				case err != nil:
					failed.Add(1)
				case v <= arrival:
					stale.Add(1)
				default:
					served.Add(1)
				}
			}
		}()
	}
	close(gate)
	wg.Wait()
	if n := stale.Load(); n > 0 {
		t.Errorf("%d results came from reads that started before their caller called", n)
	}
	total := int64(goroutines * calls)
	t.Logf("%d calls: %d served, %d gave up, %d failed reads; %d reads", total, served.Load(), gaveUp.Load(), failed.Load(), reads.Load())
	if served.Load() < total/2 {
		t.Errorf("only %d of %d calls served", served.Load(), total)
	}
	if reads.Load() >= total/2 {
		t.Errorf("%d reads for %d calls by %d goroutines at once: hardly shared", reads.Load(), total, goroutines)
	}
	waitFor(t, "every key is forgotten", func() bool { return idle(&r) })
	noLeak(t, before)
}

// A shared read whose sharers have all left is cancelled, and its goroutine
// ends.
func TestSharedReadNobodyWaitsForIsCancelled(t *testing.T) {
	before := runtime.NumGoroutine()
	var r Reads[string, int]
	g := newGated()
	first := doAsync(&r, t.Context(), "k", g.read)
	<-g.started
	leaving, quit := context.WithCancel(t.Context())
	late := doAsync(&r, leaving, "k", g.read)
	waitFor(t, "a caller queues", func() bool { return queued(&r, "k") == 1 })
	g.gate <- result{v: 1}
	<-first
	readCtx := <-g.started // the shared read, in its own goroutine
	quit()
	if o := <-late; !errors.Is(o.err, context.Canceled) {
		t.Fatalf("the leaver got %v %v", o.v, o.err)
	}
	select {
	case <-readCtx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the shared read nobody waits for was not cancelled")
	}
	waitFor(t, "the key is forgotten", func() bool { return idle(&r) })
	noLeak(t, before)
}
