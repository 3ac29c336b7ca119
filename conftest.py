"""Personas shared by every test (see docs/architecture.md, "Tests").

An investigator and an analyst at the Uzbek interior ministry, a prosecutor at the Uzbek
prosecutor's office, a central-authority officer at the UAE ministry of justice, a caseworker at a
Tashkent NGO, a node administrator, and an outsider from a Kyrgyz agency. All fictional.
"""

import ipaddress
import socket

import pytest
from django.test import Client
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from tipnet.accounts.actions import do_create_token
from tipnet.accounts.models import Agency, User, UserRole

PASSWORD = "Correct-horse-battery-9"

# Chromium and the Content-Security-Policy watch, one for the whole session (see that module).
pytest_plugins = ["tests.browser.fixtures"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that drive Chromium run last, after pytest-django's own ordering: Playwright's
    event loop, once started, makes Django refuse database calls in this process, including
    those of a test that asks for its personas by name (`request.getfixturevalue`), which the
    ordering by database use cannot see."""
    # Whole modules move, so that a module's fixtures (real nodes) are set up once.
    driving = {item.path for item in items if "browser" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: item.path in driving)


# No network in tests beyond loopback (as Warehouse does): a test that reaches another host
# would pass or fail with the network, and could leak test data to it. Other nodes in tests run
# on 127.0.0.1 ports; PostgreSQL is reached through libpq (C), so only Python sockets are
# guarded. Subprocesses (real nodes, the browser) start clean and are not affected.


class NetworkRefused(RuntimeError):
    """A test tried to reach an address other than loopback. Not an OSError on purpose: code
    that retries network failures must not swallow it."""


def _is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    host = host.split("%", 1)[0]  # an IPv6 scope such as ::1%lo
    if host.lower() in ("localhost", "localhost.localdomain", "ip6-localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False  # a host name other than localhost would be resolved: refused
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or bool(mapped and mapped.is_loopback)


def _check_address(family: int, address: object) -> None:
    if family == getattr(socket, "AF_UNIX", None):
        return
    host = address[0] if isinstance(address, tuple) and address else address
    if not _is_loopback(host):
        raise NetworkRefused(f"tests may only connect to loopback, not to {address!r}")


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_real_create_connection = socket.create_connection


def _guarded_connect(self, address):
    _check_address(self.family, address)
    return _real_connect(self, address)


def _guarded_connect_ex(self, address):
    _check_address(self.family, address)
    return _real_connect_ex(self, address)


def _guarded_create_connection(address, *args, **kwargs):
    # checked before the name is resolved, so no DNS query leaves the machine either
    _check_address(socket.AF_INET, address)
    return _real_create_connection(address, *args, **kwargs)


def pytest_configure(config):
    socket.socket.connect = _guarded_connect
    socket.socket.connect_ex = _guarded_connect_ex
    socket.create_connection = _guarded_create_connection


def pytest_unconfigure(config):
    socket.socket.connect = _real_connect
    socket.socket.connect_ex = _real_connect_ex
    socket.create_connection = _real_create_connection


@pytest.fixture(autouse=True, scope="session")
def _urls_loaded_with_the_default_page_size():
    """Load the URLs, and with them the API's schemas, before any test changes a setting: the
    API's page bounds (tipnet.api.PageIn) are read from TIPNET_PAGE_SIZE when it is imported,
    and a test that pages with a smaller size would otherwise leave it on every later test."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - evaluated for its import


@pytest.fixture(autouse=True)
def _audit_checkpoints_apart(settings, tmp_path):
    """Each test signs audit checkpoints into a file of its own: the database is rolled back
    between tests, a file is not, and a checkpoint of another test's chain would not match."""
    settings.TIPNET_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")


@pytest.fixture(autouse=True)
def _country_names_apart():
    """Each test reads the directory's country names from its own database: the process keeps
    them for minutes (tipnet.directory.countries), and the database is rolled back between tests."""
    from tipnet.directory.countries import forget_country_names

    forget_country_names()


@pytest.fixture(autouse=True)
def _language_apart():
    """Each test starts in the default language. A request through the test client activates
    the language it asked for and leaves it active in the thread, where a later test's
    messages would be translated."""
    translation.deactivate()
    yield
    translation.deactivate()


def make_user(username: str, agency: Agency, *roles: str) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        agency=agency,
        full_name=username.replace("_", " ").title(),
    )
    UserRole.objects.bulk_create([UserRole(user=user, role=r) for r in roles])
    return user


@pytest.fixture
def uz_mvd(db):
    return Agency.objects.create(code="UZ-MVD", name="Ministry of Internal Affairs", country="UZ")


@pytest.fixture
def uz_gpo(db):
    return Agency.objects.create(code="UZ-GPO", name="General Prosecutor's Office", country="UZ")


@pytest.fixture
def ae_moj(db):
    return Agency.objects.create(code="AE-MOJ", name="Ministry of Justice", country="AE")


@pytest.fixture
def uz_ngo(db):
    return Agency.objects.create(code="UZ-NGO", name="Shelter Istiqbol (fictional)", country="UZ")


@pytest.fixture
def kg_mvd(db):
    return Agency.objects.create(code="KG-MVD", name="Ministry of Internal Affairs", country="KG")


@pytest.fixture
def investigator(uz_mvd):
    return make_user("ivan_investigator", uz_mvd, "investigator")


@pytest.fixture
def analyst(uz_mvd):
    return make_user("anna_analyst", uz_mvd, "analyst")


@pytest.fixture
def prosecutor(uz_gpo):
    return make_user("pavel_prosecutor", uz_gpo, "prosecutor")


@pytest.fixture
def ca_officer(ae_moj):
    return make_user("amira_central", ae_moj, "central_authority")


@pytest.fixture
def caseworker(uz_ngo):
    return make_user("kamila_caseworker", uz_ngo, "caseworker")


@pytest.fixture
def outsider(kg_mvd):
    return make_user("oleg_outsider", kg_mvd, "investigator")


@pytest.fixture
def node_admin(uz_gpo):
    user = make_user("nadia_admin", uz_gpo, "node_admin")
    TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user


def login_client(user: User) -> Client:
    """A test client logged in as `user`, past the second factor when the user has one."""
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def client_as():
    return login_client


@pytest.fixture
def api_as():
    """`api_as(user)` returns a test client whose requests carry a fresh API token of `user`."""

    def make(user: User) -> Client:
        _token, raw = do_create_token(user, "test", 30)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return make
