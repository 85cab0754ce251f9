// Command summit runs the Service Summit planner.
//
//	summit [serve] [--demo]   start the web server (migrates first)
//	summit migrate            apply database migrations
//	summit seed --demo        create the demo summit in an empty database
//	                          (--sessions N adds a synthetic summit of N sessions)
//	summit clone --from S --start D  copy a summit into a new draft edition
//	summit user create …      create an account from the shell
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"gorm.io/gorm"

	"summit/app"
	"summit/models"
)

const usage = `Summit — plans a company's annual Service Summit.

Usage:
  summit [serve] [flags]        start the web server (applies migrations first)
  summit migrate [flags]        apply database migrations and exit
  summit seed --demo [flags]    create the demo summit and accounts in an empty database
                                (--sessions N: and a synthetic summit of N sessions, for benchmarks)
  summit user create --email E --name N [--role R] [--department D] [flags]
                                create an account (asks for the password on stdin)
  summit clone --from SUMMIT --start YYYY-MM-DD [--title T] [--end D] [--parts P,…] [--dry-run]
                                copy a summit into a new draft edition (next year's, say):
                                parts rooms, tracks, speakers, sessions, awards, registration, texts,
                                settings (default all); never registrations, nominations, scores, winners, feedback
  summit help                   show this help

Settings (environment variable, or flag):
  DATABASE_URL            --database-url     postgres://user:pass@host/db; empty: SQLite file in the data folder
  SUMMIT_ADDR             --addr             listen address (default :8080)
  SUMMIT_BASE_URL         --base-url         public URL, e.g. https://summit.example.com (default http://localhost:8080)
  SUMMIT_DATA_DIR         --data-dir         folder for the SQLite file (default ./data)
  SUMMIT_LOG_LEVEL        --log-level        debug, info, warn or error (default info)
  SUMMIT_TRUSTED_PROXIES  --trusted-proxies  comma-separated addresses/CIDRs whose X-Forwarded-For is believed
  SUMMIT_DEMO             --demo             serve: seed the demo summit when the database is empty
  SUMMIT_DEMO_SESSIONS    --sessions         with --demo: add a synthetic summit of this many sessions (benchmarks)
  SUMMIT_CACHE_MB         --cache-mb         memory for the public page cache, in MiB (default 48)
  SUMMIT_MEMORY_LIMIT_MB  --memory-limit-mb  soft memory limit of the Go runtime, in MiB (0: none; GOMEMLIMIT wins; default: the cache's MiB + 32, 80)
  SUMMIT_DEBUG_ADDR       --debug-addr       serve: address for Go's profiler (net/http/pprof), e.g. 127.0.0.1:6060; empty: none
  SUMMIT_SMTP_HOST        --smtp-host        mail server for notices and password links; empty: mail stays in Admin → Outbox, not sent
  SUMMIT_SMTP_PORT        --smtp-port        mail server port (default 587; STARTTLS when offered)
  SUMMIT_SMTP_USER        --smtp-user        SMTP user name; empty: no login
  SUMMIT_SMTP_PASSWORD    --smtp-password    SMTP password (prefer the environment variable)
  SUMMIT_SMTP_FROM        --smtp-from        sender address, e.g. summit@example.com
  SUMMIT_OIDC_ISSUER      --oidc-issuer      single sign-on: the identity provider's issuer URL; empty: no single sign-on
  SUMMIT_OIDC_CLIENT_ID   --oidc-client-id   single sign-on: this Summit's client id at the provider
  SUMMIT_OIDC_CLIENT_SECRET --oidc-client-secret  single sign-on: its client secret (prefer the environment variable)
  SUMMIT_OIDC_DOMAINS     --oidc-domains     comma-separated email domains that may sign in (empty: any the provider vouches for)
  SUMMIT_OIDC_LABEL       --oidc-label       the button says "Sign in with <label>" (default "single sign-on")
  SUMMIT_OIDC_CREATE_PEOPLE --oidc-create-people  "1": people unknown to the directory (allowed domain) are created as staff at first sign-in
  SUMMIT_OIDC_TRUST_DOMAINS --oidc-trust-domains  "1": an address in --oidc-domains counts as verified when the provider sends no email_verified (Entra ID)
  SUMMIT_SSO_ONLY         --sso-only         "1": single sign-on only; passwords stop working except for the break-glass admins
  SUMMIT_BREAK_GLASS      --break-glass      comma-separated admin addresses that keep their password with --sso-only
`

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stdin); err != nil {
		fmt.Fprintln(os.Stderr, "summit:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return def
}

func run(args []string, stdout io.Writer, stdin io.Reader) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve", "migrate", "seed":
	case "clone":
		return cloneCmd(args, stdout)
	case "user":
		if len(args) == 0 || args[0] != "create" {
			return errors.New("usage: summit user create --email E --name N [--role admin|organiser|staff]")
		}
		return userCreate(args[1:], stdout, stdin)
	default:
		fmt.Fprint(os.Stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	var cfg app.Config
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stdout)
	bindConfig(fs, &cfg)
	var synthetic int
	fs.IntVar(&synthetic, "sessions", envInt("SUMMIT_DEMO_SESSIONS", 0), "with --demo: add a synthetic summit of this many sessions")
	rc := runtimeConfig{memoryLimitMB: envInt("SUMMIT_MEMORY_LIMIT_MB", -1), debugAddr: env("SUMMIT_DEBUG_ADDR", "")}
	fs.Func("memory-limit-mb", "soft memory limit of the Go runtime, in MiB (0: none)", memoryLimitFlag(&rc.memoryLimitMB))
	fs.StringVar(&rc.debugAddr, "debug-addr", rc.debugAddr, "address for net/http/pprof (empty: none)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	log := newLogger(cfg.LogLevel, stdout)
	db, err := openAndMigrate(cfg, log)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cmd {
	case "migrate":
		return nil
	case "seed":
		if !cfg.Demo {
			return errors.New("seed needs --demo (the only seed there is)")
		}
		return seedDemo(ctx, db, cfg, synthetic, stdout)
	}
	if cfg.Demo {
		if err := seedDemo(ctx, db, cfg, synthetic, stdout); err != nil {
			return err
		}
	}
	applyMemoryLimit(rc, cfg.CacheBytes, log)
	if rc.debugAddr != "" {
		if err := serveDebug(ctx, rc.debugAddr, log); err != nil {
			return err
		}
	}
	a, err := app.New(cfg, db, log)
	if err != nil {
		return err
	}
	if err := a.Startup(ctx, stdout); err != nil {
		return err
	}
	// Every instance runs an outbox worker: the claim gives each mail to one.
	workCtx, stopWorker := context.WithCancel(ctx)
	defer stopWorker()
	go a.RunWorker(workCtx)
	log.Info("Summit is listening", "addr", cfg.Addr, "url", cfg.BaseURL)
	return a.Serve(ctx)
}

// bindConfig registers the shared settings on a flag set, defaulting to the environment.
func bindConfig(fs *flag.FlagSet, cfg *app.Config) {
	fs.StringVar(&cfg.DatabaseURL, "database-url", env("DATABASE_URL", ""), "database URL (postgres://…); empty: SQLite")
	fs.StringVar(&cfg.Addr, "addr", env("SUMMIT_ADDR", ":8080"), "listen address")
	fs.StringVar(&cfg.BaseURL, "base-url", env("SUMMIT_BASE_URL", "http://localhost:8080"), "public base URL")
	fs.StringVar(&cfg.DataDir, "data-dir", env("SUMMIT_DATA_DIR", "data"), "data folder for the SQLite file")
	fs.StringVar(&cfg.LogLevel, "log-level", env("SUMMIT_LOG_LEVEL", "info"), "log level")
	listVar(fs, &cfg.TrustedProxies, "trusted-proxies", "SUMMIT_TRUSTED_PROXIES", "trusted proxy addresses/CIDRs, comma-separated")
	fs.BoolVar(&cfg.Demo, "demo", env("SUMMIT_DEMO", "") != "", "seed the demo summit into an empty database")
	fs.StringVar(&cfg.SMTPHost, "smtp-host", env("SUMMIT_SMTP_HOST", ""), "SMTP server host")
	fs.IntVar(&cfg.SMTPPort, "smtp-port", envInt("SUMMIT_SMTP_PORT", 587), "SMTP server port")
	fs.StringVar(&cfg.SMTPUser, "smtp-user", env("SUMMIT_SMTP_USER", ""), "SMTP user name")
	fs.StringVar(&cfg.SMTPPassword, "smtp-password", env("SUMMIT_SMTP_PASSWORD", ""), "SMTP password")
	fs.StringVar(&cfg.SMTPFrom, "smtp-from", env("SUMMIT_SMTP_FROM", ""), "sender address")
	fs.StringVar(&cfg.OIDCIssuer, "oidc-issuer", env("SUMMIT_OIDC_ISSUER", ""), "OpenID Connect issuer URL")
	fs.StringVar(&cfg.OIDCClientID, "oidc-client-id", env("SUMMIT_OIDC_CLIENT_ID", ""), "OpenID Connect client id")
	fs.StringVar(&cfg.OIDCClientSecret, "oidc-client-secret", env("SUMMIT_OIDC_CLIENT_SECRET", ""), "OpenID Connect client secret")
	fs.StringVar(&cfg.OIDCLabel, "oidc-label", env("SUMMIT_OIDC_LABEL", ""), "the single sign-on button's label")
	listVar(fs, &cfg.OIDCDomains, "oidc-domains", "SUMMIT_OIDC_DOMAINS", "email domains that may sign in, comma-separated")
	fs.BoolVar(&cfg.OIDCCreatePeople, "oidc-create-people", envBool("SUMMIT_OIDC_CREATE_PEOPLE"), "create unknown people as staff at first single sign-on")
	fs.BoolVar(&cfg.OIDCTrustDomains, "oidc-trust-domains", envBool("SUMMIT_OIDC_TRUST_DOMAINS"), "addresses in the allowed domains count as verified when the provider sends no email_verified")
	fs.BoolVar(&cfg.SSOOnly, "sso-only", envBool("SUMMIT_SSO_ONLY"), "single sign-on only (passwords only for break-glass admins)")
	listVar(fs, &cfg.BreakGlass, "break-glass", "SUMMIT_BREAK_GLASS", "admin addresses that keep their password with --sso-only, comma-separated")
	fs.Func("cache-mb", "memory for the public page cache, in MiB", func(s string) error {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return fmt.Errorf("--cache-mb must be a number of MiB, at least 1")
		}
		cfg.CacheBytes = n << 20
		return nil
	})
	cfg.CacheBytes = envInt("SUMMIT_CACHE_MB", 0) << 20
	fs.Usage = func() { fmt.Fprint(fs.Output(), usage) }
}

