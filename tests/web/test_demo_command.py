"""`resourcepool demo` on a fresh data folder: embedded PostgreSQL, migrations, demo data, serving."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from resourcepool.demo.platform import describe_logins


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sign_in(base: str, email: str, password: str) -> httpx.Client:
    browser = httpx.Client(base_url=base, timeout=10)
    browser.get("/login")
    response = browser.post("/login", data={"email": email, "password": password,
                                            "_csrf_token": browser.cookies["rp_csrf"]})
    assert response.status_code == 303, response.text[:500]
    return browser


def test_demo_command__serves_the_demo_network_on_the_embedded_database():
    # The README's own command: the console script, on port 8000 unless that port is taken here.
    command = [str(Path(sys.executable).with_name("resourcepool")), "demo"]
    port = 8000
    if not _port_is_free(port):
        port = _free_port()
        command += ["--port", str(port)]
    with tempfile.TemporaryDirectory(prefix="rp-demo-") as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RESOURCEPOOL_")}
        env["RESOURCEPOOL_DATA_DIR"] = data_dir
        proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 240
            landing = None
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    landing = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                    break
                except httpx.HTTPError:
                    time.sleep(0.5)
            assert landing is not None, "demo did not answer"
            assert landing.status_code == 200
            assert "Quartiersnetz Herten-Mitte" in landing.text
            catalogue = httpx.get(f"http://127.0.0.1:{port}/catalogue", timeout=5)
            assert catalogue.status_code == 200
            # Every demo login of the README signs in with the README's password.
            for email, password, _what in describe_logins():
                browser = _sign_in(f"http://127.0.0.1:{port}", email, password)
                assert browser.get("/account").status_code == 200, email
                browser.close()
        finally:
            proc.terminate()
            output, _ = proc.communicate(timeout=30)
        assert "http://127.0.0.1:%d" % port in output
        assert "@" in output, "the demo logins are printed"
        # The private PostgreSQL stopped with the app.
        pids = open(os.path.join(data_dir, "pgdata", ".handle_pids.json")).read()
        assert pids.strip() == "[]"
