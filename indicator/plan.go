package indicator

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"time"

	"congdoan"
	"congdoan/store"
)

//go:embed plans/*.json
var planFS embed.FS

// Plan is a plan file: a plan's targets with the plan's own words. The
// numbers of qualitative targets ("cơ bản", "hầu hết") are the federation's
// reading, kept apart from the wording and editable.
type Plan struct {
	Code               string       `json:"code"`
	Title              string       `json:"title"`
	Unit               string       `json:"unit"`
	Version            int          `json:"version"`
	EmployerMinWorkers int          `json:"employer_min_workers"`
	Targets            []PlanTarget `json:"targets"`
}

// PlanTarget is one target of a plan file.
type PlanTarget struct {
	Indicator   string  `json:"indicator"`
	Year        int     `json:"year"`
	Value       float64 `json:"value"`
	Comparator  string  `json:"comparator"`
	Wording     string  `json:"wording"`
	Qualitative string  `json:"qualitative,omitempty"`
	Reading     string  `json:"reading,omitempty"`
}

// Target is a target as stored: for a unit, a year, possibly allocated
// from a parent unit's target.
type Target struct {
	ID          int64   `json:"id"`
	Plan        string  `json:"plan"`
	Indicator   string  `json:"indicator"`
	UnitCode    string  `json:"unit"`
	Year        int     `json:"year"`
	Value       float64 `json:"value"`
	Comparator  string  `json:"comparator"`
	Wording     string  `json:"wording,omitempty"`
	Qualitative string  `json:"qualitative,omitempty"`
	Reading     string  `json:"reading,omitempty"`
	ParentID    int64   `json:"parent_id,omitempty"`
	Inherited   string  `json:"inherited_from,omitempty"` // the merged unit whose plan this continues
}

// Plans returns the plan files shipped with the binary.
func Plans() ([]*Plan, error) {
	names, err := fs.Glob(planFS, "plans/*.json")
	if err != nil {
		return nil, err
	}
	var out []*Plan
	for _, n := range names {
		b, err := planFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var p Plan
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, fmt.Errorf("plan %s: %w", n, err)
		}
		if err := p.validate(); err != nil {
			return nil, fmt.Errorf("plan %s: %w", n, err)
		}
		out = append(out, &p)
	}
	return out, nil
}

func (p *Plan) validate() error {
	for i, t := range p.Targets {
		if _, ok := Lookup(t.Indicator); !ok {
			return fmt.Errorf("target %d: unknown indicator %q", i+1, t.Indicator)
		}
		switch t.Comparator {
		case ">", ">=", "<", "<=":
		default:
			return fmt.Errorf("target %d: comparator %q", i+1, t.Comparator)
		}
	}
	return nil
}

// LoadPlans stores the shipped plans' targets for their units when the
// unit exists and the target is not there yet: a threshold the federation
// edited survives restarts and upgrades.
func LoadPlans(ctx context.Context, db *store.DB) error {
	plans, err := Plans()
	if err != nil {
		return err
	}
	for _, p := range plans {
		var unitID int64
		err := db.SQL().QueryRowContext(ctx, db.Rebind(`SELECT id FROM units WHERE code = ?`), p.Unit).Scan(&unitID)
		if err == sql.ErrNoRows {
			continue // this database does not hold the plan's province
		} else if err != nil {
			return err
		}
		for _, t := range p.Targets {
			if _, err := db.SQL().ExecContext(ctx, db.Rebind(`INSERT INTO plan_targets (plan_code, indicator, unit_id, year, value, comparator, wording, qualitative, reading, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plan_code, indicator, unit_id, year) DO NOTHING`),
				p.Code, t.Indicator, unitID, t.Year, t.Value, t.Comparator, t.Wording, t.Qualitative, t.Reading, time.Now().UTC().Format(time.RFC3339)); err != nil {
				return err
			}
		}
	}
	return nil
}

