package models

// Tables lists every GORM model of the package, one value per table.
// TestEveryModelColumnIsInTheSchema checks each one's columns against the
// migrated database on both dialects, and that every struct with a primary
// key or a TableName method is listed here: a feature adds its models here
// with its migration.
func Tables() []any {
	return []any{
		&AccountToken{}, &AuditEvent{}, &LoginSession{},
		&AwardCategory{}, &Nomination{}, &AwardJudge{}, &AwardScore{}, &AwardRecusal{}, &AwardWinner{},
		&CalendarFeed{}, &FeedbackSettings{}, &Feedback{}, &ImportPreview{},
		&HintWord{}, &Idea{}, &IdeaComment{}, &IdeaSettings{},
		&Commitment{}, &CommitmentUpdate{},
		&Notice{}, &NoticeSetting{}, &OIDCLogin{}, &OutboxMail{},
		&OutcomeMeasure{}, &OutcomeValue{}, &GrowthPage{},
		&Person{}, &Registration{}, &Room{}, &Session{}, &SignInAttempt{}, &Speaker{}, &Summit{}, &Track{},
	}
}
