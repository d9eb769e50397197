package main

import (
	"congdoan/store"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"strings"
)

// config is what every subcommand shares.
type config struct {
	DB       string
	LogLevel string
	AuditKey string // the audit key ring's file ("": store.DefaultAuditKeyPath)
}

// addCommon registers the shared flags, defaulting from the environment.
func addCommon(fs *flag.FlagSet, getenv func(string) string) *config {
	c := &config{}
	fs.StringVar(&c.DB, "db", envOr(getenv, "CONGDOAN_DB", "congdoan.db"), "SQLite file or postgres:// DSN (CONGDOAN_DB)")
	fs.StringVar(&c.LogLevel, "log-level", envOr(getenv, "CONGDOAN_LOG_LEVEL", "info"), "debug, info, warn, error (CONGDOAN_LOG_LEVEL)")
	fs.StringVar(&c.AuditKey, "audit-key", getenv("CONGDOAN_AUDIT_KEY_FILE"), "the audit log's key file (CONGDOAN_AUDIT_KEY_FILE; default beside the SQLite file, or congdoan-audit.key)")
	return c
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// envInt is key's value as a whole number, def when unset, and -1 when it
// is not a number (the caller's check for a positive value then says so).
func envInt(getenv func(string) string, key string, def int64) int64 {
	v := getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

func (c *config) logger(w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// auditKeyPath is the key ring's file.
func (c *config) auditKeyPath() string {
	if c.AuditKey != "" {
		return c.AuditKey
	}
	return store.DefaultAuditKeyPath(c.DB)
}

// describeDSN hides a PostgreSQL password when printing where we are.
func describeDSN(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 && strings.Contains(dsn, "://") {
		return dsn[:strings.Index(dsn, "://")+3] + "…" + dsn[i:]
	}
	return dsn
}

func parseFlags(fs *flag.FlagSet, args []string, stderr io.Writer) error {
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("tham số thừa: %s", strings.Join(fs.Args(), " "))
	}
	return nil
}