// Targets returns the targets of a unit, including those of units merged
// into it (a merged province's plan goes on in its successor until a new
// plan replaces it), by indicator and year.
func (e *Engine) Targets(ctx context.Context, unitCode string) ([]*Target, error) {
	u, err := e.db.UnitInScope(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	return memo(e, "targets|"+u.Code, func() ([]*Target, error) { return e.targets(ctx, u) })
}

func (e *Engine) targets(ctx context.Context, u *congdoan.Unit) ([]*Target, error) {
	ids, err := e.merged(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	ids[u.ID] = ""
	var out []*Target
	for id, inherited := range ids {
		rows, err := e.q(ctx, `SELECT t.id, t.plan_code, t.indicator, t.year, t.value, t.comparator, t.wording, t.qualitative, t.reading, COALESCE(t.parent_id, 0)
			FROM plan_targets t WHERE t.unit_id = ? ORDER BY t.indicator, t.year`, id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			t := &Target{UnitCode: u.Code, Inherited: inherited}
			if err := rows.Scan(&t.ID, &t.Plan, &t.Indicator, &t.Year, &t.Value, &t.Comparator, &t.Wording, &t.Qualitative, &t.Reading, &t.ParentID); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, t)
		}
		rows.Close()
	}
	return out, nil
}

// merged returns the units merged into id, transitively, with their names.
func (e *Engine) merged(ctx context.Context, id int64) (map[int64]string, error) {
	ids := map[int64]string{}
	frontier := []int64{id}
	for len(frontier) > 0 {
		id := frontier[0]
		frontier = frontier[1:]
		rows, err := e.q(ctx, `SELECT ev.unit_id, x.name FROM unit_events ev JOIN units x ON x.id = ev.unit_id WHERE ev.kind = 'merged_into' AND ev.other_unit_id = ?`, id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var m int64
			var name string
			if err := rows.Scan(&m, &name); err != nil {
				rows.Close()
				return nil, err
			}
			if _, seen := ids[m]; !seen {
				ids[m] = name
				frontier = append(frontier, m)
			}
		}
		rows.Close()
	}
	return ids, nil
}

// predecessors returns the codes of the units merged into unitCode.
func (e *Engine) predecessors(ctx context.Context, unitCode string) ([]string, error) {
	return memo(e, "preds|"+unitCode, func() ([]string, error) { return e.predecessorsOf(ctx, unitCode) })
}

func (e *Engine) predecessorsOf(ctx context.Context, unitCode string) ([]string, error) {
	var id int64
	if err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind(`SELECT id FROM units WHERE code = ?`), unitCode).Scan(&id); err != nil {
		return nil, err
	}
	m, err := e.merged(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []string
	for mid := range m {
		var code string
		if err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind(`SELECT code FROM units WHERE id = ?`), mid).Scan(&code); err != nil {
			return nil, err
		}
		out = append(out, code)
	}
	sort.Strings(out)
	return out, nil
}

// Meets reports whether v satisfies the target.
func (t *Target) Meets(v float64) bool {
	switch t.Comparator {
	case ">":
		return v > t.Value
	case ">=":
		return v >= t.Value
	case "<":
		return v < t.Value
	case "<=":
		return v <= t.Value
	}
	return false
}

