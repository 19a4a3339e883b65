"""A scratch site: a throwaway data dir (and database) that real manage.py processes share, for
the fault drills, the benchmarks and the tests that run processes of their own."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from django.conf import settings

# The caller's site, never a scratch site's: its database and its OpenSearch index.
SITE_VARIABLES = ("DATABASE_URL", "MARSAD_SEARCH_URL")


def scratch_env(
    *, data_dir: Path, database_url: str = "", debug: bool = True, **variables: str
) -> dict[str, str]:
    """This process's environment for a manage.py on the site at `data_dir`: the real settings,
    that data dir, `database_url` (default: SQLite in the data dir), the Whoosh index, DEBUG on
    unless `debug` is False (as deployed); `variables` adds or overrides others."""
    env = {k: v for k, v in os.environ.items() if k not in SITE_VARIABLES}
    env.update(
        MARSAD_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="portal.settings",
        DEBUG="1" if debug else "0",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(variables)
    return env


def manage_command(*args: str) -> list[str]:
    """The command line of this project's manage.py with `args`, on this interpreter."""
    return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args]
