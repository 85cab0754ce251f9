package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// --- Categories ---

// CategoryInput is what an organiser types for a category. Days and times
// are in the summit's time zone; an empty announcement means the start of the
// summit's ceremony session, an empty judging close means the announcement.
type CategoryInput struct {
	Name, Trait, Description  string
	Criteria                  string // one per line; empty: the three defaults
	Winners                   string
	OpensDay, OpensTime       string
	ClosesDay, ClosesTime     string
	AnnounceDay, AnnounceTime string
	JudgingDay, JudgingTime   string
	AllowSelf                 bool
	ShowNominator             bool // judging is blind unless set
}

// CeremonyStart returns the start of the summit's first ceremony session, or nil.
func CeremonyStart(ctx context.Context, db *gorm.DB, summitID uint) (*time.Time, error) {
	var list []Session
	if err := withCtx(ctx, db).Where("summit_id = ? AND kind = ?", summitID, KindCeremony).Order("starts_at").Limit(1).Find(&list).Error; err != nil {
		return nil, fmt.Errorf("models: ceremony start: %w", err)
	}
	if len(list) == 0 {
		return nil, nil
	}
	t := list[0].StartsAt.UTC()
	return &t, nil
}

// followCeremony keeps an award announcement that falls at the start of the
// summit's ceremony at that start when the ceremony moves. An organiser who
// left the announcement at "the start of the ceremony session" and then moves
// the ceremony later must never see the winners revealed at the old time,
// before the ceremony. SaveSession calls it inside its transaction with the
// ceremony start from before its change. Announcements already past stay.
func followCeremony(ctx context.Context, tx *gorm.DB, summitID uint, before *time.Time, loc *time.Location, now time.Time) error {
	if before == nil || !now.Before(*before) {
		return nil
	}
	after, err := CeremonyStart(ctx, tx, summitID)
	if err != nil {
		return err
	}
	if after == nil || after.Equal(*before) {
		return nil
	}
	cats, err := ListCategories(ctx, tx, summitID)
	if err != nil {
		return err
	}
	f := FieldErrors{}
	for _, c := range cats {
		if !c.AnnounceAt.Equal(*before) {
			continue
		}
		if after.Before(c.ClosesAt) {
			f.Add("start_time", "The award “"+c.Name+"” is announced at the start of the ceremony, and its nominations close on "+
				fmtInstant(c.ClosesAt, loc)+". Start the ceremony after that, or change the award's dates first.")
			continue
		}
		upd := map[string]any{"announce_at": after.UTC(), "updated_at": now.UTC()}
		if c.JudgingClosesAt.Equal(*before) || c.JudgingClosesAt.After(*after) {
			upd["judging_closes_at"] = after.UTC()
		}
		if err := tx.Model(&AwardCategory{}).Where("id = ?", c.ID).Updates(upd).Error; err != nil {
			return err
		}
		if err := Audit(ctx, tx, Actor{Name: "system (the ceremony moved)"}, "award.update", "award_category", c.ID,
			"The announcement of “"+c.Name+"” moved with the ceremony to "+fmtInstant(*after, loc), map[string]time.Time{"announce_at": c.AnnounceAt}, upd); err != nil {
			return err
		}
	}
	return f.Err()
}

// --- The embargo when an announcement moves ---

// announceGrace is how far in the past an announcement may be set while its
// winners are chosen: a moment typed to the minute as "now" announces at once.
const announceGrace = 5 * time.Minute

// announcementGuard keeps the winners of a summit secret through a change
// that moves announcements: the category form, the ceremony session moved,
// added, re-kinded or deleted (announcements at its start follow it), the
// summit's dates changed. It is taken inside the change's transaction, after
// the summit's lock (which ChooseWinners holds too), before anything changes,
// and remembers the announcements still to come whose winners are chosen.
// Its one rule, refusal, refuses any of them landing in the past, which would
// reveal the winners at once on the honorees page, in the program PDF and
// under My recognition.
type announcementGuard struct {
	summitID uint
	ceremony *time.Time      // the ceremony's start before the change
	coming   []AwardCategory // coming announcements with chosen winners
}

