"""Letters of request: one translatable template rendered to PDF (WeasyPrint) and DOCX.

`templates/mla/letter/body.html` holds the letter's text in plain, flat HTML (h1, h2, p, li);
the PDF is that HTML with a print stylesheet, and the DOCX is built from the same elements by a
small HTML walker, so both formats always say the same thing. The language is switched with
translation.override: Russian for Minsk/Chisinau, English otherwise (resolver.letter_languages).

Who reads which identities is decided once, in access.py: `render` (every letter a user
downloads) takes the reader and names only the persons `access.access_persons` gives them, a
victim they may not see as a translated placeholder. Only the letter transmitted to the requested
state (`render_pdf` without persons, called by `do_submit`) names everyone.
"""

import io
from html.parser import HTMLParser

from django.db.models import Field
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .access import access_persons
from .completeness import person_fields
from .enums import Basis, Channel, Confidentiality, PersonKind, Proceedings, Urgency
from .measures import MEASURES
from .models import MlaPerson
from .names import agency_name
from .offences import cited_articles
from .transitions import PERSON_FIELDS

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {"pdf": "application/pdf", "docx": DOCX}
LANGUAGES = ("en", "ru")


def _label(choices, code: str) -> str:
    return str(dict(choices).get(code, code))


def _measures(req) -> list[dict]:
    rows = []
    for m in req.measures.all():
        spec = MEASURES.get(m.kind)
        if spec is None:
            continue
        lines = [(str(f.label), m.fields.get(f.name, "")) for f in spec.fields]
        rows.append(
            {
                "label": str(spec.label),
                "article": spec.article,
                "lines": [(k, v) for k, v in lines if v],
            }
        )
    return rows


def _verbose_name(name: str) -> str:
    field = MlaPerson._meta.get_field(name)
    assert isinstance(field, Field)  # person_fields names fields, not relations
    return str(field.verbose_name)


def _persons(persons) -> list[dict]:
    names = [n for n in PERSON_FIELDS if n != "kind"]
    rows = []
    for p in persons:
        lines = [(_verbose_name(n), getattr(p, n)) for n in names]
        rows.append(
            {"kind": _label(PersonKind.choices, p.kind), "lines": [(k, v) for k, v in lines if v]}
        )
    return rows


def _basis_label(code: str) -> str:
    if code.startswith("BILATERAL:"):
        from .models import BilateralTreaty

        treaty = BilateralTreaty.objects.filter(code=code.split(":", 1)[1]).first()
        return treaty.title if treaty else code
    return _label(Basis.choices, code)


def letter_context(req, persons=None) -> dict:
    """What the letter template needs, with every label in the active language; `persons` as
    access.access_persons gives them (every person of `req` when None)."""
    return {
        "req": req,
        "today": timezone.localdate(),
        "basis": _basis_label(req.legal_basis),
        "proceedings": _label(Proceedings.choices, req.proceedings),
        "urgency": _label(Urgency.choices, req.urgency),
        "is_urgent": req.urgency != Urgency.ROUTINE,
        "confidential": req.confidentiality == Confidentiality.REQUIRED,
        "channel": _label(Channel.choices, req.channel),
        "measures": _measures(req),
        "persons": _persons(req.persons.all() if persons is None else persons),
        "annexes": [line.strip() for line in req.annexes.splitlines() if line.strip()],
        "is_cis": req.is_cis_basis,
        "person_fields": person_fields(req),
        "from_authority": agency_name(req.requesting_authority),
        "to_authority": agency_name(req.requested_authority),
        "articles": cited_articles(
            req.requesting_state, req.offences, req.case.offence_articles if req.case else ""
        ),
    }


def render_html(req, lang: str, persons=None) -> str:
    """The letter as HTML in `lang` ("en" or "ru"), naming `persons` (see letter_context)."""
    if lang not in LANGUAGES:
        raise ValueError(f"letters are written in {', '.join(LANGUAGES)}, not {lang}")
    with translation.override(lang):
        return render_to_string("mla/letter/body.html", letter_context(req, persons))


def render_pdf(req, lang: str, persons=None) -> bytes:
    """The letter as a PDF in `lang`, with DejaVu fonts so that Cyrillic renders.

    Without `persons` it names everyone: the letter transmitted to the requested state.
    """
    from weasyprint import HTML

    return HTML(string=render_html(req, lang, persons)).write_pdf()


class _Blocks(HTMLParser):
    """Collects (tag, text) for each h1/h2/h3/p/li of the flat letter HTML."""

    TAGS = frozenset({"h1", "h2", "h3", "p", "li"})

    def __init__(self) -> None:
        super().__init__()
        self.blocks: list[tuple[str, str]] = []
        self._tag: str | None = None
        self._text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "head"):
            self._skip += 1
        elif tag in self.TAGS:
            self._tag, self._text = tag, []
        elif tag == "br" and self._tag:
            self._text.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "head"):
            self._skip -= 1
        elif tag == self._tag:
            text = " ".join("".join(self._text).split(" ")).strip()
            self.blocks.append((tag, text))
            self._tag = None

    def handle_data(self, data):
        if self._tag and not self._skip:
            self._text.append(" ".join(data.split()) if "\n" in data else data)


def render_docx(req, lang: str, persons=None) -> bytes:
    """The letter as a DOCX in `lang`, built from the same template as the PDF."""
    from docx import Document

    parser = _Blocks()
    parser.feed(render_html(req, lang, persons))
    document = Document()
    styles = {
        "h1": ("Title", None),
        "h2": ("Heading 1", None),
        "h3": ("Heading 2", None),
        "li": ("List Bullet", None),
        "p": (None, None),
    }
    for tag, text in parser.blocks:
        style = styles[tag][0]
        document.add_paragraph(text, style=style) if style else document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(req, fmt: str, lang: str, *, reader) -> tuple[str, str, bytes]:
    """(filename, content type, bytes) of the letter in format `fmt` and language `lang`, as
    `reader` (the user who downloads it) may read it: see access.may_see_identities."""
    if fmt not in FORMATS:
        raise ValueError(f"letters are rendered as {', '.join(FORMATS)}")
    persons = access_persons(reader, req, fmt)
    content = render_pdf(req, lang, persons) if fmt == "pdf" else render_docx(req, lang, persons)
    return f"{req.reference}-{lang}.{fmt}", FORMATS[fmt], content
