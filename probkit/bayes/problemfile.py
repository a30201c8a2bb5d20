r"""Bayes problems from TOML files (standard library ``tomllib``).

Every problem the command line takes has a file form; ``probkit bayes --file
problem.toml`` (or ``-`` for standard input) reads one. The format is
documented, with an example of each kind, in docs/bayes.md. A file holds one
kind of problem:

* numeric -- tables ``[hypotheses]`` (``values``, ``name``, ``prior``),
  ``[likelihood]`` (``family``, ``data``) and optionally ``[report]``
  (``credible``, ``events``, ``predict``);
* named hypotheses -- ``[bayes]`` (``prior``, ``likelihood``, ``normalize``,
  ``observations``);
* urns -- ``[urn]`` (``urns``, ``draws``, ``replacement``, ``prior``, ``normalize``);
* a diagnostic test -- ``[diagnostic]`` (``prevalence``, ``sensitivity``,
  ``specificity`` or ``false_positive_rate``, ``results``);

plus, for any kind, ``[monte_carlo]`` (``draws``, ``method``, ``seed``,
``workers``). An unknown key or a value of the wrong type is an error naming
the key and its line. TOML floats are read from their decimal text, so
``0.9`` is exactly 9/10, as on the command line.

>>> loaded = parse_problem('''
... [hypotheses]
... values = "4,6,8,12,20"
... [likelihood]
... family = "uniform"
... data = [6]
... ''')
>>> [str(p) for p in solve_problem(loaded.problem).probabilities]
['0', '20/51', '5/17', '10/51', '2/17']
>>> parse_problem('[likelihood]\nfamly = "uniform"\n', source="p.toml")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
probkit.errors.InputError: p.toml, line 2: unknown key 'famly' in [likelihood] (known: family, ...)
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from probkit.bayes.exact import Posterior
from probkit.bayes.numeric import NumericPosterior, NumericProblem, numeric_problem
from probkit.bayes.problems import (
    DiagnosticProblem,
    DiscreteProblem,
    UrnProblem,
    diagnostic_problem,
    discrete_problem,
    urn_problem,
)
from probkit.errors import InputError
from probkit.options import ARITHMETICS

MAX_FILE_BYTES = 10_000_000
"""Largest problem file read."""

Problem = DiscreteProblem | UrnProblem | DiagnosticProblem | NumericProblem
_NUMBER = (int, float, str)


@dataclass(frozen=True)
class MonteCarloSettings:
    """The ``[monte_carlo]`` table (validated types; ``draws`` as given)."""

    draws: str
    method: str | None = None
    seed: int | None = None
    workers: int | None = None


@dataclass(frozen=True)
class ProblemFile:
    """A problem read from a file, and the Monte Carlo run it asks for (if any)."""

    problem: Problem
    monte_carlo: MonteCarloSettings | None
    source: str


# key -> (accepted types, description for messages)
_Schema = dict[str, tuple[tuple[type, ...], str]]
_SCHEMAS: dict[str, _Schema] = {
    "hypotheses": {
        "values": ((str, list, dict), 'text such as "1..1000", a list of numbers, or a table '
                   "of two unknowns"),
        "name": ((str,), 'text such as "N"'),
        "prior": ((str, dict), 'text such as "uniform" or "power:-1", or a table per unknown'),
    },
    "likelihood": {
        "family": ((str,), 'text such as "uniform"'),
        "formula": ((str,), 'a formula of the unknowns and x, such as "1/N if x <= N else 0"'),
        "data": ((list, str, dict), "a list of observations, or a table of lists per unknown"),
    },
    "report": {
        "credible": (_NUMBER, "a number such as 0.9 or text such as \"90%\""),
        "events": ((list,), 'a list of texts such as ["N > 100"]'),
        "predict": ((list,), "a list of observations"),
        "arithmetic": ((str,), '"exact" or "float"'),
    },
    "bayes": {
        "prior": ((dict,), 'a table of hypothesis = probability, e.g. A = "1/2"'),
        "likelihood": ((dict,), 'a table of hypothesis = probability or list, e.g. '
                       'A = ["1/10", "9/10"]'),
        "normalize": ((bool,), "true or false"),
        "observations": ((list,), "a list of texts"),
        "arithmetic": ((str,), '"exact" or "float"'),
    },
    "urn": {
        "urns": ((dict,), "a table of urns, e.g. A = { white = 9, black = 1 }"),
        "draws": ((list, str), 'a list of colours such as ["black", "white"]'),
        "replacement": ((bool,), "true or false"),
        "prior": ((dict,), 'a table of urn = probability, e.g. A = "1/2"'),
        "normalize": ((bool,), "true or false"),
    },
    "diagnostic": {
        "prevalence": (_NUMBER, 'a probability such as "1/1000"'),
        "sensitivity": (_NUMBER, 'a probability such as "99%"'),
        "specificity": (_NUMBER, 'a probability such as "95%"'),
        "false_positive_rate": (_NUMBER, 'a probability such as "5%"'),
        "results": ((list, str), 'a list such as ["positive", "negative"]'),
    },
    "monte_carlo": {
        "draws": ((int, str), "a whole number of draws such as 100000 or \"1e6\""),
        "method": ((str,), '"rejection" or "importance"'),
        "seed": ((int,), "a whole number >= 0"),
        "workers": ((int,), "a whole number >= 1"),
    },
}
_KINDS = {"hypotheses": "numeric", "likelihood": "numeric", "report": "numeric",
          "bayes": "bayes", "urn": "urn", "diagnostic": "diagnostic"}
_REQUIRED = {"hypotheses": ("values",), "likelihood": ("data",),
             "bayes": ("prior", "likelihood"), "urn": ("urns", "draws"),
             "diagnostic": ("prevalence", "sensitivity"), "monte_carlo": ("draws",)}


def read_problem(path: str | os.PathLike[str]) -> ProblemFile:
    """Read and validate a problem file (``@FILE`` priors are read beside it)."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FILE_BYTES:
            raise InputError(f"{file}: larger than {MAX_FILE_BYTES // 1_000_000} MB")
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise InputError(f"file {file}: cannot read it: {reason}", parameter="file") from None
    return parse_problem(text, source=str(file), base_dir=file.parent)


