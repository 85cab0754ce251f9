package models

// Words that keep people human: the one list of words and phrases that turn
// people into numbers (tickets, targets, leads, accounts, handle time,
// quotas, "resources" for people) or belittle service work ("just
// support", "started at the bottom", "climbed the ladder" out of a service
// job, "the low person on the totem pole"), each with a suggestion. Writers
// get a gentle hint beside the field — never a refusal. Organisers add words
// per summit (hint_words).
//
// Matching works on words, not characters, so it is the same in Go and in
// the browser (static/js/hints.js reads the rules as JSON): the text is cut
// into lower-case words (letters, digits, apostrophes, hyphens), and a rule
// matches when one of its phrases appears as consecutive words, unless the
// word just before is in NotAfter or the word just after is in NotBefore
// ("human resources" is a department; "take into account" is not a person).
// A rule's longer phrases come first: the first that matches is named.

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"
)

// HintRule is one entry of the word list.
type HintRule struct {
	Phrases    []string `json:"p"`           // lower case, words separated by one space
	NotAfter   []string `json:"a,omitempty"` // no hint when the word before is one of these
	NotBefore  []string `json:"b,omitempty"` // no hint when the word after is one of these
	Suggestion string   `json:"s"`
}

// HintWords is the list every summit shares.
var HintWords = []HintRule{
	{Phrases: []string{"ticket", "tickets"}, Suggestion: "Behind every ticket is a person: try “customer”, “request” or “conversation”."},
	{Phrases: []string{"target", "targets"}, NotAfter: []string{"on", "off", "our", "the", "a"},
		Suggestion: "People are not targets: try “customers” or “the people we serve”."},
	{Phrases: []string{"sales leads", "hot leads", "cold leads", "leads"}, NotBefore: []string{"to", "the", "a", "us", "them", "our"},
		Suggestion: "Try “customers” or “people who asked about us”."},
	{Phrases: []string{"key accounts", "key account", "accounts"}, NotAfter: []string{"into", "by", "all", "user", "your", "my", "their"},
		Suggestion: "Customers are people, not accounts: try “customers” or the organisation's name."},
	{Phrases: []string{"average handle time", "handle time", "handling time", "aht"},
		Suggestion: "Try “time with the customer” — what matters is whether their problem was solved."},
	{Phrases: []string{"quota", "quotas"}, Suggestion: "Try “goals we set together”: people serve better than a count."},
	{Phrases: []string{"resource", "resources", "human capital", "headcount", "heads"}, NotAfter: []string{"human", "online", "learning", "training"},
		Suggestion: "If you mean people, say “people”, “colleagues” or “the team”."},
	{Phrases: []string{"just support", "only support", "just a support", "just customer service", "just an agent", "just a receptionist", "just a cashier", "just the front desk"},
		Suggestion: "Serving is a role of its own, not a step below another one: try “in customer support” or the person's role."},
	{Phrases: []string{"started at the bottom", "started at the very bottom", "worked her way up from", "worked his way up from", "worked their way up from"},
		Suggestion: "Serving is a role of its own: try “started in customer service” or “began by serving customers”."},
	{Phrases: []string{"climbed the ladder", "climbed up the ladder", "climbed the corporate ladder", "moved up from support", "got out of support"},
		Suggestion: "Serving is a role of its own, not a rung: try “moved from customer service to …” or “grew from serving customers into …”."},
	{Phrases: []string{"low person on the totem pole", "bottom of the totem pole", "low man on the totem pole", "totem pole"},
		Suggestion: "Try “newest in the team” or name the role: every job here serves someone."},
}

// Hint is one rule that matched a text: the words as written and the
// suggestion.
type Hint struct {
	Found      string
	Suggestion string
}

// hintWordsOf cuts text into lower-case words.
func hintWordsOf(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '-')
	})
}

// FindHints returns the rules (the shared list, then extra) that match text,
// each once, in list order.
func FindHints(text string, extra []HintRule) []Hint {
	words := hintWordsOf(text)
	if len(words) == 0 {
		return nil
	}
	var out []Hint
	for _, list := range [][]HintRule{HintWords, extra} {
		for _, r := range list {
			if found, ok := r.match(words); ok {
				out = append(out, Hint{Found: found, Suggestion: r.Suggestion})
			}
		}
	}
	return out
}

