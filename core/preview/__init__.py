"""Before sending: drafts decided as if sent now, reply-all prediction, warnings, add BCC,
what-if simulations and the activity report (issue 6). No Qt here."""