def parse_problem(text: str, *, source: str = "<problem>",
                  base_dir: str | os.PathLike[str] | None = None) -> ProblemFile:
    """Validate a problem given as TOML text (see the module docstring)."""
    if len(text) > MAX_FILE_BYTES:
        raise InputError(f"{source}: larger than {MAX_FILE_BYTES // 1_000_000} MB")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", str(exc))
        if found is None:
            raise InputError(f"{source}: not valid TOML: {exc}") from None
        reason = str(exc)[:found.start()]
        raise InputError(f"{source}, line {found.group(1)}: not valid TOML: {reason} "
                         f"(column {found.group(2)})") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise InputError(f"{source}: arrays or tables nested too deeply to read (a problem "
                         "file needs a few levels)") from None
    reader = _Reader(text, source)
    for key, value in document.items():
        if key not in _SCHEMAS:
            raise reader.error((key,), f"unknown table [{key}] (known: "
                               f"{', '.join(_SCHEMAS)})")
        if not isinstance(value, dict):
            raise reader.error((key,), f"{key} must be a table [{key}], got "
                               f"{_shown(value)}")
        reader.check_table(key, value)
    kinds = {_KINDS[key] for key in document if key in _KINDS}
    if not kinds:
        raise reader.error((), "no problem: give [hypotheses] and [likelihood], [bayes], "
                           "[urn] or [diagnostic]")
    if len(kinds) > 1:
        tables = [key for key in document if key in _KINDS]
        raise reader.error((tables[-1],), f"one problem per file: [{tables[-1]}] cannot go "
                           f"with [{tables[0]}]")
    kind = kinds.pop()
    builders: dict[str, Callable[[_Reader, dict[str, Any], Any], Problem]] = {
        "numeric": _numeric, "bayes": _bayes, "urn": _urn, "diagnostic": _diagnostic}
    problem = builders[kind](reader, document, base_dir)
    mc = document.get("monte_carlo")
    settings = None
    if mc is not None:
        if mc.get("seed", 0) < 0:
            raise reader.error(("monte_carlo", "seed"), f"[monte_carlo] seed {mc['seed']} is "
                               "negative (give a whole number >= 0)")
        if mc.get("workers", 1) < 1:
            raise reader.error(("monte_carlo", "workers"), f"[monte_carlo] workers "
                               f"{mc['workers']} must be at least 1")
        if mc.get("method", "importance") not in ("rejection", "importance"):
            raise reader.error(("monte_carlo", "method"), f"[monte_carlo] method "
                               f"{mc['method']!r} is not rejection or importance")
        settings = MonteCarloSettings(draws=str(mc["draws"]), method=mc.get("method"),
                                      seed=mc.get("seed"), workers=mc.get("workers"))
    return ProblemFile(problem=problem, monte_carlo=settings, source=source)


