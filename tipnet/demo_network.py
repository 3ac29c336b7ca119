"""`tipnet demo --network`: three demo nodes on this machine under one signed registry.

Uzbekistan (UZ-GPO, port 8000) gets the full demo data of `tipnet demo`; Kyrgyzstan (KG-GPO,
8001) and the UAE (AE-MOJ, 8002) get the directory and their own agency and demo users, among
them a central-authority officer. Each node has its own data folder and SQLite database under
`$TIPNET_DATA_DIR/network/`, its own keys, and runs `tipnet serve` and `tipnet exchange run`.
All three are registered as their country's central authority, so a request submitted in
Tashkent to the UAE lands in Dubai's incoming register.

It lives at the project level, above the apps, because it seeds the domain apps of each node
and drives the exchange's local-network helpers.
"""

import signal
import socket
import time
from pathlib import Path

from django.db import transaction

from tipnet.exchange.localnet import LocalNode, prepare, publish

NODES = [
    ("UZ-GPO", "UZ", "General Prosecutor's Office of the Republic of Uzbekistan", 0),
    ("KG-GPO", "KG", "Prosecutor General's Office of the Kyrgyz Republic", 1),
    ("AE-MOJ", "AE", "Ministry of Justice of the United Arab Emirates", 2),
]

# The partner nodes' demo users (fictional people), with the one demo password of tipnet demo.
PARTNER_USERS = {
    "KG": [
        ("central", "Aibek Osmonov (fictional)", ["central_authority"]),
        ("prosecutor", "Aizada Sydykova (fictional)", ["prosecutor"]),
        ("investigator", "Bakyt Toktogulov (fictional)", ["investigator"]),
        ("caseworker", "Gulnara Asanova (fictional)", ["caseworker"]),
        ("admin", "Nurlan Abdyldaev (fictional)", ["node_admin"]),
    ],
    "AE": [
        ("central", "Mariam Al Suwaidi (fictional)", ["central_authority"]),
        ("prosecutor", "Khalid Al Mansoori (fictional)", ["prosecutor"]),
        ("investigator", "Omar Al Nuaimi (fictional)", ["investigator"]),
        ("caseworker", "Aisha Al Ketbi (fictional)", ["caseworker"]),
        ("admin", "Fatima Al Hashemi (fictional)", ["node_admin"]),
    ],
}

# The victim-assistance service each partner's caseworker works for (node agency code, the
# directory entry's English name): a hand-over addressed to that service lands in their list.
RECEIVING_SERVICES = {
    "KG": ("KG-UMUT", "Umut crisis centre (fictional NGO)"),
    "AE": ("AE-DFWAC", "Dubai Foundation for Women and Children"),
}

# The apps' cross-border demo runs in rounds once all nodes serve and deliver: in each round
# every node runs `tipnet demo --network-round N` (each app's `network_round(N)`), and the next
# round starts when every message is delivered, so round 2 can answer what round 1 sent.
NETWORK_ROUNDS = 3
DRAIN_SECONDS = 120

# Shorter than production backoff, so a node that was down catches up within seconds.
DEMO_ENV = {"TIPNET_EXCHANGE_RETRY_BASE": "2", "TIPNET_EXCHANGE_RETRY_MAX": "20"}


def load_partner(node_id: str, country: str, agency_name: str) -> str:
    """Seed a partner node: the directory, its agency and its demo users (idempotent)."""
    from tipnet.accounts.actions import do_create_agency, do_create_user
    from tipnet.accounts.demo import DEMO_PASSWORD
    from tipnet.accounts.models import Agency, User
    from tipnet.directory import demo as directory_demo

    with transaction.atomic():
        directory_demo.load()
        agency = Agency.objects.filter(code=node_id).first()
        agency = agency or do_create_agency(None, node_id, agency_name, country)
        _link_to_directory(agency, country, agency_name)
        created = 0
        for username, full_name, roles in PARTNER_USERS[country]:
            if not User.objects.filter(username=username).exists():
                home = _service_agency(country) if "caseworker" in roles else None
                do_create_user(None, username, DEMO_PASSWORD, home or agency, roles, full_name)
                created += 1
    return f"{created} demo users created" if created else "already loaded"


def _link_to_directory(agency, country: str, name: str) -> None:
    """Tie the partner's agency to its directory entry, so that its users' pages name it in
    their language (as the accounts demo does for Uzbekistan's agencies)."""
    from tipnet.directory.models import Agency as DirectoryAgency

    if agency.directory_agency_id is None:
        entry = DirectoryAgency.objects.filter(country_id=country, name_en=name).first()
        if entry is not None:
            agency.directory_agency = entry
            agency.save(update_fields=["directory_agency"])


