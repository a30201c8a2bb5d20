"""The one scanner and token reader the event and formula languages share."""

from __future__ import annotations

import pytest

from probkit.bayes import events, formulas
from probkit.bayes.events import parse_event
from probkit.bayes.formulas import parse_formula
from probkit.bayes.tokens import COMPARISONS, TokenReader, tokenize
from probkit.errors import InputError


def test_both_languages_read_with_the_shared_scanner_and_reader():
    assert issubclass(events._Parser, TokenReader)
    assert issubclass(formulas._Parser, TokenReader)
    assert set(COMPARISONS) == {"<", "<=", ">", ">=", "==", "!="}
    with pytest.raises(InputError) as event_error:
        parse_event("N > $5", ["N"])
    with pytest.raises(InputError) as formula_error:
        parse_formula("N + $5", ["N"])
    assert str(event_error.value) == "event 'N > $5': unexpected '$' at character 5"
    assert str(formula_error.value) == "formula 'N + $5': unexpected '$' at character 5"
    assert event_error.value.parameter is None
    assert formula_error.value.parameter == "formula"


def test_a_sign_glued_after_an_operand_is_refused_only_where_numbers_are_signed():
    with pytest.raises(InputError, match=r"unexpected '-5' at character 2"):
        parse_event("N-5 > 0", ["N"])
    assert parse_formula("N-5", ["N"]).value({"N": 7}) == 2
    tokens = tokenize("N -5", events._TOKEN, what="event")
    assert [kind for kind, _, _ in tokens] == ["name", "number"]
    reader = TokenReader("N", tokenize("N", events._TOKEN, what="event"), ["N"], what="event")
    reader.position = 1
    assert str(reader.fail("'>'")) == "event 'N': ends early; expected '>'"
