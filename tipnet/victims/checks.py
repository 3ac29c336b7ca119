"""`tipnet check` looks at the field key: readable only by its owner, and the right size."""

import stat
from pathlib import Path

from django.conf import settings
from django.core.checks import CheckMessage, Error, Warning, register
from nacl.secret import SecretBox


@register("security", deploy=False)
def check_field_key(app_configs, **kwargs) -> list[CheckMessage]:
    path = Path(settings.TIPNET_FIELD_KEY_FILE)
    if not path.exists():
        return []  # created with mode 0600 on first use
    problems: list[CheckMessage] = []
    if path.stat().st_size != SecretBox.KEY_SIZE:
        problems.append(
            Error(
                f"{path} must hold exactly {SecretBox.KEY_SIZE} bytes.",
                hint="Restore the field key from its backup; victims' names depend on it.",
                id="victims.E001",
            )
        )
    if stat.S_IMODE(path.stat().st_mode) & 0o077:
        problems.append(
            Warning(
                f"{path} is readable by other users.",
                hint=f"chmod 600 {path}",
                id="victims.W001",
            )
        )
    return problems
