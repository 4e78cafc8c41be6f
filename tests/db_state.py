""""Nothing changed": a fingerprint of every table a refused request could have touched.

    before = await database_state()
    response = await api.patch(...)   # refused
    assert response.status_code == 403
    assert await database_state() == before

What every request writes as bookkeeping is left out — sessions and API tokens noting their last
use, sign-in attempts, remembered idempotent answers; everything else — tables added by later
migrations included — is compared row by row.
"""

from __future__ import annotations

from resourcepool.db import sql

BOOKKEEPING = {"migration", "login_attempt", "idempotency_key"}
BOOKKEEPING_COLUMNS = ("last_seen_at", "last_used_at")


async def database_state() -> dict[str, str]:
    """table → a hash of all its rows (in a stable order)."""
    tables = await sql.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    state = {}
    for table in (t["tablename"] for t in tables if t["tablename"] not in BOOKKEEPING):
        row = "(to_jsonb(t) - " + " - ".join(f"'{c}'" for c in BOOKKEEPING_COLUMNS) + ")::text"
        state[table] = await sql.fetch_value(
            f"SELECT count(*) || ':' || coalesce(md5(string_agg({row}, ',' ORDER BY {row})), '') "
            f'FROM "{table}" t')
    return state
