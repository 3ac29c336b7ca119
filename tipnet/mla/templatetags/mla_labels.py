"""Template filters that show MLA codes (states, transitions, measures, bases) by their labels."""

from django import template
from django.utils.translation import get_language_info, gettext, override
from django.utils.translation import gettext_lazy as _

from tipnet.directory.countries import country_name

from ..enums import Basis, Channel, Direction, Instrument, RefusalGround, State
from ..measures import MEASURES
from ..names import agency_name

register = template.Library()

TRANSITION_LABELS = {
    "submit": _("Submit"),
    "acknowledge": _("Acknowledge receipt"),
    "return_deficient": _("Return as deficient"),
    "revise": _("Take back to draft"),
    "assess": _("Register and assess"),
    "request_info": _("Request additional information"),
    "provide_info": _("Provide additional information"),
    "consult": _("Consult the requesting state"),
    "end_consultation": _("End the consultation"),
    "accept": _("Accept for execution"),
    "postpone": _("Postpone"),
    "resume": _("Resume execution"),
    "report_partial": _("Send partial results"),
    "report_executed": _("Send the final results"),
    "refuse": _("Refuse"),
    "withdraw": _("Withdraw"),
    "close": _("Close"),
}


@register.filter
def state_label(code: str) -> str:
    return str(dict(State.choices).get(code, code))


@register.filter
def transition_label(code: str) -> str:
    return str(TRANSITION_LABELS.get(code, code))


@register.filter
def measure_label(code: str) -> str:
    measure = MEASURES.get(code)
    return str(measure.label) if measure else code


@register.filter
def field_label(name: str, kind: str) -> str:
    """The label of field `name` of measure `kind`."""
    measure = MEASURES.get(kind)
    found = next((f for f in measure.fields if f.name == name), None) if measure else None
    return str(found.label) if found else name


@register.filter
def basis_label(code: str) -> str:
    return str(dict(Basis.choices).get(code, code))


@register.filter
def direction_label(code: str) -> str:
    return str(dict(Direction.choices).get(code, code))


@register.filter
def ground_label(code: str) -> str:
    return str(dict(RefusalGround.choices).get(code, code))


CLOCK_LABELS = {
    "acknowledge": _("acknowledgement"),
    "decide": _("decision"),
    "execute": _("execution"),
    "deadline": _("requested deadline"),
}


@register.filter
def clock_label(code: str) -> str:
    return str(CLOCK_LABELS.get(code, code))


@register.filter
def language_label(code: str) -> str:
    """A language's name in the page's language ("en" -> "English", "Ingliz tili")."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@register.filter
def languages_label(codes) -> str:
    return ", ".join(language_label(code) for code in codes or [])


@register.filter
def channel_label(code: str) -> str:
    return str(dict(Channel.choices).get(code, code))


@register.filter
def channels_label(codes) -> str:
    return ", ".join(channel_label(code) for code in codes or [])


@register.filter
def instrument_label(code: str) -> str:
    return str(dict(Instrument.choices).get(code, code))


@register.filter
def fact_label(fact: str) -> str:
    """An unverified fact ("TJ: CHISINAU_2002") with the instrument's name instead of its code."""
    state, sep, rest = str(fact).partition(": ")
    if not sep:
        return str(fact)
    labels = dict(Instrument.choices) | dict(Basis.choices)
    return f"{state}: {labels.get(rest, rest)}"


# The resolver's rules (tipnet.mla.resolver) that a request stores in the language of whoever
# drafted it, and that travel to the other node as written.
_RULES = (
    "Both states are parties to Chisinau 2002, which replaces Minsk between them.",
    "Both states are parties to Minsk 1993 and Chisinau 2002 does not bind both.",
    "UNTOC art. 18 as a supplementary basis (paras 9-29 only where both agree).",
    "No treaty binds the pair: UNTOC art. 18, paras 9-29 apply.",
)


def _rule_msgid(text: str) -> str | None:
    for language in ("en", "ru", "uz"):
        with override(language):
            for msgid in _RULES:
                if gettext(msgid) == text:
                    return msgid
    return None


@register.filter
def rule_label(text: str) -> str:
    """A stored basis rule in the page's language, whichever language it was stored in."""
    msgid = _rule_msgid(str(text or ""))
    return gettext(msgid) if msgid else str(text or "")


@register.filter
def agency_label(stored: str) -> str:
    """A stored authority in the page's language when it names a directory agency."""
    return agency_name(str(stored or ""))


@register.filter
def country_label(code: str) -> str:
    """A country's name in the page's language ("AE" -> "United Arab Emirates")."""
    return country_name(str(code or ""))
