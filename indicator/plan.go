package indicator

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"

	"congdoan"
)

//go:embed plans/*.json
var planFS embed.FS

// Plans returns the plan files shipped with the binary (plans/*.json),
// checked. The store loads their targets (store.DB.LoadPlans); a plan's
// employer_min_workers sets the engine's threshold (SetEmployerMin).
func Plans() ([]*congdoan.Plan, error) {
	names, err := fs.Glob(planFS, "plans/*.json")
	if err != nil {
		return nil, err
	}
	var out []*congdoan.Plan
	for _, n := range names {
		b, err := planFS.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var p congdoan.Plan
		if err := json.Unmarshal(b, &p); err != nil {
			return nil, fmt.Errorf("plan %s: %w", n, err)
		}
		if err := p.Validate(); err != nil {
			return nil, fmt.Errorf("plan %s: %w", n, err)
		}
		out = append(out, &p)
	}
	return out, nil
}
