"""The bundle's runtime hook gives child processes the user's library path back."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

HOOK = Path(__file__).parents[2] / "packaging" / "pyi_rth_mailscope.py"


@pytest.fixture
def restore():  # type: ignore[no-untyped-def]
    return runpy.run_path(str(HOOK), run_name="hook")["restore_library_path"]


def test_the_users_own_path_comes_back(restore) -> None:  # type: ignore[no-untyped-def]
    env = {
        "LD_LIBRARY_PATH": "/opt/mailscope/_internal:/home/u/lib",
        "LD_LIBRARY_PATH_ORIG": "/home/u/lib",
    }
    restore(env)
    assert env == {"LD_LIBRARY_PATH": "/home/u/lib"}


def test_no_path_when_the_user_had_none(restore) -> None:  # type: ignore[no-untyped-def]
    env = {"LD_LIBRARY_PATH": "/opt/mailscope/_internal", "HOME": "/home/u"}
    restore(env)
    assert env == {"HOME": "/home/u"}
