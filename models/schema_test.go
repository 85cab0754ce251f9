package models_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"gorm.io/gorm"

	"summit/models"
	"summit/models/modelstest"
)

// Struct and schema cannot drift apart: every column a GORM model reads or
// writes exists in the migrated database, on both dialects. A field added
// to a struct without its migration fails here, not in production.
func TestEveryModelColumnIsInTheSchema(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, db *gorm.DB) {
		for _, m := range models.Tables() {
			stmt := &gorm.Statement{DB: db}
			if err := stmt.Parse(m); err != nil {
				t.Fatalf("%T: %v", m, err)
			}
			table := stmt.Schema.Table
			if !db.Migrator().HasTable(table) {
				t.Errorf("%T: table %s is not in the migrated schema", m, table)
				continue
			}
			cols, err := db.Migrator().ColumnTypes(table)
			if err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			have := map[string]bool{}
			for _, c := range cols {
				have[strings.ToLower(c.Name())] = true
			}
			for _, f := range stmt.Schema.Fields {
				// Read-only fields (gorm:"->") may come from a join instead
				// (Speaker.Department); every field GORM writes is checked.
				if f.DBName == "" || !f.Creatable && !f.Updatable {
					continue
				}
				if !have[strings.ToLower(f.DBName)] {
					t.Errorf("%T.%s: column %s.%s is not in the migrated schema", m, f.Name, table, f.DBName)
				}
			}
		}
	})
}

// models.Tables names every model: a struct in models/ with a primary key or
// a TableName method is a table, so it must be checked above.
func TestTablesListsEveryModel(t *testing.T) {
	listed := map[string]bool{}
	for _, m := range models.Tables() {
		listed[reflect.TypeOf(m).Elem().Name()] = true
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.TypeSpec:
				if st, ok := n.Type.(*ast.StructType); ok {
					for _, fl := range st.Fields.List {
						if fl.Tag != nil && strings.Contains(fl.Tag.Value, "primaryKey") {
							found[n.Name.Name] = true
						}
					}
				}
			case *ast.FuncDecl:
				if n.Name.Name == "TableName" && n.Recv != nil && len(n.Recv.List) == 1 {
					if id, ok := n.Recv.List[0].Type.(*ast.Ident); ok {
						found[id.Name] = true
					}
				}
			}
			return true
		})
	}
	var missing []string
	for name := range found {
		if !listed[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("models.Tables (models/schema.go) does not list %v: add them so their columns are checked against the schema", missing)
	}
	if len(found) < 20 {
		t.Errorf("found only %d model structs; is the scan still reading models/?", len(found))
	}
}
