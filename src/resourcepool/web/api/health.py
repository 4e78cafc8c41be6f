"""Liveness and readiness."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Response

from resourcepool.db import sql


class HealthApi(Controller):
    @get("/health", name="health", include_in_schema=False)
    async def health(self) -> dict[str, str]:
        return {"status": "ok"}

    @get("/ready", name="ready", include_in_schema=False)
    async def ready(self) -> Response[dict[str, str]]:
        try:
            await sql.fetch_value("SELECT 1")
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return Response({"status": "database unavailable"}, status_code=503)
        return Response({"status": "ok"})
