package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"congdoan"
	"congdoan/store"
	"congdoan/store/storetest"
)

func code(err error) string { return congdoan.ErrorCode(err) }

func names(ms []*congdoan.Member) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.FullName)
	}
	return out
}

func mustDerived(t *testing.T, db *store.DB) {
	t.Helper()
	if err := db.CheckDerived(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestMigrateIsIdempotent(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		applied, err := db.Migrate(context.Background())
		if err != nil || len(applied) != 0 {
			t.Fatalf("second migrate: applied %v, err %v", applied, err)
		}
	})
}

func TestMemberSearchAndOrder(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		for _, tc := range []struct {
			name, user, q, unit string
			want                string
		}{
			{"folded prefix, union scope", storetest.UnionA, "nguyen van", "", "Nguyễn Văn An,Nguyễn Văn Bình"},
			{"decomposed input", storetest.UnionA, norm.NFD.String("Nguyễn Văn"), "", "Nguyễn Văn An,Nguyễn Văn Bình"},
			{"upper case with marks", storetest.UnionA, "NGUYỄN VĂN B", "", "Nguyễn Văn Bình"},
			{"district sees both unions", storetest.District, "nguyen van", "", "Nguyễn Văn An,Nguyễn Văn Bình,Nguyễn Văn Cường"},
			{"đ folds to d", storetest.Province, "trieu van duc", "", "Triệu Văn Đức"},
			{"given name first", storetest.Province, "dao", "", "Hoàng Thị Đào"},
			{"CCCD prefix", storetest.Province, storetest.CCCD(true, 1992, 102)[:9], "", "Hoàng Thị Đào"},
			{"whole union in Vietnamese order", storetest.UnionA, "", "", "Nguyễn Văn An,Nguyễn Văn Bình,Hoàng Thị Đào"},
			{"unit filter includes groups", storetest.Province, "", storetest.UnitCodeA, "Nguyễn Văn An,Nguyễn Văn Bình,Hoàng Thị Đào"},
			{"province order by given name", storetest.Province, "", "", "Nguyễn Văn An,Nguyễn Văn Bình,Nguyễn Văn Cường,Hoàng Thị Đào,Triệu Văn Đức,Lý Thị Én,Nông Thị Hoa"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				ms, total, err := db.FindMembers(f.Ctx(tc.user), congdoan.MemberFilter{Query: tc.q, Unit: tc.unit})
				if err != nil {
					t.Fatal(err)
				}
				if got := strings.Join(names(ms), ","); got != tc.want {
					t.Errorf("got %s\nwant %s", got, tc.want)
				}
				if total != len(ms) {
					t.Errorf("total %d, items %d", total, len(ms))
				}
				for _, m := range ms {
					if !m.Masked || strings.Contains(m.CCCD, "0061") || !strings.HasPrefix(m.BirthDate, "••/••/") {
						t.Errorf("%s not masked: %+v", m.FullName, m)
					}
				}
			})
		}
	})
}