// guardAnnouncements starts an announcementGuard for a change of a summit.
func guardAnnouncements(ctx context.Context, tx *gorm.DB, summitID uint, now time.Time) (*announcementGuard, error) {
	g := &announcementGuard{summitID: summitID}
	var err error
	if g.ceremony, err = CeremonyStart(ctx, tx, summitID); err != nil {
		return nil, err
	}
	err = withCtx(ctx, tx).Where("summit_id = ? AND announce_at > ?", summitID, now.UTC()).
		Where("EXISTS (SELECT 1 FROM award_winners w WHERE w.category_id = award_categories.id)").Order("name, id").Find(&g.coming).Error
	if err != nil {
		return nil, fmt.Errorf("models: guard announcements: %w", err)
	}
	for i := range g.coming {
		g.coming[i].utc()
	}
	return g, nil
}

// refusal is the rule: moving category id's announcement to the moment to
// is refused (with advice on what to do instead) when the announcement was
// still to come, its winners are chosen, and to is more than announceGrace
// past. "" when the move is fine.
func (g *announcementGuard) refusal(id uint, to time.Time, loc *time.Location, now time.Time, advice string) string {
	for _, c := range g.coming {
		if c.ID == id && to.Before(now.Add(-announceGrace)) {
			return "“" + c.Name + "” would then be announced on " + fmtInstant(to, loc) + ", which is already past, so its chosen winners would be revealed at once. " + advice
		}
	}
	return ""
}

// settle ends a change of the agenda or the summit, in its transaction:
// announcements at the ceremony's old start follow the ceremony's new start,
// then every announcement the change moved passes refusal. A refusal is a
// FieldErrors on field, and the transaction rolls back.
func (g *announcementGuard) settle(ctx context.Context, tx *gorm.DB, loc *time.Location, now time.Time, field, advice string) error {
	if err := followCeremony(ctx, tx, g.summitID, g.ceremony, loc, now); err != nil {
		return err
	}
	if len(g.coming) == 0 {
		return nil
	}
	ids := make([]uint, len(g.coming))
	for i, c := range g.coming {
		ids[i] = c.ID
	}
	var after []AwardCategory
	if err := withCtx(ctx, tx).Where("id IN ?", ids).Order("name, id").Find(&after).Error; err != nil {
		return fmt.Errorf("models: settle announcements: %w", err)
	}
	var refused []string
	for _, c := range after {
		if msg := g.refusal(c.ID, c.AnnounceAt.UTC(), loc, now, ""); msg != "" {
			refused = append(refused, strings.TrimSpace(msg))
		}
	}
	if len(refused) == 0 {
		return nil
	}
	return FieldErrors{field: strings.Join(refused, " ") + " " + advice}
}

// DefaultNominationWindow proposes the nomination window of a new category:
// open from today at 09:00 until 17:00 on the day before the ceremony (or
// before the summit's first day when it has no ceremony yet), or for two
// weeks when that is less than a day away. Times are in the summit's zone.
func DefaultNominationWindow(ctx context.Context, db *gorm.DB, summit *Summit, now time.Time) (opens, closes time.Time, err error) {
	loc := summit.Location()
	at := func(day time.Time, hour int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), hour, 0, 0, 0, loc)
	}
	today := now.In(loc)
	opens = at(today, 9)
	last := summit.Start()
	cs, err := CeremonyStart(ctx, db, summit.ID)
	if err != nil {
		return opens, opens, err
	}
	if cs != nil {
		last = cs.In(loc)
	}
	closes = at(last.AddDate(0, 0, -1), 17)
	if closes.Before(today.Add(24 * time.Hour)) {
		closes = at(today.AddDate(0, 0, 14), 17)
	}
	return opens, closes, nil
}

