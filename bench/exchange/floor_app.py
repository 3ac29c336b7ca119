"""The floor the exchange is compared with: a bare WSGI app that reads a POST and answers 200.

No Django, no database, no signature, no encryption: what plain HTTP on loopback costs with
the same server (gunicorn) and the same client (urllib).
"""


def app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(length)
    body = b'{"ok": true}'
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    )
    return [body]
