"""Stories arrive with issue 5 (story sifting over the event log)."""
