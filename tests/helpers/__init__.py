"""Shared test helpers: the Dovecot test server, its certificates."""
