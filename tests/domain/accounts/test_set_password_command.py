"""`resourcepool admin set-password`: from a pipe or --password; bad input is one line and exit 2."""

import asyncio
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from resourcepool.accounts.login import authenticate
from resourcepool.accounts.sessions import create_session, touch_session
from resourcepool.accounts.user_tokens import issue_user_token, peek_user_token
from resourcepool.errors import ValidationFailed
from tests.fixtures.platform import PASSWORD

NEW_PASSWORD = "Vom-Terminal-2026"


async def _run(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = dict(os.environ, RESOURCEPOOL_DATABASE_URL=database_url)
    return await asyncio.to_thread(
        subprocess.run, [sys.executable, "-m", "resourcepool", "admin", "set-password", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=60,
    )


async def test_set_password_command__reads_the_password_from_a_pipe(database_url, make_user):
    user = await make_user()
    session = await create_session(user.id)
    link = await issue_user_token(user.id, "password_reset", timedelta(hours=1))

    done = await _run(database_url, "--email", user.email.upper(), stdin=NEW_PASSWORD + "\n")

    assert done.returncode == 0, done.stderr
    assert await authenticate(user.email, NEW_PASSWORD) == user.id
    assert await touch_session(session) is None
    with pytest.raises(ValidationFailed):  # the live link was used up with the new password
        await peek_user_token(link, "password_reset")


async def test_set_password_command__refuses_a_weak_password_in_one_line(database_url, make_user):
    user = await make_user()
    done = await _run(database_url, "--email", user.email, "--password", "password123")
    assert done.returncode == 2
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("resourcepool: ") and "common" in last and "Traceback" not in done.stderr
    assert await authenticate(user.email, PASSWORD) == user.id


async def test_set_password_command__unknown_email_is_one_line_and_exit_2(database_url):
    done = await _run(database_url, "--email", "nobody@example.org", "--password", NEW_PASSWORD)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("resourcepool: no user")
    assert "Traceback" not in done.stderr
