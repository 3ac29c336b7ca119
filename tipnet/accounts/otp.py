"""Checking a second-factor (TOTP) code: a throttle that lets a person mistype but stops guessing.

django-otp's own throttle makes the next try wait 1 s after the first wrong code, 2 s after the
second, and so on; a right code sent in that second was refused, and the page then blamed the
device's clock. Here the first `FREE_TRIES` wrong codes in a row cost nothing, and only then do the
waits double. Guessing stays hopeless: a code is one in a million (three are valid at a time, for
clock drift), and after twenty wrong codes each further try waits the hour `MAX_WAIT_SECONDS`.
The counters are django-otp's own fields on the device, so a right code resets them.
"""

import time
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.oath import TOTP

# Wrong codes in a row that may be followed at once by another try (typing slips).
FREE_TRIES = 3

# Longest wait between two tries, however many wrong codes came before.
MAX_WAIT_SECONDS = 3600


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of one code: `ok`, `wrong`, `used` (replayed) or `wait` (throttled)."""

    outcome: str
    wait_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    def message(self) -> str:
        if self.outcome == "wait":
            return ngettext(
                "Too many wrong codes: wait %(seconds)d second, then enter the current code.",
                "Too many wrong codes: wait %(seconds)d seconds, then enter the current code.",
                self.wait_seconds,
            ) % {"seconds": self.wait_seconds}
        if self.outcome == "used":
            return _("That code has been used already; wait for the next one.")
        return _("That code is not right; try the current code.")


def seconds_to_wait(device) -> int:
    """Seconds before `device` takes another code; 0 when it takes one now."""
    extra = device.throttling_failure_count - FREE_TRIES
    last = device.throttling_failure_timestamp
    if extra < 0 or last is None:
        return 0
    required = min(2**extra, MAX_WAIT_SECONDS)
    waited = (timezone.now() - last).total_seconds()
    return max(0, int(required - waited + 0.999))


def check_code(device, code: str) -> CodeCheck:
    """Check `code` against `device` and update its counters (the caller saves the device).

    The same matching as django-otp's `TOTPDevice.verify_token`, with this module's throttle in
    place of its own: a code of an earlier or the same time step as the last accepted one is a
    replay and is refused.
    """
    wait = seconds_to_wait(device)
    if wait:
        return CodeCheck("wait", wait)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    token = int(code)
    if totp.verify(token, device.tolerance, device.last_t + 1):
        device.last_t = totp.t()
        device.drift = totp.drift
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        return CodeCheck("ok")
    device.throttle_increment(commit=False)
    if totp.verify(token, device.tolerance):
        return CodeCheck("used")
    return CodeCheck("wrong")
