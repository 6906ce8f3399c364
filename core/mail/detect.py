"""Finding an address's IMAP settings, the way Thunderbird does, each step with a short timeout.

In order of trust: Mailscope's provider list (no network), then the domain's autoconfig
document (``autoconfig.<domain>``, then ``<domain>/.well-known/...``), then the domain's MX
records (a company domain hosted by Google or Microsoft), then its RFC 6186 SRV records
(``_imaps._tcp``, ``_imap._tcp``), then guesses (``imap.``, ``mail.``; 993, then 143 with
STARTTLS). The network steps run at once, in threads, and the most trusted answer wins.

A guess is proposed only once its server presented a certificate valid for the guessed name:
the probe sends nothing but STARTTLS, so no password ever goes to a host that was guessed
before its certificate was verified. Lookups can be turned off (``Lookups(online=False)``).
"""

from __future__ import annotations

import functools
import socket
import ssl
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, replace
from typing import Final

from core.i18n import _, pgettext
from core.mail import autoconfig, dnsquery
from core.mail.autoconfig import AutoconfigError, ImapServer, Route
from core.mail.providers import Provider, by_domain, by_mx
from core.mail.source import Security

GUESS_PORTS: Final = ((993, Security.SSL), (143, Security.STARTTLS))


@dataclass(frozen=True, slots=True)
class Lookups:
    """How detection may use the network; the defaults are the real ones."""

    online: bool = True  # False: Mailscope's provider list only
    timeout: float = 5.0  # per step
    resolver: tuple[str, int] | None = None  # None: the system's (resolv.conf)
    route: Route | None = None  # where to connect for (host, port); None: there
    ca_file: str | None = None  # trust this CA file too (a company's private CA)
    guess_ports: tuple[tuple[int, Security], ...] = GUESS_PORTS


@dataclass(frozen=True, slots=True)
class Found:
    """Settings found for an address, and where they were found (shown to the user)."""

    host: str
    port: int
    security: Security
    username: str
    origin: str  # "found in Mailscope's provider list (Microsoft 365)", ...
    oauth2: str | None = None  # google or microsoft: the sign-in preset to offer
    app_password: str | None = None  # the provider's page for app passwords
    provider: str | None = None  # the provider's name, when known


StepResult = tuple[Found | None, str]


@dataclass(frozen=True, slots=True)
class Detection:
    found: Found | None
    notes: tuple[str, ...]  # one line per step: what it found or why not


def domain_of(email: str) -> str:
    local, at, domain = email.strip().rpartition("@")
    if not at or not local or "." not in domain or " " in domain:
        raise ValueError(_("%(email)r is not an email address") % {"email": email})
    return domain.lower().rstrip(".")


def from_provider(provider: Provider, email: str, origin: str) -> Found:
    return Found(
        provider.host, provider.port, provider.security, email, origin,
        provider.oauth2, provider.app_password, provider.name,
    )  # fmt: skip


def detect(email: str, lookups: Lookups | None = None) -> Detection:
    """The best settings for ``email`` (``found`` None when no step found any)."""
    lookups = lookups or Lookups()
    domain = domain_of(email)
    known = by_domain(domain)
    if known is not None:
        found = from_provider(
            known,
            email,
            _("found in Mailscope's provider list (%(known)s)") % {"known": known.name},
        )
        return Detection(found, (found.origin,))
    if not lookups.online:
        return Detection(
            None, (_("%(domain)s is not in Mailscope's provider list") % {"domain": domain},)
        )
    return _run_steps(_steps(email, domain, lookups), lookups.timeout * 3)


def _run_steps(steps: list[Callable[[], StepResult]], budget: float) -> Detection:
    """Every step at once, each in its own thread; the first in order to find wins."""
    pool = ThreadPoolExecutor(max_workers=len(steps), thread_name_prefix="detect")
    futures = [pool.submit(step) for step in steps]
    try:
        return _best(futures, budget)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _best(futures: list[Future[tuple[Found | None, str]]], budget: float) -> Detection:
    notes: list[str] = []
    for future in futures:
        try:
            found, note = future.result(timeout=budget)
        except FutureTimeout:
            notes.append(_("a lookup gave no answer in time"))
            continue
        notes.append(note)
        if found is not None:
            return Detection(found, tuple(notes))
    return Detection(None, tuple(notes))


def _steps(email: str, domain: str, lookups: Lookups) -> list[Callable[[], StepResult]]:
    steps: list[Callable[[], StepResult]] = [
        functools.partial(_autoconfig, url, email, lookups)
        for url in autoconfig.urls(domain, email)
    ]
    steps += [lambda: _mx(domain, email, lookups), lambda: _srv(domain, email, lookups)]
    steps.append(lambda: _guess(domain, email, lookups))
    return steps


