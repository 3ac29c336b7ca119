"""Personas shared by every test (see docs/architecture.md, "Tests").

An investigator and an analyst at the Uzbek interior ministry, a prosecutor at the Uzbek
prosecutor's office, a central-authority officer at the UAE ministry of justice, a caseworker at a
Tashkent NGO, a node administrator, and an outsider from a Kyrgyz agency. All fictional.
"""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tipnet.accounts.actions import do_create_token
from tipnet.accounts.models import Agency, User, UserRole

PASSWORD = "Correct-horse-battery-9"


@pytest.fixture(autouse=True)
def _audit_checkpoints_apart(settings, tmp_path):
    """Each test signs audit checkpoints into a file of its own: the database is rolled back
    between tests, a file is not, and a checkpoint of another test's chain would not match."""
    settings.TIPNET_AUDIT_CHECKPOINT_FILE = str(tmp_path / "audit-checkpoints.jsonl")


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
