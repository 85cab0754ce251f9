package models_test

import (
	"testing"

	"summit/models"
)

// The word list finds words that turn people into numbers and phrases that
// belittle service work, in any case and with punctuation around them, and
// leaves alone the same words in other senses.
func TestFindHints(t *testing.T) {
	extra := []models.HintRule{{Phrases: []string{"the queue"}, Suggestion: "the people waiting"}}
	for _, c := range []struct {
		text  string
		found []string
	}{
		{"She closed 40 Tickets a day.", []string{"tickets"}},
		{"Our quotas and the average handle time improved.", []string{"average handle time", "quotas"}},
		{"He is just support, really.", []string{"just support"}},
		{"She started at the bottom and climbed the ladder.", []string{"started at the bottom", "climbed the ladder"}},
		{"I was the low person on the totem pole.", []string{"low person on the totem pole"}},
		{"We need more resources on the desk.", []string{"resources"}},
		{"Ask Human Resources about it.", nil},
		{"Take it into account, please.", nil},
		{"This leads to happier customers.", nil},
		{"Sales leads were followed up.", []string{"sales leads"}},
		{"Nobody waits in the queue for long.", []string{"the queue"}},
		{"Thank you for listening to our customers.", nil},
	} {
		got := models.FindHints(c.text, extra)
		var words []string
		for _, h := range got {
			words = append(words, h.Found)
		}
		if len(words) != len(c.found) {
			t.Errorf("%q: hints %q, want %q", c.text, words, c.found)
			continue
		}
		for _, w := range c.found {
			ok := false
			for _, g := range words {
				ok = ok || g == w
			}
			if !ok {
				t.Errorf("%q: hints %q, want %q", c.text, words, c.found)
			}
		}
	}
}
