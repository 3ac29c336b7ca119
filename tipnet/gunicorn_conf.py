"""Gunicorn settings of `tipnet serve` (the command line gives bind, workers and threads)."""

import logging

log = logging.getLogger("tipnet.serve")

# A letter in Cyrillic and Latin, rendered once so that fonts are found and cached too.
_WARM_HTML = '<p style="font-family: DejaVu Serif">Письмо · Letter</p>'


def warm_pdf() -> None:
    """Load WeasyPrint and render one small page, so that the first PDF letter a user asks for
    does not wait for the library (about 2 s) and its fonts to load."""
    try:
        from weasyprint import HTML

        HTML(string=_WARM_HTML).write_pdf()
    except Exception:  # a node without the PDF libraries still serves everything else
        log.exception("WeasyPrint did not load; PDF letters will load it on first use")


def post_fork(server, worker) -> None:
    # In each worker, not in the master: the libraries WeasyPrint loads (fontconfig, Pango)
    # are not meant to be shared across a fork.
    warm_pdf()


# Each worker listens on a socket of its own (SO_REUSEPORT) and the kernel spreads new
# connections over them. On one shared socket the first worker to wake accepts a burst of
# connections, and a kept-alive connection stays with the worker that accepted it: a few
# busy clients could all land on one worker, one core, while the others idle.
reuse_port = True
