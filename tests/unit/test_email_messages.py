"""Every email renders in German and English from the gettext catalogues, with dates formatted
by Babel in the recipient's language; a paragraph without a German translation fails here."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from resourcepool import i18n
from resourcepool.notifications import messages

BERLIN = ZoneInfo("Europe/Berlin")
START = datetime(2026, 3, 31, 18, 0, tzinfo=BERLIN)  # the Tuesday after the March switch
END = datetime(2026, 3, 31, 20, 0, tzinfo=BERLIN)
PLACEHOLDERS = re.compile(r"%\((\w+)\)s")


def _values(language: str) -> dict[str, str]:
    return {
        "name": "Anna", "inviter": "Bernd", "organisation": "TuS Herten", "network": "Quartiersnetz",
        "role": "manager", "url": "https://rp.example/x", "note": "Willkommen", "link": "https://rp.example/l",
        "asset": "Saal", "owner": "Bürgerhaus", "purpose": "Chorprobe", "reason": "Wasserschaden",
        "where": "Hauptstraße 1", "settings": "https://rp.example/account", "changed_by": "Westerholt",
        "when": i18n.format_span(START, END, "Europe/Berlin", language),
    }


@pytest.mark.parametrize("kind", sorted(messages.MESSAGES))
def test_every_message__renders_in_both_languages_from_the_catalogues(kind):
    german = i18n.catalogue("de")
    message = messages.MESSAGES[kind]
    for msgid in (message.subject, *message.body):
        if PLACEHOLDERS.sub("", msgid).strip():
            assert msgid in german, f"{kind}: no German translation for {msgid!r}"
    subject_de, body_de = messages.render(kind, "de", **_values("de"))
    subject_en, body_en = messages.render(kind, "en", **_values("en"))
    for text in (subject_de, body_de, subject_en, body_en):
        assert "%(" not in text and "{" not in text
    assert subject_de != subject_en and body_de != body_en
    if "%(when)s" in message.subject:
        assert "Dienstag, 31. März 2026, 18:00–20:00" in subject_de
        assert "Tuesday, 31 March 2026, 18:00–20:00" in subject_en


def test_a_language_we_do_not_speak__falls_back_to_german():
    assert messages.render("reminder", "fr", **_values("de")) == messages.render("reminder", "de", **_values("de"))


def test_the_role_is_named_in_the_recipients_language():
    _, body = messages.render("membership_offer", "de", **_values("de"))
    assert "Rolle: Verantwortlich" in body
    _, body = messages.render("membership_offer", "en", **_values("en"))
    assert "role: manager" in body


def test_an_untranslated_paragraph__would_be_caught(monkeypatch):
    monkeypatch.setitem(messages.MESSAGES, "made_up", messages.Message("Hello", ("Untranslated %(name)s",)))
    with pytest.raises(AssertionError, match="no German translation"):
        test_every_message__renders_in_both_languages_from_the_catalogues("made_up")