func TestScopeIsEnforcedInTheStore(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.UnionA)
		other := f.MemberIDs["Nguyễn Văn Cường"] // CDCS-B
		if _, err := db.FindMemberByID(ctx, other); code(err) != congdoan.ENOTFOUND {
			t.Errorf("read member of another union: %v", err)
		}
		if _, err := db.RevealMember(ctx, other, "xác minh hồ sơ"); code(err) != congdoan.ENOTFOUND {
			t.Errorf("reveal member of another union: %v", err)
		}
		if _, _, err := db.FindMembers(ctx, congdoan.MemberFilter{Unit: storetest.UnitCodeB}); code(err) != congdoan.ENOTFOUND {
			t.Errorf("list another union: %v", err)
		}
		if _, err := db.UpdateMember(ctx, other, congdoan.MemberUpdate{Job: ptr("x")}); code(err) != congdoan.ENOTFOUND {
			t.Errorf("update member of another union: %v", err)
		}
		if _, err := db.TransferMember(ctx, other, congdoan.TransferInput{ToUnitCode: storetest.UnitCodeA}); code(err) != congdoan.ENOTFOUND {
			t.Errorf("transfer member of another union: %v", err)
		}
		if _, err := db.LeaveMember(ctx, other, congdoan.LeaveInput{Reason: congdoan.EndLeft}); code(err) != congdoan.ENOTFOUND {
			t.Errorf("remove member of another union: %v", err)
		}
		if _, err := db.FindUnitByCode(ctx, storetest.UnitCodeB); code(err) != congdoan.ENOTFOUND {
			t.Errorf("read another union: %v", err)
		}
		if _, err := db.FindEmployerByID(ctx, f.Employers["thpt"]); code(err) != congdoan.ENOTFOUND {
			t.Errorf("read another union's employer: %v", err)
		}
		es, _, err := db.FindEmployers(ctx, congdoan.EmployerFilter{})
		if err != nil || len(es) != 1 || es[0].ID != f.Employers["khoangsan"] {
			t.Errorf("employers seen by union A: %v %v", es, err)
		}
		if _, err := db.CreateMember(ctx, congdoan.MemberInput{CCCD: storetest.CCCD(false, 1990, 900), FullName: "Đàm Văn Tư", Gender: "M",
			BirthDate: congdoan.NewDate(1990, 1, 1), UnitCode: storetest.UnitCodeC}); code(err) != congdoan.EFORBIDDEN {
			t.Errorf("admit into another union: %v", err)
		}
		top, err := db.TopUnits(ctx)
		if err != nil || len(top) != 1 || top[0].Code != storetest.UnitCodeA || top[0].Counts.Members != 3 {
			t.Errorf("top units of union A: %+v %v", top, err)
		}
		// Monitors read aggregates but no personal data.
		if _, _, err := db.FindMembers(f.Ctx(storetest.Monitor), congdoan.MemberFilter{}); code(err) != congdoan.EFORBIDDEN {
			t.Errorf("monitor lists members: %v", err)
		}
		if u, err := db.FindUnitByCode(f.Ctx(storetest.Monitor), storetest.Root); err != nil || u.Counts.Members != 7 {
			t.Errorf("monitor reads counts: %+v %v", u, err)
		}
		// No user at all.
		if _, _, err := db.FindMembers(context.Background(), congdoan.MemberFilter{}); code(err) != congdoan.EUNAUTHORIZED {
			t.Errorf("anonymous: %v", err)
		}
	})
}

func ptr[T any](v T) *T { return &v }

