"""create_app(): Litestar wiring only — routes, plugins, lifespan, error handlers."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import AsyncIterator

from litestar import Litestar, Router
from litestar.config.csrf import CSRFConfig
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.middleware.base import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.static_files import create_static_files_router
from litestar.template import TemplateConfig

from resourcepool import __version__, worker
from resourcepool.db.embedded import stop_embedded
from resourcepool.db.lifecycle import close_database, open_database
from resourcepool.paths import static_dir
from resourcepool.settings import Settings, get_settings
from resourcepool.web.auth import IdentityMiddleware, identify_unrouted_request
from resourcepool.web.errors import EXCEPTION_HANDLERS
from resourcepool.web.openapi import ApiDocsPage, document_problems
from resourcepool.web.origin import SameOriginMiddleware
from resourcepool.web.routes import API, OTHER, PAGES
from resourcepool.web.security import add_security_headers
from resourcepool.web.templating import build_environment

log = logging.getLogger("resourcepool")

def create_app(settings: Settings | None = None, *, background: bool = True) -> Litestar:
    """The app; with `background` it also runs the worker's loops (see worker.py)."""
    settings = settings or get_settings()
    if not settings.secret_key:
        raise SystemExit("resourcepool: no secret key — set RESOURCEPOOL_SECRET_KEY, or start the app "
                         "with `resourcepool serve`, which reads the generated one from the database.")

    @asynccontextmanager
    async def database(app: Litestar) -> AsyncIterator[None]:
        await open_database(settings, max_size=settings.pool_size)
        tasks = worker.start_loops() if background else []
        try:
            yield
        finally:
            await worker.stop_loops(tasks)
            await close_database()
            if settings.database_url is None:
                # uvicorn re-raises SIGTERM after shutdown, so atexit hooks never run: stop here.
                stop_embedded(settings.pg_dir)

    api = Router(path="/api/v1", route_handlers=API)
    # HTML pages are not API operations: the OpenAPI document lists the JSON API only.
    pages = Router(path="/", route_handlers=PAGES, include_in_schema=False)
    app = Litestar(
        route_handlers=[
            pages,
            api,
            *OTHER,
            create_static_files_router(path="/static", directories=[static_dir()], name="static",
                                       include_in_schema=False),
        ],
        lifespan=[database],
        middleware=[
            DefineMiddleware(IdentityMiddleware, exclude=["^/static/", "^/health$", "^/schema"]),
            SameOriginMiddleware(),
        ],
        csrf_config=CSRFConfig(
            secret=settings.secret_key,
            cookie_name="rp_csrf",
            cookie_secure=settings.https,
            cookie_httponly=False,
            cookie_samesite="lax",
            # The API authenticates with Bearer tokens, never cookies, so it needs no CSRF token.
            exclude=["^/api/", "^/health$", "^/ready$"],
        ),
        template_config=TemplateConfig(
            engine=JinjaTemplateEngine.from_environment(build_environment())
        ),
        openapi_config=OpenAPIConfig(
            title="resourcepool API",
            version=__version__,
            path="/schema",
            render_plugins=[ApiDocsPage()],
        ),
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
        after_exception=[identify_unrouted_request],
        before_send=[add_security_headers],
        request_max_body_size=8 * 1024 * 1024,
        debug=settings.debug,
    )
    document_problems(app)
    return app
