"""The demo workspace: a Maildir++ mailbox and a CRM directory (see README.md)."""
