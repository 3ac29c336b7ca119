"""RFC 8785 canonical JSON bytes, fast for the values the exchange signs and chains.

Every message header, receipt and message-log record is hashed or signed in its RFC 8785 (JCS)
form, several times per message on each node. The encoder lives in the audit app
(`tipnet.audit.jcs`), below the exchange, so that the audit trail's hashes take the same fast
path: the standard library's C encoder where its bytes are RFC 8785's, `rfc8785` otherwise.
"""

from tipnet.audit.jcs import dumps

__all__ = ["dumps"]
