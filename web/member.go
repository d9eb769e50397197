package web

import (
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"congdoan"
	"congdoan/internal/httpx"
	"congdoan/vntext"
)

// memberPageSize is the member list's default page: enough to scan, small
// enough for a phone; memberPageSizes are the sizes the list offers.
const memberPageSize = 50

var memberPageSizes = []int{20, 50, 100}

// memberPageSizeParam reads ?size=, one of memberPageSizes.
func memberPageSizeParam(q url.Values) int {
	n, err := strconv.Atoi(q.Get("size"))
	if err != nil || !slices.Contains(memberPageSizes, n) {
		return memberPageSize
	}
	return n
}

// memberListView is the member list and its htmx fragment.
type memberListView struct {
	Page
	Q, Unit, Status string
	CanAdmit        bool
	Members         []*congdoan.Member
	Paging          paging
	Pages           memberPages
}

// memberPages is the member list's page numbers and page sizes.
type memberPages struct {
	Numbers []pageLink // with gaps (Number 0) between distant pages
	Sizes   []pageLink // Number is the size
	More    bool       // pages beyond the last number: the count was capped
}

// pageLink is a link to a page number or a page size; Current is shown
// without a link.
type pageLink struct {
	Number  int
	URL     string
	Current bool
}

// memberList searches members by name (with or without diacritics) or
// CCCD digits. With htmx (HX-Request) it answers only the results, which
// the page swaps in as the officer types.
func (h *Handler) memberList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	v := &memberListView{Page: h.page(w, r, "members.title", "members"), Q: q.Get("q"), Unit: q.Get("unit"), Status: q.Get("status")}
	if v.Status == "" {
		v.Status = string(congdoan.StatusActive)
	}
	v.CanAdmit = userOf(ctx).CanWriteMembers()
	// "Next" links carry the cursor of the page's last member (after) and
	// the position it stands for (offset, then shown only): a deep page
	// costs what the first does. Without a cursor the offset places the
	// page, as for "previous" links and typed URLs.
	offset, after, size := offsetParam(r), q.Get("after"), memberPageSizeParam(q)
	unit := h.filterUnit(ctx, &v.Page, v.Unit)
	if unit != "" {
		v.Unit = unit
	}
	filter := congdoan.MemberFilter{Query: v.Q, Unit: unit, Status: v.Status, Limit: size, Offset: offset}
	if after != "" {
		filter.Offset, filter.After = 0, after
	}
	status := http.StatusOK
	res, err := h.svc.Members.FindMemberPage(ctx, filter)
	if res == nil {
		res = &congdoan.MemberPage{}
	}
	if err != nil {
		msg, _, ok := formError(err)
		if !ok || congdoan.ErrorCode(err) != congdoan.EINVALID {
			h.fail(w, r, err) // 403 for monitors, 404 for a unit outside the scope
			return
		}
		v.Error, status = msg, httpx.Status(err)
	}
	v.Members = res.Members
	v.Paging, v.Pages = memberPaging(q, offset, size, res)
	v.linkable = h.unitCodes(ctx)
	if isFragment(r) {
		h.renderTemplate(w, r, status, "members.html", "results", v)
		return
	}
	h.render(w, r, status, "members.html", v)
}

