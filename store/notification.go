package store

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"congdoan"
)

// Notifications implements congdoan.NotificationSource for the records the
// store keeps, each kind scoped as its list is:
//
//   - reports to approve: submitted by a unit strictly below the user's
//     (any unit for an administrator without one), neither drawn up nor
//     submitted by the user (four eyes: they could not approve it); not
//     for monitors, who approve nothing;
//   - reports returned: their own unit's, waiting to be sent again;
//   - agreements in scope whose last day is between today and
//     AgreementNoticeDays ahead, unless a later agreement renews them.
//
// Each is one indexed query over small tables; the header's bell asks on
// every page.
func (d *DB) Notifications(ctx context.Context) (_ []*congdoan.Notification, err error) {
	defer wrap(&err, "store.Notifications")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	var out []*congdoan.Notification
	report := func(kind congdoan.NotificationKind, where string, args ...any) error {
		return d.scan(ctx, `SELECT r.id, u.name, r.period, r.status, COALESCE(r.submitted_at, ''), COALESCE(r.reason, ''), COALESCE(r.reason_at, '')
			FROM reports r JOIN units u ON u.id = r.unit_id WHERE `+where+` ORDER BY r.id`, args, func(rows *sql.Rows) error {
			n := &congdoan.Notification{Kind: kind, Entity: "report"}
			var status, submitted, reasonAt string
			if err := rows.Scan(&n.EntityID, &n.Title, &n.Period, &status, &submitted, &n.Detail, &reasonAt); err != nil {
				return err
			}
			n.Unit = n.Title
			at := submitted
			if kind == congdoan.NotifyReportReturned {
				at = reasonAt
			} else {
				n.Detail = ""
			}
			n.At, _ = time.Parse(time.RFC3339, at)
			out = append(out, n)
			return nil
		})
	}
	if s.user.Role != congdoan.RoleMonitor {
		where := `r.status = ? AND COALESCE(r.submitted_by, '') <> ? AND COALESCE(r.created_by, '') <> ?`
		args := []any{congdoan.ReportSubmitted, s.user.Username, s.user.Username}
		if s.rootID != 0 {
			where += ` AND r.unit_id <> ` + strconv.FormatInt(s.rootID, 10) + ` AND ` + inSubtree(s.rootID, "r.unit_id")
		}
		if err := report(congdoan.NotifyReportToApprove, where, args...); err != nil {
			return nil, err
		}
		if s.rootID != 0 {
			if err := report(congdoan.NotifyReportReturned, `r.status = ? AND r.unit_id = ?`, congdoan.ReportReturned, s.rootID); err != nil {
				return nil, err
			}
		}
	}
	days := d.AgreementNoticeDays
	if days <= 0 {
		days = congdoan.AgreementExpiringDays
	}
	today := d.Today()
	cond, args := s.unitIn("a.unit_id")
	args = append(args, today.String(), today.AddDays(days).String())
	err = d.scan(ctx, `SELECT a.id, e.name, u.name, a.valid_to FROM agreements a
		JOIN units u ON u.id = a.unit_id JOIN employers e ON e.id = a.employer_id
		WHERE `+cond+` AND a.valid_to >= ? AND a.valid_to <= ?
		AND NOT EXISTS (SELECT 1 FROM agreements b WHERE b.renews_id = a.id)
		ORDER BY a.valid_to, a.id`, args, func(rows *sql.Rows) error {
		n := &congdoan.Notification{Kind: congdoan.NotifyAgreementExpiring, Entity: "agreement"}
		var to string
		if err := rows.Scan(&n.EntityID, &n.Title, &n.Unit, &to); err != nil {
			return err
		}
		n.Due = parseDate(sql.NullString{String: to, Valid: true})
		out = append(out, n)
		return nil
	})
	return out, err
}
