package app

import (
	"context"
	"fmt"
	"io"
	"strings"

	"summit/models"
)

// Startup runs once before serving: it tells the operator anything they must
// act on. When no admin exists yet it prints a one-time setup link that
// creates the first admin.
func (a *App) Startup(ctx context.Context, out io.Writer) error {
	tok, err := models.NewSetupToken(ctx, a.DB)
	if err != nil {
		return err
	}
	if tok == "" {
		return nil
	}
	link := strings.TrimRight(a.Cfg.BaseURL, "/") + setupURL(tok)
	fmt.Fprintf(out, "\nSummit has no admin yet. Open this one-time link to create the first admin account:\n\n  %s\n\n"+
		"(It works once, for %d days, and stops working as soon as an admin exists. Or run: summit user create --role admin --email you@example.com)\n\n",
		link, int(models.SetupTokenTTL.Hours()/24))
	a.Log.Info("first-run setup link printed", "valid_days", int(models.SetupTokenTTL.Hours()/24))
	return nil
}