// checkCategoryFields checks a category form's text and numbers into c:
// name, trait, description, criteria (one per line, at most 6, the default
// ones when none), winners (1–10), who may be nominated and who is shown.
func checkCategoryFields(f FieldErrors, c *AwardCategory, in CategoryInput) {
	c.Name = checkLine(f, "name", "Name", in.Name, true, 120)
	c.Trait = checkLine(f, "trait", "Trait", in.Trait, false, 80)
	c.Description = checkText(f, "description", "Description", in.Description, false, 1000)
	crit := checkText(f, "criteria", "Criteria", in.Criteria, false, 1000)
	var lines []string
	for _, l := range strings.Split(crit, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		lines = DefaultCriteria
	}
	if len(lines) > 6 {
		f.Add("criteria", "Use at most 6 criteria, one per line.")
	}
	c.Criteria = strings.Join(lines, "\n")
	c.Winners = 1
	if w := strings.TrimSpace(in.Winners); w != "" {
		n, err := strconv.Atoi(w)
		if err != nil || n < 1 || n > 10 {
			f.Add("winners", "Number of winners must be a whole number from 1 to 10.")
		} else {
			c.Winners = n
		}
	}
	c.AllowSelf, c.Blind = in.AllowSelf, !in.ShowNominator
}

// categoryMoments reads a category form's four moments in the summit's zone
// and checks their order: nominations open, close, judging closes, the
// announcement. An empty announcement is the ceremony's start (refused when
// the agenda has no ceremony); an empty judging close is the announcement.
func categoryMoments(ctx context.Context, tx *gorm.DB, f FieldErrors, summitID uint, loc *time.Location, in CategoryInput) (opens, closes, announce, judging *time.Time, err error) {
	opens = momentField{Day: "opens_day", Time: "opens_time", Label: "Nominations open"}.parse(f, loc, in.OpensDay, in.OpensTime, true)
	closes = momentField{Day: "closes_day", Time: "closes_time", Label: "Nominations close"}.parse(f, loc, in.ClosesDay, in.ClosesTime, true)
	announce = momentField{Day: "announce_day", Time: "announce_time", Label: "Announcement"}.parse(f, loc, in.AnnounceDay, in.AnnounceTime, false)
	judging = momentField{Day: "judging_day", Time: "judging_time", Label: "Judging closes"}.parse(f, loc, in.JudgingDay, in.JudgingTime, false)
	if announce == nil && f["announce_day"] == "" && f["announce_time"] == "" {
		cs, err := CeremonyStart(ctx, tx, summitID)
		if err != nil {
			return nil, nil, nil, nil, err
		}
		if cs == nil {
			f.Add("announce_day", "Enter the announcement moment, or add a ceremony session to the agenda first (its start is the default).")
		}
		announce = cs
	}
	if judging == nil && announce != nil && f["judging_day"] == "" && f["judging_time"] == "" {
		judging = announce
	}
	if opens != nil && closes != nil && !closes.After(*opens) {
		f.Add("closes_day", "Nominations must close after they open.")
	}
	if closes != nil && announce != nil && announce.Before(*closes) {
		f.Add("announce_day", "The announcement must come after nominations close ("+fmtInstant(*closes, loc)+").")
	}
	if judging != nil && announce != nil && judging.After(*announce) {
		f.Add("judging_day", "Judging must close by the announcement ("+fmtInstant(*announce, loc)+").")
	}
	if judging != nil && closes != nil && judging.Before(*closes) {
		f.Add("judging_day", "Judging must close after nominations close.")
	}
	return opens, closes, announce, judging, nil
}

