// Package coalesce shares reads among concurrent callers without ever giving
// a caller a result older than its call.
//
// A read that started before a caller arrived may miss a commit made just
// before the caller arrived, so a caller never joins a read already under
// way. Per key, at most one read runs at a time: callers that arrive while it
// runs wait for it to end and then share the next read, which starts at once
// and is the same for all of them. Every caller therefore gets the result of
// a read that started after it called — it sees everything committed before
// its call — while under load most callers share a read. A lone caller costs
// one read, as an uncoalesced read would.
//
// A caller whose context ends leaves at once with the context's error; the
// read goes on for the others. A read whose callers have all left is
// cancelled (if under way) or never started. A failed read fails only the
// callers that shared it. No goroutine outlives the last read of a key.
package coalesce

import (
	"context"
	"fmt"
	"sync"
)

// Reads coalesces reads per key. The zero value is ready to use; a Reads
// must not be copied after first use.
type Reads[K comparable, V any] struct {
	mu   sync.Mutex
	keys map[K]*queue[V]
}

// queue is the state of one key while a read of it is under way (nobody
// joins that one).
type queue[V any] struct {
	next *read[V] // not started: gathers the callers who arrive meanwhile
}

// read is one read shared by its callers.
type read[V any] struct {
	fn      func(context.Context) (V, error)
	ctx     context.Context
	cancel  context.CancelFunc
	done    chan struct{} // closed when val and err are set
	val     V
	err     error
	sharers int  // callers still waiting for it (Reads.mu)
	started bool // (Reads.mu)
}

// Do returns the result of fn for key, from a call of fn that starts after
// Do was called, possibly shared with other callers of the same key. fn must
// depend on nothing but the key: the fn of whichever sharer came first runs
// for all of them.
//
// A caller who finds no read of key under way runs fn itself, with its own
// ctx, as it would without coalescing (nobody can join a read under way, so
// nobody shares it). A shared read runs in a goroutine of its own, with a
// context that carries the values of its first sharer's ctx but not its
// cancellation, and that is cancelled when every sharer has left.
func (r *Reads[K, V]) Do(ctx context.Context, key K, fn func(context.Context) (V, error)) (V, error) {
	if err := ctx.Err(); err != nil {
		var zero V
		return zero, err
	}
	r.mu.Lock()
	if r.keys == nil {
		r.keys = map[K]*queue[V]{}
	}
	q := r.keys[key]
	if q == nil {
		r.keys[key] = &queue[V]{}
		r.mu.Unlock()
		defer r.finished(key) // also when fn panics: the callers queued meanwhile get their read
		return fn(ctx)
	}
	if q.next == nil {
		q.next = newRead(ctx, fn)
	}
	rd := q.next
	rd.sharers++
	r.mu.Unlock()
	select {
	case <-rd.done:
		return rd.val, rd.err
	case <-ctx.Done():
	}
	r.mu.Lock()
	rd.sharers--
	if rd.sharers == 0 && rd.started {
		rd.cancel() // nobody waits for it any more
	}
	r.mu.Unlock()
	var zero V
	return zero, ctx.Err()
}

func newRead[V any](ctx context.Context, fn func(context.Context) (V, error)) *read[V] {
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	return &read[V]{fn: fn, ctx: rctx, cancel: cancel, done: make(chan struct{})}
}

// finished is called when the read under way for key has ended: it starts
// the next one if anyone still waits for it, else forgets the key.
func (r *Reads[K, V]) finished(key K) {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := r.keys[key]
	rd := q.next
	q.next = nil
	if rd == nil || rd.sharers == 0 {
		if rd != nil {
			rd.cancel() // everyone who waited for it has left: never started
		}
		delete(r.keys, key)
		return
	}
	rd.started = true
	go r.run(key, rd)
}

// run performs a shared read and hands its result to its sharers.
func (r *Reads[K, V]) run(key K, rd *read[V]) {
	rd.val, rd.err = call(rd)
	rd.cancel()
	close(rd.done)
	r.finished(key)
}

// call runs a shared read, turning a panic into an error for its sharers (a
// panic here would end the process: no request's recovery covers this
// goroutine).
func call[V any](rd *read[V]) (v V, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("coalesce: read panicked: %v", p)
		}
	}()
	return rd.fn(rd.ctx)
}
