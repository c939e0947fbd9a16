"""Run the Alembic migrations (upgrade head) against a URL, from sync or async code."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def upgrade_head(url: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    command.upgrade(config, "head")


async def upgrade_head_async(url: str) -> None:
    """Alembic's env runs its own event loop: run it in a worker thread."""
    await asyncio.to_thread(upgrade_head, url)
