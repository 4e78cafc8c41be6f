"""`resourcepool admin create-network` and `create-coordinator` against the test database."""

import os
import subprocess
import sys

import pytest

from resourcepool.db import sql
from tests.fixtures.platform import PASSWORD

pytestmark = pytest.mark.usefixtures("app")


def _admin(database_url: str, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, RESOURCEPOOL_DATABASE_URL=database_url)
    return subprocess.run(
        [sys.executable, "-c", "import sys; from resourcepool.cli import main; main(sys.argv[1:])", "admin", *args],
        env=env, capture_output=True, text=True, timeout=60, input=stdin,
    )


async def test_create_network_and_coordinator__from_the_command_line(database_url):
    done = _admin(database_url, "create-network", "--slug", "herten", "--name", "Quartiersnetz Herten-Mitte")
    assert done.returncode == 0, done.stderr
    done = _admin(database_url, "create-coordinator", "--network", "herten", "--email", "qm@herten.example",
                  "--name", "Quartiersmanagement", "--password", PASSWORD)
    assert done.returncode == 0, done.stderr
    row = await sql.fetch_one(
        """SELECT n.timezone, u.password_hash IS NOT NULL AS has_password FROM coordinator c
           JOIN network n ON n.id = c.network_id JOIN app_user u ON u.id = c.user_id
           WHERE n.slug = 'herten' AND u.email = 'qm@herten.example'""")
    assert row == {"timezone": "Europe/Berlin", "has_password": True}


async def test_create_coordinator__reuses_an_existing_user(database_url, make_network, make_user):
    await make_network(slug="herten")
    user = await make_user(email="da@herten.example")
    done = _admin(database_url, "create-coordinator", "--network", "herten", "--email", "DA@herten.example",
                  "--name", "Egal")
    assert done.returncode == 0, done.stderr
    assert await sql.fetch_value("SELECT user_id FROM coordinator") == user.id


@pytest.mark.parametrize("args, message", [
    (["create-network", "--slug", "Bad Slug", "--name", "X"], "short name"),
    (["create-network", "--slug", "netz", "--name", "X", "--timezone", "Mars/Base"], "timezone"),
    (["create-coordinator", "--network", "nirgendwo", "--email", "a@b.example", "--name", "A",
      "--password", PASSWORD], "network"),
    (["create-coordinator", "--network", "herten", "--email", "kaputt", "--name", "A",
      "--password", PASSWORD], "email"),
])
async def test_bad_arguments__one_line_and_exit_2(database_url, make_network, args, message):
    await make_network(slug="herten")
    done = _admin(database_url, *args, stdin="")
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert message in done.stderr.lower()
    assert "Traceback" not in done.stderr


async def test_duplicate_network__exit_2(database_url, make_network):
    await make_network(slug="herten")
    done = _admin(database_url, "create-network", "--slug", "herten", "--name", "Herten")
    assert done.returncode == 2 and "already exists" in done.stderr
