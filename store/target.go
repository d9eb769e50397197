package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"congdoan"
)

// Plan targets (plan_targets): a plan's targets for its unit, loaded from
// the plan files shipped with the binary, and the shares allocated down the
// tree (parent_id = the target they were allocated from).

// LoadPlans stores the plans' targets for their units when the unit exists
// and the target is not there yet: a threshold the federation edited
// survives restarts and upgrades. A plan whose unit this database does not
// hold is skipped. It reports how many targets it added.
func (d *DB) LoadPlans(ctx context.Context, plans []*congdoan.Plan) (added int, err error) {
	defer wrap(&err, "store.LoadPlans")
	for _, p := range plans {
		var unitID int64
		err := d.queryRow(ctx, `SELECT id FROM units WHERE code = ?`, p.Unit).Scan(&unitID)
		if errors.Is(err, sql.ErrNoRows) {
			continue // this database does not hold the plan's province
		} else if err != nil {
			return added, err
		}
		err = d.tx(ctx, func(tx *Tx) error {
			n := 0
			for _, t := range p.Targets {
				res, err := tx.exec(ctx, `INSERT INTO plan_targets (plan_code, indicator, unit_id, year, value, comparator, wording, qualitative, reading, updated_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plan_code, indicator, unit_id, year) DO NOTHING`,
					p.Code, t.Indicator, unitID, t.Year, t.Value, t.Comparator, t.Wording, t.Qualitative, t.Reading, tx.now.Format(time.RFC3339))
				if err != nil {
					return err
				}
				k, err := res.RowsAffected()
				if err != nil {
					return err
				}
				n += int(k)
			}
			if n == 0 {
				tx.AffectsNothing() // every target was there: keep every cache
				return nil
			}
			tx.Affects(ChangesTargets, congdoan.Date{})
			added += n
			return tx.audit(ctx, Event{Action: "target.load", Entity: "plan", EntityID: p.Code, UnitID: unitID,
				After: map[string]any{"plan": p.Code, "version": p.Version, "targets": n}})
		})
		if err != nil {
			return added, err
		}
	}
	return added, nil
}

// FindTargets implements congdoan.TargetService.
func (d *DB) FindTargets(ctx context.Context, unitCode string) (_ []*congdoan.Target, err error) {
	defer wrap(&err, "store.FindTargets(%q)", unitCode)
	u, err := d.UnitInScope(ctx, unitCode)
	if err != nil {
		return nil, err
	}
	return d.TargetsOf(ctx, u.ID, u.Code)
}

