package models

import (
	"fmt"
	"math"
	"strconv"
)

// TrackTextColor is the colour of text drawn on a track's colour: the track
// labels on the agenda, its tiles and the session page (.track-name in
// static/css/app.css), as conference apps reading the frab export do too.
const TrackTextColor = "#ffffff"

// MinTrackContrast is the contrast a track colour must reach with
// TrackTextColor: WCAG 2 level AA for normal text.
const MinTrackContrast = 4.5

// rgb parses #rrggbb (already validated) into 0–255 channels.
func rgb(hex string) (r, g, b float64) {
	n, _ := strconv.ParseUint(hex[1:], 16, 32)
	return float64(n >> 16 & 0xff), float64(n >> 8 & 0xff), float64(n & 0xff)
}

// luminance is the WCAG 2 relative luminance of a colour's channels.
func luminance(r, g, b float64) float64 {
	lin := func(c float64) float64 {
		c /= 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func ratio(l1, l2 float64) float64 {
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

// ContrastRatio is the WCAG 2 contrast ratio of two #rrggbb colours, from 1
// (none) to 21 (black on white).
func ContrastRatio(a, b string) float64 {
	return ratio(luminance(rgb(a)), luminance(rgb(b)))
}

// readableShade returns the lightest darker shade of a colour (same hue, each
// channel scaled down alike) on which TrackTextColor reaches MinTrackContrast.
func readableShade(hex string) string {
	r, g, b := rgb(hex)
	text := luminance(rgb(TrackTextColor))
	for k := 1.0; k > 0; k -= 0.01 {
		rr, gg, bb := math.Floor(r*k), math.Floor(g*k), math.Floor(b*k)
		if ratio(text, luminance(rr, gg, bb)) >= MinTrackContrast {
			return fmt.Sprintf("#%02x%02x%02x", int(rr), int(gg), int(bb))
		}
	}
	return "#000000"
}

// checkTrackContrast records a message for a track colour whose labels
// would be hard to read, with a darker shade of it that is readable.
func checkTrackContrast(f FieldErrors, field, hex string) {
	c := ContrastRatio(TrackTextColor, hex)
	if c >= MinTrackContrast {
		return
	}
	f.Add(field, fmt.Sprintf("White track labels on %s are hard to read: the contrast is %.1f:1, and readable text needs at least %.1f:1 (WCAG AA). "+
		"Choose a darker colour, for example %s (a darker shade of yours).", hex, math.Floor(c*10)/10, MinTrackContrast, readableShade(hex)))
}
