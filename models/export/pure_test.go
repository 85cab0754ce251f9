package export_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// The export package is a pure renderer: data in (gathered by models, e.g.
// models.LoadProgram), bytes out. None of its files reads the database.
func TestExportWritesAndNeverReadsTheDatabase(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(path, "gorm.io/") || path == "database/sql" {
				t.Errorf("%s imports %s: gather the data in models and pass it in", name, path)
			}
		}
	}
	if n < 5 {
		t.Fatalf("read only %d files", n)
	}
}
