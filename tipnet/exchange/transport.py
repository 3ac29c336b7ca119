"""How sealed messages travel: HTTP between real nodes (standard library only)."""

import urllib.error
import urllib.request

# The receiving endpoint of every node, under its registered base URL.
INBOX_PATH = "/exchange/inbox/"


class TransportError(Exception):
    """The message could not be handed over (refused connection, timeout, broken answer)."""


class HttpTransport:
    """POSTs the wire bytes to the recipient's inbox and returns (status, answer bytes)."""

    def __init__(self, timeout: float):
        self.timeout = timeout

    def post(self, base_url: str, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(  # noqa: S310 - base URLs come from the signed registry
            base_url + INBOX_PATH,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            with exc:
                return exc.code, exc.read()
        except (OSError, ValueError) as exc:
            raise TransportError(str(getattr(exc, "reason", exc)) or type(exc).__name__) from exc