// Allocate sets the target of a child unit for the same plan, indicator and
// year as the parent target, and reports whether the children's targets of
// an additive indicator now add up to the parent's. Only province and
// upper officers allocate, within their scope.
func (e *Engine) Allocate(ctx context.Context, parentTargetID int64, childCode string, value float64) (*Allocation, error) {
	u := congdoan.UserFromContext(ctx)
	if !u.CanAllocateTargets() {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Chỉ cán bộ LĐLĐ tỉnh và công đoàn cấp trên giao chỉ tiêu.")
	}
	if value < 0 {
		return nil, congdoan.FieldError("value", "Chỉ tiêu không được âm.")
	}
	var p Target
	var parentUnit int64
	err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind(`SELECT t.plan_code, t.indicator, t.year, t.comparator, t.value, t.unit_id, u.code FROM plan_targets t JOIN units u ON u.id = t.unit_id WHERE t.id = ?`), parentTargetID).
		Scan(&p.Plan, &p.Indicator, &p.Year, &p.Comparator, &p.Value, &parentUnit, &p.UnitCode)
	if err == sql.ErrNoRows {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không có chỉ tiêu số %d.", parentTargetID)
	} else if err != nil {
		return nil, err
	}
	if _, err := e.db.UnitInScope(ctx, p.UnitCode); err != nil {
		return nil, err
	}
	child, err := e.db.UnitInScope(ctx, childCode)
	if err != nil {
		return nil, congdoan.FieldError("unit", congdoan.ErrorMessage(err))
	}
	// A merged unit's plan is allocated by its successor to the successor's children.
	owner := p.UnitCode
	for range 8 {
		var next string
		err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind(`SELECT o.code FROM unit_events ev JOIN units u ON u.id = ev.unit_id JOIN units o ON o.id = ev.other_unit_id
			WHERE u.code = ? AND ev.kind = 'merged_into'`), owner).Scan(&next)
		if err != nil {
			break
		}
		owner = next
	}
	if child.ParentCode != owner {
		return nil, congdoan.FieldError("unit", fmt.Sprintf("%s không trực thuộc trực tiếp đơn vị giao chỉ tiêu.", child.Name))
	}
	err = e.db.WriteTx(ctx, func(tx *store.Tx) error {
		tx.Affects(store.ChangesTargets, congdoan.Date{})
		if _, err := tx.Exec(ctx, `INSERT INTO plan_targets (plan_code, indicator, unit_id, year, value, comparator, parent_id, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plan_code, indicator, unit_id, year) DO UPDATE SET value = excluded.value, parent_id = excluded.parent_id, updated_at = excluded.updated_at`,
			p.Plan, p.Indicator, child.ID, p.Year, value, p.Comparator, parentTargetID, tx.Now().Format(time.RFC3339)); err != nil {
			return err
		}
		return tx.Audit(ctx, "target.allocate", "target", parentTargetID, nil,
			map[string]any{"plan": p.Plan, "indicator": p.Indicator, "year": p.Year, "unit": child.Code, "value": value})
	})
	if err != nil {
		return nil, err
	}
	return e.allocation(ctx, parentTargetID, p)
}

// Allocation is the state of a parent target's allocation to its children.
type Allocation struct {
	ParentID  int64   `json:"parent_id"`
	Indicator string  `json:"indicator"`
	Year      int     `json:"year"`
	Parent    float64 `json:"parent_value"`
	Allocated float64 `json:"allocated_sum"`
	Children  int     `json:"children"`
	AddsUp    bool    `json:"adds_up"`
	Additive  bool    `json:"additive"`
	Message   string  `json:"message"`
}

func (e *Engine) allocation(ctx context.Context, parentID int64, p Target) (*Allocation, error) {
	a := &Allocation{ParentID: parentID, Indicator: p.Indicator, Year: p.Year, Parent: p.Value}
	def, _ := Lookup(p.Indicator)
	a.Additive = def.Additive
	if err := e.db.SQL().QueryRowContext(ctx, e.db.Rebind(`SELECT COUNT(*), COALESCE(SUM(value), 0) FROM plan_targets WHERE parent_id = ?`), parentID).Scan(&a.Children, &a.Allocated); err != nil {
		return nil, err
	}
	switch {
	case !def.Additive:
		a.AddsUp, a.Message = true, "Chỉ tiêu tỷ lệ: mỗi đơn vị có mức riêng, không cộng dồn."
	case a.Allocated == a.Parent:
		a.AddsUp, a.Message = true, "Tổng chỉ tiêu đã giao bằng chỉ tiêu của đơn vị cấp trên."
	default:
		a.Message = fmt.Sprintf("Tổng chỉ tiêu đã giao cho %d đơn vị là %s, chỉ tiêu của đơn vị cấp trên là %s: còn chênh %s.",
			a.Children, fmtNum(a.Allocated), fmtNum(a.Parent), fmtNum(a.Parent-a.Allocated))
	}
	return a, nil
}
