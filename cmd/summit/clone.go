package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"summit/app"
	"summit/models"
)

const cloneUsage = `usage: summit clone --from SUMMIT --start YYYY-MM-DD [--title T] [--end YYYY-MM-DD] [--parts P,P,…] [--dry-run]

Copies a summit into a new draft edition: the chosen parts with their dates
shifted (sessions keep their local times on the shifted days), speakers kept,
judges who are still active, open commitments carried over. Never copied:
registrations, waitlists, check-ins, nominations, scores, winners, feedback.
SUMMIT is the summit's number (as in /organise/summits/N) or its title.
Parts (default: all): ` + "rooms, tracks, speakers, sessions, awards, registration, texts, settings" + `
`

// cloneCmd is "summit clone": the preview, then the copy in one transaction.
func cloneCmd(args []string, stdout io.Writer) error {
	var cfg app.Config
	fs := flag.NewFlagSet("clone", flag.ContinueOnError)
	fs.SetOutput(stdout)
	bindConfig(fs, &cfg)
	fs.Usage = func() { fmt.Fprint(fs.Output(), cloneUsage) }
	from := fs.String("from", "", "the summit to copy: its number or title (required)")
	start := fs.String("start", "", "the new edition's first day, YYYY-MM-DD (required)")
	end := fs.String("end", "", "the new edition's last day (default: as long as the original)")
	title := fs.String("title", "", "the new edition's title (default: the old one with the new year)")
	parts := fs.String("parts", "all", "comma-separated parts to copy")
	dry := fs.Bool("dry-run", false, "print the preview only; write nothing")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *from == "" || *start == "" {
		return errors.New(strings.TrimSpace(strings.SplitN(cloneUsage, "\n", 2)[0]))
	}
	chosen, err := models.ParseCloneParts(*parts)
	if err != nil {
		return err
	}
	db, err := openAndMigrate(cfg, newLogger("warn", stdout))
	if err != nil {
		return err
	}
	ctx := context.Background()
	src, err := findSummit(ctx, db, *from)
	if err != nil {
		return err
	}
	in := models.CloneInput{Title: *title, StartDate: *start, EndDate: *end, Parts: chosen}
	if in.Title == "" {
		in.Title = models.NextYearTitle(src, *start)
	}
	plan, err := models.PreviewClone(ctx, db, src.ID, in)
	if err != nil {
		return cloneError(err)
	}
	printPlan(stdout, src, plan)
	if *dry {
		fmt.Fprintln(stdout, "Dry run: nothing was written.")
		return nil
	}
	to, done, err := models.CloneSummit(ctx, db, models.Actor{Name: "summit clone (command line)"}, src.ID, in)
	if err != nil {
		return cloneError(err)
	}
	if err := models.Audit(ctx, db, models.ActorOf(nil, "shell"), "summit.copy", "summit", to.ID, "Copied "+src.Title+" to "+to.Title+": "+done.CloneSummary(),
		map[string]any{"from": src.ID, "parts": chosen}, to); err != nil {
		fmt.Fprintln(stdout, "warning: the copy is made but was not audited:", err)
	}
	fmt.Fprintf(stdout, "Created draft %d, “%s”: /organise/summits/%d\n", to.ID, to.Title, to.ID)
	return nil
}

// findSummit finds a summit by number or (case-insensitive) title.
func findSummit(ctx context.Context, db *gorm.DB, ref string) (*models.Summit, error) {
	if n, err := strconv.ParseUint(ref, 10, 32); err == nil {
		s, err := models.GetSummit(ctx, db, uint(n))
		if err != nil {
			return nil, fmt.Errorf("no summit number %d", n)
		}
		return s, nil
	}
	list, err := models.ListSummits(ctx, db)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if strings.EqualFold(strings.TrimSpace(list[i].Title), strings.TrimSpace(ref)) {
			return &list[i], nil
		}
	}
	return nil, fmt.Errorf("no summit called %q", ref)
}

// cloneError turns field messages into one line each.
func cloneError(err error) error {
	var fe models.FieldErrors
	if errors.As(err, &fe) {
		flags := map[string]string{"title": "--title", "start_date": "--start", "end_date": "--end"}
		var lines []string
		for k, v := range fe {
			lines = append(lines, flags[k]+": "+v)
		}
		return errors.New(strings.Join(lines, "; "))
	}
	return err
}

func printPlan(w io.Writer, src *models.Summit, p *models.ClonePlan) {
	fmt.Fprintf(w, "Copy %s (%s to %s) to a draft “%s”, %s to %s (%d days later), in %s:\n  %s\n",
		src.Title, src.StartDate, src.EndDate, p.To.Title, p.To.StartDate, p.To.EndDate, p.Days, p.To.TimeZone, p.CloneSummary())
	for _, n := range p.Notes {
		fmt.Fprintln(w, "  note:", n)
	}
	if len(p.Cannot) > 0 {
		fmt.Fprintln(w, "Cannot be copied:")
		for _, c := range p.Cannot {
			fmt.Fprintln(w, "  -", c)
		}
	}
	fmt.Fprintln(w, "Never copied: registrations, waitlists, check-ins, nominations, scores, winners, feedback.")
}