func TestAdmissionValidation(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.District)
		good := congdoan.MemberInput{CCCD: storetest.CCCD(true, 1994, 555), FullName: "Ma Thị Lan", Gender: "F",
			BirthDate: congdoan.NewDate(1994, 6, 2), Phone: "0912 345 678", UnitCode: storetest.UnitCodeB}
		for _, tc := range []struct {
			name, code, field string
			edit              func(in *congdoan.MemberInput)
		}{
			{"short CCCD", congdoan.EINVALID, "cccd", func(in *congdoan.MemberInput) { in.CCCD = "00619400055" }},
			{"CCCD says male", congdoan.EINVALID, "cccd", func(in *congdoan.MemberInput) { in.CCCD = storetest.CCCD(false, 1994, 555) }},
			{"CCCD year differs", congdoan.EINVALID, "cccd", func(in *congdoan.MemberInput) { in.BirthDate = congdoan.NewDate(1995, 6, 2) }},
			{"CCCD active elsewhere", congdoan.ECONFLICT, "cccd", func(in *congdoan.MemberInput) {
				in.CCCD = storetest.CCCD(false, 1985, 100)
				in.Gender = "M"
				in.BirthDate = congdoan.NewDate(1985, 1, 1)
			}},
			{"unknown unit", congdoan.EINVALID, "unit_code", func(in *congdoan.MemberInput) { in.UnitCode = "KHONG-CO" }},
			{"unit outside scope", congdoan.EFORBIDDEN, "unit_code", func(in *congdoan.MemberInput) { in.UnitCode = storetest.UnitCodeC }},
			{"upper unit holds no members", congdoan.EINVALID, "unit_code", func(in *congdoan.MemberInput) { in.UnitCode = storetest.District58 }},
			{"over-long name", congdoan.EINVALID, "full_name", func(in *congdoan.MemberInput) { in.FullName = "Ma " + strings.Repeat("Lan ", 40) }},
			{"bad phone", congdoan.EINVALID, "phone", func(in *congdoan.MemberInput) { in.Phone = "12345" }},
			{"future admission", congdoan.EINVALID, "joined_on", func(in *congdoan.MemberInput) { in.JoinedOn = congdoan.NewDate(2027, 1, 1) }},
			{"one-word name", congdoan.EINVALID, "full_name", func(in *congdoan.MemberInput) { in.FullName = "Lan" }},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := good
				tc.edit(&in)
				_, err := db.CreateMember(ctx, in)
				var e *congdoan.Error
				if code(err) != tc.code {
					t.Fatalf("code %q, want %q: %v", code(err), tc.code, err)
				}
				e = asDomain(err)
				if e.Fields[tc.field] == "" {
					t.Errorf("no message for field %s: %+v", tc.field, e)
				}
				if !utf8.ValidString(e.Message) || !norm.NFC.IsNormalString(e.Message) || e.Message == "" {
					t.Errorf("message not NFC text: %q", e.Message)
				}
				_, total, _ := db.FindMembers(f.Ctx(storetest.Admin), congdoan.MemberFilter{Status: "all"})
				if total != 7 {
					t.Errorf("something was written: %d members", total)
				}
			})
		}
		t.Run("conflict names the union and offers the transfer", func(t *testing.T) {
			in := good
			in.CCCD, in.Gender, in.BirthDate = storetest.CCCD(false, 1985, 100), "M", congdoan.NewDate(1985, 1, 1)
			_, err := db.CreateMember(ctx, in)
			e := asDomain(err)
			if !strings.Contains(e.Message, "Công đoàn Công ty TNHH Khoáng sản Bắc Kạn") || e.Details["unit_code"] != storetest.UnitCodeA ||
				e.Details["member_id"] == "" {
				t.Errorf("conflict: %+v", e)
			}
		})
		m, err := db.CreateMember(ctx, good)
		if err != nil {
			t.Fatal(err)
		}
		if m.Status != congdoan.StatusActive || m.UnitCode != storetest.UnitCodeB || len(m.Periods) != 1 || m.Periods[0].StartReason != congdoan.StartAdmitted {
			t.Errorf("admitted: %+v", m)
		}
		full, err := db.RevealMember(ctx, m.ID, "xác minh hồ sơ")
		if err != nil || full.Phone != "0912345678" || full.CCCD != good.CCCD || full.BirthDate != "1994-06-02" {
			t.Errorf("revealed: %+v %v", full, err)
		}
		mustDerived(t, db)
	})
}

func TestTransferLeaveAndReadmit(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.District)
		id := f.MemberIDs["Hoàng Thị Đào"]
		if _, err := db.TransferMember(f.Ctx(storetest.UnionA), id, congdoan.TransferInput{ToUnitCode: storetest.UnitCodeC}); code(err) != congdoan.EFORBIDDEN ||
			!strings.Contains(congdoan.ErrorMessage(err), "ngoài phạm vi") {
			t.Errorf("transfer out of scope: %v", err)
		}
		on := congdoan.NewDate(2026, 3, 1)
		m, err := db.TransferMember(ctx, id, congdoan.TransferInput{ToUnitCode: storetest.UnitCodeB, On: on, Note: "Chuyển công tác"})
		if err != nil {
			t.Fatal(err)
		}
		if m.UnitCode != storetest.UnitCodeB || len(m.Periods) != 2 || m.Periods[0].EndReason != congdoan.EndTransferOut || m.Periods[1].From != on {
			t.Errorf("after transfer: %+v", m)
		}
		// Union A's officer no longer sees her; union B's counts moved.
		if _, err := db.FindMemberByID(f.Ctx(storetest.UnionA), id); code(err) != congdoan.ENOTFOUND {
			t.Errorf("old union still sees the member: %v", err)
		}
		b, _ := db.FindUnitByCode(ctx, storetest.UnitCodeB)
		if b.Counts.Members != 3 || b.Counts.MembersFemale != 2 {
			t.Errorf("counts of B: %+v", b.Counts)
		}
		mustDerived(t, db)

		if _, err := db.TransferMember(ctx, id, congdoan.TransferInput{ToUnitCode: storetest.UnitCodeA, On: congdoan.NewDate(2026, 2, 1)}); code(err) != congdoan.EINVALID {
			t.Errorf("transfer dated before the current period: %v", err)
		}
		if _, err := db.LeaveMember(ctx, id, congdoan.LeaveInput{Reason: "vanished"}); code(err) != congdoan.EINVALID {
			t.Errorf("bad reason: %v", err)
		}
		m, err = db.LeaveMember(ctx, id, congdoan.LeaveInput{Reason: congdoan.EndLeft, On: congdoan.NewDate(2026, 6, 30)})
		if err != nil || m.Status != congdoan.StatusLeft || m.EndReason != congdoan.EndLeft {
			t.Fatalf("leave: %+v %v", m, err)
		}
		if _, err := db.LeaveMember(ctx, id, congdoan.LeaveInput{Reason: congdoan.EndLeft}); code(err) != congdoan.ECONFLICT {
			t.Errorf("leave twice: %v", err)
		}
		left, total, _ := db.FindMembers(ctx, congdoan.MemberFilter{Status: string(congdoan.StatusLeft)})
		if total != 1 || left[0].ID != id {
			t.Errorf("left filter: %v", names(left))
		}
		mustDerived(t, db)

		// Re-admission reuses the person, opens a third period.
		full, _ := db.RevealMember(ctx, id, "xác minh hồ sơ")
		bd, _ := congdoan.ParseISODate(full.BirthDate)
		m, err = db.CreateMember(ctx, congdoan.MemberInput{CCCD: full.CCCD, FullName: full.FullName, Gender: full.Gender, BirthDate: bd,
			UnitCode: storetest.UnitCodeA, JoinedOn: congdoan.NewDate(2026, 9, 1)})
		if err != nil || len(m.Periods) != 3 || m.Periods[2].StartReason != congdoan.StartReadmitted {
			t.Fatalf("readmit: %+v %v", m, err)
		}
		mustDerived(t, db)
	})
}

