// Package templates embeds Summit's html/template files into the binary.
package templates

import "embed"

// FS holds layouts/, partials/ and pages/.
//
//go:embed layouts/*.html partials/*.html pages/*.html
var FS embed.FS