def _autoconfig(url: str, email: str, lookups: Lookups) -> StepResult:
    shown = url.partition("?")[0]
    try:
        document = autoconfig.fetch(
            url, timeout=lookups.timeout, route=lookups.route, ca_file=lookups.ca_file
        )
        servers = autoconfig.parse(document, email)
    except AutoconfigError as error:
        return None, _("%(shown)s: %(error)s") % {"shown": shown, "error": error}
    from core.mail.imap_conn import is_loopback

    usable = [s for s in servers if s.security is not Security.NONE or is_loopback(s.host)]
    if not usable:
        return None, _("%(shown)s: no IMAP server with TLS") % {"shown": shown}
    best = usable[0]
    origin = _("found at %(shown)s") % {"shown": shown}
    found = Found(best.host, best.port, best.security, best.username, origin)
    return _with_provider(found, best), origin


def _with_provider(found: Found, best: ImapServer) -> Found:
    """A server offering OAuth2 in a known provider's domain signs in as that provider."""
    provider = by_domain(best.host.partition(".")[2]) if best.oauth2 else None
    if provider is None:
        return found
    return replace(found, oauth2=provider.oauth2, provider=provider.name)


def _resolver(lookups: Lookups) -> tuple[str, int] | None:
    return lookups.resolver or dnsquery.system_resolver()


def _mx(domain: str, email: str, lookups: Lookups) -> StepResult:
    server = _resolver(lookups)
    if server is None:
        return None, _("MX lookup skipped: no DNS resolver known")
    try:
        hosts = dnsquery.mx(domain, server, lookups.timeout)
    except (dnsquery.DnsError, OSError) as error:
        return None, _("MX records of %(domain)s: %(error)s") % {"domain": domain, "error": error}
    provider = by_mx(hosts)
    if provider is None:
        return None, _("the mail exchangers of %(domain)s are not a known provider's") % {
            "domain": domain
        }
    return from_provider(
        provider,
        email,
        _("found in the mail exchangers of %(domain)s (%(provider)s)")
        % {"domain": domain, "provider": provider.name},
    ), "MX"


def _srv(domain: str, email: str, lookups: Lookups) -> StepResult:
    server = _resolver(lookups)
    if server is None:
        return None, _("SRV lookup skipped: no DNS resolver known")
    for service, security in (("_imaps._tcp", Security.SSL), ("_imap._tcp", Security.STARTTLS)):
        name = f"{service}.{domain}"
        try:
            records = dnsquery.srv(name, server, lookups.timeout)
        except (dnsquery.DnsError, OSError) as error:
            return None, _("SRV %(name)s: %(error)s") % {"name": name, "error": error}
        if records:
            best = records[0]
            origin = _("found in the DNS record %(name)s") % {"name": name}
            return Found(best.target, best.port, security, email, origin), origin
    return None, _("no SRV record _imaps._tcp or _imap._tcp for %(domain)s") % {"domain": domain}


def _guess(domain: str, email: str, lookups: Lookups) -> StepResult:
    reasons = []
    for host in (f"imap.{domain}", f"mail.{domain}"):
        for port, security in lookups.guess_ports:
            problem = probe(host, port, security, lookups)
            if problem is None:
                origin = _(
                    "guessed: %(host)s answered on port %(port)s with a valid certificate"
                ) % {"host": host, "port": port}
                return Found(host, port, security, email, origin), origin
            reasons.append(
                _("%(host)s:%(port)s %(problem)s")
                % {"host": host, "port": port, "problem": problem}
            )
    return None, _("guesses: %(reasons)s") % {"reasons": pgettext("list", "; ").join(reasons)}


def _starttls(raw: socket.socket) -> str | None:
    """Ask an IMAP server to start TLS; None when it agrees, else what went wrong."""
    if not _line(raw).startswith(b"* OK"):
        return "is not an IMAP server"
    raw.sendall(b"MS1 STARTTLS\r\n")
    if not _tagged_ok(raw):
        return _("does not offer STARTTLS")
    return None


def probe(host: str, port: int, security: Security, lookups: Lookups) -> str | None:
    """None when ``host`` answers IMAP over TLS with a certificate valid for ``host``."""
    from core.mail.imap_conn import tls_context

    address = lookups.route(host, port) if lookups.route else (host, port)
    try:
        with socket.create_connection(address, timeout=lookups.timeout) as raw:
            if security is Security.STARTTLS and (refused := _starttls(raw)) is not None:
                return refused
            context = tls_context(lookups.ca_file)
            with context.wrap_socket(raw, server_hostname=host) as tls:
                return None if _line(tls).startswith(b"* ") else _("is not an IMAP server")
    except ssl.SSLCertVerificationError:
        return _("has no valid certificate for that name")
    except ConnectionRefusedError:
        return _("refused")
    except (ssl.SSLError, ConnectionError) as error:
        return _("TLS failed (%(reason)s)") % {
            "reason": getattr(error, "reason", None) or type(error).__name__
        }
    except TimeoutError:
        return _("no answer")
    except OSError as error:
        return _("cannot connect") if isinstance(error, socket.gaierror) else _("refused")


def _line(sock: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n") and len(data) < 4096:
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def _tagged_ok(sock: socket.socket) -> bool:
    for _attempt in range(20):
        line = _line(sock)
        if line.startswith(b"MS1 "):
            return line[4:6].upper() == b"OK"
        if not line:
            return False
    return False
