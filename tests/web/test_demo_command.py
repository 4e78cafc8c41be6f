"""`resourcepool demo` on a fresh data folder: embedded PostgreSQL, migrations, demo data, serving."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time

import httpx


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_command__serves_the_demo_network_on_the_embedded_database():
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="rp-demo-") as data_dir:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RESOURCEPOOL_")}
        env["RESOURCEPOOL_DATA_DIR"] = data_dir
        proc = subprocess.Popen(
            [sys.executable, "-m", "resourcepool", "demo", "--port", str(port)],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
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
        finally:
            proc.terminate()
            output, _ = proc.communicate(timeout=30)
        assert "http://127.0.0.1:%d" % port in output
        assert "@" in output, "the demo logins are printed"
        # The private PostgreSQL stopped with the app.
        pids = open(os.path.join(data_dir, "pgdata", ".handle_pids.json")).read()
        assert pids.strip() == "[]"
