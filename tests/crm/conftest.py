"""Fixtures for the CRM channels: a real HTTP server playing HubSpot, a fake clock for retries."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.crm.hubspot import HubSpotClient
from core.crm.hubspot_transport import RetryPolicy
from core.store.accounts import Account
from tests.crm.cli_runner import Cli
from tests.crm.workspace import demo_cache, demo_template, open_copy, replies_only
from tests.helpers.hubspot_server import TOKEN, FakeHubSpot

__all__ = ["TOKEN", "FakeClock", "make_client"]


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


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """``mailscope`` in a subprocess, its cache holding the demo mailbox and directory."""
    made = Cli(tmp_path)
    conn, _ = demo_cache(made.database)
    conn.close()
    return made


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