def _service_agency(country: str):
    """The partner's victim-assistance service as a node agency tied to its directory entry."""
    from tipnet.accounts.actions import do_create_agency
    from tipnet.accounts.models import Agency
    from tipnet.directory.models import Agency as DirectoryAgency

    if country not in RECEIVING_SERVICES:
        return None
    code, name = RECEIVING_SERVICES[country]
    entry = DirectoryAgency.objects.filter(country_id=country, name_en=name).first()
    agency = Agency.objects.filter(code=code).first()
    if agency is None and entry is not None:
        agency = do_create_agency(None, code, name, country)
        # As in the accounts demo: the link to the directory entry is set directly.
        agency.directory_agency = entry
        agency.save(update_fields=["directory_agency"])
    return agency


def _node(root: Path, port: int, node_id: str, country: str, agency: str, offset: int):
    return LocalNode(node_id, country, agency, port + offset, root / node_id, "", dict(DEMO_ENV))


def _setup(node: LocalNode, out) -> dict:
    fresh = not (node.data_dir / "keys" / "signing.key").exists()
    out.write(f"{node.node_id}: {'setting up' if fresh else 'already set up'} in {node.data_dir}")
    say = out.write if fresh else (lambda _line: None)
    if node.country == "UZ":
        entry = prepare(node, demo=True, say=say)
    else:
        entry = prepare(node, say=say)
        say(f"{node.node_id}: loading its directory, agency and demo users")
        node.run("demo", "--partner", node.agency)
    return entry


def _drain(nodes: list[LocalNode], out, seconds: float = DRAIN_SECONDS) -> None:
    """Wait until no node has a message still on its way (queued, sending or to be retried)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        states = [s for node in nodes for s in node.status()["outbox"].values()]
        if not any(state in ("queued", "sent", "send_failed") for state in states):
            return
        time.sleep(1)
    out.write(f"  warning: messages still on their way after {seconds} s (see the message logs)")


def run_rounds(nodes: list[LocalNode], out) -> None:
    """Run the apps' cross-border demo rounds (idempotent: a restart repeats nothing)."""
    for number in range(1, NETWORK_ROUNDS + 1):
        for node in nodes:
            for line in node.run("demo", "--network-round", str(number)).splitlines():
                out.write(f"  {node.node_id} round {number}: {line}")
        _drain(nodes, out)


def busy_ports(ports) -> list[int]:
    """The ports of `ports` that something on this machine already listens on (loopback)."""
    busy = []
    for port in ports:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                busy.append(port)
    return busy


def run(root: Path, out, base_port: int = 8000) -> None:
    """Set up (once) and run the three nodes on base_port..base_port+2 until interrupted."""
    from django.core.management.base import CommandError

    from tipnet.accounts.demo import DEMO_PASSWORD

    # A server already on a port would answer in the new node's place: the demo would talk to
    # an older network and look healthy.
    busy = busy_ports(range(base_port, base_port + len(NODES)))
    if busy:
        which = f"Port {busy[0]} is" if len(busy) == 1 else f"Ports {', '.join(map(str, busy))} are"
        raise CommandError(
            f"{which} already in use (an earlier demo network still running?). Stop it, or "
            "start this one elsewhere with --base-port."
        )
    nodes = [_node(root, base_port, *spec) for spec in NODES]
    entries = [_setup(node, out) for node in nodes]
    out.write("Signing the network registry and sealing the check key to each node")
    publish(root, nodes, entries)
    try:
        for node in nodes:
            out.write(f"{node.node_id}: serving on {node.base_url}/ with its exchange worker")
            node.serve(workers=2)
            node.start("worker", "exchange", "run")
        out.write("Playing the cross-border work between the nodes:")
        run_rounds(nodes, out)
        out.write("\nDemo network running (Ctrl-C stops it):")
        for node in nodes:
            users = "central, prosecutor, investigator, caseworker, admin"
            out.write(f"  {node.node_id:<7} {node.base_url}/   users: {users}")
        out.write("  UZ-GPO also has an analyst (see tipnet demo).")
        out.write(f"Every demo user's password: {DEMO_PASSWORD}")
        out.write(f"Logs: {root}/<node>/serve.log and worker.log\n")
        _wait()
    finally:
        for node in nodes:
            node.stop_all()


def _wait() -> None:
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        while True:
            time.sleep(1)
    except KeyboardInterrupt:
        return
