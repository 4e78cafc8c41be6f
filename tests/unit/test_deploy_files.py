"""deploy/: the compose file parses and runs PostgreSQL, the app and a worker from one image; the
container file builds in stages and runs as a non-root user with the wheel's data inside.
(No container engine runs here: scripts/check-wheel, run by .ci/run, does what the image does.)"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_compose__names_postgres_the_app_and_a_worker():
    services = _compose()["services"]
    assert set(services) == {"db", "app", "worker"}
    assert services["db"]["image"].startswith("postgres:")
    assert services["app"]["image"] == services["worker"]["image"]
    assert (ROOT / services["app"]["build"]["dockerfile"]).is_file()
    assert services["app"]["command"][:1] == ["serve"] and "--no-background" in services["app"]["command"]
    assert services["worker"]["command"] == ["worker"]
    for name in ("app", "worker"):
        assert "@db:5432/" in services[name]["environment"]["RESOURCEPOOL_DATABASE_URL"]
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
        assert (DEPLOY / services[name]["env_file"]).with_suffix(".env.example").is_file()


def test_containerfile__builds_in_stages_and_runs_as_a_non_root_user():
    text = (DEPLOY / "Containerfile").read_text(encoding="utf-8")
    stages = re.findall(r"^FROM\s+\S+", text, flags=re.M)
    assert len(stages) >= 2
    final = text.rsplit("\nFROM ", 1)[1]
    user = re.findall(r"^USER\s+(\S+)", final, flags=re.M)
    assert user and user[-1] not in ("root", "0")
    assert "--require-hashes -r requirements/app.lock" in text
    for folder in ("migrations", "templates", "static", "src"):
        assert re.search(rf"^COPY {folder} {folder}$", text, flags=re.M), folder
        assert (ROOT / folder).is_dir()


def test_the_wheel__carries_migrations_templates_and_static_files():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    included = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert included == {"migrations": "resourcepool/_migrations", "templates": "resourcepool/_templates",
                        "static": "resourcepool/_static"}


def test_the_readme_and_ci__run_the_tests_with_the_same_command_from_the_same_lock():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme_tests = re.search(r"&& (\.venv/bin/python -m pytest[^\n]*)", readme).group(1).strip()
    ci_tests = " ".join(re.search(r"^TESTS=\((.+)\)$", ci, flags=re.M).group(1).split())
    assert readme_tests == ci_tests
    assert "requirements/test.lock" in readme and "-r requirements/test.lock" in ci
    # The first command installs only what the demo needs.
    first = next(line for line in readme.splitlines() if line.startswith("python3 -m venv"))
    assert "requirements/app.lock" in first and "test" not in first and first.endswith("resourcepool demo")