func TestUpdateMember(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.UnionA)
		id := f.MemberIDs["Nguyễn Văn An"]
		m, err := db.UpdateMember(ctx, id, congdoan.MemberUpdate{Job: ptr("  Kỹ sư   mỏ "), FullName: ptr(norm.NFD.String("Nguyễn Văn Ân"))})
		if err != nil {
			t.Fatal(err)
		}
		if m.Job != "Kỹ sư mỏ" || m.FullName != "Nguyễn Văn Ân" || !norm.NFC.IsNormalString(m.FullName) {
			t.Errorf("update: %q %q", m.Job, m.FullName)
		}
		if _, err := db.UpdateMember(ctx, id, congdoan.MemberUpdate{Gender: ptr(congdoan.GenderFemale)}); code(err) != congdoan.EINVALID {
			t.Errorf("gender that contradicts the CCCD: %v", err)
		}
		if _, err := db.UpdateMember(ctx, id, congdoan.MemberUpdate{CCCD: ptr(storetest.CCCD(false, 1990, 101))}); code(err) == "" {
			t.Errorf("CCCD of another person accepted")
		}
		evs, _, _ := db.FindAuditEvents(f.Ctx(storetest.Admin), congdoan.AuditFilter{Entity: "member", Action: "member.update"})
		if len(evs) != 1 || !strings.Contains(string(evs[0].Before), "Nguyễn Văn An") || !strings.Contains(string(evs[0].After), "Kỹ sư mỏ") {
			t.Errorf("audit of update: %+v", evs)
		}
	})
}

