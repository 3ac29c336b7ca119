"""The legal-basis resolver over all 81 pairs of the nine focus states."""

import pytest

from tipnet.mla.actions import do_add_bilateral_treaty
from tipnet.mla.resolver import resolve

STATES = ("UZ", "KG", "KZ", "TJ", "TM", "RU", "TR", "AE", "TH")
CIS = {"UZ", "KG", "KZ", "TJ", "TM", "RU"}
CHISINAU = {"KZ", "KG"}  # ratified and deposited; TJ and RU only signed


def expected(a: str, b: str) -> tuple[list[str], list[str], str]:
    """The bases, letter language and channel the reference notes (section 6(d)) give."""
    if a == b:
        return [], [], ""
    if a in CIS and b in CIS:
        first = "CHISINAU_2002" if {a, b} <= CHISINAU else "MINSK_1993"
        channel = "central_authority" if b in {"TM", "RU"} else "direct_competent"
        return [first, "UNTOC_18"], ["ru"], channel
    language = {"RU": "ru", "UZ": "ru", "KG": "ru", "KZ": "ru", "TJ": "ru", "TM": "ru"}.get(b, "en")
    channel = "diplomatic" if b == "AE" else "central_authority"
    return ["UNTOC_18"], [language], channel


PAIRS = [(a, b) for a in STATES for b in STATES]


def test_the_table_covers_81_pairs():
    assert len(PAIRS) == 81


@pytest.mark.parametrize(("requesting", "requested"), PAIRS)
def test_each_pair_gets_the_bases_language_and_channel_of_the_reference(
    treaties, requesting, requested
):
    result = resolve(requesting, requested)
    bases, languages, channel = expected(requesting, requested)
    assert (result.codes, result.languages, result.channel) == (bases, languages, channel)


def test_every_basis_says_which_rule_decided_it(treaties):
    result = resolve("KZ", "UZ")
    assert "Chisinau 2002 does not bind both" in result.bases[0].rule
    assert result.bases[0].is_primary and not result.bases[1].is_primary


def test_chisinau_replaces_minsk_between_chisinau_parties(treaties):
    assert "MINSK_1993" not in resolve("KG", "KZ").codes


def test_a_pair_with_itself_has_no_basis_and_says_why(treaties):
    result = resolve("UZ", "UZ")
    assert result.bases == [] and "itself" in result.problem


def test_unverified_facts_that_decide_the_basis_are_reported(treaties):
    result = resolve("KZ", "TJ")
    assert "TJ: CHISINAU_2002" in result.unverified
    assert "KZ: CHISINAU_2002" not in result.unverified  # deposited 29.03.2004, verified


def test_a_bilateral_treaty_takes_precedence_and_untoc_becomes_supplementary(treaties):
    do_add_bilateral_treaty(
        None,
        code="kz-ae-test",
        states=["KZ", "AE"],
        title="KZ-AE MLA treaty (fictional)",
        source="test",
        languages=["en"],
        channels=["central_authority"],
    )
    result = resolve("AE", "KZ")
    assert result.codes == ["BILATERAL:kz-ae-test", "UNTOC_18"]
    assert result.channel == "central_authority" and not result.bases[1].is_primary
    assert "kz-ae-test: in force" in result.unverified


def test_a_state_without_treaty_facts_gets_no_basis_and_a_reason(treaties):
    result = resolve("UZ", "FR")
    assert result.bases == [] and "FR" in result.problem


def test_the_chosen_basis_decides_language_and_channel(treaties):
    result = resolve("UZ", "KZ", basis="UNTOC_18")
    assert result.codes == ["MINSK_1993", "UNTOC_18"]
    assert result.languages == ["ru"] and result.channel == "central_authority"
