"""A throwaway test CA and server certificates, made with the ``openssl`` CLI.

Three server certificates: a good one (localhost and 127.0.0.1, signed by the test CA), one
for a wrong host name (signed by the test CA), and one for the right names signed by a second
CA that nobody trusts. The refusal tests connect to each.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

_DAYS = "30"
_KEY = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1")  # far faster than RSA


@dataclass(frozen=True, slots=True)
class ServerCert:
    """A certificate and its private key, both PEM files."""

    cert: Path
    key: Path


@dataclass(frozen=True, slots=True)
class TestCerts:
    """What the fixture generated: the trusted CA file and the three server certificates."""

    __test__ = False  # not a pytest test class despite the name

    ca_file: Path
    good: ServerCert  # localhost, 127.0.0.1; signed by ca_file
    wrong_host: ServerCert  # wrong.invalid only; signed by ca_file
    unknown_ca: ServerCert  # localhost and 127.0.0.x; signed by a CA nobody trusts


def _openssl(*args: str) -> None:
    if shutil.which("openssl") is None:
        raise RuntimeError("openssl is not installed: `make test` installs it (make system-deps)")
    subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=60)


def _make_ca(folder: Path, name: str) -> ServerCert:
    key, cert = folder / f"{name}.key", folder / f"{name}.pem"
    _openssl(
        "req", "-x509", *_KEY, "-nodes", "-sha256", "-days", _DAYS,
        "-keyout", str(key), "-out", str(cert), "-subj", f"/CN=Mailscope {name}",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    )  # fmt: skip
    return ServerCert(cert, key)


def _make_server(folder: Path, name: str, ca: ServerCert, san: str) -> ServerCert:
    key, csr, cert = folder / f"{name}.key", folder / f"{name}.csr", folder / f"{name}.pem"
    ext = folder / f"{name}.ext"
    ext.write_text(
        f"subjectAltName={san}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
    )
    _openssl(
        "req", "-new", *_KEY, "-nodes", "-keyout", str(key), "-out", str(csr),
        "-subj", f"/CN={name}",
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", str(csr), "-CA", str(ca.cert), "-CAkey", str(ca.key),
        "-CAcreateserial", "-days", _DAYS, "-sha256", "-extfile", str(ext), "-out", str(cert),
    )  # fmt: skip
    return ServerCert(cert, key)


def make_test_certs(folder: Path) -> TestCerts:
    """Generate the test CA, a rogue CA and the three server certificates under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    ca = _make_ca(folder, "test-ca")
    rogue = _make_ca(folder, "rogue-ca")
    good_san = "DNS:localhost,IP:127.0.0.1"
    return TestCerts(
        ca_file=ca.cert,
        good=_make_server(folder, "localhost", ca, good_san),
        wrong_host=_make_server(folder, "wrong-host", ca, "DNS:wrong.invalid"),
        unknown_ca=_make_server(folder, "unknown-ca", rogue, good_san + ",IP:127.0.0.3"),
    )