func TestRestructuring(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.Province)
		sys := congdoan.NewContextWithUser(context.Background(), congdoan.SystemUser())
		july := congdoan.NewDate(2025, 7, 1)
		if _, err := db.CreateUnit(ctx, congdoan.UnitInput{Code: "CDX-NR", Name: "Công đoàn xã Hảo Nghĩa", Kind: congdoan.KindCommuneUnion, ParentCode: storetest.Root, FoundedOn: july}); err != nil {
			t.Fatal(err)
		}
		if err := db.MoveUnit(f.Ctx(storetest.UnionA), storetest.UnitCodeA1, storetest.UnitCodeA, july, ""); code(err) != congdoan.EFORBIDDEN {
			t.Errorf("grassroots officer restructures: %v", err)
		}
		if err := db.MoveUnit(ctx, storetest.District66, storetest.UnitCodeC, july, ""); code(err) != congdoan.EINVALID {
			t.Errorf("move under own descendant: %v", err)
		}
		if err := db.MoveUnit(ctx, storetest.UnitCodeC, "CDX-NR", congdoan.NewDate(2027, 1, 1), ""); code(err) != congdoan.EINVALID {
			t.Errorf("future move: %v", err)
		}
		if err := db.MoveUnit(ctx, storetest.UnitCodeC, "CDX-NR", july, "Theo Nghị quyết 60-NQ/TW"); err != nil {
			t.Fatal(err)
		}
		if err := db.DissolveUnit(ctx, storetest.District66, july, ""); err != nil {
			t.Fatal(err)
		}
		// District 058 merges into the province federation: its unions follow.
		if err := db.MergeUnits(ctx, storetest.District58, storetest.Root, july, ""); err != nil {
			t.Fatal(err)
		}
		mustDerived(t, db)

		before, err := db.UnitTree(ctx, storetest.Root, congdoan.NewDate(2024, 1, 1), 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := childCodes(before); got != "LDLD-BK-066,LDLD-BK-058" {
			t.Errorf("children on 1/1/2024: %s", got)
		}
		if before.Counts.Members != 7 || before.Counts.GrassrootsUnits != 3 {
			t.Errorf("counts on 1/1/2024: %+v", before.Counts)
		}
		now, err := db.UnitTree(ctx, storetest.Root, congdoan.Date{}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := childCodes(now); got != "CDX-NR,CDCS-A,CDCS-B" {
			t.Errorf("children today: %s", got)
		}
		if now.Counts.Members != 7 || now.Counts.GrassrootsUnits != 3 {
			t.Errorf("counts today: %+v", now.Counts)
		}
		d58, err := db.FindUnitByCode(sys, storetest.District58)
		if err != nil || d58.Active() {
			t.Errorf("merged unit still active: %+v %v", d58, err)
		}
		// The merged federation's employers are handed over on the day, with their history kept.
		var periods int
		if err := storetest.Raw(t, db).QueryRow(db.Rebind(`SELECT COUNT(*) FROM employer_units WHERE employer_id = ?`), f.Employers["khoangsan"]).Scan(&periods); err != nil || periods != 2 {
			t.Errorf("employer_units of khoangsan: %d %v", periods, err)
		}
		if e, err := db.FindEmployerByID(ctx, f.Employers["thpt"]); err != nil || e.UnitCode != storetest.Root {
			t.Errorf("employer after the merger: %+v %v", e, err)
		}
		hist, _ := db.UnitHistory(ctx, storetest.UnitCodeC)
		if len(hist) != 2 || hist[1].Kind != "moved" || hist[1].OtherCode != "CDX-NR" {
			t.Errorf("history of C: %+v", hist)
		}
		// The district officer of the dissolved federation now sees nothing new, but
		// the province officer still finds union A's members.
		ms, _, err := db.FindMembers(ctx, congdoan.MemberFilter{Unit: storetest.UnitCodeA})
		if err != nil || len(ms) != 3 {
			t.Errorf("members of A after merge: %v %v", names(ms), err)
		}
		if err := db.DissolveUnit(ctx, storetest.UnitCodeA, july, ""); code(err) != congdoan.ECONFLICT {
			t.Errorf("dissolve a union with members: %v", err)
		}
	})
}

func childCodes(u *congdoan.Unit) string {
	var out []string
	for _, c := range u.Children {
		out = append(out, c.Code)
	}
	return strings.Join(out, ",")
}

func TestMergeGrassrootsMovesMembers(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.District)
		on := congdoan.NewDate(2026, 10, 1)
		if err := db.MergeUnits(ctx, storetest.UnitCodeB, storetest.UnitCodeA, on, "Hợp nhất"); err != nil {
			t.Fatal(err)
		}
		m, err := db.FindMemberByID(ctx, f.MemberIDs["Nông Thị Hoa"])
		if err != nil || m.UnitCode != storetest.UnitCodeA || len(m.Periods) != 2 || m.Periods[1].StartReason != congdoan.StartMerged {
			t.Errorf("member after merge: %+v %v", m, err)
		}
		a, _ := db.FindUnitByCode(ctx, storetest.UnitCodeA)
		if a.Counts.Members != 5 {
			t.Errorf("A counts %+v", a.Counts)
		}
		// Employers the merged union was responsible for keep their own union link.
		tree, _ := db.UnitTree(ctx, storetest.District58, congdoan.NewDate(2026, 9, 30), 0)
		if tree.Counts.Members != 5 || len(tree.Children) != 2 {
			t.Errorf("tree before the merge: %+v", tree.Counts)
		}
		mustDerived(t, db)
	})
}