def solve_problem(problem: Problem | ProblemFile) -> Posterior | NumericPosterior:
    """Solve any problem (the one library call behind ``probkit bayes``)."""
    if isinstance(problem, ProblemFile):
        problem = problem.problem
    return problem.solve()


class _Reader:
    """Finds the line of a key, and checks tables against their schemas."""

    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.keys = _key_lines(text)

    def line(self, path: Sequence[str]) -> int | None:
        for length in range(len(path), 0, -1):
            if tuple(path[:length]) in self.keys:
                return self.keys[tuple(path[:length])]
        return None

    def where(self, path: Sequence[str]) -> str:
        line = self.line(path)
        return self.source if line is None else f"{self.source}, line {line}"

    def error(self, path: Sequence[str], message: str) -> InputError:
        return InputError(f"{self.where(path)}: {message}")

    def check_table(self, table: str, value: dict[str, Any]) -> None:
        schema = _SCHEMAS[table]
        for key, item in value.items():
            if key not in schema:
                raise self.error((table, key), f"unknown key {key!r} in [{table}] (known: "
                                 f"{', '.join(schema)})")
            types, description = schema[key]
            if isinstance(item, bool) and bool not in types or not isinstance(item, types):
                raise self.error((table, key), f"[{table}] {key} must be {description}; got "
                                 f"{_shown(item)}")
        for key in _REQUIRED.get(table, ()):
            if key not in value:
                raise self.error((table,), f"[{table}] needs {key}")

    def label(self, table: str, key: str) -> str:
        return f"{self.where((table, key))}: [{table}] {key}"

    def wrap(self, table: str, build: Callable[[], Problem]) -> Problem:
        """Prefix value errors found while building with the file and table."""
        try:
            return build()
        except InputError as exc:
            if str(exc).startswith(self.source):
                raise
            raise InputError(f"{self.where((table,))}: [{table}] {exc}") from None


def _shown(value: object) -> str:
    kinds = {bool: "true/false", int: "integer", float: "float", str: "text", list: "list",
             dict: "table"}
    kind = next((name for t, name in kinds.items() if type(value) is t), type(value).__name__)
    text = repr(value)
    return f"{text if len(text) <= 40 else text[:40] + '...'} ({kind})"


def _text(value: object) -> object:
    """TOML numbers as the command line would see them (floats by their decimal text)."""
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _strings(reader: _Reader, path: tuple[str, ...], items: Sequence[object],
             allowed: tuple[type, ...] = (int, float, str)) -> list[Any]:
    out = []
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, allowed):
            raise reader.error(path, f"[{path[0]}] {'.'.join(path[1:])} item {i + 1} must be "
                               f"a number or text; got {_shown(item)}")
        out.append(_text(item))
    return out


