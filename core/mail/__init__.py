"""Mail sources: IMAP with incremental sync, and local Maildir/mbox folders."""
