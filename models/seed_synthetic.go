package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

// MaxSyntheticSessions bounds SeedSynthetic (a typo should not fill a disk).
const MaxSyntheticSessions = 20000

// SeedSynthetic adds a published synthetic summit of n sessions, for
// benchmarks and load tests: three days, seven hourly slots a day (09:00 to
// 16:00, fifty minutes each), as many rooms in parallel as n needs (at least
// ten), the three pillar tracks a new summit gets, every session with a ~650-character
// abstract and two guest speakers with bios, every third a training with
// seats. It is the shape of the program PDF benchmark
// (exporttest.SyntheticProgram): 200 sessions give ten rooms over three days.
// The summit takes the first free year from `from` on.
//
// The sessions meet the agenda rules by construction (each room and its two
// speakers have one session per slot), so they are inserted in batches
// instead of one SaveSession each.
func SeedSynthetic(ctx context.Context, db *gorm.DB, from, n int) (*Summit, error) {
	if n < 1 || n > MaxSyntheticSessions {
		return nil, FieldErrors{"sessions": fmt.Sprintf("A synthetic summit has 1 to %d sessions.", MaxSyntheticSessions)}
	}
	const days, slots = 3, 7
	rooms := max(10, (n+days*slots-1)/(days*slots))
	var out *Summit
	err := inTx(ctx, db, "seed synthetic summit", func(tx *gorm.DB) error {
		year := from
		for {
			var taken int64
			if err := tx.Model(&Summit{}).Where("year = ?", year).Count(&taken).Error; err != nil {
				return err
			}
			if taken == 0 {
				break
			}
			year++
		}
		s, err := CreateSummit(ctx, tx, ActorOf(nil, ""), SummitInput{Title: fmt.Sprintf("Synthetic Summit %d (%d sessions)", year, n), Theme: "A large summit for benchmarks",
			StartDate: fmt.Sprintf("%d-03-27", year), EndDate: fmt.Sprintf("%d-03-29", year), TimeZone: "Europe/Amsterdam", Venue: "Beurs van Berlage, Amsterdam"})
		if err != nil {
			return err
		}
		if s, err = SetSummitStatus(ctx, tx, ActorOf(nil, ""), s.ID, StatusPublished); err != nil {
			return err
		}
		roomIDs := make([]uint, rooms)
		for r := range roomIDs {
			room, err := CreateRoom(ctx, tx, ActorOf(nil, ""), s.ID, RoomInput{Name: fmt.Sprintf("Room %d", r+1), Capacity: "60", Position: fmt.Sprint(r + 1)})
			if err != nil {
				return err
			}
			roomIDs[r] = room.ID
		}
		// The three pillar tracks every new summit gets.
		tracks, err := ListTracks(ctx, tx, s.ID)
		if err != nil {
			return err
		}
		if len(tracks) == 0 {
			return fmt.Errorf("the new summit has no tracks")
		}
		var trackIDs []uint
		for _, tr := range tracks {
			trackIDs = append(trackIDs, tr.ID)
		}
		speakerIDs := make([]uint, 2*rooms)
		bio := strings.Repeat("Helps customers and colleagues every day; trains new people in patience. ", 4)
		for i := range speakerIDs {
			sp, err := SaveSpeaker(ctx, tx, ActorOf(nil, ""), s.ID, 0, SpeakerInput{Name: fmt.Sprintf("%s %d", []string{"Zoë Ølberg", "Łukasz Wąsik", "Nguyễn Thị Ánh", "Đorđe Petrović"}[i%4], i+1),
				Organisation: "Customer Care", Bio: strings.TrimSpace(bio)})
			if err != nil {
				return err
			}
			speakerIDs[i] = sp.ID
		}
		loc := s.Location()
		start := s.Start()
		abstract := strings.TrimSpace(strings.Repeat("This session shows how to listen first, act second, and keep dignity on both sides of the conversation. ", 6))
		titles := []string{"Patience under pressure", "Damage control that turns a bad moment around", "Knowledge of the product, shared kindly"}
		kinds := []SessionKind{KindTraining, KindPanel, KindKeynote}
		now := Now()
		sessions := make([]Session, n)
		for i := range sessions {
			day, slot, room := i/(slots*rooms), (i/rooms)%slots, i%rooms
			at := time.Date(start.Year(), start.Month(), start.Day()+day, 9+slot, 0, 0, 0, loc)
			x := Session{SummitID: s.ID, UUID: uuid.NewString(), Title: fmt.Sprintf("Session %04d: %s", i+1, titles[i%3]), Kind: kinds[i%3],
				Abstract: abstract, RoomID: &roomIDs[room], TrackID: &trackIDs[i%len(trackIDs)], StartsAt: at.UTC(), EndsAt: at.Add(50 * time.Minute).UTC(),
				CreatedAt: now, UpdatedAt: now}
			if x.Kind == KindTraining {
				c := 20 + 10*(i%3)
				x.Capacity = &c
			}
			sessions[i] = x
		}
		if err := tx.CreateInBatches(&sessions, 200).Error; err != nil {
			return err
		}
		for lo := 0; lo < n; lo += 200 {
			var rows []string
			var args []any
			for i := lo; i < min(n, lo+200); i++ {
				room := i % rooms
				rows = append(rows, "(?, ?, 0)", "(?, ?, 1)")
				args = append(args, sessions[i].ID, speakerIDs[2*room], sessions[i].ID, speakerIDs[2*room+1])
			}
			if err := tx.Exec("INSERT INTO session_speakers (session_id, speaker_id, position) VALUES "+strings.Join(rows, ", "), args...).Error; err != nil {
				return err
			}
		}
		out, err = GetSummit(ctx, tx, s.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
