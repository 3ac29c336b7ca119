"""The legal-basis resolver: for a (requesting, requested) pair, which bases apply and why.

Rules, in order of precedence (reference notes, sections 1.2 and 6(d)):

1. A bilateral MLA treaty in force between the pair governs (UNTOC 18(7)).
2. Between two parties to the Chisinau Convention, Chisinau applies and replaces Minsk
   (Chisinau art. 120(3)).
3. Between two parties to Minsk where Chisinau does not bind both (for example a Chisinau party
   and a Minsk-only party), Minsk 1993 applies (Chisinau art. 120(4)).
4. UNTOC art. 18 applies between UNTOC parties: as the basis where no treaty binds the pair, and
   otherwise as a supplementary basis (paras 9-29 only where the states agree, 18(7)).

The letter's language follows the first basis: Russian under Minsk or Chisinau (Minsk art. 17);
under UNTOC a language the requested state accepts (18(14)) - English where accepted, else
Russian where accepted, else the requested state's first language. The channel is the requested
state's first preferred channel that the basis allows.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .enums import Basis, Channel, Instrument, PartyStatus
from .models import BilateralTreaty, StateProfile

if TYPE_CHECKING:
    from tipnet.directory.models import Agency

CIS_CHANNELS = (Channel.DIRECT_COMPETENT, Channel.CENTRAL_AUTHORITY, Channel.DIPLOMATIC)
UNTOC_CHANNELS = (Channel.CENTRAL_AUTHORITY, Channel.DIPLOMATIC, Channel.INTERPOL_URGENT)
LETTER_LANGUAGES = ("en", "ru")


@dataclass
class BasisOption:
    code: str
    rule: str
    is_primary: bool
    # The unverified facts this option rests on, for the warning shown beside it.
    unverified: list[str] = field(default_factory=list)


@dataclass
class Resolution:
    requesting: str
    requested: str
    bases: list[BasisOption]
    languages: list[str]
    accepted_languages: list[str]
    channel: str
    central_authority: "Agency | None"
    unverified: list[str]
    problem: str = ""

    @property
    def codes(self) -> list[str]:
        return [b.code for b in self.bases]

    def option(self, code: str) -> BasisOption | None:
        return next((b for b in self.bases if b.code == code), None)


def _statuses(profile: StateProfile | None) -> dict[str, tuple[str, bool]]:
    if profile is None:
        return {}
    return {s.instrument: (s.status, s.is_verified) for s in profile.parties.all()}


def _both(a: dict, b: dict, instrument: str, codes: tuple[str, str]) -> tuple[bool, list[str]]:
    """Whether both states are parties, and which of the deciding facts are unverified."""
    facts = [(codes[0], a.get(instrument)), (codes[1], b.get(instrument))]
    both = all(f is not None and f[0] == PartyStatus.PARTY for _c, f in facts)
    unverified = [f"{c}: {instrument}" for c, f in facts if f is None or not f[1]]
    return both, unverified


def _bilateral(requesting: str, requested: str) -> BilateralTreaty | None:
    a, b = sorted((requesting, requested))
    return BilateralTreaty.objects.filter(state_a=a, state_b=b).first()


def _treaty_options(requesting, requested, ours, theirs) -> list[BasisOption]:
    options = []
    treaty = _bilateral(requesting, requested)
    if treaty is not None:
        rule = _("A bilateral treaty binds the pair: %(title)s (UNTOC 18(7)).") % {
            "title": treaty.title
        }
        unverified = [] if treaty.is_verified else [f"{treaty.code}: in force"]
        options.append(BasisOption(f"BILATERAL:{treaty.code}", rule, True, unverified))
    pair = (requesting, requested)
    chisinau, c_unverified = _both(ours, theirs, Instrument.CHISINAU_2002, pair)
    minsk, m_unverified = _both(ours, theirs, Instrument.MINSK_1993, pair)
    if chisinau:
        rule = _("Both states are parties to Chisinau 2002, which replaces Minsk between them.")
        options.append(BasisOption(Basis.CHISINAU_2002, rule, not options, c_unverified))
    elif minsk:
        rule = _("Both states are parties to Minsk 1993 and Chisinau 2002 does not bind both.")
        unverified = m_unverified + c_unverified
        options.append(BasisOption(Basis.MINSK_1993, rule, not options, unverified))
    return options


def _untoc_option(requesting, requested, ours, theirs, has_treaty: bool) -> BasisOption | None:
    both, unverified = _both(ours, theirs, Instrument.UNTOC, (requesting, requested))
    if not both:
        return None
    if has_treaty:
        rule = _("UNTOC art. 18 as a supplementary basis (paras 9-29 only where both agree).")
    else:
        rule = _("No treaty binds the pair: UNTOC art. 18, paras 9-29 apply.")
    return BasisOption(Basis.UNTOC_18, rule, not has_treaty, unverified)


def letter_languages(basis: str, accepted: list[str], treaty: BilateralTreaty | None) -> list[str]:
    """The language(s) a letter on `basis` must be written in, for a state accepting `accepted`."""
    if basis in (Basis.MINSK_1993, Basis.CHISINAU_2002):
        return ["ru"]
    if treaty is not None and treaty.languages:
        return [lang for lang in treaty.languages if lang in LETTER_LANGUAGES][:1] or ["en"]
    for lang in LETTER_LANGUAGES:
        if lang in accepted:
            return [lang]
    return ["en"]


def choose_channel(basis: str, preferred: list[str], treaty: BilateralTreaty | None) -> str:
    """The requested state's first preferred channel that `basis` allows."""
    if treaty is not None and basis.startswith("BILATERAL:") and treaty.channels:
        return treaty.channels[0]
    allowed = CIS_CHANNELS if basis in (Basis.MINSK_1993, Basis.CHISINAU_2002) else UNTOC_CHANNELS
    return next((c for c in preferred if c in allowed), Channel.CENTRAL_AUTHORITY)


