package storetest

import (
	"context"
	"testing"

	"congdoan"
)

// The second province: since the 2025 mergers several provinces share one
// database, and an officer of one must not see the other's records.
const (
	OtherProvince = "tinh.tn"       // province_officer of LDLD-TN
	OtherRoot     = "LDLD-TN"       // a second root of the tree
	OtherDistrict = "LDLD-TN-01"    // under LDLD-TN
	OtherUnion    = "CDCS-TN-GT"    // under LDLD-TN-01, employer gangthep
	OtherMember   = "Dương Thị Thu" // member of CDCS-TN-GT
	OtherEmployer = "gangthep"      // key in Fixture.Employers, under LDLD-TN-01
	OtherOfficer  = "coso.tn"       // grassroots_officer of CDCS-TN-GT
)

// SeedOtherProvince adds a second province to the fixture — its federation,
// a district federation, an employer with a grassroots union, a member, a
// collective agreement and two accounts (OtherProvince, OtherOfficer) — all
// written as the system user, as Seed does. It returns the agreement's id.
func (f *Fixture) SeedOtherProvince(tb testing.TB) int64 {
	tb.Helper()
	ctx := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatalf("seed other province: %v", err)
		}
	}
	d := congdoan.NewDate
	_, err := f.DB.CreateUnit(ctx, congdoan.UnitInput{Code: OtherRoot, Name: "Liên đoàn Lao động tỉnh Thái Nguyên", Kind: congdoan.KindProvinceFederation, FoundedOn: d(1997, 1, 1)})
	must(err)
	_, err = f.DB.CreateUnit(ctx, congdoan.UnitInput{Code: OtherDistrict, Name: "Liên đoàn Lao động thành phố Thái Nguyên", Kind: congdoan.KindDistrictFederation, ParentCode: OtherRoot, FoundedOn: d(2000, 1, 1)})
	must(err)
	e, err := f.DB.CreateEmployer(ctx, congdoan.EmployerInput{Name: "Công ty Cổ phần Gang Thép Thái Nguyên", Sector: congdoan.SectorNonState, Status: congdoan.EmployerActive,
		WorkersTotal: 300, WorkersFemale: 80, UnitCode: OtherDistrict, HeadcountAsOf: d(2026, 1, 1), Industry: "Luyện kim"})
	must(err)
	f.Employers[OtherEmployer] = e.ID
	_, err = f.DB.CreateUnit(ctx, congdoan.UnitInput{Code: OtherUnion, Name: "Công đoàn Công ty Cổ phần Gang Thép Thái Nguyên", Kind: congdoan.KindGrassroots, ParentCode: OtherDistrict, EmployerID: e.ID, FoundedOn: d(2001, 5, 1)})
	must(err)
	m, err := f.DB.CreateMember(ctx, congdoan.MemberInput{CCCD: CCCD(true, 1991, 900), FullName: OtherMember, Gender: congdoan.GenderFemale,
		BirthDate: d(1991, 6, 20), Ethnicity: "Kinh", Phone: "0987654321", Job: "Kỹ sư luyện kim", UnitCode: OtherUnion, JoinedOn: d(2015, 3, 2)})
	must(err)
	f.MemberIDs[OtherMember] = m.ID
	a, err := f.DB.CreateAgreement(ctx, congdoan.AgreementInput{UnitCode: OtherUnion, Kind: congdoan.AgreementEnterprise,
		SignedOn: d(2025, 12, 1), ValidFrom: d(2026, 1, 1), ValidTo: d(2028, 12, 31)})
	must(err)
	for _, u := range []congdoan.UserInput{
		{Username: OtherProvince, FullName: "Cán bộ tỉnh Thái Nguyên", Role: congdoan.RoleProvinceOfficer, UnitCode: OtherRoot},
		{Username: OtherOfficer, FullName: "Chủ tịch CĐCS Gang Thép", Role: congdoan.RoleGrassrootsOfficer, UnitCode: OtherUnion},
	} {
		u.Password = Password
		user, err := f.DB.CreateUser(ctx, u)
		must(err)
		f.Users[u.Username] = user
	}
	return a.ID
}
