package congdoan

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// NotificationKind is a kind of thing awaiting a user (the header's bell,
// /notifications). Each kind has a label "notify.kind.<kind>" in the
// catalogs.
type NotificationKind string

// Notification kinds. A module that adds work to review adds its kind here
// and a NotificationSource that finds it.
const (
	// NotifyReportToApprove: a report a unit below the user's submitted,
	// waiting for the user's (their unit's) approval.
	NotifyReportToApprove NotificationKind = "report.to_approve"
	// NotifyReportReturned: a report of the user's own unit, returned by the
	// parent with a comment, to be corrected and sent again.
	NotifyReportReturned NotificationKind = "report.returned"
	// NotifyAgreementExpiring: a collective agreement in scope whose last
	// day in force is within the notice (default AgreementExpiringDays)
	// and that no later agreement renews.
	NotifyAgreementExpiring NotificationKind = "agreement.expiring"
	// NotifyApplicationToReview: an application (online admission) waiting
	// for review. No source finds it yet: the admission module plugs its
	// own NotificationSource in.
	NotifyApplicationToReview NotificationKind = "application.to_review"
	// NotifyReportApproved is news, not work: a Message to the unit whose
	// report was approved. The bell never lists it.
	NotifyReportApproved NotificationKind = "report.approved"
)

// NotificationKinds lists the kinds in the order the page groups them.
var NotificationKinds = []NotificationKind{NotifyReportToApprove, NotifyReportReturned, NotifyApplicationToReview, NotifyAgreementExpiring}

// Label returns the name of the kind in lang.
func (k NotificationKind) Label(lang string) string { return labelOf(lang, "notify.kind", string(k)) }

// Notification is one thing awaiting the user: what (Kind), on which record
// (Entity and EntityID, which the web turns into a link), named as a
// person would name it (Title, Vietnamese data: a unit's name and a
// period, an employer's name), since when (At) or until when (Due).
type Notification struct {
	Kind     NotificationKind
	Entity   string // report, agreement, application …
	EntityID int64
	Title    string
	Unit     string    // the unit's name
	Period   string    // a report's period code ("2025-H1")
	Detail   string    // a return's comment, …
	At       time.Time // when it started waiting (a submission, a return)
	Due      Date      // a deadline (an agreement's last day)
}

// NotificationSource finds what awaits the user of ctx, within their scope.
// The store is one (reports, agreements); a later module adds its own, and
// the list of sources is wired in one place (congdoan.Services).
type NotificationSource interface {
	Notifications(ctx context.Context) ([]*Notification, error)
}

// CollectNotifications asks every source and orders the answers: by kind
// (NotificationKinds), then the nearest deadline, then the oldest wait.
func CollectNotifications(ctx context.Context, sources []NotificationSource) ([]*Notification, error) {
	var out []*Notification
	for _, s := range sources {
		ns, err := s.Notifications(ctx)
		if err != nil {
			return nil, err
		}
		out = append(out, ns...)
	}
	rank := func(k NotificationKind) int {
		if i := slices.Index(NotificationKinds, k); i >= 0 {
			return i
		}
		return len(NotificationKinds)
	}
	slices.SortStableFunc(out, func(a, b *Notification) int {
		return cmp.Or(cmp.Compare(rank(a.Kind), rank(b.Kind)), a.Due.Time().Compare(b.Due.Time()), a.At.Compare(b.At),
			cmp.Compare(a.EntityID, b.EntityID))
	})
	return out, nil
}

// Notifier sends a message outside the product: e-mail, SMS, Zalo. The
// product tells users what awaits them on its own pages (the bell); a
// Notifier carries the same news to where they are. Implementations must
// not block a request for long and report a failure as an error (the
// caller logs it and carries on: a message is never a reason to fail a
// write).
type Notifier interface {
	Notify(ctx context.Context, m Message) error
}

// Message is one notice to send: to the officers of a unit (UnitCode) or
// to one user (Username); a short Subject and a Body in Vietnamese, and a
// Link (a path of the web interface) to the record.
type Message struct {
	Kind     NotificationKind
	UnitCode string
	Username string
	Subject  string
	Body     string
	Link     string
}
