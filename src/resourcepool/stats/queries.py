"""Named, parameterised reads for the statistics pages."""

from __future__ import annotations

from datetime import datetime

from resourcepool.db import sql

# Hours shared = overlap of completed bookings with the period where booker ≠ owner (SPEC §7).
NETWORK_HEADLINES = """
SELECT n.id, n.slug, n.name, n.timezone, n.public_catalogue,
       (SELECT count(*) FROM network_organisation no
         WHERE no.network_id = n.id AND no.status = 'verified') AS organisations,
       (SELECT count(*) FROM asset_network an JOIN asset a ON a.id = an.asset_id
         WHERE an.network_id = n.id AND a.status = 'active') AS assets,
       (SELECT coalesce(sum(extract(epoch FROM
                   least(b.ends_at, $2) - greatest(b.starts_at, $1)) / 3600.0), 0)
          FROM booking b JOIN asset a ON a.id = b.asset_id
         WHERE b.status = 'completed' AND b.organisation_id <> a.organisation_id
           AND b.starts_at < $2 AND b.ends_at > $1
           AND EXISTS (SELECT 1 FROM asset_network an
                        WHERE an.asset_id = a.id AND an.network_id = n.id)) AS hours_shared
  FROM network n
 WHERE n.public_catalogue OR n.id = ANY($3::bigint[])
 ORDER BY n.name
"""


async def network_headlines(
    period_start: datetime, period_end: datetime, network_ids: list[int]
) -> list[dict]:
    """Per network: verified organisations, active assets, hours shared in the period.

    Public networks are always listed; others only when the reader belongs to them.
    """
    return await sql.fetch(NETWORK_HEADLINES, period_start, period_end, network_ids)
