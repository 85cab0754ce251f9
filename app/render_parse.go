package app

// Parsing the templates: each page gets its own template set (pages define
// the same names, "content" first of all), but only with the layouts' and
// partials' definitions it uses, not all of them. Parse trees are most of the
// server's memory at rest: with every partial in every one of the ~50 page
// sets they took 16 MiB of a 21 MiB heap, and the garbage collector lets the
// heap grow to twice what is live, so they counted twice in the peak (see
// docs/PERFORMANCE.md, "Memory").

import (
	"fmt"
	"html/template"
	"io/fs"
	texttemplate "text/template"
	"text/template/parse"
)

// sharedTrees parses the layouts and partials once and returns their
// definitions by name.
func sharedTrees(fsys fs.FS) (map[string]*parse.Tree, error) {
	t, err := texttemplate.New("shared").Funcs(texttemplate.FuncMap(funcs)).Funcs(texttemplate.FuncMap(pathFuncs)).
		ParseFS(fsys, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("app: parse layouts and partials: %w", err)
	}
	out := map[string]*parse.Tree{}
	for _, x := range t.Templates() {
		if x.Tree != nil && x.Tree.Root != nil {
			out[x.Name()] = x.Tree
		}
	}
	return out, nil
}

// parsePage parses a page file into a set of its own and adds the shared
// definitions the page reaches from "base" and from its own definitions,
// each as a copy (html/template rewrites the trees it escapes). A template
// the page reaches that nothing defines is an error now, at start-up, rather
// than on the page's first request.
func parsePage(fsys fs.FS, file, name string, shared map[string]*parse.Tree) (*template.Template, error) {
	t, err := template.New(name).Funcs(funcs).Funcs(pathFuncs).ParseFS(fsys, file)
	if err != nil {
		return nil, err
	}
	defined := func(n string) bool {
		x := t.Lookup(n)
		return x != nil && x.Tree != nil && x.Tree.Root != nil && !parse.IsEmptyTree(x.Tree.Root)
	}
	queue := []string{"base"}
	for _, x := range t.Templates() {
		if x.Tree != nil {
			queue = append(queue, templateRefs(x.Tree.Root)...)
		}
	}
	seen := map[string]bool{}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		if seen[n] {
			continue
		}
		seen[n] = true
		if defined(n) {
			continue
		}
		tree, ok := shared[n]
		if !ok {
			return nil, fmt.Errorf("template %q is used but not defined", n)
		}
		if _, err := t.AddParseTree(n, tree.Copy()); err != nil {
			return nil, err
		}
		queue = append(queue, templateRefs(tree.Root)...)
	}
	return t, nil
}

// templateRefs lists the templates a tree calls: {{template "x"}} and the
// holes, {{hole $ "x" …}}, which the page cache runs by name.
func templateRefs(root parse.Node) []string {
	var out []string
	var walk func(n parse.Node)
	walkPipe := func(p *parse.PipeNode) {
		if p == nil {
			return
		}
		for _, c := range p.Cmds {
			walk(c)
		}
	}
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walkPipe(n.Pipe)
		case *parse.IfNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walkPipe(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			out = append(out, n.Name)
			walkPipe(n.Pipe)
		case *parse.PipeNode:
			walkPipe(n)
		case *parse.CommandNode:
			if len(n.Args) >= 3 {
				if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "hole" {
					if s, ok := n.Args[2].(*parse.StringNode); ok {
						out = append(out, s.Text)
					}
				}
			}
			for _, a := range n.Args {
				walk(a)
			}
		}
	}
	walk(root)
	return out
}