// TargetsOf returns the targets of unit id (code), including those of the
// units merged into it, with no scope check: the indicator engine reads
// them for a unit it has checked (FindTargets is the scoped read).
func (d *DB) TargetsOf(ctx context.Context, id int64, code string) (out []*congdoan.Target, err error) {
	defer wrap(&err, "store.TargetsOf(%q)", code)
	ids, err := d.merged(ctx, id)
	if err != nil {
		return nil, err
	}
	// The unit's own targets first, then its predecessors' in id order.
	others := slices.Sorted(maps.Keys(ids))
	owners := append([]int64{id}, others...)
	for _, owner := range owners {
		err := d.scan(ctx, `SELECT t.id, t.plan_code, t.indicator, t.year, t.value, t.comparator, t.wording, t.qualitative, t.reading, COALESCE(t.parent_id, 0)
			FROM plan_targets t WHERE t.unit_id = ? ORDER BY t.indicator, t.year`, []any{owner}, func(rows *sql.Rows) error {
			t := &congdoan.Target{UnitCode: code}
			if p, ok := ids[owner]; ok && owner != id {
				t.Inherited, t.InheritedOn = p.name, p.on
			}
			if err := rows.Scan(&t.ID, &t.Plan, &t.Indicator, &t.Year, &t.Value, &t.Comparator, &t.Wording, &t.Qualitative, &t.Reading, &t.ParentID); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// predecessor is a unit merged into another, with its name and the day
// its history joined the successor's (transitively: the later of the
// mergers along the way).
type predecessor struct {
	name string
	on   congdoan.Date
}

// merged returns the units merged into id, transitively.
func (d *DB) merged(ctx context.Context, id int64) (map[int64]predecessor, error) {
	ids := map[int64]predecessor{}
	type front struct {
		id int64
		on congdoan.Date
	}
	frontier := []front{{id: id}}
	for len(frontier) > 0 {
		fr := frontier[0]
		frontier = frontier[1:]
		err := d.scan(ctx, `SELECT ev.unit_id, x.name, ev.on_date FROM unit_events ev JOIN units x ON x.id = ev.unit_id WHERE ev.kind = 'merged_into' AND ev.other_unit_id = ?`, []any{fr.id}, func(rows *sql.Rows) error {
			var m int64
			var name string
			var on sql.NullString
			if err := rows.Scan(&m, &name, &on); err != nil {
				return err
			}
			p := predecessor{name: name, on: parseDate(on)}
			if fr.on.After(p.on) {
				p.on = fr.on // merged into a unit that itself merged later
			}
			if _, seen := ids[m]; !seen && m != id {
				ids[m] = p
				frontier = append(frontier, front{m, p.on})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// Predecessors returns the units merged into the unit code, transitively,
// by code, with the day each joined it: a merged unit's history continues
// in its successor from that day.
func (d *DB) Predecessors(ctx context.Context, code string) (out []congdoan.Predecessor, err error) {
	defer wrap(&err, "store.Predecessors(%q)", code)
	var id int64
	if err := d.queryRow(ctx, `SELECT id FROM units WHERE code = ?`, code).Scan(&id); err != nil {
		return nil, notFound(err, fmt.Sprintf("Không có đơn vị mã %q.", code))
	}
	m, err := d.merged(ctx, id)
	if err != nil {
		return nil, err
	}
	for mid, p := range m {
		var c string
		if err := d.queryRow(ctx, `SELECT code FROM units WHERE id = ?`, mid).Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, congdoan.Predecessor{Code: c, Name: p.name, MergedOn: p.on})
	}
	slices.SortFunc(out, func(a, b congdoan.Predecessor) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// AllocateTarget implements congdoan.TargetService.
func (d *DB) AllocateTarget(ctx context.Context, parentTargetID int64, childCode string, value float64) (_ *congdoan.Allocation, err error) {
	defer wrap(&err, "store.AllocateTarget(%d, %q)", parentTargetID, childCode)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if !s.user.CanAllocateTargets() {
		return nil, congdoan.Errorf(congdoan.EFORBIDDEN, "Chỉ cán bộ LĐLĐ tỉnh và công đoàn cấp trên giao chỉ tiêu.")
	}
	if value < 0 {
		return nil, congdoan.FieldError("value", "Chỉ tiêu không được âm.")
	}
	var p congdoan.Target
	var parentUnit int64
	err = d.queryRow(ctx, `SELECT t.plan_code, t.indicator, t.year, t.comparator, t.value, t.unit_id, u.code FROM plan_targets t JOIN units u ON u.id = t.unit_id WHERE t.id = ?`, parentTargetID).
		Scan(&p.Plan, &p.Indicator, &p.Year, &p.Comparator, &p.Value, &parentUnit, &p.UnitCode)
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("Không có chỉ tiêu số %d.", parentTargetID))
	}
	if _, err := d.unitByCode(ctx, d, s, p.UnitCode); err != nil {
		return nil, err
	}
	child, err := d.unitByCode(ctx, d, s, childCode)
	if err != nil {
		return nil, congdoan.FieldError("unit", congdoan.ErrorMessage(err))
	}
	// A merged unit's plan is allocated by its successor to the successor's children.
	owner := p.UnitCode
	for range 8 {
		var next string
		err := d.queryRow(ctx, `SELECT o.code FROM unit_events ev JOIN units u ON u.id = ev.unit_id JOIN units o ON o.id = ev.other_unit_id
			WHERE u.code = ? AND ev.kind = 'merged_into'`, owner).Scan(&next)
		if err != nil {
			break
		}
		owner = next
	}
	if child.ParentCode != owner {
		return nil, congdoan.FieldError("unit", fmt.Sprintf("%s không trực thuộc trực tiếp đơn vị giao chỉ tiêu.", child.Name))
	}
	a := &congdoan.Allocation{ParentID: parentTargetID, Indicator: p.Indicator, Year: p.Year, Parent: p.Value}
	err = d.tx(ctx, func(tx *Tx) error {
		tx.Affects(ChangesTargets, congdoan.Date{})
		if _, err := tx.exec(ctx, `INSERT INTO plan_targets (plan_code, indicator, unit_id, year, value, comparator, parent_id, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (plan_code, indicator, unit_id, year) DO UPDATE SET value = excluded.value, parent_id = excluded.parent_id, updated_at = excluded.updated_at`,
			p.Plan, p.Indicator, child.ID, p.Year, value, p.Comparator, parentTargetID, tx.now.Format(time.RFC3339)); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(value), 0) FROM plan_targets WHERE parent_id = ?`, parentTargetID).Scan(&a.Children, &a.Allocated); err != nil {
			return err
		}
		// Filed under the allocating unit: its officers answer for the split.
		return tx.audit(ctx, Event{Action: "target.allocate", Entity: "target", EntityID: parentTargetID, UnitID: parentUnit,
			After: map[string]any{"plan": p.Plan, "indicator": p.Indicator, "year": p.Year, "unit": child.Code, "value": value}})
	})
	if err != nil {
		return nil, err
	}
	a.Summarize()
	return a, nil
}
