package api

import (
	"net/http"
	"strconv"
	"strings"

	"congdoan"
)

// userRequest is the body of POST /api/v1/users.
type userRequest struct {
	Username string        `json:"username"`
	FullName string        `json:"full_name"`
	Role     congdoan.Role `json:"role"`
	UnitCode string        `json:"unit_code"`
	Password string        `json:"password"`
}

// passwordRequest is the body of POST /api/v1/me/password.
type passwordRequest struct {
	Current string `json:"current"`
	New     string `json:"new"`
}

func (h *Handler) listUsers(w http.ResponseWriter, r *http.Request) error {
	us, err := h.svc.Users.FindUsers(r.Context(), congdoan.UserFilter{UnitCode: strings.TrimSpace(r.URL.Query().Get("unit"))})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, list[*congdoan.User]{Items: nonNil(us)})
	return nil
}

func (h *Handler) createUser(w http.ResponseWriter, r *http.Request) error {
	var in userRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := h.svc.Users.CreateUser(r.Context(), congdoan.UserInput{Username: in.Username, FullName: in.FullName, Role: in.Role, UnitCode: in.UnitCode, Password: in.Password})
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(u.ID, 10))
	writeJSON(w, http.StatusCreated, u)
	return nil
}

func (h *Handler) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in congdoan.UserUpdate
	if err := decode(w, r, &in); err != nil {
		return err
	}
	u, err := h.svc.Users.UpdateUser(r.Context(), id, in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, u)
	return nil
}

// changePassword changes the caller's password. The token of the request
// stays valid; every other session of the account ends.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request) error {
	var in passwordRequest
	if err := decode(w, r, &in); err != nil {
		return err
	}
	if err := h.svc.Users.ChangePassword(r.Context(), in.Current, in.New, bearerToken(r)); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
