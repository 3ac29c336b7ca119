"""tipnet's linkage engine: find the same person across records, scripts and spellings.

The public API is this module's five functions (names) and ``tipnet.linkage.identifiers``
(phones, documents, e-mails, partial dates). Probabilistic linkage of whole files lives in
``tipnet.linkage.engine``; it is the only code in tipnet that imports Splink.
"""

from tipnet.linkage.matching import best_matches
from tipnet.linkage.names import name_keys, name_similarity
from tipnet.linkage.translit import latin_form, latin_variants

__all__ = ["best_matches", "latin_form", "latin_variants", "name_keys", "name_similarity"]
