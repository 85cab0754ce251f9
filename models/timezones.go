package models

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	// Go's zone data is built in, so every listed zone loads whether or not
	// the machine has zone files (a slim container often has none).
	_ "time/tzdata"
)

//go:generate go run ./internal/tzgen

// TimeZones lists the IANA zone names a summit may use, sorted: the region
// zones of Go's zone data (Africa/… to Pacific/…) and UTC. The summit form
// offers them as a searchable list.
func TimeZones() []string { return slices.Clone(timeZoneNames) }

// zoneKey folds a zone name for matching what a person typed: case and
// spaces for underscores do not matter.
func zoneKey(s string) string {
	return strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "_"))
}

// canonicalTimeZone returns the listed zone that s names (ignoring case, and
// spaces for underscores), or "" when none does.
func canonicalTimeZone(s string) string {
	k := zoneKey(s)
	for _, z := range timeZoneNames {
		if zoneKey(z) == k {
			return z
		}
	}
	return ""
}

// zoneSuggestions returns up to three listed zones whose city part contains
// what was typed ("amsterdam" → Europe/Amsterdam).
func zoneSuggestions(s string) []string {
	k := zoneKey(s)
	if i := strings.LastIndex(k, "/"); i >= 0 {
		k = k[i+1:]
	}
	if len(k) < 3 {
		return nil
	}
	var out []string
	for _, z := range timeZoneNames {
		city := zoneKey(z[strings.LastIndex(z, "/")+1:])
		if strings.Contains(city, k) {
			out = append(out, z)
			if len(out) == 3 {
				break
			}
		}
	}
	return out
}

// checkTimeZone records a message for a time zone that is not in the list
// and returns the listed spelling of one that is.
func checkTimeZone(f FieldErrors, field, typed string) string {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		f.Add(field, "Time zone is required: type a city and choose its zone from the list, for example Europe/Amsterdam.")
		return ""
	}
	if z := canonicalTimeZone(typed); z != "" {
		return z
	}
	shown := strings.ToValidUTF8(typed, "")
	if utf8.RuneCountInString(shown) > 60 {
		shown = string([]rune(shown)[:60]) + "…"
	}
	msg := fmt.Sprintf("“%s” is not a time zone in the list. Type a city and choose its zone from the list, for example Europe/Amsterdam or America/Chicago.", shown)
	if sg := zoneSuggestions(typed); len(sg) > 0 {
		msg = fmt.Sprintf("“%s” is not a time zone in the list. Did you mean %s? Choose a zone from the list.", shown, strings.Join(sg, " or "))
	}
	f.Add(field, msg)
	return typed
}
