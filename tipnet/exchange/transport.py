"""How sealed messages travel: HTTP between real nodes (standard library only).

The standard library's http.client is enough here and keeps the dependency list short: one
persistent (keep-alive) connection per thread and peer saves a TCP (and TLS) handshake per message.
"""

import http.client
import struct
import threading
from collections.abc import Sequence
from urllib.parse import urlsplit

# The receiving endpoints of every node, under its registered base URL: one message per POST,
# or a delivery of several, one wire object per line.
INBOX_PATH = "/exchange/inbox/"
BATCH_PATH = "/exchange/inbox/batch/"
# One message's wire frame (envelope.py), and a delivery of several: each frame after its length
# (4 bytes, big-endian), one after the other.
MESSAGE_TYPE = "application/vnd.tipnet.message"
DELIVERY_TYPE = "application/vnd.tipnet.delivery"
_LENGTH = struct.Struct(">I")
# Errors meaning a kept-alive connection was closed by the peer while idle: safe to send again,
# since the receiver is idempotent on message_id.
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class TransportError(Exception):
    """The message could not be handed over (refused connection, timeout, broken answer)."""


class DeliveryError(ValueError):
    """A delivery body whose framing is broken: its messages cannot be told apart."""


def pack_delivery(wires: Sequence[bytes]) -> bytes:
    """The body of a delivery: each message's wire frame after its length."""
    chunks: list[bytes] = []
    for wire in wires:
        chunks += (_LENGTH.pack(len(wire)), wire)
    return b"".join(chunks)


def unpack_delivery(body: bytes) -> list[memoryview]:
    """The messages of a delivery body, as views into it (no copy); DeliveryError if the
    framing is broken (a length running past the end, or bytes left over)."""
    view, at = memoryview(body), 0
    messages: list[memoryview] = []
    while at < len(view):
        if at + 4 > len(view):
            raise DeliveryError(
                f"The delivery is truncated: message {len(messages) + 1} has no length."
            )
        (length,) = _LENGTH.unpack_from(view, at)
        at += 4
        if length > len(view) - at:
            raise DeliveryError(
                f"The delivery is truncated: message {len(messages) + 1} should have "
                f"{length} bytes, {len(view) - at} are left."
            )
        messages.append(view[at : at + length])
        at += length
    return messages


class HttpTransport:
    """POSTs wire bytes to a node's inbox (or its batch inbox) and returns (status, answer bytes).

    Safe to share between threads: each thread keeps its own connection to each peer.
    """

    def __init__(self, timeout: float):
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self, base_url: str) -> tuple[http.client.HTTPConnection, str, bool]:
        """This thread's connection to `base_url`, its path prefix, and whether it is reused."""
        pool = self._local.__dict__.setdefault("pool", {})
        url = urlsplit(base_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise TransportError(f"unsupported base URL {base_url!r}")
        reused = base_url in pool
        if not reused:
            kind = (
                http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
            )
            pool[base_url] = kind(url.hostname, url.port, timeout=self.timeout)
        return pool[base_url], url.path.rstrip("/"), reused

    def _drop(self, base_url: str) -> None:
        connection = self._local.__dict__.get("pool", {}).pop(base_url, None)
        if connection is not None:
            connection.close()

    def _exchange(self, base_url: str, path: str, body: bytes, kind: str) -> tuple[int, bytes]:
        connection, prefix, reused = self._connection(base_url)
        try:
            connection.request("POST", prefix + path, body, {"Content-Type": kind})
            response = connection.getresponse()
            return response.status, response.read()
        except STALE:
            self._drop(base_url)
            if not reused:
                raise
            return self._exchange(base_url, path, body, kind)
        except BaseException:
            self._drop(base_url)
            raise

    def post(
        self,
        base_url: str,
        body: bytes,
        path: str = INBOX_PATH,
        kind: str = MESSAGE_TYPE,
    ) -> tuple[int, bytes]:
        try:
            return self._exchange(base_url, path, body, kind)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise TransportError(str(exc) or type(exc).__name__) from exc

    def close(self) -> None:
        """Close this thread's connections."""
        for connection in self._local.__dict__.pop("pool", {}).values():
            connection.close()
