package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"congdoan/store"
	"congdoan/vntext"
)

// runAudit is `congdoan audit verify` and `congdoan audit rotate-key`.
// verify recomputes the signed chain and exits non-zero naming every event
// that does not hold; rotate-key adds a new key to the key file (new events
// are signed with it, the old keys keep verifying theirs).
func runAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "rotate-key") {
		return fmt.Errorf("cần lệnh con: audit verify | audit rotate-key")
	}
	sub := args[0]
	fs := flag.NewFlagSet("audit "+sub, flag.ContinueOnError)
	c := addCommon(fs, getenv)
	if err := parseFlags(fs, args[1:], stderr); err != nil {
		return err
	}
	if sub == "rotate-key" {
		_, k, err := store.RotateAuditKeys(c.auditKeyPath())
		if err != nil {
			return err
		}
		a, err := c.open(ctx, stderr)
		if err != nil {
			return err
		}
		defer a.Close()
		if err := a.db.RecordKeyRotation(system(ctx), k.ID); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Đã thêm khóa ký nhật ký số %d vào %s; các sự kiện mới được ký bằng khóa này, khóa cũ vẫn dùng để kiểm tra sự kiện cũ.\n", k.ID, c.auditKeyPath())
		return nil
	}
	a, err := c.open(ctx, stderr)
	if err != nil {
		return err
	}
	defer a.Close()
	v, err := a.db.VerifyAudit(system(ctx))
	if err != nil {
		return cliError(err)
	}
	if v.OK {
		fmt.Fprintf(stdout, "Nhật ký nguyên vẹn: %s sự kiện, mới nhất số %d, chữ ký và liên kết đều khớp.\n", vntext.FormatInt(v.Events), v.LastID)
		return nil
	}
	fmt.Fprintf(stdout, "Nhật ký KHÔNG nguyên vẹn (%s sự kiện đã đọc, đầu chuỗi ghi sự kiện số %d):\n", vntext.FormatInt(v.Events), v.LastID)
	for _, p := range v.Problems {
		fmt.Fprintf(stdout, "  sự kiện %d: %s\n", p.EventID, p.Message)
	}
	// The exit status is what scripts and monitoring look at.
	return fmt.Errorf("nhật ký có %d chỗ không khớp", len(v.Problems))
}
