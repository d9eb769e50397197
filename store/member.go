package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"congdoan"
	"congdoan/vntext"
)

const memberCols = `p.id, p.cccd, p.full_name, p.gender, p.birth_date, p.ethnicity, p.phone, p.job, p.status,
	COALESCE(p.unit_id, 0), COALESCE(u.code, ''), COALESCE(u.name, ''),
	(SELECT MAX(m.valid_from) FROM memberships m WHERE m.person_id = p.id), p.version`

const memberFrom = ` FROM persons p LEFT JOIN units u ON u.id = p.unit_id`

func (d *DB) queryMembers(ctx context.Context, q queryer, reveal bool, where string, args ...any) ([]*congdoan.Member, error) {
	return d.selectMembers(ctx, q, reveal, false, where, args...)
}

// selectMembers reads members; withCursor also reads their sort keys and
// sets Member.Cursor, for pages of FindMembers.
func (d *DB) selectMembers(ctx context.Context, q queryer, reveal, withCursor bool, where string, args ...any) ([]*congdoan.Member, error) {
	cols := memberCols
	if withCursor {
		cols += `, p.sort_key`
	}
	rows, err := q.query(ctx, `SELECT `+cols+memberFrom+` WHERE `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*congdoan.Member
	for rows.Next() {
		var m congdoan.Member
		var since sql.NullString
		var key []byte
		dest := []any{&m.ID, &m.CCCD, &m.FullName, &m.Gender, &m.BirthDate, &m.Ethnicity, &m.Phone, &m.Job, &m.Status,
			&m.UnitID, &m.UnitCode, &m.UnitName, &since, &m.Version}
		if withCursor {
			dest = append(dest, &key)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		if withCursor {
			m.Cursor = memberCursor{key: key, id: m.ID}.String()
		}
		m.Since = parseDate(since)
		if len(m.BirthDate) >= 4 {
			m.BirthYear, _ = strconv.Atoi(m.BirthDate[:4])
		}
		if !reveal {
			mask(&m)
		}
		out = append(out, &m)
	}
	return out, rows.Err()
}

// mask hides personal data: the last four digits of the CCCD, the phone's
// ends, and the birth year only.
func mask(m *congdoan.Member) {
	m.Masked = true
	m.CCCD = vntext.MaskCCCD(m.CCCD)
	m.Phone = vntext.MaskPhone(m.Phone)
	if m.BirthYear > 0 {
		m.BirthDate = "••/••/" + strconv.Itoa(m.BirthYear)
	}
}

// memberByID loads a member whose current (or last) unit is in scope.
func (d *DB) memberByID(ctx context.Context, q queryer, s scope, id int64, reveal bool) (*congdoan.Member, error) {
	if err := s.requirePersonalData(); err != nil {
		return nil, err
	}
	cond, args := s.unitIn("p.unit_id")
	ms, err := d.queryMembers(ctx, q, reveal, `p.id = ? AND `+cond, append([]any{id}, args...)...)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, congdoan.Errorf(congdoan.ENOTFOUND, "Không tìm thấy đoàn viên số %d trong phạm vi bạn quản lý.", id)
	}
	m := ms[0]
	rows, err := q.query(ctx, `SELECT m.id, u.code, u.name, m.valid_from, m.valid_to, m.start_reason, COALESCE(m.end_reason, ''), m.note
		FROM memberships m JOIN units u ON u.id = m.unit_id WHERE m.person_id = ? ORDER BY m.valid_from, m.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var p congdoan.Period
		var from, to sql.NullString
		if err := rows.Scan(&p.ID, &p.UnitCode, &p.UnitName, &from, &to, &p.StartReason, &p.EndReason, &p.Note); err != nil {
			return nil, err
		}
		p.From, p.To = parseDate(from), parseDate(to)
		m.Periods = append(m.Periods, &p)
	}
	if n := len(m.Periods); n > 0 && m.Status != congdoan.StatusActive {
		m.EndedOn, m.EndReason = m.Periods[n-1].To, m.Periods[n-1].EndReason
	}
	return m, rows.Err()
}

// FindMemberByID implements congdoan.MemberService.
func (d *DB) FindMemberByID(ctx context.Context, id int64) (_ *congdoan.Member, err error) {
	defer wrap(&err, "store.FindMemberByID(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	return d.memberByID(ctx, d, s, id, false)
}

// RevealMember implements congdoan.MemberService: the reveal itself is
// written to the audit log (who, whose, when, why) before the data is
// returned. An empty reason is taken (the API's older clients send none)
// and recorded as such; a reason given must pass CheckRevealReason.
func (d *DB) RevealMember(ctx context.Context, id int64, reason string) (_ *congdoan.Member, err error) {
	defer wrap(&err, "store.RevealMember(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if reason, err = congdoan.CheckRevealReason(reason, true); err != nil {
		return nil, err
	}
	after := map[string]string{"fields": "cccd,phone,birth_date"}
	if reason != "" {
		after["reason"] = reason
	}
	var m *congdoan.Member
	err = d.tx(ctx, func(tx *Tx) error {
		m, err = d.memberByID(ctx, tx, s, id, true)
		if err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "member.reveal", Entity: "member", EntityID: id, UnitID: m.UnitID, After: after})
	})
	return m, err
}

// CreateMember implements congdoan.MemberService. A CCCD already on file
// is the same person: an active one is refused (a move is a transfer), a
// former member is re-admitted with the identity on file — a different
// name, birth date or gender is refused, not written over, and blank
// optional fields keep what is stored. The person's row is locked first, so
// of two simultaneous admissions one wins and the other sees it.
func (d *DB) CreateMember(ctx context.Context, in congdoan.MemberInput) (_ *congdoan.Member, err error) {
	defer wrap(&err, "store.CreateMember")
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requireMemberWrite(); err != nil {
		return nil, err
	}
	if err := in.Validate(d.Today()).Err(); err != nil {
		return nil, err
	}
	var out *congdoan.Member
	var probe *Event // a CCCD found outside the caller's scope, logged even when refused
	err = d.tx(ctx, func(tx *Tx) error {
		a, err := d.admit(ctx, tx, s, in, 0, false)
		probe, out = a.probe, a.member
		return err
	})
	if err != nil && probe != nil {
		// The refusal rolled the transaction back; the lookup of another
		// union's member is still on record, under that union.
		if lerr := d.tx(ctx, func(tx *Tx) error { return tx.audit(ctx, *probe) }); lerr != nil {
			return nil, errors.Join(err, lerr)
		}
	}
	return out, err
}

// Outcomes of an admission, as an import counts them.
const (
	admitCreated    = "created"    // a new person
	admitReadmitted = "readmitted" // a former member, admitted again
	admitUnchanged  = "unchanged"  // already a member of the unit, as on file (imports)
	admitUpdated    = "updated"    // already a member of the unit; blank details filled (imports)
)

// admission is what admit did.
type admission struct {
	member  *congdoan.Member
	outcome string
	probe   *Event // a CCCD found outside the caller's scope
}

// admit admits in (validated) in tx: a new CCCD is a new person, a former
// member's is re-admitted with the identity on file. upsert (an import run
// again) takes a member already active in the unit as found — unchanged,
// or updated when the row fills details the record lacks — where a single
// admission is refused. importID, when set, goes into the audit event.
func (d *DB) admit(ctx context.Context, tx *Tx, s scope, in congdoan.MemberInput, importID int64, upsert bool) (admission, error) {
	var a admission
	u, err := d.memberUnit(ctx, tx, s, in.UnitCode, "unit_code")
	if err != nil {
		return a, err
	}
	var pid int64
	err = tx.queryRow(ctx, `SELECT id FROM persons WHERE cccd = ?`, in.CCCD).Scan(&pid)
	reason := congdoan.StartAdmitted
	a.outcome = admitCreated
	switch {
	case errors.Is(err, sql.ErrNoRows):
		pid, err = tx.insertPerson(ctx, in)
		if err != nil {
			return a, raced(err, errSameCCCD)
		}
	case err != nil:
		return a, err
	default:
		if err := tx.lockRow(ctx, "persons", pid); err != nil {
			return a, err
		}
		prev, err := d.memberByID(ctx, tx, scope{user: s.user}, pid, true)
		if err != nil {
			return a, err
		}
		inScope, err := s.contains(ctx, tx, prev.UnitID)
		if err != nil {
			return a, err
		}
		if !inScope {
			a.probe = &Event{Action: "member.cccd_lookup", Entity: "member", EntityID: pid, UnitID: prev.UnitID,
				After: map[string]string{"unit": prev.UnitCode, "asked_for": u.Code}}
		}
		if upsert && prev.Active() && prev.UnitID == u.ID {
			return d.foundInUnit(ctx, tx, s, prev, in, importID)
		}
		if err := readmissible(prev, in, inScope); err != nil {
			return a, err
		}
		reason, a.outcome = congdoan.StartReadmitted, admitReadmitted
		in = keepStored(in, prev)
		if err := tx.updatePerson(ctx, pid, in); err != nil {
			return a, err
		}
	}
	if err := tx.checkLocked(ctx, u.ID, in.JoinedOn, in.JoinedOn); err != nil {
		return a, err
	}
	if err := tx.openPeriod(ctx, pid, u.ID, in.JoinedOn, reason, in.Note, in.Gender); err != nil {
		return a, err
	}
	if a.member, err = d.memberByID(ctx, tx, scope{user: s.user}, pid, false); err != nil {
		return a, err
	}
	after := auditPerson(in, u.Code)
	if importID != 0 {
		after["import"] = strconv.FormatInt(importID, 10)
	}
	return a, tx.audit(ctx, Event{Action: "member.create", Entity: "member", EntityID: pid, UnitID: u.ID, After: after})
}

// foundInUnit is an import's row for a person already active in its unit:
// the identity must match the record (never a silent rename); details the
// record lacks are filled from the row (audited as an update), details it
// has are kept.
func (d *DB) foundInUnit(ctx context.Context, tx *Tx, s scope, prev *congdoan.Member, in congdoan.MemberInput, importID int64) (admission, error) {
	a := admission{outcome: admitUnchanged}
	if err := identityMatches(prev, in, "nhập lại dòng này", personDetails(prev, true)); err != nil {
		return a, err
	}
	old := congdoan.MemberInput{CCCD: prev.CCCD, FullName: prev.FullName, Gender: prev.Gender, Ethnicity: prev.Ethnicity, Phone: prev.Phone, Job: prev.Job}
	old.BirthDate, _ = congdoan.ParseISODate(prev.BirthDate)
	upd := old
	for _, f := range []struct {
		dst *string
		src string
	}{{&upd.Ethnicity, in.Ethnicity}, {&upd.Phone, in.Phone}, {&upd.Job, in.Job}} {
		if *f.dst == "" && f.src != "" {
			*f.dst = f.src
		}
	}
	if upd != old {
		a.outcome = admitUpdated
		tx.AffectsNothing() // details in no figure
		if err := tx.updatePerson(ctx, prev.ID, upd); err != nil {
			return a, err
		}
		after := auditPerson(upd, prev.UnitCode)
		after["import"] = strconv.FormatInt(importID, 10)
		if err := tx.audit(ctx, Event{Action: "member.update", Entity: "member", EntityID: prev.ID, UnitID: prev.UnitID,
			Before: auditPerson(old, prev.UnitCode), After: after}); err != nil {
			return a, err
		}
	}
	m, err := d.memberByID(ctx, tx, scope{user: s.user}, prev.ID, false)
	a.member = m
	return a, err
}

// errSameCCCD answers the loser of two simultaneous admissions of one new CCCD.
var errSameCCCD = &congdoan.Error{Code: congdoan.ECONFLICT,
	Message: "Số CCCD này vừa được kết nạp ở một yêu cầu khác; tải lại danh sách để xem hồ sơ.",
	Fields:  map[string]string{"cccd": "Số CCCD này vừa được kết nạp ở một yêu cầu khác; tải lại danh sách để xem hồ sơ."}}

// readmissible says why the person on file (prev) cannot be admitted again
// with in, or nil. An officer outside the scope of the person's union
// learns the union's name — they need it to ask for a transfer — but no id.
func readmissible(prev *congdoan.Member, in congdoan.MemberInput, inScope bool) error {
	conflict := func(msg string, details map[string]string) error {
		return &congdoan.Error{Code: congdoan.ECONFLICT, Message: msg, Fields: map[string]string{"cccd": msg}, Details: details}
	}
	details := personDetails(prev, inScope)
	cccd := vntext.MaskCCCD(in.CCCD)
	if prev.Active() {
		return conflict(fmt.Sprintf("Người có số CCCD %s đang sinh hoạt tại %s (mã %s). Nếu người này chuyển công tác, hãy dùng chức năng chuyển sinh hoạt thay vì kết nạp mới.",
			cccd, prev.UnitName, prev.UnitCode), details)
	}
	if prev.EndReason == congdoan.EndDeceased {
		return conflict(fmt.Sprintf("Số CCCD %s là của %s, đã từ trần (ghi nhận ngày %s tại %s): không thể kết nạp lại. Nếu ghi nhận này sai, đề nghị %s kiểm tra lại hồ sơ.",
			cccd, prev.FullName, prev.EndedOn.VN(), prev.UnitName, prev.UnitName), details)
	}
	if err := identityMatches(prev, in, "kết nạp lại", details); err != nil {
		return err
	}
	if !prev.EndedOn.IsZero() && in.JoinedOn.Before(prev.EndedOn) {
		return congdoan.FieldError("joined_on", "Ngày kết nạp lại phải từ "+prev.EndedOn.VN()+" (ngày thôi sinh hoạt lần trước) trở đi.")
	}
	return nil
}

// identityMatches refuses in when its name (ignoring case and spacing),
// birth date or gender differ from the person on file (prev, revealed),
// naming the person, their last union, and how to correct a record.
func identityMatches(prev *congdoan.Member, in congdoan.MemberInput, retry string, details map[string]string) error {
	var diff []string
	if !strings.EqualFold(vntext.Clean(prev.FullName), vntext.Clean(in.FullName)) {
		diff = append(diff, fmt.Sprintf("họ tên (hồ sơ: %s)", prev.FullName))
	}
	if prev.BirthDate != in.BirthDate.String() {
		if b, err := congdoan.ParseISODate(prev.BirthDate); err == nil {
			diff = append(diff, fmt.Sprintf("ngày sinh (hồ sơ: %s)", b.VN()))
		} else {
			diff = append(diff, "ngày sinh")
		}
	}
	if prev.Gender != in.Gender {
		diff = append(diff, fmt.Sprintf("giới tính (hồ sơ: %s)", strings.ToLower(prev.Gender.Label("vi"))))
	}
	if len(diff) == 0 {
		return nil
	}
	cccd := vntext.MaskCCCD(in.CCCD)
	where := fmt.Sprintf("lần cuối sinh hoạt tại %s (mã %s) đến %s", prev.UnitName, prev.UnitCode, prev.EndedOn.VN())
	if prev.Active() {
		where = fmt.Sprintf("đang sinh hoạt tại %s (mã %s)", prev.UnitName, prev.UnitCode)
	}
	msg := fmt.Sprintf("Số CCCD %s là của %s, %s; thông tin nhập khác hồ sơ ở %s. Nếu đúng là người này, hãy %s với thông tin như hồ sơ; nếu hồ sơ sai, sửa thông tin cá nhân ở trang hồ sơ đoàn viên (việc sửa được ghi nhật ký) rồi %s.",
		cccd, prev.FullName, where, strings.Join(diff, ", "), retry, retry)
	return &congdoan.Error{Code: congdoan.ECONFLICT, Message: msg, Fields: map[string]string{"cccd": msg}, Details: details}
}

// personDetails are a refusal's details about the person on file: their
// union's code and name, and the record's id only for an officer whose
// scope holds it (no internal id leaves the scope).
func personDetails(prev *congdoan.Member, inScope bool) map[string]string {
	d := map[string]string{"unit_code": prev.UnitCode, "unit_name": prev.UnitName}
	if inScope {
		d["member_id"] = strconv.FormatInt(prev.ID, 10)
	}
	return d
}

// keepStored keeps the identity on file (the name as written there: the
// re-admission matched it ignoring case and spacing) and fills the
// optional fields a re-admission left blank from the person on file (prev,
// revealed).
func keepStored(in congdoan.MemberInput, prev *congdoan.Member) congdoan.MemberInput {
	in.FullName = prev.FullName
	for _, f := range []struct {
		dst *string
		src string
	}{{&in.Ethnicity, prev.Ethnicity}, {&in.Phone, prev.Phone}, {&in.Job, prev.Job}} {
		if *f.dst == "" {
			*f.dst = f.src
		}
	}
	return in
}

// auditPerson is what the audit log keeps of a person write.
func auditPerson(in congdoan.MemberInput, unit string) map[string]string {
	return map[string]string{"cccd": in.CCCD, "full_name": in.FullName, "gender": string(in.Gender), "birth_date": in.BirthDate.String(),
		"ethnicity": in.Ethnicity, "phone": in.Phone, "job": in.Job, "unit": unit}
}

func (s scope) requireMemberWrite() error {
	if err := s.requirePersonalData(); err != nil {
		return err
	}
	if !s.user.CanWriteMembers() {
		return congdoan.Errorf(congdoan.EFORBIDDEN, "Bạn không có quyền thay đổi hồ sơ đoàn viên.")
	}
	return nil
}

// memberUnit loads a unit that can take members, in scope. A code that
// exists outside the scope gets EFORBIDDEN with a message that says so (unit
// codes and names are not personal data).
func (d *DB) memberUnit(ctx context.Context, q queryer, s scope, code, field string) (*congdoan.Unit, error) {
	u, err := d.unitByCode(ctx, q, s, code)
	if congdoan.ErrorCode(err) == congdoan.ENOTFOUND {
		var name string
		if q.queryRow(ctx, `SELECT name FROM units WHERE code = ?`, strings.TrimSpace(code)).Scan(&name) == nil {
			msg := fmt.Sprintf("%s (mã %s) nằm ngoài phạm vi bạn quản lý; đề nghị công đoàn cấp trên thực hiện.", name, code)
			return nil, &congdoan.Error{Code: congdoan.EFORBIDDEN, Message: msg, Fields: map[string]string{field: msg}}
		}
		return nil, fieldErr(err, field)
	} else if err != nil {
		return nil, err
	}
	if !u.Kind.HoldsMembers() {
		return nil, congdoan.FieldError(field, fmt.Sprintf("%s là %s: đoàn viên sinh hoạt ở công đoàn cơ sở, nghiệp đoàn, công đoàn bộ phận hoặc tổ công đoàn.", u.Name, strings.ToLower(u.Kind.Label("vi"))))
	}
	if !u.Active() {
		return nil, congdoan.FieldError(field, u.Name+" đã giải thể ngày "+u.DissolvedOn.VN()+".")
	}
	return u, nil
}

func (tx *Tx) insertPerson(ctx context.Context, in congdoan.MemberInput) (int64, error) {
	now := tx.now.Format(time.RFC3339)
	key, sortKey := vntext.Fold(in.FullName), vntext.PersonSortKey(in.FullName)
	id, err := tx.insert(ctx, `INSERT INTO persons (cccd, full_name, search_key, given_key, sort_key, gender, birth_date, ethnicity, phone, job, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
		in.CCCD, in.FullName, key, givenKey(in.FullName), sortKey,
		in.Gender, in.BirthDate.String(), in.Ethnicity, in.Phone, in.Job, now, now)
	if err != nil {
		return 0, err
	}
	return id, tx.addPersonWords(ctx, id, key, sortKey)
}

// updatePerson writes a person's own fields, and the words of the name
// when it changed.
func (tx *Tx) updatePerson(ctx context.Context, id int64, in congdoan.MemberInput) error {
	var oldKey string
	var oldSort []byte
	if err := tx.queryRow(ctx, `SELECT search_key, sort_key FROM persons WHERE id = ?`, id).Scan(&oldKey, &oldSort); err != nil {
		return err
	}
	key, sortKey := vntext.Fold(in.FullName), vntext.PersonSortKey(in.FullName)
	if _, err := tx.exec(ctx, `UPDATE persons SET cccd = ?, full_name = ?, search_key = ?, given_key = ?, sort_key = ?, gender = ?, birth_date = ?,
		ethnicity = ?, phone = ?, job = ?, updated_at = ?, version = version + 1 WHERE id = ?`,
		in.CCCD, in.FullName, key, givenKey(in.FullName), sortKey,
		in.Gender, in.BirthDate.String(), in.Ethnicity, in.Phone, in.Job, tx.now.Format(time.RFC3339), id); err != nil {
		return err
	}
	if key == oldKey && bytes.Equal(sortKey, oldSort) {
		return nil
	}
	if err := tx.dropPersonWords(ctx, id, oldKey, oldSort); err != nil {
		return err
	}
	return tx.addPersonWords(ctx, id, key, sortKey)
}

// givenKey is the folded name with the given name first, so that "an"
// finds "Nguyễn Văn An" by an index range like the full name does.
func givenKey(fullName string) string {
	f := vntext.Fold(fullName)
	i := strings.LastIndexByte(f, ' ')
	if i < 0 {
		return f
	}
	return f[i+1:] + " " + f[:i]
}

// openPeriod starts a membership period and keeps persons and unit_counts in step.
func (tx *Tx) openPeriod(ctx context.Context, personID, unitID int64, on congdoan.Date, reason congdoan.Reason, note string, gender congdoan.Gender) error {
	if _, err := tx.exec(ctx, `INSERT INTO memberships (person_id, unit_id, valid_from, start_reason, note) VALUES (?, ?, ?, ?, ?)`,
		personID, unitID, on.String(), reason, note); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE persons SET unit_id = ?, status = 'active' WHERE id = ?`, unitID, personID); err != nil {
		return err
	}
	if err := tx.setPersonWordsUnit(ctx, personID, unitID); err != nil {
		return err
	}
	if err := tx.adjustSnapshots(ctx, unitID, on, 1, femaleDelta(1, gender)); err != nil {
		return err
	}
	return tx.bumpCount(ctx, unitID, 1, gender)
}

// closePeriod ends the open period of a person on date with a reason.
func (tx *Tx) closePeriod(ctx context.Context, personID, unitID int64, on congdoan.Date, reason congdoan.Reason, gender congdoan.Gender) error {
	if _, err := tx.exec(ctx, `UPDATE memberships SET valid_to = ?, end_reason = ? WHERE person_id = ? AND valid_to IS NULL`, on.String(), reason, personID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE persons SET status = 'left' WHERE id = ?`, personID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE person_words SET status = 'left' WHERE person_id = ?`, personID); err != nil {
		return err
	}
	if err := tx.adjustSnapshots(ctx, unitID, on, -1, femaleDelta(-1, gender)); err != nil {
		return err
	}
	return tx.bumpCount(ctx, unitID, -1, gender)
}

// adjustSnapshots keeps the monthly member snapshots true when a period
// opens (+1) or closes (-1) on a date before snapshots already taken: a
// snapshot of day M counts the periods with valid_from <= M < valid_to, so
// every snapshot on or after the date changes by delta. Writes dated in
// the current month touch nothing. Every membership write that changes
// counts comes through here, so it also declares the change: the unit's
// member counts move by delta from the date on (Tx.membersMoved).
func (tx *Tx) adjustSnapshots(ctx context.Context, unitID int64, on congdoan.Date, delta, f int) error {
	tx.membersMoved(unitID, on, int64(delta), int64(f))
	rows, err := tx.query(ctx, `SELECT DISTINCT day FROM member_snapshots WHERE day >= ? ORDER BY day`, on.String())
	if err != nil {
		return err
	}
	var days []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			rows.Close()
			return err
		}
		days = append(days, d)
	}
	rows.Close()
	for _, d := range days {
		if _, err := tx.exec(ctx, `INSERT INTO member_snapshots (day, unit_id, members, members_female) VALUES (?, ?, ?, ?)
			ON CONFLICT (day, unit_id) DO UPDATE SET members = member_snapshots.members + excluded.members,
			members_female = member_snapshots.members_female + excluded.members_female`, d, unitID, delta, f); err != nil {
			return err
		}
	}
	return nil
}

// genderCorrected keeps the female counts true when a person's recorded
// gender changes between female and not: unit_counts while the person is
// active, and every snapshot taken during any of their periods. The change
// reaches back to the first period.
func (tx *Tx) genderCorrected(ctx context.Context, personID int64, oldGender, newGender congdoan.Gender) error {
	f := femaleDelta(1, newGender) - femaleDelta(1, oldGender)
	if f == 0 {
		return nil
	}
	type period struct {
		unit     int64
		from, to sql.NullString
	}
	rows, err := tx.query(ctx, `SELECT unit_id, valid_from, valid_to FROM memberships WHERE person_id = ?`, personID)
	if err != nil {
		return err
	}
	var ps []period
	for rows.Next() {
		var p period
		if err := rows.Scan(&p.unit, &p.from, &p.to); err != nil {
			rows.Close()
			return err
		}
		ps = append(ps, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range ps {
		q, args := `UPDATE member_snapshots SET members_female = members_female + ? WHERE unit_id = ? AND day >= ?`, []any{f, p.unit, p.from.String}
		if p.to.Valid {
			q, args = q+` AND day < ?`, append(args, p.to.String)
		}
		if _, err := tx.exec(ctx, q, args...); err != nil {
			return err
		}
		tx.Affects(ChangesMembers, parseDate(p.from))
	}
	_, err = tx.exec(ctx, `UPDATE unit_counts SET members_female = members_female + ? WHERE unit_id = (SELECT unit_id FROM persons WHERE id = ? AND status = 'active')`, f, personID)
	return err
}

func femaleDelta(delta int, gender congdoan.Gender) int {
	if gender == congdoan.GenderFemale {
		return delta
	}
	return 0
}

func (tx *Tx) bumpCount(ctx context.Context, unitID int64, delta int, gender congdoan.Gender) error {
	f := 0
	if gender == congdoan.GenderFemale {
		f = delta
	}
	_, err := tx.exec(ctx, `UPDATE unit_counts SET members = members + ?, members_female = members_female + ? WHERE unit_id = ?`, delta, f, unitID)
	return err
}

// UpdateMember implements congdoan.MemberService.
func (d *DB) UpdateMember(ctx context.Context, id int64, up congdoan.MemberUpdate) (_ *congdoan.Member, err error) {
	defer wrap(&err, "store.UpdateMember(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requireMemberWrite(); err != nil {
		return nil, err
	}
	var out *congdoan.Member
	err = d.tx(ctx, func(tx *Tx) error {
		// Locked first: of two simultaneous edits the second reads the
		// first one's result (its gender, its version).
		if err := tx.lockRow(ctx, "persons", id); err != nil {
			return err
		}
		before, err := d.memberByID(ctx, tx, s, id, true)
		if err != nil {
			return err
		}
		if up.Version != nil && *up.Version != before.Version {
			msg := fmt.Sprintf("Hồ sơ của %s đã được sửa sau khi bạn mở nó (bạn sửa từ phiên bản %d, hiện là %d); tải lại trang để xem thay đổi mới nhất rồi sửa lại.",
				before.FullName, *up.Version, before.Version)
			return &congdoan.Error{Code: congdoan.ECONFLICT, Message: msg, Fields: map[string]string{"version": msg},
				Details: map[string]string{"version": strconv.FormatInt(before.Version, 10)}}
		}
		old := congdoan.MemberInput{CCCD: before.CCCD, FullName: before.FullName, Gender: before.Gender, Ethnicity: before.Ethnicity,
			Phone: before.Phone, Job: before.Job}
		old.BirthDate, _ = congdoan.ParseISODate(before.BirthDate)
		in := up.Apply(old)
		if err := in.ValidatePerson(d.Today()).Err(); err != nil {
			return err
		}
		var other int64
		if err := tx.queryRow(ctx, `SELECT id FROM persons WHERE cccd = ? AND id <> ?`, in.CCCD, id).Scan(&other); err == nil {
			msg := "Số CCCD " + vntext.MaskCCCD(in.CCCD) + " đã thuộc một hồ sơ khác; kiểm tra lại số đã nhập."
			return &congdoan.Error{Code: congdoan.ECONFLICT, Message: msg, Fields: map[string]string{"cccd": msg}}
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		// Names, CCCD, phone … are not in any figure; a corrected gender
		// is, in the female counts (genderCorrected declares it).
		tx.AffectsNothing()
		if err := tx.updatePerson(ctx, id, in); err != nil {
			return err
		}
		if err := tx.genderCorrected(ctx, id, before.Gender, in.Gender); err != nil {
			return err
		}
		out, err = d.memberByID(ctx, tx, s, id, false)
		if err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "member.update", Entity: "member", EntityID: id, UnitID: before.UnitID,
			Before: auditPerson(old, before.UnitCode), After: auditPerson(in, before.UnitCode)})
	})
	return out, err
}

// activeMember loads a member for a move and its current period.
// The person's row is locked first, so that of two simultaneous moves of
// one member the second sees the first one's result, not the state both
// started from.
func (d *DB) activeMember(ctx context.Context, tx *Tx, s scope, id int64, on congdoan.Date) (*congdoan.Member, int64, error) {
	if err := tx.lockRow(ctx, "persons", id); err != nil {
		return nil, 0, err
	}
	m, err := d.memberByID(ctx, tx, s, id, false)
	if err != nil {
		return nil, 0, err
	}
	if !m.Active() {
		return nil, 0, congdoan.Errorf(congdoan.ECONFLICT, "%s đã thôi sinh hoạt công đoàn từ %s.", m.FullName, m.EndedOn.VN())
	}
	var unitID int64
	var from string
	if err := tx.queryRow(ctx, `SELECT unit_id, valid_from FROM memberships WHERE person_id = ? AND valid_to IS NULL`, id).Scan(&unitID, &from); err != nil {
		return nil, 0, err
	}
	if on.String() < from {
		f, _ := congdoan.ParseISODate(from)
		return nil, 0, congdoan.FieldError("on", "Ngày phải từ "+f.VN()+" (ngày bắt đầu sinh hoạt ở đơn vị hiện tại) trở đi.")
	}
	return m, unitID, nil
}

// TransferMember implements congdoan.MemberService.
func (d *DB) TransferMember(ctx context.Context, id int64, in congdoan.TransferInput) (_ *congdoan.Member, err error) {
	defer wrap(&err, "store.TransferMember(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requireMemberWrite(); err != nil {
		return nil, err
	}
	if err := in.Validate(d.Today()).Err(); err != nil {
		return nil, err
	}
	var out *congdoan.Member
	err = d.tx(ctx, func(tx *Tx) error {
		m, fromID, err := d.activeMember(ctx, tx, s, id, in.On)
		if err != nil {
			return err
		}
		to, err := d.memberUnit(ctx, tx, s, in.ToUnitCode, "to_unit")
		if err != nil {
			return err
		}
		if to.ID == fromID {
			msg := m.FullName + " đang sinh hoạt tại " + to.Name + "."
			return &congdoan.Error{Code: congdoan.ECONFLICT, Message: msg, Fields: map[string]string{"to_unit": msg}}
		}
		for _, unit := range []int64{fromID, to.ID} {
			if err := tx.checkLocked(ctx, unit, in.On, in.On); err != nil {
				return err
			}
		}
		if err := tx.closePeriod(ctx, id, fromID, in.On, congdoan.EndTransferOut, m.Gender); err != nil {
			return err
		}
		if err := tx.openPeriod(ctx, id, to.ID, in.On, congdoan.StartTransferIn, in.Note, m.Gender); err != nil {
			return err
		}
		out, err = d.memberByID(ctx, tx, s, id, false)
		if err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "member.transfer", Entity: "member", EntityID: id, UnitID: to.ID,
			Before: map[string]string{"unit": m.UnitCode}, After: map[string]string{"unit": to.Code, "on": in.On.String(), "note": in.Note}})
	})
	return out, err
}

// LeaveMember implements congdoan.MemberService.
func (d *DB) LeaveMember(ctx context.Context, id int64, in congdoan.LeaveInput) (_ *congdoan.Member, err error) {
	defer wrap(&err, "store.LeaveMember(%d)", id)
	s, err := d.scopeOf(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.requireMemberWrite(); err != nil {
		return nil, err
	}
	if err := in.Validate(d.Today()).Err(); err != nil {
		return nil, err
	}
	var out *congdoan.Member
	err = d.tx(ctx, func(tx *Tx) error {
		m, unitID, err := d.activeMember(ctx, tx, s, id, in.On)
		if err != nil {
			return err
		}
		if err := tx.checkLocked(ctx, unitID, in.On, in.On); err != nil {
			return err
		}
		if err := tx.closePeriod(ctx, id, unitID, in.On, in.Reason, m.Gender); err != nil {
			return err
		}
		if in.Note != "" {
			if _, err := tx.exec(ctx, `UPDATE memberships SET note = ? WHERE person_id = ? AND valid_to = ? AND unit_id = ?`, in.Note, id, in.On.String(), unitID); err != nil {
				return err
			}
		}
		out, err = d.memberByID(ctx, tx, s, id, false)
		if err != nil {
			return err
		}
		return tx.audit(ctx, Event{Action: "member.leave", Entity: "member", EntityID: id, UnitID: unitID,
			Before: map[string]string{"status": "active", "unit": m.UnitCode},
			After:  map[string]string{"status": "left", "reason": string(in.Reason), "on": in.On.String(), "note": in.Note}})
	})
	return out, err
}
