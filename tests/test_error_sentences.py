"""Errors shown in the window are sentences: a capital letter, a full stop, what to do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from observe_app.errors import BadInputError, as_sentence
from observe_app.protocols import loader
from observe_app.protocols.loader import ProtocolFileError


def test_a_clause_becomes_a_sentence():
    assert as_sentence("the disk is full: free some space") == "The disk is full: free some space."
    assert as_sentence("Already a sentence.") == "Already a sentence."
    assert as_sentence("  two\nlines ") == "Two lines."
    assert as_sentence("") == ""
    assert as_sentence("broken.json: no name") == "broken.json: no name."  # names stay


def test_an_error_says_what_to_do_as_a_sentence():
    error = BadInputError("a person needs a name; type one")
    assert error.sentence() == "A person needs a name; type one."
    assert str(error) == "a person needs a name; type one"  # the CLI's `error: ...` line


PROTOCOL_CORPUS = sorted((Path(__file__).resolve().parent / "data" / "bad" / "protocols").iterdir())


@pytest.mark.parametrize("path", PROTOCOL_CORPUS, ids=[p.name for p in PROTOCOL_CORPUS])
def test_each_bad_protocol_is_refused_with_a_sentence_then_its_path(path: Path) -> None:
    with pytest.raises(ProtocolFileError) as refused:
        loader.load_file(path)
    text = str(refused.value)
    sentence, _, detail = text.partition(" (at ")
    assert "$." not in sentence and "$[" not in sentence, text
    assert re.match(rf"{re.escape(path.name)}: [A-Z]", sentence), text
    assert sentence.endswith("."), text
    assert detail == "" or (detail.startswith("$") and detail.endswith(")")), text
    assert refused.value.sentence() == text  # the window shows the same, path last