def _numeric(reader: _Reader, document: dict[str, Any], base_dir: Any) -> Problem:
    hypotheses = document.get("hypotheses")
    likelihood = document.get("likelihood")
    if hypotheses is None:
        raise reader.error(("likelihood",), "a numeric problem needs [hypotheses] values")
    if likelihood is None:
        raise reader.error(("hypotheses",), "a numeric problem needs [likelihood] family "
                           "and data")
    report = document.get("report", {})
    values: Any = hypotheses["values"]
    if isinstance(values, list):
        values = _strings(reader, ("hypotheses", "values"), values)
    elif isinstance(values, dict):
        if "name" in hypotheses:
            raise reader.error(("hypotheses", "name"), "[hypotheses] name goes with one "
                               "unknown; a table of values names its unknowns itself")
        checked = {}
        for name, spec in values.items():
            if isinstance(spec, list):
                spec = _strings(reader, ("hypotheses", "values", name), spec)
            elif not isinstance(spec, str):
                raise reader.error(("hypotheses", "values", name), f"[hypotheses] values.{name} "
                                   f"must be text or a list of numbers; got {_shown(spec)}")
            checked[name] = spec
        values = checked
    if "name" in hypotheses:
        values = {hypotheses["name"]: values}
    prior = hypotheses.get("prior", "uniform")
    if isinstance(prior, dict):
        for name, spec in prior.items():
            if not isinstance(spec, str):
                raise reader.error(("hypotheses", "prior", name), f"[hypotheses] prior.{name} "
                                   f"must be text such as \"power:-1\"; got {_shown(spec)}")
    data = likelihood["data"]
    if isinstance(data, dict):  # separate data per unknown: { p1 = ["7/10"], p2 = ["3/10"] }
        data = {name: [items] if isinstance(items, str) else
                _strings(reader, ("likelihood", "data", name), items)
                for name, items in data.items()}
    else:
        data = [data] if isinstance(data, str) else _strings(reader, ("likelihood", "data"),
                                                             data)
    if ("family" in likelihood) == ("formula" in likelihood):
        raise reader.error(("likelihood",), "[likelihood] needs family or formula (one of "
                           "them)")
    events = report.get("events", [])
    for i, event in enumerate(events):
        if not isinstance(event, str):
            raise reader.error(("report", "events"), f"[report] events item {i + 1} must be "
                               f"text such as \"N > 100\"; got {_shown(event)}")
    predict = report.get("predict")
    if predict is not None:
        predict = _strings(reader, ("report", "predict"), predict)
    where = {"values": reader.label("hypotheses", "values"),
             "prior": reader.label("hypotheses", "prior"),
             "family": reader.label("likelihood", "family"),
             "data": reader.label("likelihood", "data"),
             "credible": reader.label("report", "credible"),
             "events": reader.label("report", "events"),
             "predict": reader.label("report", "predict")}
    arithmetic = _arithmetic(reader, ("report", "arithmetic"), report)
    return reader.wrap("hypotheses", lambda: numeric_problem(
        values, likelihood.get("family"), data, likelihood=likelihood.get("formula"),
        prior=prior,
        credible=report.get("credible", "90%"), events=events, predict=predict,
        base_dir=base_dir, where=where, arithmetic=arithmetic))


