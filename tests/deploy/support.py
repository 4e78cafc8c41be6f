"""Run `resourcepool` commands as separate processes on the test database, as an operator would."""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import time
from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

import asyncpg
import httpx

from tests.conftest import _with_database

COMMAND = str(Path(sys.executable).with_name("resourcepool"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command_env(**settings: str) -> dict[str, str]:
    """This environment without the tests' own RESOURCEPOOL_* settings, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RESOURCEPOOL_", "TEST_"))}
    env.update(settings)
    return env


def start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    """Start `resourcepool ARGS…`, its output into `log` (a pipe nobody reads could fill up)."""
    return subprocess.Popen([COMMAND, *args], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


def run(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([COMMAND, *args], env=env, capture_output=True, text=True, timeout=timeout)


def wait_ready(url: str, process: subprocess.Popen, log: Path, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the process ended ({process.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(url + "/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never became ready:\n{log.read_text()}")


def stop(process: subprocess.Popen) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)
    return process.returncode


def children_of(pid: int) -> list[int]:
    """Pids whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@asynccontextmanager
async def new_database(database_url: str, prefix: str = "rp_extra") -> AsyncIterator[str]:
    """A new, empty database on the test server; dropped afterwards."""
    name = f"{prefix}_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(database_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    try:
        yield _with_database(database_url, name)
    finally:
        admin = await asyncpg.connect(database_url)
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