func TestEmployers(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.Province)
		no := false
		es, total, err := db.FindEmployers(ctx, congdoan.EmployerFilter{MinWorkers: 15, HasUnion: &no})
		if err != nil || total != 1 || es[0].Name != "Công ty TNHH Chế biến Gỗ Na Rì" || es[0].HasUnion() {
			t.Fatalf("organising list: %+v %d %v", es, total, err)
		}
		yes := true
		_, total, _ = db.FindEmployers(ctx, congdoan.EmployerFilter{HasUnion: &yes})
		if total != 3 {
			t.Errorf("with union: %d", total)
		}
		e, err := db.FindEmployerByID(ctx, f.Employers["khoangsan"])
		if err != nil || e.UnionCode != storetest.UnitCodeA || e.UnionMembers != 3 {
			t.Errorf("employer A: %+v %v", e, err)
		}
		es, _, _ = db.FindEmployers(ctx, congdoan.EmployerFilter{Query: "che bien go"})
		if len(es) != 1 {
			t.Errorf("folded employer search: %v", es)
		}
		in := congdoan.EmployerInput{TaxCode: "4700 123 456", Name: "Công ty trùng mã", Sector: congdoan.SectorFDI, Status: "active", UnitCode: storetest.District58}
		if _, err := db.CreateEmployer(ctx, in); code(err) != congdoan.ECONFLICT || !strings.Contains(congdoan.ErrorMessage(err), "Khoáng sản") {
			t.Errorf("duplicate tax code: %v", err)
		}
		in.TaxCode = "47001"
		if _, err := db.CreateEmployer(ctx, in); code(err) != congdoan.EINVALID {
			t.Errorf("short tax code: %v", err)
		}
		in.TaxCode, in.WorkersTotal, in.WorkersFemale, in.HeadcountAsOf = "4700999999-001", 30, 31, congdoan.NewDate(2026, 1, 1)
		if _, err := db.CreateEmployer(ctx, in); code(err) != congdoan.EINVALID {
			t.Errorf("more women than workers: %v", err)
		}
		in.WorkersFemale = 10
		e, err = db.CreateEmployer(ctx, in)
		if err != nil || e.TaxCode != "4700999999-001" {
			t.Fatalf("create: %+v %v", e, err)
		}
		in.WorkersTotal, in.HeadcountAsOf = 45, congdoan.NewDate(2026, 11, 1)
		e, err = db.UpdateEmployer(ctx, e.ID, in)
		if err != nil || e.WorkersTotal != 45 || e.HeadcountAsOf != in.HeadcountAsOf {
			t.Errorf("update headcount: %+v %v", e, err)
		}
	})
}

func TestAuditChain(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.Admin)
		if _, err := db.RevealMember(f.Ctx(storetest.UnionA), f.MemberIDs["Nguyễn Văn An"], "xác minh hồ sơ"); err != nil {
			t.Fatal(err)
		}
		evs, total, err := db.FindAuditEvents(ctx, congdoan.AuditFilter{Action: "member.reveal"})
		if err != nil || total != 1 || evs[0].Username != storetest.UnionA || evs[0].EntityID == "" {
			t.Fatalf("reveal logged: %+v %v", evs, err)
		}
		if bad, err := db.VerifyAudit(ctx); err != nil || !bad.OK {
			t.Fatalf("chain: %+v %v", bad, err)
		}
		if _, err := storetest.Raw(t, db).Exec(db.Rebind(`UPDATE audit_events SET username = 'ai-do' WHERE id = ?`), evs[0].ID); err != nil {
			t.Fatal(err)
		}
		if bad, _ := db.VerifyAudit(ctx); bad.OK || len(bad.Problems) != 1 || bad.Problems[0].EventID != evs[0].ID {
			t.Errorf("tampering not detected: %+v", bad)
		}
		if _, _, err := db.FindAuditEvents(f.Ctx(storetest.UnionA), congdoan.AuditFilter{}); code(err) != congdoan.EFORBIDDEN {
			t.Errorf("grassroots officer reads the audit log: %v", err)
		}
	})
}

