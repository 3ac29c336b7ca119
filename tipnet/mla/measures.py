"""Modules of assistance: one per measure (UNTOC 18(3) a-i and the special modules), each with
its own fields; `required` fields must be filled before the step can be left.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    # django-stubs' type of a lazily translated string, which form fields expect
    from django.utils.functional import _StrPromise as Promise
else:
    from django.utils.functional import Promise

# Text or a lazily translated string.
StrOrPromise = str | Promise


@dataclass(frozen=True)
class MeasureField:
    name: str
    label: StrOrPromise
    required: bool = True


@dataclass(frozen=True)
class Measure:
    code: str
    label: StrOrPromise
    article: str
    fields: tuple[MeasureField, ...]


F = MeasureField
MEASURES: dict[str, Measure] = {
    m.code: m
    for m in (
        Measure(
            "evidence",
            _("Taking evidence or statements from persons"),
            "18(3)(a)",
            (
                F("persons", _("Persons to be heard")),
                F("questions", _("Questions to put")),
                F("capacity", _("As witness, victim, suspect or expert"), False),
            ),
        ),
        Measure(
            "service",
            _("Service of judicial documents"),
            "18(3)(b)",
            (F("documents", _("Documents to serve")), F("recipient", _("Recipient and address"))),
        ),
        Measure(
            "search",
            _("Search and seizure, freezing"),
            "18(3)(c)",
            (
                F("premises", _("Premises or place to search")),
                F("items", _("Items to seize or freeze")),
                F("court_order", _("Domestic order attached (reference)"), False),
            ),
        ),
        Measure(
            "examination",
            _("Examining objects and sites"),
            "18(3)(d)",
            (F("objects", _("Objects or sites to examine")),),
        ),
        Measure(
            "information",
            _("Information, evidentiary items and expert evaluations"),
            "18(3)(e)",
            (F("information", _("Information or items sought")),),
        ),
        Measure(
            "records",
            _("Originals or certified copies of documents and records"),
            "18(3)(f)",
            (
                F("records", _("Records sought")),
                F("holder", _("Holder of the records (bank, company, office)")),
                F("period", _("Period covered"), False),
            ),
        ),
        Measure(
            "tracing",
            _("Identifying or tracing proceeds of crime"),
            "18(3)(g)",
            (
                F("assets", _("Proceeds, property or instrumentalities")),
                F("institutions", _("Institutions or persons holding them")),
                F("period", _("Period covered"), False),
            ),
        ),
        Measure(
            "appearance",
            _("Voluntary appearance of persons in the requesting state"),
            "18(3)(h)",
            (
                F("person", _("Person invited")),
                F("arrangements", _("Dates, costs and safe conduct")),
            ),
        ),
        Measure(
            "other",
            _("Other assistance not contrary to domestic law"),
            "18(3)(i)",
            (F("description", _("Assistance sought")),),
        ),
        Measure(
            "videoconference",
            _("Hearing by videoconference"),
            "18(18)",
            (
                F("witness", _("Witness or expert to be heard")),
                F("proposed_date", _("Proposed date and time")),
                F("technical_contact", _("Technical contact")),
            ),
        ),
        Measure(
            "preservation",
            _("Expedited preservation of electronic evidence"),
            "18(3)(i)",
            (
                F("provider", _("Service provider")),
                F("identifiers", _("Accounts, numbers or addresses")),
                F("data_types", _("Data to preserve (subscriber, traffic, content)")),
            ),
        ),
        Measure(
            "production",
            _("Production of stored electronic evidence"),
            "18(3)(f)",
            (
                F("provider", _("Service provider")),
                F("identifiers", _("Accounts, numbers or addresses")),
                F("data_types", _("Data to produce (subscriber, traffic, content)")),
                F("period", _("Period covered")),
            ),
        ),
    )
}


def missing_fields(kind: str, fields: dict) -> list[str]:
    """Names of the required fields of measure `kind` that `fields` leaves empty."""
    measure = MEASURES[kind]
    return [
        f.name for f in measure.fields if f.required and not str(fields.get(f.name, "")).strip()
    ]


def clean_fields(kind: str, fields: dict) -> dict:
    """Only the known fields of measure `kind`, stripped, each at most 5,000 characters."""
    if kind not in MEASURES:
        raise ValueError(f"unknown measure: {kind}")
    names = [f.name for f in MEASURES[kind].fields]
    return {n: str(fields.get(n) or "").strip()[:5000] for n in names}
