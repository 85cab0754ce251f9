package models

import "gorm.io/gorm"

// Paging is one page of a newest-first list: page Number (1 is the newest)
// of Per rows. Older is set by the read: a further, older page exists.
type Paging struct {
	Number, Per int
	Older       bool
}

// Newer reports whether a newer page comes before this one.
func (p Paging) Newer() bool { return p.Number > 1 }

// readPage reads page p of q (already ordered newest first): one row more
// than a page tells whether an older page follows, without counting.
func readPage[T any](q *gorm.DB, p *Paging) ([]T, error) {
	if p.Number < 1 {
		p.Number = 1
	}
	if p.Per < 1 {
		p.Per = 50
	}
	var rows []T
	if err := q.Offset((p.Number - 1) * p.Per).Limit(p.Per + 1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if p.Older = len(rows) > p.Per; p.Older {
		rows = rows[:p.Per]
	}
	return rows, nil
}
