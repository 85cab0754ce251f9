package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"summit/app"
	"summit/models"
)

// userCreate makes an account from the shell; the password is read from stdin
// so it stays out of the shell history.
func userCreate(args []string, stdout io.Writer, stdin io.Reader) error {
	var cfg app.Config
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	fs.SetOutput(stdout)
	bindConfig(fs, &cfg)
	email := fs.String("email", "", "email address (required)")
	name := fs.String("name", "", "full name (required)")
	role := fs.String("role", string(models.RoleStaff), "admin, organiser or staff")
	dept := fs.String("department", "", "department")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *name == "" {
		*name = strings.Split(*email, "@")[0]
	}
	db, err := openAndMigrate(cfg, newLogger("warn", stdout))
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, "Password (at least 12 characters): ")
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return fmt.Errorf("read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if msg := models.CheckPassword(pw); msg != "" {
		return errors.New(msg)
	}
	ctx := context.Background()
	p, err := models.CreatePerson(ctx, db, models.Actor{Name: "summit user create (command line)"}, models.PersonInput{Name: *name, Email: *email, Role: models.Role(*role), Department: *dept, Active: true})
	if err != nil {
		return err
	}
	if err := models.SetPassword(ctx, db, p.ID, pw); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nCreated %s <%s> with role %s.\n", p.Name, p.Email, p.Role)
	return nil
}