def _profile(code: str) -> StateProfile | None:
    return (
        StateProfile.objects.select_related("central_authority", "country")
        .prefetch_related("parties")
        .filter(country_id=code)
        .first()
    )


def _profile_unverified(profile: StateProfile) -> list[str]:
    code = profile.country_id
    checks = [
        (profile.languages_verified, _("%(c)s: accepted languages")),
        (profile.central_authority_verified, _("%(c)s: central authority")),
        (profile.channels_verified, _("%(c)s: channels")),
    ]
    return [text % {"c": code} for ok, text in checks if not ok]


def resolve(requesting: str, requested: str, basis: str | None = None) -> Resolution:
    """The applicable bases for the pair in order of precedence, with language and channel.

    Args:
        requesting: ISO alpha-2 code of the requesting state.
        requested: ISO alpha-2 code of the requested state.
        basis: the basis chosen by the drafter; language and channel follow it (the first
            applicable basis when omitted or not applicable).

    Returns:
        A Resolution; `problem` explains an empty `bases` list.

    Example:
        resolve("UZ", "KZ").codes == ["MINSK_1993", "UNTOC_18"]
    """
    requesting, requested = requesting.upper(), requested.upper()
    ours, theirs = _profile(requesting), _profile(requested)
    empty = Resolution(requesting, requested, [], [], [], "", None, [])
    if requesting == requested:
        empty.problem = _("A state does not request legal assistance from itself.")
        return empty
    if ours is None or theirs is None:
        empty.problem = _("No treaty facts are recorded for %(c)s.") % {
            "c": requesting if ours is None else requested
        }
        return empty
    a, b = _statuses(ours), _statuses(theirs)
    options = _treaty_options(requesting, requested, a, b)
    untoc = _untoc_option(requesting, requested, a, b, bool(options))
    options += [untoc] if untoc else []
    chosen = next((o for o in options if o.code == basis), options[0] if options else None)
    if chosen is None:
        empty.problem = _("No legal basis is recorded between %(a)s and %(b)s.") % {
            "a": requesting,
            "b": requested,
        }
        return empty
    treaty = _bilateral(requesting, requested) if chosen.code.startswith("BILATERAL:") else None
    languages = letter_languages(chosen.code, theirs.languages, treaty)
    channel = choose_channel(chosen.code, theirs.channels, treaty)
    unverified = chosen.unverified + _profile_unverified(theirs)
    return Resolution(
        requesting,
        requested,
        options,
        languages,
        list(theirs.languages),
        channel,
        theirs.central_authority,
        unverified,
    )
