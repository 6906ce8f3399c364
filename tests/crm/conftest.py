"""Fixtures for the CRM channels: a real HTTP server playing HubSpot, a fake clock for retries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from core.crm.hubspot import HubSpotClient
from core.crm.hubspot_transport import RetryPolicy
from core.store.accounts import Account
from tests.crm.workspace import demo_template, open_copy, replies_only
from tests.helpers.hubspot_server import FakeHubSpot

TOKEN = "pat-eu1-5e3f0c2a-test-secret-token-9b7d"


class FakeClock:
    """A monotonic clock that only moves when something sleeps; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture(scope="session")
def http_server() -> Iterator[HTTPServer]:
    """One threaded HTTP server on loopback (threaded: a held answer must not block others)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture
def hubspot(http_server: HTTPServer) -> Iterator[FakeHubSpot]:
    http_server.clear()
    fake = FakeHubSpot(http_server, TOKEN)
    yield fake
    fake.release()
    http_server.clear()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def make_client(
    hubspot: FakeHubSpot, clock: FakeClock, token: str = TOKEN, **policy: float
) -> HubSpotClient:
    """A client on the fake server whose sleeps only move the fake clock."""
    settings = {"attempts": 4, "timeout": 5.0, **policy}
    retry = RetryPolicy(
        attempts=int(settings.pop("attempts")),
        sleep=clock.sleep,
        clock=clock,
        jitter=lambda: 0.5,
        **settings,
    )
    return HubSpotClient(token, base_url=hubspot.url, policy=retry)


@pytest.fixture
def client(hubspot: FakeHubSpot, clock: FakeClock) -> Iterator[HubSpotClient]:
    with make_client(hubspot, clock) as made:
        yield made


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo cache under "log replies only", synced once and copied per test."""
    return demo_template(tmp_path_factory.mktemp("demo"), account=replies_only())


@pytest.fixture
def cache(template: Path, tmp_path: Path) -> Iterator[tuple[sqlite3.Connection, Account]]:
    """A fresh copy of ``template`` (modules may define their own)."""
    conn, account = open_copy(template, tmp_path)
    yield conn, account
    conn.close()