func TestUsersAndSessions(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := context.Background()
		u, err := db.Authenticate(ctx, " COSO.A ", storetest.Password)
		if err != nil || u.UnitCode != storetest.UnitCodeA || u.Role != congdoan.RoleGrassrootsOfficer {
			t.Fatalf("authenticate: %+v %v", u, err)
		}
		for _, c := range [][2]string{{storetest.UnionA, "sai-mat-khau-roi"}, {"khong-ai", storetest.Password}} {
			if _, err := db.Authenticate(ctx, c[0], c[1]); code(err) != congdoan.EUNAUTHORIZED {
				t.Errorf("authenticate %s: %v", c[0], err)
			}
		}
		tok, err := db.CreateSession(ctx, u.ID, "web", time.Hour, "")
		if err != nil {
			t.Fatal(err)
		}
		if s, err := db.FindSession(ctx, tok); err != nil || s.ID != u.ID {
			t.Errorf("session: %+v %v", s, err)
		}
		db.Now = func() time.Time { return storetest.Now.Add(2 * time.Hour) }
		if _, err := db.FindSession(ctx, tok); code(err) != congdoan.EUNAUTHORIZED {
			t.Errorf("expired session accepted: %v", err)
		}
		db.Now = func() time.Time { return storetest.Now }
		admin := f.Ctx(storetest.Admin)
		if _, err := db.CreateUser(admin, congdoan.UserInput{Username: "x", Role: "boss", Password: "ngan"}); code(err) != congdoan.EINVALID {
			t.Errorf("bad user: %v", err)
		}
		if _, err := db.CreateUser(f.Ctx(storetest.District), congdoan.UserInput{Username: "moi", Role: congdoan.RoleMonitor, UnitCode: storetest.District58, Password: storetest.Password}); code(err) != congdoan.EFORBIDDEN {
			t.Errorf("a district officer creates users: %v", err)
		}
		if err := db.SetPassword(admin, storetest.UnionA, "mat-khau-moi-dai"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.FindSession(ctx, tok); code(err) != congdoan.EUNAUTHORIZED {
			t.Errorf("session survives a password change: %v", err)
		}
		if _, err := db.Authenticate(ctx, storetest.UnionA, "mat-khau-moi-dai"); err != nil {
			t.Errorf("new password: %v", err)
		}
	})
}

func TestTreeDepthKeepsSubtreeCounts(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		tree, err := db.UnitTree(f.Ctx(storetest.Province), storetest.Root, congdoan.Date{}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if tree.Counts.Members != 7 || len(tree.Children) != 2 || len(tree.Children[0].Children) != 0 || tree.Children[1].Counts.Members != 5 {
			t.Errorf("depth 1: %+v, children %d", tree.Counts, len(tree.Children))
		}
	})
}

func TestGrassrootsOfficerEditsOwnEmployer(t *testing.T) {
	storetest.ForEachEngine(t, func(t *testing.T, db *store.DB) {
		f := storetest.Seed(t, db)
		ctx := f.Ctx(storetest.UnionA)
		e, err := db.FindEmployerByID(ctx, f.Employers["khoangsan"])
		if err != nil {
			t.Fatal(err)
		}
		in := congdoan.EmployerInput{TaxCode: e.TaxCode, Name: e.Name, Sector: e.Sector, Status: e.Status, WorkersTotal: 130, WorkersFemale: 31,
			UnitCode: e.UnitCode, Industry: e.Industry}
		if e, err = db.UpdateEmployer(ctx, e.ID, in); err != nil || e.WorkersTotal != 130 || e.UnitCode != storetest.District58 {
			t.Fatalf("update own employer: %+v %v", e, err)
		}
		in.UnitCode = storetest.District66
		if _, err := db.UpdateEmployer(ctx, e.ID, in); code(err) != congdoan.EINVALID {
			t.Errorf("hand the employer to a unit outside the scope: %v", err)
		}
	})
}

// asDomain returns the domain error in err's chain, or an empty one.
func asDomain(err error) *congdoan.Error {
	var e *congdoan.Error
	if !errors.As(err, &e) {
		return &congdoan.Error{}
	}
	return e
}
