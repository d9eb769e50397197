package congdoan

import (
	"context"
	"strings"

	"congdoan/vntext"
)

// Sector is an employer's ownership sector (loại hình).
type Sector string

// Sectors.
const (
	SectorState        Sector = "state"        // doanh nghiệp nhà nước
	SectorNonState     Sector = "non_state"    // doanh nghiệp ngoài nhà nước
	SectorFDI          Sector = "fdi"          // doanh nghiệp có vốn đầu tư nước ngoài
	SectorPublicUnit   Sector = "public_unit"  // đơn vị sự nghiệp công lập
	SectorAdministrate Sector = "admin_agency" // cơ quan hành chính nhà nước
	SectorCooperative  Sector = "cooperative"  // hợp tác xã
	SectorOther        Sector = "other"        // khác (hộ kinh doanh, tổ chức xã hội …)
)

// Sectors lists sectors in display order.
var Sectors = []Sector{SectorState, SectorNonState, SectorFDI, SectorPublicUnit, SectorAdministrate, SectorCooperative, SectorOther}

// Label returns the name of the sector in lang.
func (s Sector) Label(lang string) string { return labelOf(lang, "sector", string(s)) }

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool {
	for _, x := range Sectors {
		if x == s {
			return true
		}
	}
	return false
}

// IsBusiness reports whether the sector is a business (as opposed to an
// agency or public-service unit) — the split the union's statistics use.
func (s Sector) IsBusiness() bool {
	return s == SectorState || s == SectorNonState || s == SectorFDI || s == SectorCooperative
}

// EmployerStatus is whether an employer is trading.
type EmployerStatus string

// Employer statuses.
const (
	EmployerActive EmployerStatus = "active" // đang hoạt động
	EmployerPaused EmployerStatus = "paused" // tạm ngừng kinh doanh
	EmployerClosed EmployerStatus = "closed" // giải thể, phá sản
)

// Label returns the name of the status in lang.
func (s EmployerStatus) Label(lang string) string { return labelOf(lang, "estatus", string(s)) }

// Employer is an enterprise, agency or public-service unit that employs
// workers. Whether it has a union is derived from the units that name it
// (UnionCode), never stored on the employer.
type Employer struct {
	ID            int64          `json:"id"`
	TaxCode       string         `json:"tax_code,omitempty"`
	Name          string         `json:"name"`
	Sector        Sector         `json:"sector"`
	Industry      string         `json:"industry,omitempty"`
	CommuneCode   string         `json:"commune_code,omitempty"`
	Address       string         `json:"address,omitempty"`
	Status        EmployerStatus `json:"status"`
	WorkersTotal  int            `json:"workers_total"`
	WorkersFemale int            `json:"workers_female"`
	HeadcountAsOf Date           `json:"headcount_as_of"`
	UnitCode      string         `json:"unit_code"` // the upper-level unit responsible for organising it
	UnitName      string         `json:"unit_name,omitempty"`
	UnionCode     string         `json:"union_code,omitempty"` // its active grassroots union, if any
	UnionName     string         `json:"union_name,omitempty"`
	UnionMembers  int            `json:"union_members,omitempty"`
}

// HasUnion reports whether the employer has an active grassroots union.
func (e *Employer) HasUnion() bool { return e.UnionCode != "" }

// EmployerInput creates or updates an employer. Workers are recorded as a
// headcount as of HeadcountAsOf (today when zero), so past figures survive.
type EmployerInput struct {
	TaxCode       string         `json:"tax_code"`
	Name          string         `json:"name"`
	Sector        Sector         `json:"sector"`
	Industry      string         `json:"industry"`
	CommuneCode   string         `json:"commune_code"`
	Status        EmployerStatus `json:"status"`
	WorkersTotal  int            `json:"workers_total"`
	WorkersFemale int            `json:"workers_female"`
	HeadcountAsOf Date           `json:"headcount_as_of"`
	UnitCode      string         `json:"unit_code"`
}

// Validate normalises the input (NFC names, the tax code's digits, status
// active when empty, the headcount dated today when zero) and checks what
// needs no database, every field at once.
func (in *EmployerInput) Validate(today Date) Validation {
	in.Name, in.Industry = vntext.Clean(in.Name), vntext.Clean(in.Industry)
	in.CommuneCode, in.UnitCode = strings.TrimSpace(in.CommuneCode), strings.TrimSpace(in.UnitCode)
	if in.Status == "" {
		in.Status = EmployerActive
	}
	v := Validation{}
	if strings.TrimSpace(in.TaxCode) != "" {
		tc, err := vntext.NormalizeTaxCode(in.TaxCode)
		if err != nil {
			v.Add("tax_code", err.Error())
		}
		in.TaxCode = tc
	}
	checkText(v, "name", "Tên đơn vị sử dụng lao động", in.Name, true, 300)
	if !in.Sector.Valid() {
		v.Add("sector", "Cần chọn loại hình (doanh nghiệp nhà nước, ngoài nhà nước, FDI, …).")
	}
	checkText(v, "industry", "Ngành nghề", in.Industry, false, 200)
	switch in.Status {
	case EmployerActive, EmployerPaused, EmployerClosed:
	default:
		v.Add("status", "Trạng thái phải là đang hoạt động, tạm ngừng hoặc đã giải thể.")
	}
	if in.WorkersTotal < 0 || in.WorkersTotal > 1_000_000 {
		v.Add("workers_total", "Tổng số lao động phải từ 0 đến 1.000.000.")
	}
	if in.WorkersFemale < 0 || in.WorkersFemale > in.WorkersTotal {
		v.Add("workers_female", "Số lao động nữ phải từ 0 đến tổng số lao động.")
	}
	if in.UnitCode == "" {
		v.Add("unit_code", "Cần chọn công đoàn cấp trên phụ trách địa bàn.")
	}
	if in.HeadcountAsOf.IsZero() {
		in.HeadcountAsOf = today
	}
	if in.HeadcountAsOf.After(today) {
		v.Add("headcount_as_of", "Ngày số liệu lao động không được sau hôm nay.")
	}
	return v
}

// EmployerFilter selects employers.
type EmployerFilter struct {
	Unit       string // in this unit's subtree (responsible unit or union); "" = whole scope
	Query      string // name or tax code, diacritics ignored
	MinWorkers int    // at least this many workers now
	HasUnion   *bool  // with or without an active grassroots union
	Sector     Sector
	Status     string // "" = active only; "all" = every status
	Limit      int
	Offset     int
}

// EmployerService manages employers. Scope: an employer is visible when its
// responsible unit or its union is in the caller's subtree.
type EmployerService interface {
	// FindEmployerByID returns ENOTFOUND outside the caller's scope.
	FindEmployerByID(ctx context.Context, id int64) (*Employer, error)
	// FindEmployers returns a page of employers, largest first, and the total.
	FindEmployers(ctx context.Context, f EmployerFilter) ([]*Employer, int, error)
	// CreateEmployer returns EINVALID or ECONFLICT (tax code taken, naming the employer).
	CreateEmployer(ctx context.Context, in EmployerInput) (*Employer, error)
	// UpdateEmployer replaces the fields and records a headcount when it changed.
	UpdateEmployer(ctx context.Context, id int64, in EmployerInput) (*Employer, error)
}
