"""validate_password: length bounds and a real list of common passwords (English and German)."""

import pytest

from resourcepool.accounts.passwords import _common_passwords, validate_password
from resourcepool.errors import ValidationFailed


@pytest.mark.parametrize("password", [
    "iloveyou", "sunshine", "football", "baseball", "qwertz123", "letmein1",
    "Passwort123", "HALLO1234", "schalke04", "Fussball1", "ichliebedich",
])
def test_validate_password__refuses_common_passwords_in_any_case(password):
    with pytest.raises(ValidationFailed) as refused:
        validate_password(password)
    assert refused.value.field == "password"
    assert "common" in refused.value.message


def test_validate_password__the_list_is_large_and_loaded_once():
    assert len(_common_passwords()) >= 10_000
    assert _common_passwords() is _common_passwords()
    # The licence header is a comment, not a password.
    assert not any(entry.startswith("#") for entry in _common_passwords())


@pytest.mark.parametrize("password", ["Quartier-Test-2026", "Herten-Mitte-2026", "Tafel-am-Dienstag-19"])
def test_validate_password__accepts_a_long_uncommon_password(password):
    validate_password(password)


@pytest.mark.parametrize("password", ["kurz-12", "x" * 129])
def test_validate_password__refuses_too_short_and_too_long(password):
    with pytest.raises(ValidationFailed):
        validate_password(password)
