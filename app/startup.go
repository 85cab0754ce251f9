package app

import (
	"context"
	"io"
)

// Startup runs once before serving: it tells the operator anything they must
// act on (the accounts feature prints the first-run setup link here).
func (a *App) Startup(ctx context.Context, out io.Writer) error {
	return nil
}
