"""Every page of accounts and organisations renders in German and in English.

Each page is checked for <html lang> and for one text of its own, in English as written and in
German as the catalogue translates it (so a missing or stale translation fails here too).
"""

from datetime import timedelta
from html import escape

import pytest

from resourcepool.accounts.user_tokens import issue_user_token
from resourcepool.db import sql
from resourcepool.i18n import catalogue

# page key -> an English text that page shows
PAGES = {
    "landing": "Browse the catalogue",
    "login": "Forgot your password?",
    "apply": "Name of the organisation",
    "forgot": "Send the link",
    "reset": "Set a new password",
    "invitation": "Accept and sign in",
    "account": "Change your password",
    "organisation": "Invite a member",
    "coordinator": "Add an organisation directly",
}


@pytest.fixture
async def urls(make_network, make_organisation, make_user, sign_in, new_client):
    """(client, url) per page; signed-in users have no language setting, so the header decides."""
    network = await make_network()
    organisation = await make_organisation(network=network)
    manager = await make_user(organisation=organisation, role="manager")
    coordinator = await make_user(coordinator_of=network)
    invited = await make_user(organisation=organisation)
    await sql.execute("UPDATE app_user SET password_hash = NULL WHERE id = $1", invited.id)
    invitation = await issue_user_token(invited.id, "invitation", timedelta(days=7), organisation_id=organisation.id)
    reset = await issue_user_token(manager.id, "password_reset", timedelta(hours=1))
    anonymous = new_client()
    as_manager, as_coordinator = await sign_in(manager), await sign_in(coordinator)
    return {
        "landing": (anonymous, "/"),
        "login": (anonymous, "/login"),
        "apply": (anonymous, "/apply"),
        "forgot": (anonymous, "/password/forgot"),
        "reset": (anonymous, f"/password/reset/{reset}"),
        "invitation": (anonymous, f"/invitations/{invitation}"),
        "account": (as_manager, "/account"),
        "organisation": (as_manager, f"/organisations/{organisation.id}"),
        "coordinator": (as_coordinator, "/coordinator"),
    }


@pytest.mark.parametrize("language", ["de", "en"])
@pytest.mark.parametrize("page", list(PAGES))
async def test_page__renders_in_the_requested_language(urls, page, language):
    client, url = urls[page]
    response = await client.get(url, headers={"Accept-Language": language})
    assert response.status_code == 200, (page, response.status_code)
    assert f'<html lang="{language}">' in response.text
    english = PAGES[page]
    german = catalogue("de")[english]
    assert german != english
    expected, other = (german, english) if language == "de" else (english, german)
    assert escape(expected, quote=False) in response.text, (page, expected)
    assert escape(other, quote=False) not in response.text, (page, other)


def test_the_manager_role__has_one_german_name():
    # "Verwaltung" names an office, not a person; the area says "Verantwortlich" throughout.
    from resourcepool import i18n
    from resourcepool.notifications.messages import ROLE_NAMES

    german = catalogue("de")
    emailed = i18n.gettext(ROLE_NAMES["manager"], "de")  # the role as invitation emails name it
    assert german["manager"] == german["Manager"] == emailed == "Verantwortlich"
    assert german["Managers"] == "Verantwortliche"
