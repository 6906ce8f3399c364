"""Mailscope's provider list: the IMAP settings of the big providers, by domain or MX host.

What Thunderbird's ISPDB holds for them, checked against each provider's own help pages.
``oauth2`` names the sign-in preset (``core.auth.providers``); ``app_password`` is the page
where a user of a provider that refuses normal passwords for IMAP makes an app password.
``mx`` lists MX host suffixes: a company domain hosted by Google Workspace or Microsoft 365
is recognised by its MX records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from core.mail.source import Security


@dataclass(frozen=True, slots=True)
class Provider:
    """One provider's IMAP server and how its users sign in."""

    name: str
    domains: tuple[str, ...]
    host: str
    port: int = 993
    security: Security = Security.SSL
    oauth2: str | None = None  # google or microsoft: the sign-in to offer first
    app_password: str | None = None  # where to make an app password, when one is needed
    mx: tuple[str, ...] = ()


PROVIDERS: Final = (
    Provider(
        "Google", ("gmail.com", "googlemail.com"), "imap.gmail.com", oauth2="google",
        app_password="https://myaccount.google.com/apppasswords",
        mx=("google.com", "googlemail.com"),
    ),
    Provider(
        "Microsoft 365",
        ("outlook.com", "hotmail.com", "hotmail.fr", "hotmail.co.uk", "live.com", "live.fr",
         "msn.com", "office365.com", "onmicrosoft.com"),
        "outlook.office365.com", oauth2="microsoft", mx=("mail.protection.outlook.com",),
    ),
    Provider(
        "Yahoo", ("yahoo.com", "yahoo.fr", "yahoo.co.uk", "ymail.com", "rocketmail.com"),
        "imap.mail.yahoo.com", app_password="https://login.yahoo.com/myaccount/security/",
        mx=("yahoodns.net",),
    ),
    Provider(
        "iCloud", ("icloud.com", "me.com", "mac.com"), "imap.mail.me.com",
        app_password="https://account.apple.com/account/manage", mx=("mail.icloud.com",),
    ),
    Provider(
        "Fastmail", ("fastmail.com", "fastmail.fm", "messagingengine.com"), "imap.fastmail.com",
        app_password="https://app.fastmail.com/settings/security/apps",
        mx=("messagingengine.com",),
    ),
    Provider("GMX", ("gmx.net", "gmx.de", "gmx.at", "gmx.ch"), "imap.gmx.net", mx=("gmx.net",)),
    Provider("GMX", ("gmx.com", "gmx.fr", "gmx.us"), "imap.gmx.com", mx=("gmx.com",)),
    Provider("OVHcloud", ("ovh.net",), "ssl0.ovh.net", mx=("mail.ovh.net", "ovh.net")),
    Provider("Orange", ("orange.fr", "wanadoo.fr"), "imap.orange.fr", mx=("orange.fr",)),
    Provider("Free", ("free.fr",), "imap.free.fr", mx=("free.fr",)),
    Provider(
        "Zoho Mail", ("zoho.com", "zohomail.com", "zoho.eu"), "imap.zoho.com",
        app_password="https://accounts.zoho.com/home#security/app_password",
        mx=("zoho.com", "zoho.eu"),
    ),
    Provider("AOL", ("aol.com", "aim.com"), "imap.aol.com", mx=("yahoodns.net",)),
    Provider("mailbox.org", ("mailbox.org",), "imap.mailbox.org", mx=("mailbox.org",)),
    Provider("Posteo", ("posteo.de", "posteo.net"), "posteo.de", mx=("posteo.de",)),
    Provider("Web.de", ("web.de",), "imap.web.de", mx=("web.de",)),
    Provider("La Poste", ("laposte.net",), "imap.laposte.net", mx=("laposte.net",)),
    Provider("SFR", ("sfr.fr", "neuf.fr"), "imap.sfr.fr", mx=("sfr.fr",)),
)  # fmt: skip

_BY_DOMAIN: Final = {domain: p for p in PROVIDERS for domain in p.domains}


def by_domain(domain: str) -> Provider | None:
    """The provider serving addresses at ``domain`` (or a subdomain of a listed one)."""
    name = domain.lower().rstrip(".")
    while name:
        found = _BY_DOMAIN.get(name)
        if found is not None:
            return found
        name = name.partition(".")[2]
    return None


def by_mx(hosts: list[str]) -> Provider | None:
    """The provider whose mail exchangers these are (a hosted company domain)."""
    for host in hosts:
        found = _by_exchanger(host.lower().rstrip("."))
        if found is not None:
            return found
    return None


def _by_exchanger(name: str) -> Provider | None:
    """The provider one mail exchanger belongs to (a listed host or a subdomain of one)."""
    for provider in PROVIDERS:
        if any(name == s or name.endswith("." + s) for s in provider.mx):
            return provider
    return None
