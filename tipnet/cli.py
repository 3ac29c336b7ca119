"""The `tipnet` command: a node's own commands, and every Django management command."""

import argparse
import os
import socket
import sys

USAGE = """usage: tipnet COMMAND [ARGS...]

Commands of a tipnet node:
  serve [--bind HOST:PORT] [--workers N] [--threads N]
                      serve this node over HTTP (gunicorn; TIPNET_BIND by default)
  demo                load the demo data (idempotent: a second run changes nothing)
  demo --network      run three demo nodes (UZ-GPO, KG-GPO, AE-MOJ) on ports 8000-8002
  demo --partner AGENCY
                      seed this node as a partner of the demo network (directory, users)
  audit verify        walk the audit hash chain, report every broken or missing link and any
                      cut of the newest events, and sign a checkpoint of its head
  node init | rotate | show
                      create this node's signing and encryption keys (mode 0600), replace
                      the encryption key, print the node's public entry for the registry
  network keygen | sign | verify
                      the secretariat's key, signing and checking the network registry
  exchange run [--once] | verify | ping NODE | status
                      drain the outbox, check the message log chain, test a peer, counts
  createuser USERNAME --agency CODE --role ROLE [--role ROLE...] [--full-name NAME]
                      create a user of this node (asks for the password, or reads TIPNET_PASSWORD)
  cases import FILE --as USER [--dry-run]
                      import cases and persons from a CSV or XLSX file
  mla load-treaties [FILE] | mla remind
                      load the MLA treaty data; raise reminders for expired MLA clocks
  jit expire          remove what other parties shared in ended or expired joint
                      investigations once the agreed days to return or delete it have passed
  checks status | rebuild | issue REGISTRY --key KEY --state DIR --out FILE [--rotate]
                      this node's check-key epoch and index, re-encoding the index after a
                      rotation, and the secretariat's sealing of the network check key
  link LEFT.csv [RIGHT.csv] --id COLUMN --field ROLE=COLUMN ... --out PAIRS.csv
                      link two files of person records or de-duplicate one (`link --help`);
                      `link evaluate` scores the result against a ground-truth column

Every Django management command works too: `tipnet migrate`, `tipnet check --deploy`,
`tipnet help` lists them all. `tipnet COMMAND --help` describes one command.
"""


def _address_in_use(bind: str) -> bool:
    """True when something already listens on HOST:PORT. Each worker binds its own socket with
    SO_REUSEPORT (tipnet/gunicorn_conf.py), which would let a second server on the same port
    share its connections silently; a plain bind fails there, as it does on any taken port."""
    host, sep, port = bind.rpartition(":")
    if not sep or not port.isdigit() or bind.startswith(("unix:", "fd://")):
        return False  # not a TCP address: gunicorn reports what it makes of it
    host = host.strip("[]") or "0.0.0.0"  # noqa: S104 - the address asked for, only probed
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # As gunicorn binds: a port whose last server has just stopped (connections in
        # TIME_WAIT) is free; one with a listener is not.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except OSError:
            return True
    return False


def serve(argv: list[str]) -> int:
    from django.conf import settings
    from gunicorn.app.wsgiapp import run

    parser = argparse.ArgumentParser(prog="tipnet serve")
    parser.add_argument("--bind", default=settings.TIPNET_BIND, help="HOST:PORT")
    parser.add_argument("--workers", type=int, default=2, help="processes")
    # Threads let one process overlap requests waiting on the database or the network, and keep
    # connections alive between requests (gunicorn's sync worker closes each one).
    parser.add_argument("--threads", type=int, default=1, help="threads per process")
    options = parser.parse_args(argv)
    if _address_in_use(options.bind):
        message = f"tipnet serve: {options.bind} is in use: is another server running?"
        print(message, file=sys.stderr)
        return 2
    sys.argv = [
        "gunicorn",
        # post_fork loads WeasyPrint in each worker, before its first request
        "--config",
        "python:tipnet.gunicorn_conf",
        "--access-logfile",
        "-",
        "--bind",
        options.bind,
        "--workers",
        str(options.workers),
        "--threads",
        str(options.threads),
        "tipnet.wsgi:application",
    ]
    print(f"tipnet node {settings.TIPNET_NODE_ID} on http://{options.bind}/", flush=True)
    run()
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if argv[0] == "link":
        # linkage needs no database, so Django is not set up
        from tipnet.linkage.cli import main as link

        return link(argv[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipnet.settings")
    import django

    django.setup()
    if argv[0] == "serve":
        return serve(argv[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["tipnet", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
