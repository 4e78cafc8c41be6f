"""The generated secret key: created once in the database, the same for every caller."""

import asyncio

from resourcepool.db import sql
from resourcepool.db.secret_key import ensure_secret_key


async def test_twelve_processes_asking_at_once__all_get_the_one_stored_key(app):
    keys = await asyncio.gather(*(ensure_secret_key() for _ in range(12)))
    assert len(set(keys)) == 1 and len(keys[0]) >= 48
    assert await sql.fetch_value("SELECT count(*) FROM app_secret") == 1
    assert await ensure_secret_key() == keys[0]


async def test_a_key_an_earlier_version_wrote_into_the_data_folder__becomes_the_stored_key(app, tmp_path):
    legacy = tmp_path / "secret_key"
    legacy.write_text("k" * 64 + "\n")
    assert await ensure_secret_key(legacy) == "k" * 64
    # Once stored, a different file (another machine's) changes nothing.
    legacy.write_text("z" * 64)
    assert await ensure_secret_key(legacy) == "k" * 64