def _table_of_numbers(reader: _Reader, path: tuple[str, ...], table: Mapping[str, Any],
                      lists: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in table.items():
        if isinstance(value, list) and lists:
            out[name] = _strings(reader, (*path, name), value)
        elif isinstance(value, bool) or not isinstance(value, _NUMBER):
            kind = "a number, text or a list of them" if lists else "a number or text"
            raise reader.error((*path, name), f"[{path[0]}] {'.'.join((*path[1:], name))} "
                               f"must be {kind}; got {_shown(value)}")
        else:
            out[name] = _text(value)
    return out


def _arithmetic(reader: _Reader, path: tuple[str, str], table: Mapping[str, Any]) -> str:
    """The table's ``arithmetic`` ("exact" unless given), or an error naming its line."""
    value = table.get("arithmetic", "exact")
    if value not in ARITHMETICS:
        raise reader.error(path, f"[{path[0]}] arithmetic must be \"exact\" or \"float\"; got "
                           f"{_shown(value)}")
    return str(value)


def _bayes(reader: _Reader, document: dict[str, Any], base_dir: Any) -> Problem:
    table = document["bayes"]
    priors = _table_of_numbers(reader, ("bayes", "prior"), table["prior"])
    likelihoods = _table_of_numbers(reader, ("bayes", "likelihood"), table["likelihood"],
                                    lists=True)
    observations = table.get("observations")
    if observations is not None:
        observations = [str(o) for o in _strings(reader, ("bayes", "observations"),
                                                 observations)]
    if not priors:
        raise reader.error(("bayes", "prior"), "[bayes] prior: give at least one hypothesis")
    arithmetic = _arithmetic(reader, ("bayes", "arithmetic"), table)
    return reader.wrap("bayes", lambda: discrete_problem(
        priors, likelihoods, normalize=table.get("normalize", False),
        observations=observations, arithmetic=arithmetic))


def _urn(reader: _Reader, document: dict[str, Any], base_dir: Any) -> Problem:
    table = document["urn"]
    urns = {}
    for name, counts in table["urns"].items():
        if not isinstance(counts, dict):
            raise reader.error(("urn", "urns", name), f"[urn] urns.{name} must be a table of "
                               f"colour = count; got {_shown(counts)}")
        urns[name] = _table_of_numbers(reader, ("urn", "urns", name), counts)
    draws = table["draws"]
    draws = [c.strip() for c in draws.split(",")] if isinstance(draws, str) else [
        str(c) for c in _strings(reader, ("urn", "draws"), draws, (str,))]
    prior = table.get("prior")
    priors = None if prior is None else _table_of_numbers(reader, ("urn", "prior"), prior)
    return reader.wrap("urn", lambda: urn_problem(
        urns, draws, replace=table.get("replacement", True), priors=priors,
        normalize=table.get("normalize", False)))


def _diagnostic(reader: _Reader, document: dict[str, Any], base_dir: Any) -> Problem:
    table = {k: _text(v) for k, v in document["diagnostic"].items()}
    given: Any = table.get("results", ["positive"])
    results = [r.strip() for r in given.split(",")] if isinstance(given, str) else [
        str(r) for r in _strings(reader, ("diagnostic", "results"), given, (str,))]
    return reader.wrap("diagnostic", lambda: diagnostic_problem(
        table["prevalence"], table["sensitivity"], specificity=table.get("specificity"),
        false_positive_rate=table.get("false_positive_rate"), results=results))


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_BARE = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_BARE}(?:\s*\.\s*{_BARE})*)\s*=")
_INLINE_KEY = re.compile(r"""[{,]\s*([A-Za-z0-9_-]+|"[^"]*")\s*=""")


def _parts(dotted: str) -> tuple[str, ...]:
    # split on dots outside quotes
    pieces = re.findall(r"""\s*("[^"]*"|'[^']*'|[^.]+)\s*(?:\.|$)""", dotted)
    return tuple(piece.strip().strip("\"'") for piece in pieces)


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line (1-based) where each table header and key is written (first occurrence)."""
    found: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            table = _parts(header.group(1))
            for length in range(1, len(table) + 1):
                found.setdefault(table[:length], number)
            continue
        key = _KEY.match(line)
        if key:
            path = (*table, *_parts(key.group(1)))
            found.setdefault(path, number)
            for inner in _INLINE_KEY.finditer(line, key.end()):
                found.setdefault((*path, inner.group(1).strip("\"'")), number)
    return found


__all__ = [
    "MAX_FILE_BYTES",
    "MonteCarloSettings",
    "ProblemFile",
    "parse_problem",
    "read_problem",
    "solve_problem",
]
