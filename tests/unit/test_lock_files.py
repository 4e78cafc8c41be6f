"""The lock files match pyproject.toml: every declared dependency is pinned there at a version its
bounds allow, and the app's lock pins the same versions as the tests' (scripts/lock regenerates
both; this test fails when someone adds a dependency and forgets to)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", re.M)


def pins(lock: str) -> dict[str, set[Version]]:
    found: dict[str, set[Version]] = {}
    for name, version in _PIN.findall((ROOT / "requirements" / lock).read_text(encoding="utf-8")):
        found.setdefault(canonicalize_name(name), set()).add(Version(version))
    return found


def declared(*extras: str) -> list[Requirement]:
    texts = list(PYPROJECT["project"]["dependencies"])
    for extra in extras:
        texts += PYPROJECT["project"]["optional-dependencies"][extra]
    return [Requirement(t) for t in texts]


@pytest.mark.parametrize(("lock", "extras"), [("app.lock", ()), ("test.lock", ("test",))])
def test_every_declared_dependency__is_pinned_within_its_bounds(lock, extras):
    pinned = pins(lock)
    for requirement in declared(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is missing from requirements/{lock}: run scripts/lock"
        for version in pinned[name]:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"requirements/{lock} pins {name}=={version}, outside {requirement}: run scripts/lock")


def test_the_app_lock__pins_the_test_locks_versions_and_no_test_tool():
    app, test = pins("app.lock"), pins("test.lock")
    assert {name: test.get(name) for name in app} == app
    assert not {"pytest", "playwright", "hypothesis", "aiosmtpd"} & set(app)


def test_python_multipart__is_not_installed_because_nothing_imports_it():
    # Litestar 2 parses forms with the `multipart` package (its own dependency).
    assert "python-multipart" not in pins("test.lock")
