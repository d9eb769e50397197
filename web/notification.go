package web

import (
	"net/http"
	"strconv"

	"congdoan"
)

// bellCount is the number the header's bell shows: what awaits the user
// of r. A failure shows no number rather than failing the page.
func (h *Handler) bellCount(r *http.Request) int {
	if userOf(r.Context()) == nil || len(h.svc.Notifications) == 0 {
		return 0
	}
	ns, err := congdoan.CollectNotifications(r.Context(), h.svc.Notifications)
	if err != nil {
		h.log.Warn("web: notifications for the bell", "err", err, "path", r.URL.Path)
		return 0
	}
	return len(ns)
}

// notificationsView is the /notifications page.
type notificationsView struct {
	Page
	Groups []notificationGroup
}

// notificationGroup is one kind of notification with its items.
type notificationGroup struct {
	Kind  congdoan.NotificationKind
	Items []notificationItem
}

// notificationItem is a notification as the page lists it.
type notificationItem struct {
	*congdoan.Notification
	URL    string
	Period string // a report's period, labelled
}

// notifications lists what awaits the user, by kind, each with a link to
// the record.
func (h *Handler) notifications(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ns, err := congdoan.CollectNotifications(ctx, h.svc.Notifications)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := &notificationsView{Page: h.page(w, r, "notify.title", "notifications")}
	v.Bell = len(ns) // the same moment as the list
	for _, n := range ns {
		it := notificationItem{Notification: n, URL: notificationURL(n)}
		if p, err := congdoan.ParseReportPeriod(n.Period); err == nil {
			it.Period = p.LabelIn(v.Lang)
		}
		if k := len(v.Groups); k == 0 || v.Groups[k-1].Kind != n.Kind {
			v.Groups = append(v.Groups, notificationGroup{Kind: n.Kind})
		}
		g := &v.Groups[len(v.Groups)-1]
		g.Items = append(g.Items, it)
	}
	h.render(w, r, http.StatusOK, "notifications.html", v)
}

// notificationURL is the page of a notification's record: /reports/5,
// /agreements/3, /applications/7 …
func notificationURL(n *congdoan.Notification) string {
	if n.Entity == "" || n.EntityID == 0 {
		return ""
	}
	return "/" + n.Entity + "s/" + strconv.FormatInt(n.EntityID, 10)
}
