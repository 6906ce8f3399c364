"""``mailscope crm hubspot|check`` and the R9b setting as a rep runs them (a subprocess)."""

from __future__ import annotations

import json
from typing import Any

from tests.crm.cli_runner import Cli
from tests.helpers.hubspot_server import OBJECT_SCOPES, FakeHubSpot

KEY = "sk-eu1-cli-service-key"


def _hub(cli: Cli, hubspot: FakeHubSpot) -> Any:
    return cli("crm", "hubspot", "--url", hubspot.url, "--token-stdin", "--account", "demo",
               stdin=KEY + "\n")  # fmt: skip


def test_connecting_shows_portal_user_scopes_then_check_shows_the_path(
    cli: Cli, hubspot: FakeHubSpot
) -> None:
    hubspot.add_token(KEY, OBJECT_SCOPES)
    hubspot.add_owner("mia@globex.example", "Mia", "Rossi")
    done = _hub(cli, hubspot)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "portal: 4455667 (app-eu1.hubspot.com)",
        "user: mia@globex.example",
        "scopes: crm.objects.owners.read, crm.objects.contacts.read",
        "checked by the first log: crm.objects.contacts.write",
        "demo: logs through HubSpot portal 4455667",
    ]
    checked = cli("crm", "check", "--account", "demo")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[-1] == "exactly once: checked by the first log"
    assert KEY not in "".join(cli.outputs)


def test_a_token_without_the_contact_scope_is_refused_and_nothing_is_stored(
    cli: Cli, hubspot: FakeHubSpot
) -> None:
    hubspot.add_token(KEY, frozenset({"crm.objects.owners.read"}))
    refused = _hub(cli, hubspot)
    assert refused.returncode == 1
    assert "missing: crm.objects.contacts.read" in refused.stdout
    assert "grant the missing scopes" in refused.stderr
    shown = json.loads(cli("settings", "show", "--account", "demo", "--json").stdout)
    assert shown["crm"] == "local"
    wrong_portal = cli("crm", "hubspot", "999", "--url", hubspot.url, "--token-stdin",
                       "--account", "demo", stdin=KEY + "\n")  # fmt: skip
    assert wrong_portal.returncode == 2
    assert "opens portal 4455667, not 999" in wrong_portal.stderr


def test_create_contacts_is_a_setting_and_a_what_if(cli: Cli) -> None:
    before = json.loads(cli("whatif", "--create-contacts", "on", "--days", "3650",
                            "--account", "demo", "--json").stdout)  # fmt: skip
    assert before["change"] == "create contacts on"
    gained = before["reasons"]["new_contact"]
    assert gained["before"] == 0 and gained["after"] > 0
    not_a_contact = before["reasons"]["not_a_contact"]
    assert not_a_contact["after"] < not_a_contact["before"]
    assert before["logged"]["after"] == before["logged"]["before"] + gained["after"]
    done = cli("settings", "set", "--create-contacts", "on", "--account", "demo")
    assert done.returncode == 0, done.stderr
    changed = int(done.stdout.split(";")[1].split()[0])
    assert changed >= gained["after"]
    shown = cli("settings", "show", "--account", "demo")
    assert "create_contacts: on" in shown.stdout
    exported = json.loads(cli("policy", "export", "-", "--account", "demo").stdout)
    assert exported["account"]["create_contacts"] is True
