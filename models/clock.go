package models

import "time"

// Now is the one clock of package models: the current time in UTC. Rules
// that decide something by the time (a window open or closed, an embargo
// lifted) take a now argument from their caller instead, so App.Now and the
// tests govern them; Now is for stamps (created_at, audit times, token
// expiry) and for callers outside a request (seeding, the CLI). GORM's
// NowFunc (see Open) reads it too.
func Now() time.Time { return time.Now().UTC() }