// memberPaging is the member list's paging: "more than 1.000" only when
// the store stopped counting, a next link that carries the cursor, the
// page numbers (by offset) and the page sizes.
func memberPaging(q url.Values, offset, size int, res *congdoan.MemberPage) (paging, memberPages) {
	ms, total := res.Members, res.Total
	p := newPaging("paging.members", q, "/members", offset, size, len(ms), total)
	p.More = res.Capped
	// The list's own parameters, without its place.
	keep := url.Values{}
	for k, v := range q {
		if k != "offset" && k != "after" && k != "size" && len(v) > 0 && v[0] != "" {
			keep[k] = v[:1]
		}
	}
	link := func(off, sz int) string {
		l := maps.Clone(keep)
		if off > 0 {
			l.Set("offset", strconv.Itoa(off))
		}
		if sz != memberPageSize {
			l.Set("size", strconv.Itoa(sz))
		}
		if len(l) == 0 {
			return "/members"
		}
		return "/members?" + l.Encode()
	}
	if offset > 0 {
		p.PrevURL = link(max(offset-size, 0), size)
	}
	// Past the counted rows a full page says there may be more.
	hasNext := len(ms) > 0 && (offset+len(ms) < total || (res.Capped && len(ms) == size))
	p.NextURL = ""
	if hasNext {
		next := maps.Clone(keep)
		next.Set("after", ms[len(ms)-1].Cursor)
		next.Set("offset", strconv.Itoa(offset+size))
		if size != memberPageSize {
			next.Set("size", strconv.Itoa(size))
		}
		p.NextURL = "/members?" + next.Encode()
	}
	var pages memberPages
	for _, sz := range memberPageSizes {
		pages.Sizes = append(pages.Sizes, pageLink{Number: sz, URL: link(0, sz), Current: sz == size})
	}
	// Page numbers: the first, the last counted, and two either side of
	// this one. Past the cap the numbers stop at the counted rows and the
	// cursor's next link goes on.
	current, last := offset/size+1, (total+size-1)/size
	if current > last {
		last = current
	}
	if last > 1 {
		for n := 1; n <= last; n++ {
			if n != 1 && n != last && (n < current-2 || n > current+2) {
				if k := len(pages.Numbers); k > 0 && pages.Numbers[k-1].Number != 0 {
					pages.Numbers = append(pages.Numbers, pageLink{}) // a gap
				}
				continue
			}
			pages.Numbers = append(pages.Numbers, pageLink{Number: n, URL: link((n-1)*size, size), Current: n == current})
		}
	}
	pages.More = res.Capped
	return p, pages
}

// isFragment reports whether htmx asked for a part of the page. A history
// restore needs the whole page even though htmx sends it.
func isFragment(r *http.Request) bool {
	return r.Header.Get("HX-Request") == "true" && r.Header.Get("HX-History-Restore-Request") != "true"
}

// memberForm holds a member's fields as typed, so a form comes back with
// exactly what the officer entered.
type memberForm struct {
	CCCD, FullName, BirthDate, Ethnicity, Phone, Job string
	Gender                                           congdoan.Gender
	UnitCode, JoinedOn, Note                         string
	Version                                          string // of the record the edit was made from
}

func readMemberForm(r *http.Request) memberForm {
	return memberForm{
		CCCD: formValue(r, "cccd"), FullName: formValue(r, "full_name"), Gender: congdoan.Gender(formValue(r, "gender")),
		BirthDate: formValue(r, "birth_date"), Ethnicity: formValue(r, "ethnicity"), Phone: formValue(r, "phone"),
		Job: formValue(r, "job"), UnitCode: formValue(r, "unit_code"), JoinedOn: formValue(r, "joined_on"), Note: formValue(r, "note"),
		Version: formValue(r, "version"),
	}
}

// memberFormView is the admission and edit form.
type memberFormView struct {
	Page
	Member      *congdoan.Member // nil for an admission
	Action      string
	UnitName    string
	Form        memberForm
	TransferURL string // when the CCCD is active elsewhere and the user may move that member
	RecordURL   string // when the CCCD is a former member's the user may open
	// Masked: the edit form shows CCCD, birth date and phone masked and
	// without inputs, so saving keeps what is stored; Reveal unmasks them
	// (with a reason, logged) for editing.
	Masked bool
	Reveal revealForm
}

// revealForm is the prompt for the reason of a reveal of personal data
// (the "revealform" partial): a <details> with a small form, so it works
// without JavaScript.
type revealForm struct {
	Action string // where the reason is posted
	Reason string // as typed, when it came back with Error
	Error  string
}

// revealReason reads and checks the reason of a reveal form.
func revealReason(r *http.Request) (string, string) {
	reason, err := congdoan.CheckRevealReason(formValue(r, "reason"), false)
	if err != nil {
		_, fields, _ := formError(err)
		return reason, fields["reason"]
	}
	return reason, ""
}

func (h *Handler) memberNewForm(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !userOf(ctx).CanWriteMembers() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	v := &memberFormView{Page: h.page(w, r, "memberform.title_new", "members"), Action: "/members"}
	v.Form = memberForm{UnitCode: r.URL.Query().Get("unit"), JoinedOn: h.today().VN()}
	if v.Form.UnitCode != "" {
		// A preselected unit comes from a unit page; one outside the scope
		// is a crafted link and gets the same 404 as the unit page.
		u, err := h.svc.Units.FindUnitByCode(ctx, v.Form.UnitCode)
		if err != nil {
			h.fail(w, r, err)
			return
		}
		v.UnitName = u.Name
	}
	h.render(w, r, http.StatusOK, "member_form.html", v)
}

