"""Settings, read once from the environment (RESOURCEPOOL_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path


def _default_data_dir() -> Path:
    # Per-user default so a new user needs no configuration (XDG on Linux).
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "resourcepool"


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, not {raw!r}") from exc


def _networks(name: str) -> tuple[str, ...]:
    """Comma-separated IP networks ("10.0.0.0/8, 127.0.0.1")."""
    import ipaddress

    out = []
    for part in (os.environ.get(name) or "").split(","):
        if part.strip():
            try:
                out.append(str(ipaddress.ip_network(part.strip(), strict=False)))
            except ValueError as exc:
                raise SystemExit(f"{name}: {part.strip()!r} is not an IP network") from exc
    return tuple(out)


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    data_dir: Path
    secret_key: str | None
    base_url: str
    https: bool
    session_idle_minutes: int
    session_absolute_hours: int
    login_max_failures: int
    login_max_failures_per_ip: int
    login_window_minutes: int
    smtp_host: str | None
    smtp_port: int
    smtp_user: str | None
    smtp_password: str | None
    smtp_starttls: bool
    mail_from: str
    default_timezone: str
    debug: bool
    pool_size: int
    # Networks (CIDR) a subscribed calendar may be fetched from besides the public internet.
    calendar_fetch_allow: tuple[str, ...] = ()

    @property
    def mail_dir(self) -> Path:
        return self.data_dir / "mail"

    @property
    def pg_dir(self) -> Path:
        return self.data_dir / "pgdata"


def _secret_key() -> str | None:
    """The configured secret; None: the one generated once into the database is used
    (db.secret_key, read by the commands before the app starts)."""
    return os.environ.get("RESOURCEPOOL_SECRET_KEY") or None


def load_settings() -> Settings:
    data_dir = Path(os.environ.get("RESOURCEPOOL_DATA_DIR") or _default_data_dir()).expanduser()
    base_url = os.environ.get("RESOURCEPOOL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return Settings(
        database_url=os.environ.get("RESOURCEPOOL_DATABASE_URL") or None,
        data_dir=data_dir,
        secret_key=_secret_key(),
        base_url=base_url,
        https=_bool("RESOURCEPOOL_HTTPS", base_url.startswith("https://")),
        session_idle_minutes=_int("RESOURCEPOOL_SESSION_IDLE_MINUTES", 30),
        session_absolute_hours=_int("RESOURCEPOOL_SESSION_ABSOLUTE_HOURS", 12),
        login_max_failures=_int("RESOURCEPOOL_LOGIN_MAX_FAILURES", 5),
        # Higher per address: an office behind one address must survive its staff's typos.
        login_max_failures_per_ip=_int("RESOURCEPOOL_LOGIN_MAX_FAILURES_PER_IP", 20),
        login_window_minutes=_int("RESOURCEPOOL_LOGIN_WINDOW_MINUTES", 15),
        smtp_host=os.environ.get("RESOURCEPOOL_SMTP_HOST") or None,
        smtp_port=_int("RESOURCEPOOL_SMTP_PORT", 587),
        smtp_user=os.environ.get("RESOURCEPOOL_SMTP_USER") or None,
        smtp_password=os.environ.get("RESOURCEPOOL_SMTP_PASSWORD") or None,
        smtp_starttls=_bool("RESOURCEPOOL_SMTP_STARTTLS", True),
        mail_from=os.environ.get("RESOURCEPOOL_MAIL_FROM", "resourcepool <noreply@localhost>"),
        default_timezone=os.environ.get("RESOURCEPOOL_TIMEZONE", "Europe/Berlin"),
        debug=_bool("RESOURCEPOOL_DEBUG", False),
        pool_size=_int("RESOURCEPOOL_POOL_SIZE", 10),
        calendar_fetch_allow=_networks("RESOURCEPOOL_CALENDAR_FETCH_ALLOW"),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests set the environment first, then call reset_settings()."""
    return load_settings()


def reset_settings() -> None:
    get_settings.cache_clear()
