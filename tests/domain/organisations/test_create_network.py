"""create_network: slug rules, an IANA timezone, a known language, unique slugs."""

import pytest

from resourcepool.errors import Conflict, ValidationFailed
from resourcepool.organisations.service import create_network
from tests.db_state import database_state

pytestmark = pytest.mark.usefixtures("app")


async def test_create_network__with_timezone_locale_and_public_catalogue():
    network = await create_network("herten-mitte", "Quartiersnetz Herten-Mitte", timezone="Europe/Berlin",
                                   locale="de", public_catalogue=True)
    assert network.slug == "herten-mitte" and network.public_catalogue is True


@pytest.mark.parametrize("slug", ["", "Herten", "herten_mitte", "-herten", "herten-", "a" * 65, "hertén"])
async def test_create_network__refuses_bad_slugs(slug):
    before = await database_state()
    with pytest.raises(ValidationFailed) as caught:
        await create_network(slug, "Netz")
    assert caught.value.field == "slug"
    assert await database_state() == before


@pytest.mark.parametrize("timezone", ["Mars/Olympus", "", "../etc/passwd", "CEST"])
async def test_create_network__refuses_unknown_timezones(timezone):
    before = await database_state()
    with pytest.raises(ValidationFailed) as caught:
        await create_network("netz", "Netz", timezone=timezone)
    assert caught.value.field == "timezone"
    assert await database_state() == before


async def test_create_network__refuses_a_taken_slug():
    await create_network("herten", "Herten")
    before = await database_state()
    with pytest.raises(Conflict):
        await create_network("herten", "Noch ein Herten")
    assert await database_state() == before


async def test_create_network__refuses_unknown_languages():
    before = await database_state()
    with pytest.raises(ValidationFailed):
        await create_network("netz", "Netz", locale="fr")
    assert await database_state() == before
