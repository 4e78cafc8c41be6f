"""The dependency arrows point one way (ARCHITECTURE.md): a domain imports only the domains
below it and the shared base modules, and nothing below web/ imports web/ or Litestar.

Each domain's `commands.py` is its command-line adapter (like web/ for HTTP) and may import
the CLI helpers; the top-level wiring (app, cli, worker, demo, web) may import anything.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import resourcepool

PACKAGE = Path(resourcepool.__file__).parent
# Lowest first; a domain may import those before it.
DOMAINS = ["notifications", "accounts", "organisations", "assets", "availability", "credits",
           "bookings", "calendar_feeds", "stats"]
BASE = {"errors", "i18n", "db", "clock", "settings", "textrules", "paths", "rrules", "periodic",
        "ics"}


def _imported(path: Path) -> set[str]:
    """The resourcepool sub-modules a file imports (first component)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "resourcepool":
                if len(parts) > 1:
                    found.add(parts[1])
                else:
                    found |= {alias.name for alias in node.names}
            elif parts[0] == "litestar":
                found.add("litestar")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "resourcepool" and len(parts) > 1:
                    found.add(parts[1])
                elif parts[0] == "litestar":
                    found.add("litestar")
    return found


def _files(domain: str) -> list[Path]:
    folder = PACKAGE / domain
    return sorted(p for p in folder.glob("*.py") if p.name != "commands.py") if folder.is_dir() else []


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_domain_imports_only_the_domains_below_it(domain: str) -> None:
    allowed = BASE | set(DOMAINS[: DOMAINS.index(domain) + 1])
    wrong = {f"{p.relative_to(PACKAGE)} imports {name}"
             for p in _files(domain) for name in _imported(p) - allowed}
    assert not wrong, sorted(wrong)


@pytest.mark.parametrize("base", sorted(BASE - {"db"}))
def test_a_base_module_imports_no_domain(base: str) -> None:
    paths = [PACKAGE / f"{base}.py"] if (PACKAGE / f"{base}.py").exists() else _files(base)
    wrong = {f"{p.relative_to(PACKAGE)} imports {name}"
             for p in paths for name in _imported(p) & (set(DOMAINS) | {"web", "litestar"})}
    assert not wrong, sorted(wrong)
