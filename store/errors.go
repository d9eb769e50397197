package store

import "fmt"

// wrap adds the operation to a non-nil error, keeping the chain, so that
// a logged internal error says where it arose:
//
//	func (d *DB) CreateUnit(ctx context.Context, in congdoan.UnitInput) (_ *congdoan.Unit, err error) {
//		defer wrap(&err, "store.CreateUnit(%q)", in.Code)
//
// A domain error (*congdoan.Error) stays reachable with errors.As, so its
// code and Vietnamese message reach the user unchanged.
func wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf(format+": %w", append(args, *errp)...)
	}
}
