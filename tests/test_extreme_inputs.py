"""Inputs at the edges a user can reach from the command line: giant numbers, giant images.

Each must end in a one-line error (or a correct answer), never a traceback or a hang.
"""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from typer.testing import CliRunner

from probkit.errors import DataError, NumberFormatError
from probkit.numbers import format_exact, parse_number
from probkit_cli.app import app

runner = CliRunner()


@pytest.mark.parametrize("text", ["1e999999999", "1e-999999999", "2E+123456789/3"])
def test_astronomical_exponents_are_rejected_not_computed(text: str) -> None:
    with pytest.raises(NumberFormatError, match="exponent"):
        parse_number(text, what="prior of A")


def test_moderate_exponents_stay_exact() -> None:
    assert parse_number("1e-400") == Fraction(1, 10**400)
    assert parse_number("25e2%") == 25


def test_numbers_with_thousands_of_digits_are_a_number_format_error() -> None:
    with pytest.raises(NumberFormatError, match="digits"):
        parse_number("1" * 5000, what="prior of A")
    with pytest.raises(NumberFormatError, match="digits"):
        parse_number("1/" + "3" * 5000)


def test_format_exact_writes_long_fractions_in_full() -> None:
    tiny = Fraction(1, 10**5000)
    assert format_exact(tiny) == "1/1" + "0" * 5000
    assert format_exact(Fraction(7, 10**5000)) == "7/1" + "0" * 5000
    assert format_exact(Fraction(3, 4)) == "3/4"  # short ones as before


def test_bayes_with_many_tiny_exact_likelihoods_reports_exactly() -> None:
    tiny = ",".join(["1e-400"] * 12)  # the joint has 4800 decimal digits
    result = runner.invoke(app, ["bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                                 "--likelihood", f"A={tiny}", "--likelihood", f"B={tiny}",
                                 "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [h["posterior"] for h in payload["hypotheses"]] == ["1/2", "1/2"]
    assert payload["evidence"] == "1/1" + "0" * 4800


def test_giant_exponent_on_the_command_line_is_one_line() -> None:
    result = runner.invoke(app, ["bayes", "--prior", "A=1e999999999", "--prior", "B=1/2",
                                 "--likelihood", "A=1", "--likelihood", "B=1"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "1e999999999" in result.stderr


def test_decompression_bomb_photo_is_a_data_error(tmp_path, monkeypatch) -> None:
    from PIL import Image

    from probkit.classifier.data.images import load_photos

    photo = tmp_path / "huge.png"
    Image.fromarray(np.zeros((64, 64, 3), dtype=np.uint8)).save(photo)
    assert load_photos([photo], (4, 4)).shape == (1, 4, 4, 3)  # fine at the normal limit
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)  # now 64x64 is over 2x the limit
    with pytest.raises(DataError, match=r"huge\.png"):
        load_photos([photo], (4, 4))


def test_numbers_just_past_the_limit_are_refused_before_any_output() -> None:
    # 1e4300 is an integer of 4301 digits: too long for Python to print, so refuse it
    result = runner.invoke(app, ["urn", "--urn", "A=white:1e4300", "--urn", "B=white:1,black:1",
                                 "--draw", "white", "--json"])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and result.stdout == ""
    assert parse_number("9" * 100 + "e3000") == int("9" * 100) * 10**3000  # well inside
