"""Errors shown in the window are sentences: a capital letter, a full stop, what to do."""

from __future__ import annotations

from observe_app.errors import BadInputError, as_sentence


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
