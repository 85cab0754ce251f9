package app

import (
	"context"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"summit/static"
)

// Access is who may use a route.
type Access int

// Access levels, each including the ones before it.
const (
	AccessVisitor Access = iota
	AccessStaff
	AccessOrganiser
	AccessAdmin
)

func (a Access) String() string {
	return [...]string{"visitor", "staff", "organiser", "admin"}[a]
}

// Route is one registered route and who may use it.
type Route struct {
	Method string
	Path   string
	Access Access
}

// group is a set of routes under one prefix that all need one access level,
// guarded by one middleware. (Echo's own Group registers catch-all routes for
// its middleware, which would turn unknown URLs into sign-in redirects, so the
// guard is attached per route instead.)
type group struct {
	app    *App
	prefix string
	guard  echo.MiddlewareFunc
	access Access
}

func (a *App) group(prefix string, access Access) *group {
	return &group{app: a, prefix: prefix, guard: a.requireAccess(access), access: access}
}

func (g *group) add(method, path string, h echo.HandlerFunc) {
	r := g.app.echo.Add(method, g.prefix+path, h, g.guard)
	g.app.routes = append(g.app.routes, Route{Method: method, Path: r.Path, Access: g.access})
}

func (g *group) GET(path string, h echo.HandlerFunc) { g.add(http.MethodGet, path, h) }

// cachedGET is a GET served from the public page cache (pagecache.go): what
// it answers a visitor is the same bytes for every visitor, with no form in
// it, so a visitor's request skips the CSRF cookie (see App.middleware).
func (g *group) cachedGET(path string, h echo.HandlerFunc) {
	g.add(http.MethodGet, path, h)
	g.app.cachedGETs[g.prefix+path] = true
}
func (g *group) POST(path string, h echo.HandlerFunc) { g.add(http.MethodPost, path, h) }

