package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"congdoan"
	"congdoan/store"
)

func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return fmt.Errorf("thiếu lệnh con: user add | list | passwd")
	}
	sub, rest := args[0], args[1:]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	c := addCommon(fs, getenv)
	var username, role, unit, name *string
	switch sub {
	case "add":
		username = fs.String("username", "", "login name")
		role = fs.String("role", "", "admin, province_officer, upper_officer, grassroots_officer, monitor")
		unit = fs.String("unit", "", "code of the unit the user works in (all roles but admin)")
		name = fs.String("name", "", "full name")
	case "passwd":
		username = fs.String("username", "", "login name")
	case "list":
	default:
		return fmt.Errorf("lệnh con không rõ %q: dùng add, list hoặc passwd", sub)
	}
	if err := parseFlags(fs, rest, stderr); err != nil {
		return err
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	db := a.db
	sys := congdoan.NewContextWithUser(ctx, congdoan.SystemUser())
	switch sub {
	case "add":
		pw, err := readPassword(getenv, stdin)
		if err != nil {
			return err
		}
		u, err := db.CreateUser(sys, congdoan.UserInput{Username: *username, FullName: *name, Role: congdoan.Role(*role), UnitCode: *unit, Password: pw})
		if err != nil {
			return userError(err)
		}
		fmt.Fprintf(stdout, "Đã tạo tài khoản %s (%s) %s\n", u.Username, u.Role.Label("vi"), u.UnitCode)
	case "passwd":
		pw, err := readPassword(getenv, stdin)
		if err != nil {
			return err
		}
		if err := db.SetPassword(sys, *username, pw); err != nil {
			return userError(err)
		}
		fmt.Fprintf(stdout, "Đã đổi mật khẩu của %s; các phiên đăng nhập cũ đã kết thúc.\n", *username)
	case "list":
		us, err := db.FindUsers(sys, congdoan.UserFilter{})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "TÊN ĐĂNG NHẬP\tVAI TRÒ\tĐƠN VỊ\tTRẠNG THÁI\tHỌ TÊN")
		for _, u := range us {
			status := "hoạt động"
			if u.Disabled {
				status = "đã khóa"
			} else if u.MustChangePassword {
				status = "chờ đổi mật khẩu"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.Username, u.Role, u.UnitCode, status, u.FullName)
		}
		return tw.Flush()
	}
	return nil
}

// readPassword takes CONGDOAN_PASSWORD, else the first line of stdin.
func readPassword(getenv func(string) string, stdin io.Reader) (string, error) {
	if pw := getenv("CONGDOAN_PASSWORD"); pw != "" {
		return pw, nil
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("cần mật khẩu: đặt CONGDOAN_PASSWORD hoặc gõ vào stdin")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// userError prints every field message of a domain error.
func userError(err error) error {
	var e *congdoan.Error
	if !errors.As(err, &e) || len(e.Fields) < 2 {
		return fmt.Errorf("%s", congdoan.ErrorMessage(err))
	}
	var b strings.Builder
	b.WriteString(e.Message)
	// The store names the fields as the API does; here they are flags.
	flags := map[string]string{"unit_code": "unit", "full_name": "name", "password": "CONGDOAN_PASSWORD"}
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		name := "--" + cmp.Or(flags[f], f)
		if f == "password" {
			name = flags[f]
		}
		fmt.Fprintf(&b, "\n  %s: %s", name, e.Fields[f])
	}
	return fmt.Errorf("%s", b.String())
}

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	c := addCommon(fs, getenv)
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	db, err := store.Open(c.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "Cơ sở dữ liệu đã ở phiên bản mới nhất.")
		return nil
	}
	fmt.Fprintf(stdout, "Đã áp dụng các bản cập nhật cấu trúc: %v\n", applied)
	return nil
}
