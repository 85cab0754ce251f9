// Package static embeds Summit's CSS, JavaScript, fonts and images.
package static

import "embed"

// FS holds every static file, served under /static/.
//
//go:embed css js vendor fonts img
var FS embed.FS
