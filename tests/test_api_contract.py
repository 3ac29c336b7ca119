"""The API keeps its OpenAPI contract: schemathesis, every check, a token per role.

Every operation of the OpenAPI document is called with generated valid and invalid input, as each
role in turn; every answer must be documented (status, content type, headers, schema), no answer
may be a server error, invalid input must be refused and valid input accepted. The examples are
derandomised and bounded per operation, so the run is the same each time and fits the suite.
"""

import pydantic
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import PositiveDataAcceptanceConfig

from tipnet import api as api_module
from tipnet.accounts.actions import do_create_token

# What it checks (the API contract over HTTP) does not depend on the database, so one pass
# runs it (the SQLite pass).
pytestmark = pytest.mark.once

ROLES = ("investigator", "prosecutor", "ca_officer", "caseworker", "analyst", "node_admin")
EXAMPLES_PER_OPERATION = 10

load_all_checks()
ALL_CHECKS = CHECKS.get_all()


@pytest.fixture
def same_connection():
    """Keep the test's database connection across requests, as Django's test client does.

    schemathesis calls the WSGI application itself, whose request signals would close the
    connection after each answer and with it the test's transaction (PostgreSQL).
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(db, same_connection, request, settings, monkeypatch):
    """A fresh API token for a user of each role, and no throttle in the way of the run."""
    settings.TIPNET_API_AUTH_FAILURE_LIMIT = 10**9
    monkeypatch.setattr(api_module.api.throttle[0], "num_requests", 10**9)
    users = {role: request.getfixturevalue(role) for role in ROLES}
    return {role: do_create_token(user, "contract", 1)[1] for role, user in users.items()}


def _load_schema():
    from tipnet.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


schema = _load_schema()
# A schema-valid request may still break a rule no JSON Schema can say (two different known
# states, a country's dialling plan, a record in the caller's agency): the API answers 422 with
# the field and the reason, so 422 is an expected answer to valid-looking data too.
schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
    expected_statuses=["2xx", "3xx", "401", "403", "404", "409", "422", "429"]
)


@schema.parametrize()
@schema.given(role=st.sampled_from(ROLES))
@hypothesis_settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_the_contract_for_every_role(case, role, tokens):
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[role]}"}, checks=ALL_CHECKS)


def _schema_classes(annotation, found: set) -> None:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _schema_classes(field.annotation, found)
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        _schema_classes(arg, found)


def test_no_two_schema_classes_share_a_name_in_the_openapi_document():
    import tipnet.urls  # noqa: F401  (mounts the routers)

    found: set = set()
    for bound in api_module.api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                # ninja wraps each operation's parameters and answers in models of its own
                # (the same names in every operation): the schemas are the wrappers' fields.
                for wrapper in [*operation.models, *operation.response_models.values()]:
                    for field in getattr(wrapper, "model_fields", {}).values():
                        _schema_classes(field.annotation, found)
    names: dict[str, set] = {}
    for cls in found:
        names.setdefault(cls.__name__, set()).add(f"{cls.__module__}.{cls.__qualname__}")
    shared = {name: sorted(where) for name, where in names.items() if len(where) > 1}
    assert not shared, f"schema names used by more than one class: {shared}"


def test_every_operation_documents_its_error_answers_with_the_one_shape(client):
    spec = client.get("/api/openapi.json").json()
    error = {"$ref": "#/components/schemas/ErrorOut"}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            expected = {"401", "404", "429"}
            if method in ("post", "put", "patch", "delete"):
                expected |= {"400", "409", "413", "422"}
            for status in expected:
                answer = operation["responses"].get(status)
                assert answer, f"{method.upper()} {path} does not document {status}"
                assert answer["content"]["application/json"]["schema"] == error
