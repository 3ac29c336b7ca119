"""The examples in the public docstrings are run, so the documentation cannot drift."""

import doctest

import pytest

from tipnet.linkage import identifiers, matching, names, scripts, translit


@pytest.mark.parametrize("module", [identifiers, matching, names, scripts, translit])
def test_docstring_examples_hold(module):
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert tried > 0
    assert failures == 0
