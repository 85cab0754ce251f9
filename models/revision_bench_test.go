package models_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// BenchmarkRevisionRead is the read every cached public request makes: the
// summit's revision alone, and with the seat counts of a day, by one caller
// and by 64 at once. Besides the time per call it reports the CPU spent per
// call by this process (cpu-µs/op) and, on Postgres, by the database's
// backends (pg-µs/op, when Postgres runs on this machine): on a busy shared
// machine those move much less than the time. On Postgres each is run as
// the reader does now ("snapshot": on connections of its own, a read of the
// server's snapshot first, the read itself only when that changed), without
// the snapshot ("own": the read every time, on its own connections) and as
// it did before ("pool": the read every time, through the application's
// pool, which pings each connection before use).
func BenchmarkRevisionRead(b *testing.B) {
	for _, d := range modelstest.Dialects {
		b.Run(d, func(b *testing.B) {
			db := modelstest.Open(b, d)
			if _, _, err := models.SeedDemo(ctx, db, 2027); err != nil {
				b.Fatal(err)
			}
			s, err := models.CurrentSummit(ctx, db, time.Now())
			if err != nil {
				b.Fatal(err)
			}
			ways := []string{""}
			if d == "postgres" {
				ways = []string{"snapshot", "own", "pool"}
			}
			for _, way := range ways {
				r := models.NewRevisionReader(db)
				switch way {
				case "own":
					models.NoSnapshotCheck(r)
				case "pool":
					models.UsePoolReads(r)
				}
				name := func(n string) string {
					if way == "" {
						return n
					}
					return way + "/" + n
				}
				b.Run(name("revision"), func(b *testing.B) {
					defer measureCPU(b, db)()
					for b.Loop() {
						if _, err := r.Revision(ctx, s.ID); err != nil {
							b.Fatal(err)
						}
					}
				})
				b.Run(name("revision+seats"), func(b *testing.B) {
					defer measureCPU(b, db)()
					for b.Loop() {
						if _, _, err := r.RevisionAndSeats(ctx, s.ID, s.Start(), s.Start().AddDate(0, 0, 1)); err != nil {
							b.Fatal(err)
						}
					}
				})
				// 64 callers at once (2 per CPU × 32), as under wrk -c64: reads
				// are coalesced, so most callers share one.
				b.Run(name("revision+seats/parallel"), func(b *testing.B) {
					defer measureCPU(b, db)()
					b.SetParallelism(32)
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							if _, _, err := r.RevisionAndSeats(ctx, s.ID, s.Start(), s.Start().AddDate(0, 0, 1)); err != nil {
								b.Error(err)
								return
							}
						}
					})
				})
				r.Close()
			}
		})
	}
}

// measureCPU starts measuring the CPU time of this process and of the
// database's Postgres backends; the function it returns reports both per
// op.
func measureCPU(b *testing.B, db *gorm.DB) func() {
	self0, pg0 := processCPU(), backendsCPU(db)
	return func() {
		self1, pg1 := processCPU(), backendsCPU(db)
		b.ReportMetric(float64((self1-self0).Nanoseconds())/1e3/float64(b.N), "cpu-µs/op")
		if pg0 != nil && pg1 != nil {
			var sum time.Duration
			for pid, t := range pg1 {
				sum += t - pg0[pid] // a backend born during the run: all of it
			}
			b.ReportMetric(float64(sum.Nanoseconds())/1e3/float64(b.N), "pg-µs/op")
		}
	}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendsCPU is the CPU time of each backend connected to db's database,
// read from /proc (nil on SQLite, or when Postgres is not on this machine).
func backendsCPU(db *gorm.DB) map[int]time.Duration {
	if !models.IsPostgres(db) {
		return nil
	}
	var pids []int
	if err := db.Raw("SELECT pid FROM pg_stat_activity WHERE datname = current_database()").Scan(&pids).Error; err != nil {
		return nil
	}
	out := map[int]time.Duration{}
	for _, pid := range pids {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			return nil
		}
		s := string(raw)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // f[11], f[12]: utime, stime in ticks
		u, _ := strconv.ParseInt(f[11], 10, 64)
		k, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = time.Duration(u+k) * time.Second / 100 // USER_HZ is 100 on Linux
	}
	return out
}