// envBool reads a yes/no setting: 1, true or yes is on.
func envBool(name string) bool {
	switch strings.ToLower(env(name, "")) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(env(name, "")); err == nil {
		return v
	}
	return def
}

// listVar registers a comma-separated list setting: the flag, else the
// environment variable.
func listVar(fs *flag.FlagSet, list *[]string, name, envName, usage string) {
	*list = splitList(env(envName, ""))
	fs.Func(name, usage, func(s string) error {
		*list = splitList(s)
		return nil
	})
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func newLogger(level string, w io.Writer) *slog.Logger {
	var l slog.Level
	if err := l.UnmarshalText([]byte(level)); err != nil {
		l = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l}))
}

func openAndMigrate(cfg app.Config, log *slog.Logger) (*gorm.DB, error) {
	db, err := models.Open(cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	ran, err := models.Migrate(ctx, db)
	if err != nil {
		return nil, err
	}
	if len(ran) > 0 {
		log.Info("applied migrations", "versions", ran)
	}
	return db, nil
}

func seedDemo(ctx context.Context, db *gorm.DB, cfg app.Config, synthetic int, stdout io.Writer) error {
	year := time.Now().Year() + 1
	seeded, accounts, err := models.SeedDemo(ctx, db, year)
	if err != nil {
		return err
	}
	if !seeded {
		fmt.Fprintln(stdout, "The database already holds a summit; the demo was not added.")
		return nil
	}
	fmt.Fprintf(stdout, "\nDemo summit created: Service Summit %d. Open %s\n", year, cfg.BaseURL)
	fmt.Fprintf(stdout, "Demo accounts (password %q):\n", models.DemoPassword)
	for _, a := range accounts {
		fmt.Fprintf(stdout, "  %-10s %s (%s)\n", a.Role, a.Email, a.Name)
	}
	fmt.Fprintln(stdout)
	if synthetic > 0 {
		s, err := models.SeedSynthetic(ctx, db, year+1, synthetic)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Synthetic summit created: %s. Open %s/summits/%d\n\n", s.Title, strings.TrimRight(cfg.BaseURL, "/"), s.ID)
	}
	return nil
}
