"""`resourcepool admin …` sub-commands (each a thin wrapper over a service function)."""

from __future__ import annotations

import argparse


def register(admin: argparse._SubParsersAction) -> None:
    """Add the admin sub-commands to the parser."""
    # create-network, create-coordinator, set-password, generate: added by their domains.
    _ = admin