func (h *Handler) memberCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !userOf(ctx).CanWriteMembers() {
		h.failStatus(w, r, http.StatusForbidden, "")
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := &memberFormView{Page: h.page(w, r, "memberform.title_new", "members"), Action: "/members", Form: readMemberForm(r)}
	f := v.Form
	in := congdoan.MemberInput{CCCD: f.CCCD, FullName: f.FullName, Gender: f.Gender, Ethnicity: f.Ethnicity, Phone: f.Phone,
		Job: f.Job, UnitCode: f.UnitCode, Note: f.Note}
	// Dates are parsed here; together with the domain's own checks every
	// field's message is shown at once, and nothing is written.
	local := congdoan.Validation{}
	in.UnitCode = h.resolveUnit(ctx, local, "unit_code", f.UnitCode, congdoan.ForMembers, v.Lang)
	v.Form.UnitCode = in.UnitCode
	in.BirthDate = parseDateInto(local, "birth_date", f.BirthDate)
	in.JoinedOn = parseDateInto(local, "joined_on", f.JoinedOn)
	var err error
	if len(local) > 0 {
		for k, m := range in.Validate(h.today()) {
			local.Add(k, m)
		}
		err = local.Err()
	}
	if err == nil && h.unconfirmed(r, &v.Page, congdoan.NameDoubts("full_name", f.FullName)) {
		h.render(w, r, http.StatusUnprocessableEntity, "member_form.html", v)
		return
	}
	var m *congdoan.Member
	if err == nil {
		m, err = h.svc.Members.CreateMember(ctx, in)
	}
	if err == nil {
		h.redirect(w, r, "/members/"+strconv.FormatInt(m.ID, 10), "flash.member_created")
		return
	}
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	v.Error, v.Errors = msg, fields
	var e *congdoan.Error
	if errors.As(err, &e) && e.Code == congdoan.ECONFLICT && e.Details["member_id"] != "" {
		// Offer the transfer only when the user can open that member: the
		// store decides, so no link points outside the scope.
		if id, perr := strconv.ParseInt(e.Details["member_id"], 10, 64); perr == nil {
			if other, ferr := h.svc.Members.FindMemberByID(ctx, id); ferr == nil && other.Active() {
				v.TransferURL = "/members/" + strconv.FormatInt(id, 10) + "/transfer?to_unit=" + url.QueryEscape(in.UnitCode)
			} else if ferr == nil {
				v.RecordURL = "/members/" + strconv.FormatInt(id, 10)
			}
		}
	}
	h.render(w, r, httpx.Status(err), "member_form.html", v)
}

// memberView is the member page.
type memberView struct {
	Page
	Member   *congdoan.Member
	CanWrite bool
	Reveal   revealForm
}

func (h *Handler) memberPage(w http.ResponseWriter, r *http.Request) {
	h.showMember(w, r, false)
}

// memberReveal shows the page unmasked, for the reason the user gives
// (required; it goes into the audit event). It is a POST because it writes
// the audit log, and it renders rather than redirects so that the full data
// never sits in a URL or in history.
func (h *Handler) memberReveal(w http.ResponseWriter, r *http.Request) {
	h.showMember(w, r, true)
}

func (h *Handler) showMember(w http.ResponseWriter, r *http.Request, reveal bool) {
	ctx := r.Context()
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return
	}
	form := revealForm{Action: "/members/" + strconv.FormatInt(id, 10) + "/reveal"}
	if reveal {
		if err := parseForm(w, r); err != nil {
			h.fail(w, r, err)
			return
		}
		form.Reason, form.Error = revealReason(r)
		reveal = form.Error == ""
	}
	var m *congdoan.Member
	var err error
	if reveal {
		m, err = h.svc.Members.RevealMember(ctx, id, form.Reason)
		form.Reason = ""
	} else {
		m, err = h.svc.Members.FindMemberByID(ctx, id)
	}
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := &memberView{Page: h.page(w, r, "", "members"), Member: m, CanWrite: userOf(ctx).CanWriteMembers(), Reveal: form}
	v.Title = m.FullName
	v.linkable = h.unitCodes(ctx)
	status := http.StatusOK
	if form.Error != "" {
		status = http.StatusUnprocessableEntity
	}
	h.render(w, r, status, "member.html", v)
}

