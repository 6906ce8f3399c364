"""OAuth2 sign-in for mail servers: the RFC 8252 desktop flow, token refresh, the presets.

``loopback`` (the redirect receiver) and ``flow`` (PKCE sign-in) know nothing of mail, so the
CRM connector can sign in with them too. Nothing here imports Qt; every secret stays in memory
or in the keyring (``core.mail.secrets``), never in an error, a log line or the cache.
"""
