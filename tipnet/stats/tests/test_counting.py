"""The counting rules on small hand-built data."""

from datetime import date

from tipnet.stats import indicators
from tipnet.stats.periods import parse

YEAR = parse("2025")


def test_one_person_in_three_cases_is_one_suspect(build):
    karim = build.person("Karim Rasulov", passport="AA1234567")
    for month in (2, 5, 9):
        build.suspect(build.case(date(2025, month, 1)), karim)
    # The same man recorded again as another person row, with the same passport.
    again = build.person("Карим Расулов", passport="AA1234567")
    build.suspect(build.case(date(2025, 10, 1)), again)
    other = build.person("Aziz Karimov", sex="female", citizenship="KG")
    build.suspect(build.case(date(2025, 11, 1)), other)
    counts = indicators.person_counts(YEAR)
    assert counts == {
        ("suspected", "male", "unknown", "UZ"): 1,
        ("suspected", "female", "unknown", "KG"): 1,
    }


def test_records_of_one_person_that_disagree_count_once_with_the_known_values(build):
    # One woman recorded twice (one passport): once with her sex and KG, once with neither.
    first = build.person("Dilnoza Yusupova", sex="female", citizenship="KG", passport="AB7654321")
    again = build.person("Дилноза Юсупова", sex="unknown", citizenship="", passport="AB7654321")
    build.suspect(build.case(date(2025, 2, 1)), first)
    build.suspect(build.case(date(2025, 3, 1)), again)
    assert indicators.person_counts(YEAR) == {("suspected", "female", "unknown", "KG"): 1}


def test_a_case_that_skipped_a_stage_counts_at_the_skipped_stage(build):
    # Straight from detection to prosecution in March 2025, to trial in 2026.
    build.case(date(2025, 1, 5), [(date(2025, 3, 1), "prosecution"), (date(2026, 2, 1), "trial")])
    build.case(date(2024, 12, 5), [(date(2025, 1, 10), "investigation")])
    counts = indicators.case_stage_counts(YEAR)
    assert counts == {
        "detected": 1,
        "investigated": 2,
        "prosecuted": 1,
        "tried": 0,
        "adjudicated": 0,
    }
    assert indicators.case_stage_counts(parse("2025 and Q1 2026"))["tried"] == 1


def test_a_re_identified_victim_counts_once_at_the_highest_status(build):
    victim = build.victim(date(2025, 2, 1), birth_year=2010)
    build.decide(victim, "presumed", date(2025, 2, 3))
    build.decide(victim, "identified", date(2025, 6, 1))
    build.decide(victim, "presumed", date(2025, 8, 1))  # re-screened later in the year
    late = build.victim(date(2025, 12, 1), sex="male", birth_year=1990)
    build.decide(late, "presumed", date(2025, 12, 2))
    build.decide(late, "identified", date(2026, 1, 15))
    build.victim(date(2025, 3, 1))  # potential only: not detected
    rows = indicators.victim_rows(YEAR)
    counted = sorted((r["best"], r["sex"], r["age"], r["n"]) for r in rows)
    assert counted == [(2, "male", "adult", 1), (3, "female", "child", 1)]
    # Over "2025 and Q1 2026" the late victim is counted once, as identified.
    union = indicators.victim_rows(parse("2025 and Q1 2026"))
    assert sorted((r["best"], r["n"]) for r in union) == [(3, 1), (3, 1)]


def test_suspects_are_counted_at_each_stage_by_the_dated_moves(build):
    moves = [(date(2025, 2, 1), "investigation"), (date(2025, 4, 1), "prosecution")]
    moves += [(date(2025, 6, 1), "trial"), (date(2025, 9, 1), "closed")]
    case = build.case(date(2025, 1, 10), moves, outcome="convicted")
    build.suspect(case, build.person("A One"), status="convicted")
    build.suspect(case, build.person("B Two", sex="female"), status="acquitted")
    counts = indicators.person_counts(YEAR)
    stages = {}
    for (stage, _sex, _age, _cit), n in counts.items():
        stages[stage] = stages.get(stage, 0) + n
    assert stages == {"suspected": 2, "charged": 2, "prosecuted": 2, "convicted": 1, "acquitted": 1}


def test_a_victim_counts_under_each_form_and_once_in_the_total(build):
    both = build.victim(date(2025, 4, 1), exploitation_forms=["labour", "domestic"])
    build.decide(both, "identified", date(2025, 4, 2))
    one = build.victim(date(2025, 5, 1), exploitation_forms=["labour"])
    build.decide(one, "presumed", date(2025, 5, 2))
    forms = {k: n for k, n in indicators.victim_forms(YEAR).items() if n}
    assert forms == {
        ("identified", "labour"): 1,
        ("identified", "domestic"): 1,
        ("presumed", "labour"): 1,
    }
    assert sum(r["n"] for r in indicators.victim_rows(YEAR)) == 2


def test_suspects_are_counted_by_age_group_from_the_clear_band(build):
    from datetime import UTC, datetime

    from tipnet.cases.models import Person

    case = build.case(date(2025, 3, 1))
    boy = build.person("Young One")
    boy.birth_year, boy.created_at = 2010, datetime(2025, 3, 1, tzinfo=UTC)
    boy.save()
    man = build.person("Old One")
    man.birth_year, man.created_at = 1980, datetime(2025, 3, 1, tzinfo=UTC)
    man.save()
    build.suspect(case, boy)
    build.suspect(case, man)
    build.suspect(case, build.person("No Birth"))
    assert Person.objects.get(pk=boy.pk).age_group == "child"
    ages = {age: n for (_stage, _sex, age, _cit), n in indicators.person_counts(YEAR).items()}
    assert ages == {"child": 1, "adult": 1, "unknown": 1}
    # The role keeps the person's clear attributes when the person changes after the role.
    man.sex, man.citizenships = "female", ["KG"]
    man.save()
    counts = indicators.person_counts(YEAR)
    assert counts[("suspected", "female", "adult", "KG")] == 1
    table = {t.key: t for t in indicators.persons_family(YEAR)}["persons_by_age"]
    assert table.values[("suspected", "child")] == 1