// registerRoutes declares the whole surface of Summit, grouped by who may use
// it. Reading this function tells every route and its guard.
func (a *App) registerRoutes() {
	a.echo.GET("/static*", staticFiles(static.FS))
	a.echo.GET("/healthz", a.Health)

	// Visitors: the published agenda and signing in.
	pub := a.group("", AccessVisitor)
	pub.GET("/", a.Home)
	pub.GET("/summits", a.SummitsArchive)
	pub.cachedGET("/summits/:summit", a.AgendaShow)
	pub.cachedGET("/summits/:summit/sessions/:session", a.SessionShow)
	pub.GET("/signin", a.SignInForm)
	pub.POST("/signin", a.SignIn)
	pub.POST("/signin/sso", a.SSOStart)
	pub.GET("/signin/forgot", a.ForgotForm)
	pub.POST("/signin/forgot", a.ForgotSubmit)
	pub.GET("/signin/sso/callback", a.SSOCallback)

	// Signed-in staff (everyone with an account).
	staff := a.group("", AccessStaff)
	staff.POST("/signout", a.SignOut)

	// Organisers: summits, rooms, tracks, speakers and the agenda.
	org := a.group("/organise", AccessOrganiser)
	org.GET("", a.OrganiseHome)
	org.GET("/summits/new", a.SummitNew)
	org.POST("/summits/new", a.SummitCreate)
	org.GET("/summits/:summit", a.SummitDashboard)
	org.GET("/summits/:summit/edit", a.SummitEdit)
	org.POST("/summits/:summit/edit", a.SummitUpdate)
	org.GET("/summits/:summit/status", a.SummitStatusConfirm)
	org.POST("/summits/:summit/status", a.SummitStatus)
	org.GET("/summits/:summit/agenda", a.SummitAgenda)
	org.GET("/summits/:summit/rooms", a.SummitRooms)
	org.GET("/summits/:summit/speakers", a.SpeakersList)
	org.POST("/summits/:summit/speakers/:speaker/keep", a.SpeakerKeep)
	org.GET("/summits/:summit/exports", a.SummitExports)
	org.GET("/summits/:summit/settings", a.SummitSettings)
	org.GET("/summits/:summit/next-year", a.NextYearForm)
	org.POST("/summits/:summit/next-year", a.NextYearCreate)
	org.GET("/summits/:summit/rooms/new", a.RoomNew)
	org.POST("/summits/:summit/rooms/new", a.RoomCreate)
	org.GET("/summits/:summit/rooms/:room/edit", a.RoomEdit)
	org.POST("/summits/:summit/rooms/:room/edit", a.RoomUpdate)
	org.POST("/summits/:summit/rooms/:room/delete", a.RoomDelete)
	org.GET("/summits/:summit/tracks/new", a.TrackNew)
	org.POST("/summits/:summit/tracks/new", a.TrackCreate)
	org.GET("/summits/:summit/tracks/:track/edit", a.TrackEdit)
	org.POST("/summits/:summit/tracks/:track/edit", a.TrackUpdate)
	org.POST("/summits/:summit/tracks/:track/delete", a.TrackDelete)
	org.GET("/summits/:summit/speakers/new", a.SpeakerNew)
	org.POST("/summits/:summit/speakers/new", a.SpeakerCreate)
	org.GET("/summits/:summit/speakers/:speaker/edit", a.SpeakerEdit)
	org.POST("/summits/:summit/speakers/:speaker/edit", a.SpeakerUpdate)
	org.POST("/summits/:summit/speakers/:speaker/delete", a.SpeakerDelete)
	org.GET("/summits/:summit/sessions/new", a.SessionNew)
	org.POST("/summits/:summit/sessions/new", a.SessionCreate)
	org.GET("/summits/:summit/sessions/:session/edit", a.SessionEdit)
	org.POST("/summits/:summit/sessions/:session/edit", a.SessionUpdate)
	org.POST("/summits/:summit/sessions/:session/delete", a.SessionDelete)
	// The timetable editor (app/timetable.go): moves answer in JSON.
	org.GET("/summits/:summit/timetable", a.TimetableEdit)
	org.POST("/summits/:summit/sessions/:session/move", a.TimetableMove)
	// The sessions import (app/sessions_import.go): upload, preview, commit; the template and the export in its format.
	org.GET("/summits/:summit/sessions/import", a.SessionsImportForm)
	org.POST("/summits/:summit/sessions/import", a.SessionsImportUpload)
	org.GET("/summits/:summit/sessions/import/template.csv", a.SessionsImportTemplate)
	org.GET("/summits/:summit/sessions/import/sessions.csv", a.SessionsImportExport)
	org.GET("/summits/:summit/sessions/import/:sessions_import", a.SessionsImportShow)
	org.POST("/summits/:summit/sessions/import/:sessions_import/commit", a.SessionsImportCommit)

	// Admins: people, roles, directory import and the audit log.
	admin := a.group("/admin", AccessAdmin)

	// --- Accounts: account pages, first-run setup, password reset ---
	pub.GET("/setup/:token", a.SetupForm)
	pub.POST("/setup/:token", a.SetupSubmit)
	pub.GET("/reset/:token", a.ResetForm)
	pub.POST("/reset/:token", a.ResetSubmit)
	staff.GET("/account", a.AccountShow)
	staff.POST("/account/password", a.AccountPassword)
	admin.GET("/people", a.PeopleList)
	admin.GET("/people/new", a.PersonNew)
	admin.POST("/people/new", a.PersonCreate)
	admin.GET("/people/:person/edit", a.PersonEdit)
	admin.POST("/people/:person/edit", a.PersonUpdate)
	admin.POST("/people/:person/deactivate", a.PersonDeactivate)
	admin.POST("/people/:person/reset", a.PersonResetLink)
	admin.POST("/people/invite", a.PeopleInvite)
	admin.GET("/people.csv", a.PeopleCSV)
	admin.GET("/import", a.ImportForm)
	admin.POST("/import", a.ImportUpload)
	admin.GET("/import/:import", a.ImportShow)
	admin.POST("/import/:import/commit", a.ImportCommit)
	admin.GET("/audit", a.AuditLog)

	// --- Notices: the person's notices and mail settings; the admin's outbox ---
	staff.GET("/notices", a.NoticesList)
	staff.POST("/notices/read", a.NoticeRead)
	staff.POST("/notices/:notice/read", a.NoticeRead)
	staff.GET("/notices/settings", a.NoticeSettings)
	staff.POST("/notices/settings", a.NoticeSettingsSave)
	admin.GET("/outbox", a.OutboxList)
	admin.POST("/outbox/:mail/retry", a.OutboxRetry)

	// --- Training registrations: register, waitlist, my agenda, rosters, check-in ---
	staff.POST("/summits/:summit/sessions/:session/register", a.RegistrationCreate)
	staff.POST("/summits/:summit/sessions/:session/cancel", a.RegistrationCancel)
	staff.GET("/my/agenda", a.MyAgenda)
	org.GET("/summits/:summit/registration", a.RegistrationWindowEdit)
	org.POST("/summits/:summit/registration", a.RegistrationWindowUpdate)
	org.GET("/summits/:summit/training", a.TrainingOverview)
	org.GET("/summits/:summit/checkin", a.CheckinPick)
	org.GET("/summits/:summit/sessions/:session/roster", a.RosterShow)
	org.GET("/summits/:summit/sessions/:session/roster.csv", a.RosterCSV)
	org.GET("/summits/:summit/sessions/:session/checkin", a.CheckinShow)
	org.POST("/summits/:summit/sessions/:session/registrations/:registration/promote", a.RegistrationPromote)
	org.POST("/summits/:summit/sessions/:session/registrations/:registration/remove", a.RegistrationRemove)
	org.POST("/summits/:summit/sessions/:session/registrations/:registration/attend", a.CheckinMark)
	org.POST("/summits/:summit/sessions/:session/walkins", a.CheckinWalkIn)

	// --- Awards: categories, nominations, judging, results, honorees ---
	pub.cachedGET("/summits/:summit/honorees", a.Honorees)
	staff.GET("/awards", a.AwardsHome)
	staff.GET("/my/recognition", a.MyRecognition)
	staff.GET("/summits/:summit/awards", a.AwardsStaff)
	staff.GET("/summits/:summit/awards/nominate", a.NominateForm)
	staff.POST("/summits/:summit/awards/nominate", a.Nominate)
	staff.GET("/summits/:summit/awards/nominations/:nomination/edit", a.NominationEdit)
	staff.POST("/summits/:summit/awards/nominations/:nomination/edit", a.NominationUpdate)
	staff.POST("/summits/:summit/awards/nominations/:nomination/withdraw", a.NominationWithdraw)
	staff.GET("/summits/:summit/awards/judging/:category", a.JudgingQueue)
	staff.GET("/summits/:summit/awards/score/:nomination", a.ScoreForm)
	staff.POST("/summits/:summit/awards/score/:nomination", a.ScoreSave)
	staff.POST("/summits/:summit/awards/score/:nomination/recuse", a.ScoreRecuse)
	org.GET("/summits/:summit/awards", a.AwardsOrganise)
	org.GET("/summits/:summit/awards/new", a.CategoryNew)
	org.POST("/summits/:summit/awards/new", a.CategoryCreate)
	org.GET("/summits/:summit/awards/coverage", a.AwardsCoverage)
	org.GET("/summits/:summit/awards/nominations.csv", a.NominationsCSV)
	org.GET("/summits/:summit/awards/:category/edit", a.CategoryEdit)
	org.POST("/summits/:summit/awards/:category/edit", a.CategoryUpdate)
	org.POST("/summits/:summit/awards/:category/delete", a.CategoryDelete)
	org.GET("/summits/:summit/awards/:category/judges", a.JudgesShow)
	org.POST("/summits/:summit/awards/:category/judges", a.JudgeAdd)
	org.POST("/summits/:summit/awards/:category/judges/:person/remove", a.JudgeRemove)
	org.GET("/summits/:summit/awards/:category/results", a.ResultsShow)
	org.POST("/summits/:summit/awards/:category/winners", a.WinnersChoose)

	// --- Exports: program PDF, personal PDF, certificates, iCalendar, frab, CSV ---
	pub.cachedGET("/summits/:summit/program.pdf", a.ProgramPDF)
	pub.cachedGET("/summits/:summit/agenda.ics", a.AgendaICS)
	pub.cachedGET("/summits/:summit/schedule.xml", a.ScheduleXML)
	pub.cachedGET("/summits/:summit/schedule.json", a.ScheduleJSON)
	pub.GET("/cal/:feed", a.CalendarFeed)
	pub.cachedGET("/summits/:summit/sessions/:session/calendar.ics", a.SessionICS)
	staff.GET("/my/agenda.pdf", a.MyAgendaPDF)
	staff.GET("/my/calendar", a.MyCalendar)
	staff.POST("/my/calendar", a.MyCalendarReset)
	org.GET("/summits/:summit/certificates.pdf", a.Certificates)
	org.GET("/summits/:summit/sessions.csv", a.SessionsCSV)
	org.GET("/summits/:summit/registrations.csv", a.RegistrationsCSV)

	// --- Outcomes: session feedback, outcome measures, year over year, How we grew, the summit report ---
	staff.GET("/my/feedback", a.MyFeedback)
	staff.GET("/summits/:summit/feedback", a.FeedbackForm)
	staff.POST("/summits/:summit/feedback", a.FeedbackSave)
	staff.GET("/summits/:summit/sessions/:session/feedback", a.FeedbackForm)
	staff.POST("/summits/:summit/sessions/:session/feedback", a.FeedbackSave)
	staff.GET("/how-we-grew", a.HowWeGrew)
	org.GET("/summits/:summit/feedback", a.FeedbackResults)
	org.GET("/summits/:summit/feedback/settings", a.FeedbackSettingsEdit)
	org.POST("/summits/:summit/feedback/settings", a.FeedbackSettingsUpdate)
	org.POST("/summits/:summit/feedback/close", a.FeedbackClose)
	org.GET("/summits/:summit/feedback.csv", a.FeedbackCSV)
	org.GET("/summits/:summit/outcomes", a.EditionValuesEdit)
	org.POST("/summits/:summit/outcomes", a.EditionValuesUpdate)
	org.GET("/summits/:summit/report.pdf", a.SummitReportPDF)
	org.GET("/outcomes", a.OutcomesOverview)
	org.GET("/outcomes.csv", a.OutcomesCSV)
	org.POST("/outcomes/growth", a.GrowthUpdate)
	org.GET("/outcomes/measures/new", a.MeasureNew)
	org.POST("/outcomes/measures/new", a.MeasureCreate)
	org.GET("/outcomes/measures/:measure/edit", a.MeasureEdit)
	org.POST("/outcomes/measures/:measure/edit", a.MeasureUpdate)
	org.POST("/outcomes/measures/:measure/delete", a.MeasureDelete)
	org.GET("/outcomes/import", a.OutcomeImportForm)
	org.POST("/outcomes/import", a.OutcomeImportUpload)
	org.GET("/outcomes/import/:import", a.OutcomeImportShow)
	org.POST("/outcomes/import/:import/commit", a.OutcomeImportCommit)

	// --- Strategize: ideas, votes, shortlists, commitments, words that keep people human ---
	staff.GET("/ideas", a.IdeasHome)
	staff.GET("/summits/:summit/ideas", a.IdeasList)
	staff.GET("/summits/:summit/ideas/new", a.IdeaNew)
	staff.POST("/summits/:summit/ideas/new", a.IdeaCreate)
	staff.GET("/summits/:summit/ideas/:idea", a.IdeaShow)
	staff.POST("/summits/:summit/ideas/:idea/vote", a.IdeaVote)
	staff.POST("/summits/:summit/ideas/:idea/unvote", a.IdeaUnvote)
	staff.POST("/summits/:summit/ideas/:idea/comments", a.IdeaComment)
	staff.GET("/summits/:summit/ideas/:idea/edit", a.IdeaEdit)
	staff.POST("/summits/:summit/ideas/:idea/edit", a.IdeaUpdate)
	org.GET("/summits/:summit/ideas", a.IdeasOrganise)
	org.GET("/summits/:summit/ideas.csv", a.IdeasCSV)
	org.GET("/summits/:summit/ideas/settings", a.IdeaSettingsEdit)
	org.POST("/summits/:summit/ideas/settings", a.IdeaSettingsUpdate)
	org.POST("/summits/:summit/ideas/:idea/themes", a.IdeaThemes)
	org.POST("/summits/:summit/ideas/:idea/hide", a.IdeaHide)
	org.POST("/summits/:summit/ideas/:idea/unhide", a.IdeaUnhide)
	org.POST("/summits/:summit/ideas/:idea/merge", a.IdeaMerge)
	org.POST("/summits/:summit/ideas/:idea/shortlist", a.IdeaShortlist)
	staff.GET("/my/commitments", a.MyCommitments)
	staff.GET("/summits/:summit/commitments", a.CommitmentsList)
	staff.GET("/summits/:summit/commitments/:commitment", a.CommitmentShow)
	staff.POST("/summits/:summit/commitments/:commitment/status", a.CommitmentStatus)
	staff.POST("/summits/:summit/commitments/:commitment/follow", a.CommitmentFollow)
	staff.POST("/summits/:summit/commitments/:commitment/unfollow", a.CommitmentUnfollow)
	org.GET("/summits/:summit/commitments", a.CommitmentsOrganise)
	org.GET("/summits/:summit/commitments/new", a.CommitmentNew)
	org.POST("/summits/:summit/commitments/new", a.CommitmentSave)
	org.GET("/summits/:summit/commitments/:commitment/edit", a.CommitmentEdit)
	org.POST("/summits/:summit/commitments/:commitment/edit", a.CommitmentSave)
	org.GET("/summits/:summit/words", a.HintWordsShow)
	org.POST("/summits/:summit/words", a.HintWordAdd)
	org.POST("/summits/:summit/words/:word/delete", a.HintWordDelete)
}

// staticFiles serves the embedded CSS, JavaScript, fonts and images. A
// folder is not a file: /static, /static/ and /static/css answer 404. (Echo's
// own handler redirects a folder to its name with a slash, and the
// trailing-slash rule strips the slash again: a redirect loop.)
func staticFiles(files fs.FS) echo.HandlerFunc {
	serve := echo.StaticDirectoryHandler(files, true) // the router has unescaped the path already
	return func(c echo.Context) error {
		name := path.Clean(strings.Trim(c.Param("*"), "/"))
		if fi, err := fs.Stat(files, name); err == nil && fi.IsDir() {
			return echo.ErrNotFound
		}
		return serve(c)
	}
}

// Health answers load balancers: 200 when the database answers a ping
// within a few seconds, 503 when it does not (a dead pooled connection is
// replaced first, so 503 means the database itself cannot be reached).
func (a *App) Health(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(c.Request().Context(), 3*time.Second)
	defer cancel()
	sqlDB, err := a.DB.DB()
	if err == nil {
		err = sqlDB.PingContext(ctx)
	}
	if err != nil {
		a.Log.Warn("health check: database unavailable", "err", err)
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ok")
}
