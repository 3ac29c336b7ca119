"""record() hashes exactly what the database stores, for every kind of value it accepts."""

import datetime
import decimal
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tipnet.audit.actions import record, record_many
from tipnet.audit.canonical import SAFE_INTEGER
from tipnet.audit.chain import event_hash, verify_chain
from tipnet.audit.models import AuditEvent

# Any script, astral characters included; NUL and lone surrogates are refused (tested below).
TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)
LEAVES = (
    TEXT
    | st.integers(-SAFE_INTEGER, SAFE_INTEGER)
    | st.booleans()
    | st.none()
    | st.floats(-SAFE_INTEGER, SAFE_INTEGER, allow_nan=False, allow_infinity=False)
    | st.dates()
    | st.datetimes(timezones=st.none() | st.timezones())
    | st.times()
    | st.decimals()
    | st.uuids()
)
VALUES = st.recursive(
    LEAVES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(TEXT, inner, max_size=4)
    ),
    max_leaves=12,
)
DETAIL = st.dictionaries(st.from_regex(r"[a-z_]{1,12}", fullmatch=True), VALUES, max_size=5)
DETAIL = DETAIL.filter(lambda d: not {"tag", "actor", "obj", "agency"} & set(d))
TAG = st.builds(lambda s: f"test:{s}:record", TEXT.filter(lambda s: ":" not in s))


def _stored_hash_matches(event: AuditEvent) -> bool:
    stored = AuditEvent.objects.get(pk=event.pk)
    return stored.hash == event.hash == event_hash(stored.chained_fields())


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), tag=TAG, detail=DETAIL)
def test_any_value_recorded_reads_back_with_the_hash_it_was_given(
    data, tag, detail, investigator, uz_mvd
):
    actor = data.draw(st.sampled_from([None, investigator]))
    obj = data.draw(st.sampled_from([None, investigator, uz_mvd]))
    agency = data.draw(st.sampled_from(["", "UZ-GPO", "kg_mvd-2"]))
    event = record(tag, actor=actor, obj=obj, agency=agency, **detail)
    assert _stored_hash_matches(event)
    assert verify_chain(AuditEvent.objects.order_by("seq")).ok


def test_dates_decimals_and_uuids_are_stored_as_their_text(db):
    at = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC)
    key = uuid.uuid4()
    event = record(
        "test:thing:made",
        on=datetime.date(2026, 1, 2),
        at=at,
        amount=decimal.Decimal("1.10"),
        key=key,
        pair=(1, 2),
    )
    stored = AuditEvent.objects.get(pk=event.pk).detail
    assert stored == {
        "on": "2026-01-02",
        "at": "2026-01-02T03:04:05.678901+00:00",
        "amount": "1.10",
        "key": str(key),
        "pair": [1, 2],
    }
    assert _stored_hash_matches(event)


def test_a_contact_point_event_names_an_agency_code_and_verifies(investigator):
    from tipnet.directory.actions import do_create_contact
    from tipnet.directory.models import Agency, Country

    country = Country.objects.get(code="UZ")
    agency = Agency.objects.create(country=country, kind="police", name_en="Police (fictional)")
    contact = do_create_contact(investigator, {"agency": agency, "name": "Dilshod (fictional)"})
    event = AuditEvent.objects.get(tag="directory:contact:create", object_id=str(contact.pk))
    assert event.agency == "UZ-MVD" and event.detail == {"directory_agency": agency.pk}
    assert _stored_hash_matches(event)


@pytest.mark.parametrize(
    "agency", [1, "1", "UZ MVD", "x" * 65], ids=["an id", "an id as text", "a space", "too long"]
)
def test_an_agency_that_is_not_an_agency_code_is_refused(db, agency):
    with pytest.raises((TypeError, ValueError), match="agency"):
        record("test:thing:made", agency=agency)
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "value",
    [
        "a\x00b",
        "\ud800",
        2**53,
        -(2**53),
        1e16,
        float("nan"),
        float("inf"),
        {1: "a"},
        {"a\x00": 1},
        {"x", "y"},
        b"bytes",
        decimal.Decimal("1"),  # allowed: stored as text (the control case of this list)
    ],
)
def test_a_value_the_log_cannot_store_faithfully_is_refused(db, value):
    if isinstance(value, decimal.Decimal):
        assert _stored_hash_matches(record("test:thing:made", value=value))
        return
    with pytest.raises((TypeError, ValueError)):
        record("test:thing:made", value=value)
    assert not AuditEvent.objects.exists()


def test_a_model_instance_goes_as_obj_not_as_detail(investigator):
    with pytest.raises(TypeError, match="obj"):
        record("test:thing:made", user=investigator)
    with pytest.raises(TypeError, match="model instance"):
        record("test:thing:made", obj="accounts.user:1")


def test_a_batch_is_refused_whole_when_one_event_is_refused(db):
    with pytest.raises(ValueError):
        record_many([{"tag": "test:thing:ok"}, {"tag": "test:thing:bad", "n": 2**60}])
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "value",
    [SAFE_INTEGER, -SAFE_INTEGER, 9e15, 1e15 + 0.5, 5e-324, 1e-300, -0.0, 0.1, "😀𝔘Ғарб\u202e"],
)
def test_numbers_and_text_at_the_edges_read_back_with_their_hash(db, value):
    assert _stored_hash_matches(record("test:thing:made", value=value, nested={"v": [value]}))
