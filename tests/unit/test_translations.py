"""The German catalogue is complete: every string marked in code and templates has a translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir

from resourcepool.i18n import catalogue

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}


def _marked_strings() -> set[str]:
    found: set[str] = set()
    for folder, method in ((ROOT / "src", "python"), (ROOT / "templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(folder),
            method_map=[(pattern, method)],
            options_map={pattern: {"extensions": "jinja2.ext.i18n"}} if method == "jinja2" else {},
            keywords=KEYWORDS,
        ):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_marked_string__has_a_german_translation():
    german = catalogue("de")
    missing = sorted(m for m in _marked_strings() if m and m not in german)
    assert not missing, "untranslated (add them to a .po file in src/resourcepool/locale/de/LC_MESSAGES/):\n" + "\n".join(missing)


def test_catalogues__are_valid_po_files():
    assert len(catalogue("de")) > 20


def test_every_german_translation__is_still_used():
    marked = _marked_strings()
    stale = sorted(m for m in catalogue("de") if m not in marked)
    assert not stale, "translations no code or template uses any more (remove them):\n" + "\n".join(stale)


def test_plurals__follow_the_catalogues_rule_in_the_language_asked_for():
    from resourcepool import i18n

    assert i18n.ngettext("%(num)s asset", "%(num)s assets", 1, "de") == "%(num)s Angebot"
    assert i18n.ngettext("%(num)s asset", "%(num)s assets", 0, "de") == "%(num)s Angebote"
    assert i18n.ngettext("%(num)s asset", "%(num)s assets", 2, "en") == "%(num)s assets"
    assert i18n.gettext("Account", "de") == "Konto" and i18n.gettext("Account", "en") == "Account"