// SaveCategory creates (id 0) or updates a category of a summit. Audited.
func SaveCategory(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, in CategoryInput, now time.Time) (*AwardCategory, error) {
	var out AwardCategory
	err := inTx(ctx, db, "save award category", func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		summit, err := loadSummit(tx, summitID)
		if err != nil {
			return err
		}
		var before *AwardCategory
		if id != 0 {
			var cur AwardCategory
			if err := tx.Where("summit_id = ?", summitID).First(&cur, id).Error; err != nil {
				return notFound(err)
			}
			cur.utc()
			if err := MaySeeOutcome(ctx, tx, &cur, who.PersonID, now); err != nil {
				return err
			}
			before = &cur
			out = cur
		}
		f := FieldErrors{}
		out.SummitID = summitID
		checkCategoryFields(f, &out, in)
		loc := summit.Location()
		opens, closes, announce, judging, err := categoryMoments(ctx, tx, f, summitID, loc, in)
		if err != nil {
			return err
		}
		// Moving a coming announcement into the past reveals the chosen
		// winners at once; a slip of the date must not do that. Announcing
		// now (the current minute) stays possible.
		if before != nil && announce != nil && f["announce_day"] == "" {
			guard, err := guardAnnouncements(ctx, tx, summitID, now)
			if err != nil {
				return err
			}
			if msg := guard.refusal(before.ID, *announce, loc, now, "To announce now, enter the current day and time; otherwise choose a moment still to come."); msg != "" {
				f.Add("announce_day", msg)
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		out.OpensAt, out.ClosesAt, out.AnnounceAt, out.JudgingClosesAt = *opens, *closes, *announce, *judging
		out.UpdatedAt = now.UTC()
		action := "award.update"
		if id == 0 {
			out.CreatedAt = out.UpdatedAt
			action = "award.create"
			if err := tx.Create(&out).Error; err != nil {
				return err
			}
		} else if err := tx.Save(&out).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, action, "award_category", out.ID, "Award category “"+out.Name+"”", before, out)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// DeleteCategory removes a category with everything in it. Audited. While
// staff nominations are in it (their stories would be lost for good), the
// organiser confirms by typing the category's name; otherwise a FieldErrors
// on "confirm" says how many nominations would go.
func DeleteCategory(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint, confirm string, now time.Time) error {
	return withCtx(ctx, db).Transaction(func(tx *gorm.DB) error {
		if err := lockSummit(tx, summitID); err != nil {
			return err
		}
		c, err := GetCategory(ctx, tx, summitID, id)
		if err != nil {
			return err
		}
		if err := MaySeeOutcome(ctx, tx, c, who.PersonID, now); err != nil {
			return err
		}
		var active int64
		if err := tx.Model(&Nomination{}).Where("category_id = ? AND status = ?", c.ID, NominationActive).Count(&active).Error; err != nil {
			return err
		}
		if active > 0 && !strings.EqualFold(strings.TrimSpace(confirm), strings.TrimSpace(c.Name)) {
			what := "1 nomination"
			if active != 1 {
				what = strconv.FormatInt(active, 10) + " nominations"
			}
			return FieldErrors{"confirm": "“" + c.Name + "” holds " + what + " written by staff; deleting it deletes their stories, scores and any winners for good. To go ahead, type the category's name exactly: " + c.Name}
		}
		// Children first, explicitly. Every child table has ON DELETE
		// CASCADE and OpenSQLite turns foreign keys on, so the cascade alone
		// would do here; the explicit deletes keep a removal complete on an
		// SQLite file opened elsewhere without foreign keys (the sqlite3
		// shell's default), and show what goes.
		nomIDs := tx.Model(&Nomination{}).Select("id").Where("category_id = ?", id)
		for _, q := range []any{&AwardScore{}, &AwardRecusal{}} {
			if err := tx.Where("nomination_id IN (?)", nomIDs).Delete(q).Error; err != nil {
				return err
			}
		}
		for _, q := range []any{&Nomination{}, &AwardJudge{}, &AwardWinner{}} {
			if err := tx.Where("category_id = ?", id).Delete(q).Error; err != nil {
				return err
			}
		}
		if err := tx.Delete(&AwardCategory{}, id).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "award.delete", "award_category", id, "Deleted award category “"+c.Name+"”", c, nil)
	})
}

// GetCategory loads a category of a summit.
func GetCategory(ctx context.Context, db *gorm.DB, summitID, id uint) (*AwardCategory, error) {
	var c AwardCategory
	if err := withCtx(ctx, db).Where("summit_id = ?", summitID).First(&c, id).Error; err != nil {
		return nil, notFound(err)
	}
	c.utc()
	return &c, nil
}

// ListCategories lists a summit's categories by name.
func ListCategories(ctx context.Context, db *gorm.DB, summitID uint) ([]AwardCategory, error) {
	var out []AwardCategory
	if err := withCtx(ctx, db).Where("summit_id = ?", summitID).Order("name, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: list award categories: %w", err)
	}
	for i := range out {
		out[i].utc()
	}
	return out, nil
}
