"""Account use cases: users, language, password changes."""

from __future__ import annotations

from resourcepool.db import sql
from resourcepool.errors import N_, ValidationFailed

LANGUAGES = ("de", "en")


async def set_user_language(user_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise ValidationFailed(N_("Unknown language."), field="language")
    await sql.execute("UPDATE app_user SET locale = $2 WHERE id = $1", user_id, language)
