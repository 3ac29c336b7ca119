"""MLA benchmark: the legal-basis resolver over the 81 focus pairs, and rendering a letter.

    nice -n 10 .venv/bin/python bench/mla/bench.py

Runs on a throwaway SQLite database in a temporary folder (the treaty data and the directory
demo are loaded into it), drafts one complete request to the UAE and one to Kazakhstan, and
times, after warm-up: resolve() for all 81 pairs, the PDF letter (WeasyPrint) and the DOCX
letter (python-docx) of each. The peer is WeasyPrint rendering the same HTML without tipnet
(`HTML(string).write_pdf()` on the pre-rendered letter), so the ratio shows tipnet's own cost.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tipnet.settings")
os.environ["DATABASE_URL"] = ""
os.environ["TIPNET_DATA_DIR"] = tempfile.mkdtemp(prefix="tipnet-bench-mla-")


def _timed(fn, runs: int) -> tuple[float, float]:
    samples = []
    for _i in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def _setup():
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("demo", stdout=open(os.devnull, "w"))  # noqa: SIM115


def main() -> None:
    _setup()
    from weasyprint import HTML

    from tipnet.mla import letters
    from tipnet.mla.models import MlaRequest
    from tipnet.mla.resolver import resolve

    states = ("UZ", "KG", "KZ", "TJ", "TM", "RU", "TR", "AE", "TH")
    pairs = [(a, b) for a in states for b in states]
    rows = [("resolve() for 81 pairs", *_timed(lambda: [resolve(a, b) for a, b in pairs], 30))]
    outgoing = MlaRequest.objects.filter(direction="outgoing").order_by("pk")
    # The demo holds several requests to each state: the first of each, in a fixed order.
    for state in ("KZ", "AE"):
        req = outgoing.filter(requested_state=state).first()
        if req is None:
            sys.exit(f"the demo data hold no outgoing request to {state}")
        lang = req.language
        html = letters.render_html(req, lang)
        _timed(lambda r=req, lg=lang: letters.render_pdf(r, lg), 3)  # warm-up (fonts)
        rows.append(
            (
                f"PDF letter to {req.requested_state} ({lang})",
                *_timed(lambda r=req, lg=lang: letters.render_pdf(r, lg), 20),
            )
        )
        rows.append(
            (
                f"peer: WeasyPrint on the same HTML ({req.requested_state})",
                *_timed(lambda h=html: HTML(string=h).write_pdf(), 20),
            )
        )
        rows.append(
            (
                f"DOCX letter to {req.requested_state} ({lang})",
                *_timed(lambda r=req, lg=lang: letters.render_docx(r, lg), 20),
            )
        )
    print("| measure | p50 ms | p95 ms |\n|---|---|---|")
    for name, p50, p95 in rows:
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")


if __name__ == "__main__":
    main()
