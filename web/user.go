package web

import (
	"net/http"
	"strconv"
	"strings"

	"congdoan"
)

// The account pages: /users for administrators and province officers
// (accounts of their scope: list, create, edit, disable, reset) and
// /account for everyone (their own password and sessions). The store
// decides which accounts exist for the user; these handlers only choose
// what to show.

// usersView is the list of accounts.
type usersView struct {
	Page
	Unit  string
	Users []*congdoan.User
}

// userForm is what the account forms carry, as typed.
type userForm struct {
	Username, FullName, Role, UnitCode string
}

// userFormView is the new-account form and an account's page.
type userFormView struct {
	Page
	Form    userForm
	Account *congdoan.User // nil for a new account
	Roles   []congdoan.Role
	Reset   map[string]string // errors of the reset form
	MinLen  int
}

// accountView is the user's own account page.
type accountView struct {
	Page
	Sessions []*congdoan.Session
	MinLen   int
}

// grantable lists the roles u may give: none above their own.
func grantable(u *congdoan.User) []congdoan.Role {
	var out []congdoan.Role
	for _, r := range congdoan.Roles {
		if r.Rank() <= u.Role.Rank() {
			out = append(out, r)
		}
	}
	return out
}

// canManageUsers answers 403 for a user who manages no account; the store
// refuses them too, this only spares them a form they cannot send.
func (h *Handler) canManageUsers(w http.ResponseWriter, r *http.Request) bool {
	if !userOf(r.Context()).CanManageUsers() {
		h.failStatus(w, r, http.StatusForbidden, tr(langOf(r), "user.forbidden"))
		return false
	}
	return true
}

func (h *Handler) userList(w http.ResponseWriter, r *http.Request) {
	if !h.canManageUsers(w, r) {
		return
	}
	v := &usersView{Page: h.page(w, r, "user.title", "users"), Unit: strings.TrimSpace(r.URL.Query().Get("unit"))}
	unit := h.filterUnit(r.Context(), &v.Page, v.Unit)
	if unit != "" {
		v.Unit = unit
	}
	us, err := h.svc.Users.FindUsers(r.Context(), congdoan.UserFilter{UnitCode: unit})
	if congdoan.ErrorCode(err) == congdoan.ENOTFOUND && v.Unit != "" {
		// A bad filter shows the page with the message, not a 404.
		v.Error, v.Errors = congdoan.ErrorMessage(err), map[string]string{"unit": congdoan.ErrorMessage(err)}
	} else if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Users = us
	h.render(w, r, http.StatusOK, "users.html", v)
}

func (h *Handler) newUserFormView(w http.ResponseWriter, r *http.Request, titleKey string, acc *congdoan.User) *userFormView {
	u := userOf(r.Context())
	return &userFormView{Page: h.page(w, r, titleKey, "users"), Account: acc, Roles: grantable(u),
		MinLen: congdoan.MinPasswordLen}
}

func (h *Handler) userNewForm(w http.ResponseWriter, r *http.Request) {
	if !h.canManageUsers(w, r) {
		return
	}
	v := h.newUserFormView(w, r, "user.new", nil)
	v.Form.UnitCode = strings.TrimSpace(r.URL.Query().Get("unit"))
	v.Form.Role = string(congdoan.RoleGrassrootsOfficer)
	h.render(w, r, http.StatusOK, "user_form.html", v)
}

