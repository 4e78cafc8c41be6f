"""Creating users: with a password, or without one until an invitation is accepted."""

import pytest

from resourcepool.accounts.service import create_user, find_user_by_email
from resourcepool.errors import Conflict, ValidationFailed
from tests.db_state import database_state


async def test_create_user__with_and_without_password(app):
    with_password = await create_user("anna@example.org", "Anna", password="Quartier-Test-2026")
    invited = await create_user("ben@example.org", "Ben")
    assert (await find_user_by_email("ANNA@example.org")).has_password
    assert not (await find_user_by_email("ben@example.org")).has_password
    assert with_password != invited


async def test_create_user__refuses_a_second_account_with_the_same_email_in_other_case(app):
    await create_user("anna@example.org", "Anna")
    before = await database_state()
    with pytest.raises(Conflict):
        await create_user("Anna@Example.org", "Anna")
    assert await database_state() == before


@pytest.mark.parametrize("email", ["", "no-at-sign", "a@b", "a b@example.org", "x" * 300 + "@example.org"])
async def test_create_user__refuses_invalid_emails(app, email):
    before = await database_state()
    with pytest.raises(ValidationFailed):
        await create_user(email, "Someone")
    assert await database_state() == before


@pytest.mark.parametrize("name", ["An\x00na", "Anna\r\nBcc: x@y.example", "Anna\x1b[31m"])
async def test_create_user__refuses_control_characters_in_the_name(app, name):
    with pytest.raises(ValidationFailed) as refused:
        await create_user("anna@example.org", name)
    assert refused.value.field == "name"
    assert await find_user_by_email("anna@example.org") is None


async def test_create_user__refuses_control_characters_in_the_email(app):
    with pytest.raises(ValidationFailed) as refused:
        await create_user("an\x00na@example.org", "Anna")
    assert refused.value.field == "email"
    assert await find_user_by_email("an\x00na@example.org") is None
