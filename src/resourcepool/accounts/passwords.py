"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

import asyncio
from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from resourcepool.errors import N_, ValidationFailed

# argon2-cffi's defaults: argon2id, t=3, m=64 MiB, p=4 — above ASVS appendix C's floor.
_hasher = PasswordHasher()

MIN_LENGTH = 8
MAX_LENGTH = 128


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    """The list shipped in common_passwords.txt (its header names the sources), read once."""
    text = resources.files("resourcepool.accounts").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


def validate_password(password: str, *, field: str = "password") -> None:
    """Raise ValidationFailed when a password breaks the rules (length, common passwords)."""
    if len(password) < MIN_LENGTH:
        raise ValidationFailed(
            N_("The password must have at least %(min)s characters."), field=field, min=MIN_LENGTH
        )
    if len(password) > MAX_LENGTH:
        raise ValidationFailed(
            N_("The password may have at most %(max)s characters."), field=field, max=MAX_LENGTH
        )
    if password.lower() in _common_passwords():
        raise ValidationFailed(
            N_("This password is too common; please choose another."), field=field
        )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Spend comparable time so a missing account is not told apart by timing.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


# argon2 spends tens to hundreds of milliseconds of CPU on purpose. argon2-cffi releases the
# GIL, so in a worker thread it neither stalls the event loop (every other request of this
# process) nor stops parallel sign-ins from using other cores.


async def hash_password_async(password: str) -> str:
    return await asyncio.to_thread(hash_password, password)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    return await asyncio.to_thread(verify_password, password_hash, password)
