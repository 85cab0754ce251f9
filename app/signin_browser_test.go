package app_test

import (
	"strings"
	"testing"

	"summit/models"
)

// In Chromium: a person clicks "Sign in with Example ID" on the sign-in
// page, the test identity provider (mockoidc, in the test process) vouches
// for them and they land signed in; they sign out; an unknown person
// clicking the same button reads why they are not let in; and "Forgot
// password?" answers from the sign-in page.
func TestBrowserSingleSignOnJourney(t *testing.T) {
	e := newSSOApp(t, "sqlite", nil)
	e.addPerson(t, "Ada Lovelace", "ada@example.com", models.RoleStaff)
	b := newBrowser(t)
	console := watchConsole(t, b)

	e.m.QueueUser(ssoUser("Ada@Example.com", true))
	visit(t, b, e.Server.URL+"/signin")
	waitText(t, b, "Sign in with Example ID")
	clickAndLoad(t, b, "#sso-button")
	waitText(t, b, "Welcome, Ada Lovelace")
	if u := currentURL(t, b); strings.Contains(u, "/signin") {
		t.Fatalf("still on %s after single sign-on", u)
	}
	clickAndLoad(t, b, `form[action="/signout"] button`)
	waitText(t, b, "You are signed out")
	console.check(t)

	e.m.QueueUser(ssoUser("stranger@example.com", true))
	visit(t, b, e.Server.URL+"/signin")
	clickAndLoad(t, b, "#sso-button")
	waitText(t, b, "Nobody in the Summit directory has the address stranger@example.com")
	// The refusal is a 403 page, which the console reports; nothing else.
	for done := false; !done; {
		select {
		case m := <-console.ch:
			if !strings.Contains(m, "status of 403") {
				t.Errorf("the browser console reported: %s", m)
			}
		default:
			done = true
		}
	}
	clickAndLoad(t, b, `main a[href="/signin"]`)

	clickAndLoad(t, b, `a[href="/signin/forgot"]`)
	fill(t, b, "#f-email", "ada@example.com")
	clickAndLoad(t, b, `main form button[type="submit"]`)
	waitText(t, b, "a link to set your password is on its way")
	console.check(t)
}
