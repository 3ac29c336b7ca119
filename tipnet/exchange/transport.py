"""How sealed messages travel: HTTP between real nodes (standard library only).

The standard library's http.client is enough here and keeps the dependency list short: one
persistent (keep-alive) connection per thread and peer saves a TCP (and TLS) handshake per message.
"""

import http.client
import threading
from urllib.parse import urlsplit

# The receiving endpoints of every node, under its registered base URL: one message per POST,
# or a delivery of several, one wire object per line.
INBOX_PATH = "/exchange/inbox/"
BATCH_PATH = "/exchange/inbox/batch/"
# Errors meaning a kept-alive connection was closed by the peer while idle: safe to send again,
# since the receiver is idempotent on message_id.
STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError)


class TransportError(Exception):
    """The message could not be handed over (refused connection, timeout, broken answer)."""


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
        kind: str = "application/json",
    ) -> tuple[int, bytes]:
        try:
            return self._exchange(base_url, path, body, kind)
        except (OSError, http.client.HTTPException, ValueError) as exc:
            raise TransportError(str(exc) or type(exc).__name__) from exc

    def close(self) -> None:
        """Close this thread's connections."""
        for connection in self._local.__dict__.pop("pool", {}).values():
            connection.close()
