"""Russian and Uzbek catalogues are complete, compiled, and cover every string in the code."""

import shutil
import subprocess

import polib
import pytest
from django.utils import translation

from tipnet.lib.i18n import PACKAGE, catalogues, gaps

ROOT = PACKAGE.parent


def test_there_is_a_russian_and_an_uzbek_catalogue_for_the_project_and_each_app():
    roots = {po.parents[2] for po in catalogues()}
    apps = {p.parent for p in PACKAGE.glob("*/apps.py")}
    assert PACKAGE / "locale" in {r for r in roots}
    assert {a / "locale" for a in apps} <= roots
    for root in roots:
        assert (root / "ru/LC_MESSAGES/django.po").exists()
        assert (root / "uz/LC_MESSAGES/django.po").exists()


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_entry_is_translated(po_path):
    assert [(g.msgid, g.problem) for g in gaps(po_path)] == []


@pytest.mark.parametrize("po_path", catalogues(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_compiled_catalogue_matches_its_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), "run scripts/i18n compile"
    source = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(po_path)).translated_entries()
    }
    compiled = {
        (e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.mofile(str(mo_path))
        if e.msgid
    }
    assert compiled == source


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_no_string_in_the_code_is_missing_from_the_catalogues(tmp_path):
    copy = tmp_path / "repo"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".tools", "var", ".git", "node_modules", "__pycache__"
        ),
    )
    venv_python = ROOT / ".venv" / "bin" / "python"
    subprocess.run(
        ["bash", str(copy / "scripts" / "i18n"), "update"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": f"{venv_python.parent}:/usr/bin:/bin", "I18N_VENV": str(ROOT / ".venv")},
    )
    for po_path in copy.glob("tipnet/**/locale/*/LC_MESSAGES/django.po"):
        if po_path.stat().st_size == 0:  # an app without any translatable string yet
            continue
        committed_path = ROOT / po_path.relative_to(copy)
        assert committed_path.exists(), f"run scripts/i18n update: {committed_path}"
        fresh = {e.msgid for e in polib.pofile(str(po_path)) if not e.obsolete}
        committed = {e.msgid for e in polib.pofile(str(committed_path)) if not e.obsolete}
        assert sorted(fresh - committed) == [], f"run scripts/i18n update: {committed_path}"


@pytest.mark.parametrize(("lang", "expected"), [("ru", "Справочник"), ("uz", "Ma’lumotnoma")])
def test_pages_render_in_the_chosen_language(investigator, client_as, lang, expected):
    client = client_as(investigator)
    client.post("/i18n/setlang/", {"language": lang, "next": "/"})
    assert expected in client.get("/").content.decode()
    with translation.override(lang):
        assert translation.gettext("Directory") == expected
