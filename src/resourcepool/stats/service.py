"""Statistics use cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from resourcepool import clock
from resourcepool.accounts.identity import Identity
from resourcepool.db import sql
from resourcepool.stats.queries import network_headlines


@dataclass(frozen=True)
class NetworkHeadline:
    slug: str
    name: str
    organisations: int
    assets: int
    hours_shared_last_year: float


async def get_landing_headlines(identity: Identity | None) -> list[NetworkHeadline]:
    """The networks the reader may see, each with its headline figures of the last 12 months."""
    network_ids: list[int] = []
    if identity is not None:
        rows = await sql.fetch(
            """SELECT DISTINCT no.network_id FROM network_organisation no
               WHERE no.organisation_id = ANY($1::bigint[])
               UNION SELECT unnest($2::bigint[])""",
            identity.organisation_ids,
            list(identity.coordinated_networks),
        )
        network_ids = [r["network_id"] for r in rows]
    end = clock.now()
    rows = await network_headlines(end - timedelta(days=365), end, network_ids)
    return [
        NetworkHeadline(
            slug=r["slug"],
            name=r["name"],
            organisations=r["organisations"],
            assets=r["assets"],
            hours_shared_last_year=float(r["hours_shared"]),
        )
        for r in rows
    ]
