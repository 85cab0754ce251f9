package app

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"summit/models"
)

func forgotForm() *FormView {
	return &FormView{Heading: "Forgot your password?", Action: signinForgotURL(), Submit: "Send me a link", Cancel: signinURL(),
		Intro:  "Type the address of your Summit account. If it has one, a link to set a new password arrives by mail; it works once, for one hour. The same works if you never had a password.",
		Fields: []Field{{Name: "email", Label: "Email", Type: "email", Required: true, Attrs: map[string]string{"autocomplete": "username"}}}}
}

// passwordsOff answers the password pages when single sign-on only is on.
func (a *App) passwordsOff(c echo.Context) error {
	p := a.page(c, "Passwords are switched off")
	p.Data = map[string]any{"Code": http.StatusNotFound, "Message": "Passwords are switched off here: sign in with " + a.ssoLabel() + " from the sign-in page."}
	return a.render(c, http.StatusNotFound, "error", p)
}

// ForgotForm asks for the address to send a password link to.
func (a *App) ForgotForm(c echo.Context) error {
	if !a.Cfg.PasswordsOn() {
		return a.passwordsOff(c)
	}
	return a.renderForm(c, forgotForm(), nil)
}

// forgotSent is the answer to every ask, whether or not the address has an account.
const forgotSent = "If this address belongs to a Summit account, a link to set your password is on its way. It works once, for one hour. Nothing arrived? Check the address and your spam folder, or ask an admin."

// ForgotSubmit sends the link (models.ForgotPassword): the same answer,
// after the same work, for known and unknown addresses.
func (a *App) ForgotSubmit(c echo.Context) error {
	if !a.Cfg.PasswordsOn() {
		return a.passwordsOff(c)
	}
	base := strings.TrimRight(a.Cfg.BaseURL, "/")
	err := models.ForgotPassword(c.Request().Context(), a.DB, c.FormValue("email"), c.RealIP(), a.Now(), func(p *models.Person, tok string) *models.OutboxMail {
		return &models.OutboxMail{PersonID: &p.ID, ToName: p.Name, ToAddress: p.Email, Subject: "Set your Summit password",
			Body: "Someone, you we hope, asked for a link to set your Summit password. It works once, for one hour. If it was not you, ignore this mail: your password stays as it is.",
			Link: base + resetURL(tok)}
	})
	var fe models.FieldErrors
	switch {
	case errors.As(err, &fe):
		return a.renderForm(c, forgotForm(), fe)
	case errors.Is(err, models.ErrTooManySignIns):
		c.Response().Header().Set("Retry-After", "3600")
		fv := forgotForm()
		fv.Warnings = []string{"Too many links were asked for this address or from your network. Wait an hour, or ask an admin for a link."}
		a.Log.Info("forgot password: limit reached", "ip", c.RealIP())
		p := a.page(c, fv.Heading)
		fv.fill(formValues(c), nil, nil)
		p.Data = fv
		return a.render(c, http.StatusTooManyRequests, "form", p)
	case err != nil:
		return err
	}
	return a.redirect(c, signinURL(), forgotSent)
}