func (r HintRule) match(words []string) (string, bool) {
	in := func(list []string, w string) bool {
		for _, x := range list {
			if x == w {
				return true
			}
		}
		return false
	}
	for _, ph := range r.Phrases {
		pw := strings.Fields(ph)
		if len(pw) == 0 {
			continue
		}
	next:
		for i := 0; i+len(pw) <= len(words); i++ {
			for k, w := range pw {
				if words[i+k] != w {
					continue next
				}
			}
			if i > 0 && in(r.NotAfter, words[i-1]) {
				continue
			}
			if j := i + len(pw); j < len(words) && in(r.NotBefore, words[j]) {
				continue
			}
			return ph, true
		}
	}
	return "", false
}

// HintWord is a word an organiser added to one summit's hints.
type HintWord struct {
	ID         uint `gorm:"primaryKey"`
	SummitID   uint
	Word       string
	Suggestion string
	CreatedAt  time.Time
}

// SummitHintWords returns the words organisers added to a summit's hints.
func SummitHintWords(ctx context.Context, db *gorm.DB, summitID uint) ([]HintWord, error) {
	var out []HintWord
	if err := withCtx(ctx, db).Where("summit_id = ?", summitID).Order("lower(word), id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("models: hint words of %d: %w", summitID, err)
	}
	return out, nil
}

// SummitHintRules returns a summit's own words as rules (for FindHints and
// the browser).
func SummitHintRules(ctx context.Context, db *gorm.DB, summitID uint) ([]HintRule, error) {
	words, err := SummitHintWords(ctx, db, summitID)
	if err != nil {
		return nil, err
	}
	out := make([]HintRule, 0, len(words))
	for _, w := range words {
		out = append(out, HintRule{Phrases: []string{strings.Join(hintWordsOf(w.Word), " ")}, Suggestion: w.Suggestion})
	}
	return out, nil
}

// AddHintWord adds a word or phrase and its suggestion to a summit's hints,
// audited.
func AddHintWord(ctx context.Context, db *gorm.DB, who Actor, summitID uint, word, suggestion string, now time.Time) (*HintWord, error) {
	f := FieldErrors{}
	word = checkLine(f, "word", "Word or phrase", word, true, 60)
	suggestion = checkLine(f, "suggestion", "Suggestion", suggestion, true, 200)
	if _, bad := f["word"]; !bad && len(hintWordsOf(word)) == 0 {
		f.Add("word", "Word or phrase needs at least one letter.")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *HintWord
	err := inTx(ctx, db, "add a hint word", func(tx *gorm.DB) error {
		if _, err := GetSummit(ctx, tx, summitID); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&HintWord{}).Where("summit_id = ? AND lower(word) = lower(?)", summitID, word).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			f.Add("word", "This summit's hints have that word already.")
		}
		if err := f.Err(); err != nil {
			return err
		}
		w := HintWord{SummitID: summitID, Word: word, Suggestion: suggestion, CreatedAt: now.UTC()}
		if err := tx.Create(&w).Error; err != nil {
			return fmt.Errorf("models: add hint word: %w", err)
		}
		out = &w
		return Audit(ctx, tx, who, "hints.add", "summit", summitID, "hint word "+word, nil, w)
	})
	return out, err
}

// DeleteHintWord removes a word from a summit's hints, audited.
func DeleteHintWord(ctx context.Context, db *gorm.DB, who Actor, summitID, id uint) error {
	return inTx(ctx, db, "remove a hint word", func(tx *gorm.DB) error {
		var w HintWord
		if err := tx.Where("summit_id = ?", summitID).First(&w, id).Error; err != nil {
			return notFound(err)
		}
		if err := tx.Delete(&w).Error; err != nil {
			return err
		}
		return Audit(ctx, tx, who, "hints.remove", "summit", summitID, "hint word "+w.Word, w, nil)
	})
}