func (h *Handler) userCreate(w http.ResponseWriter, r *http.Request) {
	if !h.canManageUsers(w, r) {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newUserFormView(w, r, "user.new", nil)
	v.Form = userForm{Username: formValue(r, "username"), FullName: formValue(r, "full_name"), Role: formValue(r, "role"), UnitCode: formValue(r, "unit_code")}
	if h.pickFailed(w, r, &v.Form.UnitCode, &v.Page, "user_form.html", v) {
		return
	}
	u, err := h.svc.Users.CreateUser(r.Context(), congdoan.UserInput{Username: v.Form.Username, FullName: v.Form.FullName,
		Role: congdoan.Role(v.Form.Role), UnitCode: v.Form.UnitCode, Password: r.PostFormValue("password")})
	if err != nil {
		h.formFailed(w, r, err, &v.Page, "user_form.html", v)
		return
	}
	h.redirect(w, r, "/users/"+strconv.FormatInt(u.ID, 10), "flash.user_created")
}

// pickFailed resolves the account's unit as typed (resolveUnit); when the
// text fits several units or none it re-renders the form with the message.
func (h *Handler) pickFailed(w http.ResponseWriter, r *http.Request, code *string, p *Page, file string, v pager) bool {
	picked := congdoan.Validation{}
	*code = h.resolveUnit(r.Context(), picked, "unit_code", *code, congdoan.ForActive, p.Lang)
	if err := picked.Err(); err != nil {
		h.formFailed(w, r, err, p, file, v)
		return true
	}
	return false
}

// formFailed re-renders a form with the service's messages, or shows the
// error page for what a form cannot show.
func (h *Handler) formFailed(w http.ResponseWriter, r *http.Request, err error, p *Page, file string, v pager) {
	msg, fields, ok := formError(err)
	if !ok {
		h.fail(w, r, err)
		return
	}
	p.Error, p.Errors = msg, fields
	h.render(w, r, http.StatusUnprocessableEntity, file, v)
}

// loadAccount reads the account of the path; malformed ids are not found.
func (h *Handler) loadAccount(w http.ResponseWriter, r *http.Request) (*congdoan.User, bool) {
	if !h.canManageUsers(w, r) {
		return nil, false
	}
	id, ok := pathID(r)
	if !ok {
		h.notFound(w, r)
		return nil, false
	}
	acc, err := h.svc.Users.FindUserByID(r.Context(), id)
	if err != nil {
		h.fail(w, r, err)
		return nil, false
	}
	return acc, true
}

func (h *Handler) userPage(w http.ResponseWriter, r *http.Request) {
	acc, ok := h.loadAccount(w, r)
	if !ok {
		return
	}
	v := h.newUserFormView(w, r, "user.edit", acc)
	v.Form = userForm{Username: acc.Username, FullName: acc.FullName, Role: string(acc.Role), UnitCode: acc.UnitCode}
	h.render(w, r, http.StatusOK, "user_form.html", v)
}

func (h *Handler) userUpdate(w http.ResponseWriter, r *http.Request) {
	acc, ok := h.loadAccount(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := h.newUserFormView(w, r, "user.edit", acc)
	v.Form = userForm{Username: acc.Username, FullName: formValue(r, "full_name"), Role: formValue(r, "role"), UnitCode: formValue(r, "unit_code")}
	if h.pickFailed(w, r, &v.Form.UnitCode, &v.Page, "user_form.html", v) {
		return
	}
	role := congdoan.Role(v.Form.Role)
	_, err := h.svc.Users.UpdateUser(r.Context(), acc.ID, congdoan.UserUpdate{FullName: &v.Form.FullName, Role: &role, UnitCode: &v.Form.UnitCode})
	if err != nil {
		h.formFailed(w, r, err, &v.Page, "user_form.html", v)
		return
	}
	h.redirect(w, r, "/users/"+strconv.FormatInt(acc.ID, 10), "flash.user_updated")
}

func (h *Handler) userDisable(w http.ResponseWriter, r *http.Request) { h.setDisabled(w, r, true) }
func (h *Handler) userEnable(w http.ResponseWriter, r *http.Request)  { h.setDisabled(w, r, false) }

func (h *Handler) setDisabled(w http.ResponseWriter, r *http.Request, disabled bool) {
	acc, ok := h.loadAccount(w, r)
	if !ok {
		return
	}
	if _, err := h.svc.Users.UpdateUser(r.Context(), acc.ID, congdoan.UserUpdate{Disabled: &disabled}); err != nil {
		h.fail(w, r, err)
		return
	}
	flash := "flash.user_enabled"
	if disabled {
		flash = "flash.user_disabled"
	}
	h.redirect(w, r, "/users/"+strconv.FormatInt(acc.ID, 10), flash)
}

func (h *Handler) userResetPassword(w http.ResponseWriter, r *http.Request) {
	acc, ok := h.loadAccount(w, r)
	if !ok {
		return
	}
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	if err := h.svc.Users.ResetPassword(r.Context(), acc.ID, r.PostFormValue("password")); err != nil {
		msg, fields, ok := formError(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		v := h.newUserFormView(w, r, "user.edit", acc)
		v.Form = userForm{Username: acc.Username, FullName: acc.FullName, Role: string(acc.Role), UnitCode: acc.UnitCode}
		v.Reset = map[string]string{"password": msg}
		if m := fields["password"]; m != "" {
			v.Reset["password"] = m
		}
		h.render(w, r, http.StatusUnprocessableEntity, "user_form.html", v)
		return
	}
	h.redirect(w, r, "/users/"+strconv.FormatInt(acc.ID, 10), "flash.user_password_reset")
}

// sessionToken is the token of the request's session cookie.
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request) {
	h.renderAccount(w, r, http.StatusOK, &accountView{Page: h.page(w, r, "account.title", "account")})
}

func (h *Handler) renderAccount(w http.ResponseWriter, r *http.Request, status int, v *accountView) {
	ss, err := h.svc.Users.FindSessions(r.Context(), sessionToken(r))
	if err != nil {
		h.fail(w, r, err)
		return
	}
	v.Sessions, v.MinLen = ss, congdoan.MinPasswordLen
	h.render(w, r, status, "account.html", v)
}

func (h *Handler) accountPassword(w http.ResponseWriter, r *http.Request) {
	if err := parseForm(w, r); err != nil {
		h.fail(w, r, err)
		return
	}
	v := &accountView{Page: h.page(w, r, "account.title", "account")}
	current, next := r.PostFormValue("current"), r.PostFormValue("new")
	var err error
	if next != r.PostFormValue("confirm") {
		err = congdoan.FieldError("confirm", tr(v.Lang, "account.confirm_mismatch"))
	} else {
		err = h.svc.Users.ChangePassword(r.Context(), current, next, sessionToken(r))
	}
	if err != nil {
		msg, fields, ok := formError(err)
		if !ok {
			h.fail(w, r, err)
			return
		}
		v.Error, v.Errors = msg, fields
		h.renderAccount(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	h.redirect(w, r, "/account", "flash.account_password_changed")
}

func (h *Handler) accountEndOthers(w http.ResponseWriter, r *http.Request) {
	if _, err := h.svc.Users.EndOtherSessions(r.Context(), sessionToken(r)); err != nil {
		h.fail(w, r, err)
		return
	}
	h.redirect(w, r, "/account", "flash.account_sessions_ended")
}

// mustChangeTo is where an account whose password someone else chose is
// sent: its own page, until the password is changed.
func mustChangeTo(r *http.Request) (string, bool) {
	if r.URL.Path == "/account" || strings.HasPrefix(r.URL.Path, "/account/") {
		return "", false
	}
	return "/account", true
}
