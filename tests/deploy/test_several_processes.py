"""Two `serve` processes (one of them with two app processes) and one `worker` on one database,
as an operator runs them: PostgreSQL decides who gets a slot whichever process answers, every
process signs with the one generated key, and only the worker sends mail."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from aiosmtpd.controller import Controller

from resourcepool.db import sql
from resourcepool.notifications.outbox import enqueue_message
from tests.deploy.support import (
    children_of, command_env, free_port, start, stop, wait_ready,
)
from tests.fixtures.bookings import tomorrow_at
from tests.fixtures.platform import PASSWORD
from tests.fixtures.smtp import Inbox


@pytest.fixture(scope="module")
def inbox():
    box = Inbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    box.port = controller.port
    yield box
    controller.stop()


@pytest.fixture(scope="module")
def deployment(app, database_url, inbox):
    """serve A (--workers 2), serve B, a worker; each with its own data folder, as on three
    machines, none with a configured secret key."""
    folder = Path(tempfile.mkdtemp(prefix="rp-deploy-"))
    ports = {"a": free_port(), "b": free_port()}
    processes, logs = {}, {}
    for name, extra in (("a", ["--workers", "2"]), ("b", ["--workers", "1"])):
        env = command_env(RESOURCEPOOL_DATABASE_URL=database_url,
                          RESOURCEPOOL_DATA_DIR=str(folder / name),
                          RESOURCEPOOL_BASE_URL=f"http://127.0.0.1:{ports[name]}")
        logs[name] = folder / f"{name}.log"
        processes[name] = start(["serve", "--no-background", "--port", str(ports[name]), *extra],
                                env, logs[name])
    worker_env = command_env(RESOURCEPOOL_DATABASE_URL=database_url,
                             RESOURCEPOOL_DATA_DIR=str(folder / "worker"),
                             RESOURCEPOOL_SMTP_HOST="127.0.0.1",
                             RESOURCEPOOL_SMTP_PORT=str(inbox.port),
                             RESOURCEPOOL_SMTP_STARTTLS="0")
    logs["worker"] = folder / "worker.log"
    processes["worker"] = start(["worker"], worker_env, logs["worker"])
    try:
        for name in ("a", "b"):
            wait_ready(f"http://127.0.0.1:{ports[name]}", processes[name], logs[name])
        yield {"urls": {n: f"http://127.0.0.1:{p}" for n, p in ports.items()},
               "processes": processes, "logs": logs, "folder": folder}
    finally:
        codes = {name: stop(p) for name, p in processes.items()}
    # A clean stop of every process: SIGTERM is a shutdown, not a crash.
    assert codes["worker"] == 0, logs["worker"].read_text()[-2000:]
    assert all(code in (0, -15) for code in codes.values()), codes


def _body(asset_id, start, end):
    return {"asset_id": asset_id, "start": start.isoformat(), "end": end.isoformat(),
            "purpose": "Probe", "quantity": 1}


async def test_serve_with_two_workers__runs_two_app_processes(deployment):
    parent = deployment["processes"]["a"].pid
    app_processes = [pid for pid in children_of(parent)
                     if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]
    assert len(app_processes) == 2
    single = deployment["processes"]["b"].pid
    assert not [pid for pid in children_of(single)
                if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text(errors="replace")]


async def test_concurrent_requests_to_both_serve_processes__exactly_one_wins(
        deployment, booked_world, make_user):
    from resourcepool.accounts.api_tokens import create_api_token

    world = await booked_world(buffer_after_minutes=15)
    start = tomorrow_at(10)
    bodies = [_body(world["asset"].id, start, start + timedelta(hours=2)) for _ in range(18)]
    bodies += [_body(world["asset"].id, start + timedelta(hours=2), start + timedelta(hours=3))
               for _ in range(6)]
    clients = []
    for n, _body_ in enumerate(bodies):
        user = await make_user(organisation=world["booker_org"])
        token, _ = await create_api_token(user.id, "test")
        base = deployment["urls"]["a" if n % 2 else "b"]
        clients.append(httpx.AsyncClient(base_url=base, timeout=60,
                                         headers={"Authorization": f"Bearer {token}"}))
    try:
        responses = await asyncio.gather(*(c.post("/api/v1/bookings", json=b)
                                           for c, b in zip(clients, bodies)))
    finally:
        for c in clients:
            await c.aclose()
    codes = sorted(r.status_code for r in responses)
    assert codes.count(201) == 1 and codes.count(409) == len(bodies) - 1, codes
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"slot_unavailable"}
    assert await sql.fetch_value("SELECT count(*) FROM booking") == 1


async def test_a_sign_in_form_from_one_process__is_accepted_by_the_other(deployment, make_user):
    user = await make_user()
    a, b = deployment["urls"]["a"], deployment["urls"]["b"]
    async with httpx.AsyncClient(base_url=a, timeout=30) as browser:
        await browser.get("/login")
        token = browser.cookies["rp_csrf"]
        # The same browser posts the form it got from A to B (a load balancer's choice).
        response = await browser.post(f"{b}/login", data={"email": user.email, "password": PASSWORD,
                                                          "_csrf_token": token})
        assert response.status_code == 303, response.text[:300]
        assert (await browser.get(f"{a}/account")).status_code == 200  # the session works on A
        forged = await browser.post(f"{b}/login", data={"email": user.email, "password": PASSWORD,
                                                        "_csrf_token": token[:-4] + "0000"})
        assert forged.status_code == 403
    keys = await sql.fetch_value("SELECT count(*) FROM app_secret")
    assert keys in (0, 1)  # (the tables are emptied between tests; never two keys)


async def test_the_worker__sends_the_mail_the_app_processes_leave_to_it(deployment, inbox):
    message_id = await enqueue_message("anna@verein.example", "Vom Worker", "Hallo")
    for _ in range(300):
        if await sql.fetch_value("SELECT sent_at FROM outbox_message WHERE id = $1", message_id):
            break
        await asyncio.sleep(0.1)
    assert "Vom Worker" in inbox.subjects()
    # The serve processes run no sender (--no-background): none wrote the mail into its folder.
    folder = deployment["folder"]
    assert not list((folder / "a").glob("mail/*.eml")) and not list((folder / "b").glob("mail/*.eml"))
