"""The node's settings plus one page for the floor of bench/web (nothing else differs)."""

from tipnet.settings import *  # noqa: F403

ROOT_URLCONF = "bench.web.urls"