// loadMember loads the member of the path for a form page; the error is
// the page's (404 outside the scope).
func (h *Handler) loadMember(r *http.Request) (*congdoan.Member, error) {
	id, ok := pathID(r)
	if !ok {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy đoàn viên.")
	}
	return h.svc.Members.FindMemberByID(r.Context(), id)
}

// memberEditForm opens the edit form as the member page shows the record:
// CCCD, birth date and phone masked and not editable. Opening it reveals
// nothing and logs nothing; "Hiện" (memberEditReveal) asks for a reason.
func (h *Handler) memberEditForm(w http.ResponseWriter, r *http.Request) {
	m, err := h.loadMember(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderEditForm(w, r, m, http.StatusOK, revealForm{})
}

// memberEditReveal is the edit form's reveal: with a reason (required,
// logged in the reveal's audit event) the form comes back with CCCD, birth
// date and phone whole and editable; without one, masked with the message.
func (h *Handler) memberEditReveal(w http.ResponseWriter, r *http.Request) {
	m, err := h.loadMember(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	var form revealForm
	if form.Reason, form.Error = revealReason(r); form.Error != "" {
		h.renderEditForm(w, r, m, http.StatusUnprocessableEntity, form)
		return
	}
	if m, err = h.svc.Members.RevealMember(r.Context(), m.ID, form.Reason); err != nil {
		h.fail(w, r, err)
		return
	}
	h.renderEditForm(w, r, m, http.StatusOK, revealForm{})
}

// renderEditForm shows m in the edit form: masked (m as read) or whole (m
// as revealed).
func (h *Handler) renderEditForm(w http.ResponseWriter, r *http.Request, m *congdoan.Member, status int, reveal revealForm) {
	id := strconv.FormatInt(m.ID, 10)
	v := &memberFormView{Page: h.page(w, r, "memberform.title_edit", "members"), Member: m, Action: "/members/" + id + "/edit", Masked: m.Masked}
	reveal.Action = "/members/" + id + "/edit/reveal"
	v.Reveal = reveal
	v.Form = memberForm{FullName: m.FullName, Gender: m.Gender, Ethnicity: m.Ethnicity, Job: m.Job, Version: strconv.FormatInt(m.Version, 10)}
	if !m.Masked {
		v.Form.CCCD, v.Form.BirthDate, v.Form.Phone = m.CCCD, isoToVN(m.BirthDate), m.Phone
	}
	h.render(w, r, status, "member_form.html", v)
}

// personalSent is a masked field of the edit form as sent: absent (the
// form showed it masked, without an input) or carrying the mask's dots (a
// masked value pasted or replayed) means "keep what is stored" — a mask is
// never written back as data.
func personalSent(r *http.Request, name string) (string, bool) {
	if !r.PostForm.Has(name) {
		return "", false
	}
	v := formValue(r, name)
	return v, !strings.Contains(v, "•")
}

func (h *Handler) memberUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m, err := h.loadMember(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := &memberFormView{Page: h.page(w, r, "memberform.title_edit", "members"), Member: m, Action: "/members/" + strconv.FormatInt(m.ID, 10) + "/edit"}
	v.Form = readMemberForm(r)
	f := v.Form
	local := congdoan.Validation{}
	// The fields the form showed are set; CCCD, birth date and phone only
	// when they were revealed and sent (personalSent), else kept.
	up := congdoan.MemberUpdate{FullName: &f.FullName, Gender: &f.Gender, Ethnicity: &f.Ethnicity, Job: &f.Job}
	cccd, okC := personalSent(r, "cccd")
	phone, okP := personalSent(r, "phone")
	birthText, okB := personalSent(r, "birth_date")
	if okC {
		up.CCCD = &cccd
	}
	if okP {
		up.Phone = &phone
	}
	if okB {
		birth := parseDateInto(local, "birth_date", birthText)
		if birthText == "" {
			local.Add("birth_date", tr(v.Lang, "v.required"))
		}
		up.BirthDate = &birth
	}
	// A form that came masked goes back masked: m is the record as read.
	v.Masked = !okC && !okP && !okB && m.Masked
	v.Reveal = revealForm{Action: "/members/" + strconv.FormatInt(m.ID, 10) + "/edit/reveal"}
	if v.Masked {
		v.Form.CCCD, v.Form.BirthDate, v.Form.Phone = "", "", ""
	}
	// The version the form was opened at: someone else's edit since then
	// is not silently overwritten.
	if ver, perr := strconv.ParseInt(f.Version, 10, 64); perr == nil {
		up.Version = &ver
	}
	err = local.Err()
	if err == nil && vntext.Clean(f.FullName) != m.FullName && h.unconfirmed(r, &v.Page, congdoan.NameDoubts("full_name", f.FullName)) {
		h.render(w, r, http.StatusUnprocessableEntity, "member_form.html", v)
		return
	}
	if err == nil {
		_, err = h.svc.Members.UpdateMember(ctx, m.ID, up)
	}
	if err == nil {
		h.redirect(w, r, "/members/"+strconv.FormatInt(m.ID, 10), "flash.member_updated")
		return
	}
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	v.Error, v.Errors = msg, fields
	h.render(w, r, httpx.Status(err), "member_form.html", v)
}

// moveForm holds the fields of a transfer or a leave as typed.
type moveForm struct {
	ToUnit, On, Note string
	Reason           congdoan.Reason
}

// moveView is the transfer and leave form.
type moveView struct {
	Page
	Member  *congdoan.Member
	Form    moveForm
	Reasons []congdoan.Reason
}

func (h *Handler) memberTransferForm(w http.ResponseWriter, r *http.Request) {
	m, err := h.loadMember(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := &moveView{Page: h.page(w, r, "transfer.title", "members"), Member: m,
		Form: moveForm{ToUnit: r.URL.Query().Get("to_unit"), On: h.today().VN()}}
	h.render(w, r, http.StatusOK, "member_transfer.html", v)
}

func (h *Handler) memberTransfer(w http.ResponseWriter, r *http.Request) {
	h.moveMember(w, r, "transfer.title", "member_transfer.html", "flash.member_transferred",
		func(m *congdoan.Member, f moveForm, on congdoan.Date) error {
			_, err := h.svc.Members.TransferMember(r.Context(), m.ID, congdoan.TransferInput{ToUnitCode: f.ToUnit, On: on, Note: f.Note})
			return err
		})
}

func (h *Handler) memberLeaveForm(w http.ResponseWriter, r *http.Request) {
	m, err := h.loadMember(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v := &moveView{Page: h.page(w, r, "leave.title", "members"), Member: m, Reasons: congdoan.LeaveReasons,
		Form: moveForm{Reason: congdoan.EndLeft, On: h.today().VN()}}
	h.render(w, r, http.StatusOK, "member_leave.html", v)
}

func (h *Handler) memberLeave(w http.ResponseWriter, r *http.Request) {
	h.moveMember(w, r, "leave.title", "member_leave.html", "flash.member_left",
		func(m *congdoan.Member, f moveForm, on congdoan.Date) error {
			_, err := h.svc.Members.LeaveMember(r.Context(), m.ID, congdoan.LeaveInput{Reason: f.Reason, On: on, Note: f.Note})
			return err
		})
}

// moveMember is the POST side of transfer and leave: load the member (404
// outside the scope), parse the date, act, then redirect or re-render.
func (h *Handler) moveMember(w http.ResponseWriter, r *http.Request, titleKey, file, flashKey string,
	do func(*congdoan.Member, moveForm, congdoan.Date) error) {
	m, err := h.loadMember(r)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := &moveView{Page: h.page(w, r, titleKey, "members"), Member: m, Reasons: congdoan.LeaveReasons,
		Form: moveForm{ToUnit: formValue(r, "to_unit"), Reason: congdoan.Reason(formValue(r, "reason")), On: formValue(r, "on"), Note: formValue(r, "note")}}
	local := congdoan.Validation{}
	if file == "member_transfer.html" {
		v.Form.ToUnit = h.resolveUnit(r.Context(), local, "to_unit", v.Form.ToUnit, congdoan.ForMembers, v.Lang)
	}
	on := parseDateInto(local, "on", v.Form.On)
	err = local.Err()
	if err == nil && file == "member_leave.html" && h.unconfirmed(r, &v.Page, congdoan.LeaveDoubts(v.Form.Reason, m.BirthYear, on)) {
		h.render(w, r, http.StatusUnprocessableEntity, file, v)
		return
	}
	if err == nil {
		err = do(m, v.Form, on)
	}
	if err == nil {
		h.redirect(w, r, "/members/"+strconv.FormatInt(m.ID, 10), flashKey)
		return
	}
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	v.Error, v.Errors = msg, fields
	h.render(w, r, httpx.Status(err), file, v)
}
