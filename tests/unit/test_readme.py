"""The README tells a new user the truth: its demo logins are the ones the demo loads."""

import re
from pathlib import Path

from resourcepool.demo import DEMO_PASSWORD
from resourcepool.demo.platform import describe_logins

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme__lists_every_demo_login_and_its_password():
    text = README.read_text(encoding="utf-8")
    listed = dict(re.findall(r"^\| `([^`]+@[^`]+)` \| (.+?) \|$", text, flags=re.M))
    assert listed == {email: what for email, _password, what in describe_logins()}
    assert f"`{DEMO_PASSWORD}`" in text
    assert {password for _email, password, _what in describe_logins()} == {DEMO_PASSWORD}
