"""Definitions: what a chain defines, a restated function, definitions that cannot be read."""

from __future__ import annotations

import re
from typing import Any

import sympy as sp

from probkit.symbolic.lint.checker_state import (
    _PUNCTUATION,
    MAX_CUE_CHARS,
    CheckerState,
    _named,
    _Term,
)
from probkit.symbolic.lint.equality import display_name
from probkit.symbolic.lint.prose import crosses_heading
from probkit.symbolic.lint.reader import parameter_patterns
from probkit.symbolic.lint.scope import Definition


class Definitions(CheckerState):
    """Reads definitions into the scope."""

    def definition_target(self, terms: list[_Term]) -> tuple[str, tuple[str, ...]] | None:
        """``(name, params)`` when the chain defines its first term, else None."""
        if terms[0].raw is not None:  # the carried-over term of an earlier chain
            return None
        if terms[0].prepared is None and terms[0].problem is None:
            self.prepare(terms[0])
        target = _named(terms[0].prepared)
        if target is None:
            return None
        name, params = target
        parsed = name
        if len(terms) > 2 and parsed in self.scope.definitions:
            return None  # f(x) = … = …, f known: a claim about f, checked
        if self.qualified and parsed in self.scope.definitions:
            return None  # "f(x) = \alpha x \quad (x < 0)", f known: a claim on that domain
        if self.points_active and parsed in self.scope.definitions:
            return None  # "at $x = 0$, $f(x) = \frac{1}{2}$": a claim at the point
        if params and self.restates(parsed, params):
            return None  # ℓ(p) = … right after ℓ(p) = …: the same function, restated
        known = self.scope.definitions.get(parsed)
        if known is not None and known.params and params and \
                tuple(str(p) for p in known.params) != tuple(params):
            return None  # σ(z) defined, then "$\sigma(z_i) = 0.5$": a claim at z_i
        return name, params

    def restates(self, name: str, params: tuple[str, ...]) -> bool:
        r"""Is ``name(params) = …`` the function defined just before, written again?

        ``\ell(p) = \sum_i (…)`` then, after a few words ("Pulling the constants out"),
        ``\ell(p) = \log p \sum_i x_i + …``: the same ℓ rewritten, a claim checked against
        the first (or refused with it when the first could not be read), never a silent
        new definition that would hide a slip. A heading, or more than a sentence between
        them, or other maths, starts something new.
        """
        last = self.last_definition
        if last is None or last[0] != name or last[1] != tuple(params) or \
                last[3] != self.blocks_read - 1:  # other maths between: not "right after"
            return False
        between = self.text[last[2]:self.block_start]
        return not crosses_heading(between) and len(between.strip(_PUNCTUATION)) <= MAX_CUE_CHARS

    def define(self, target: tuple[str, tuple[str, ...]], lhs: _Term, rhs: _Term) -> None:
        parsed, params = target  # names as the reader spells them (w_{1}, \hat{y}, sigma)
        self.last_definition = (parsed, tuple(params), self.block_end, self.blocks_read)
        if rhs.raw is None and not params and \
                re.search(r"\\(?:pm|mp)(?![A-Za-z])", rhs.segment.source or rhs.segment.text):
            return  # "$x = \frac{5 \pm 1}{2}$": the solutions of an equation (refused where it
            # stands), no value of x; x stays a variable for the identities after it
        if rhs.raw is None:  # later uses of the name are refused, never read as a variable
            self.unread_names[parsed] = lhs.line
            if params:  # f(0) stays a call of f (refused), never the product f·0
                self.unread_functions.add(parsed)
            return
        self.unread_names.pop(parsed, None)
        self.unread_reasons.pop(parsed, None)
        self.unread_functions.discard(parsed)
        symbols = tuple(sp.Symbol(p) for p in params)
        if sp.Symbol(parsed) in rhs.raw.free_symbols and not params:
            self.unparsed(rhs, f"defines {lhs.segment.shown} in terms of itself")
            return
        powers = tuple(k for _, k in parameter_patterns(lhs.prepared)) \
            if params and lhs.prepared is not None else ()
        self.scope.define(Definition(parsed, symbols, rhs.raw, lhs.line,
                                     powers if any(k != 1 for k in powers) else ()))
        self.defined = True

    def refuse_undefined_means(self, terms: list[_Term]) -> None:
        r"""``\bar x`` never defined, next to the data ``x_i`` of a sum: the mean of the x_i
        by convention, but over which terms? Refused by name, never read as a free variable."""
        heads = {re.split(r"_\{|\^\{\(", str(base.label))[0]
                 for t in terms if t.raw is not None for base in t.raw.atoms(sp.IndexedBase)}
        if not heads:
            return
        for term in terms:
            if term.raw is None:
                continue
            for symbol in term.raw.free_symbols:
                name = getattr(symbol, "name", "")
                if name.startswith("\\bar{") and name[len("\\bar{"):-1] in heads and \
                        name not in self.scope.definitions:
                    term.raw = None
                    term.problem = (f"{display_name(name)} is not defined (the mean of the "
                                    f"{name[len(chr(92) + 'bar{'):-1]}_i? Define it: "
                                    f"{name} = \\frac{{1}}{{n}}\\sum_{{i=1}}^{{n}} …)")
                    break

    def unread_call(self, terms: list[_Term], definition: Any) -> None:
        r"""``\ell(\mu, \sigma^2) = …`` that could not be read as a definition: ℓ is a
        function whose definition is unread, so ``\frac{\partial \ell}{\partial \mu}`` is
        refused, never read as the derivative of a plain symbol."""
        first = terms[0]
        if definition is not None or first.raw is not None or first.prepared is None or \
                first.prepared.tree.kind != "apply" or len(terms) != 2:
            return
        name = str(first.prepared.tree.value)
        if name not in self.scope.definitions:
            self.unread_names.setdefault(name, first.line)
            self.unread_functions.add(name)

    def defines_a_power(self, lhs: _Term, rhs: _Term) -> bool:
        r"""``\hat\sigma^2 = \frac{1}{n}\sum_i (x_i - \bar x)^2``: a new estimate (a name with
        a hat or a tilde) defined through its power. Nothing is claimed; later uses of the
        name are refused (σ̂ is one of the roots of its power, and which one is not said)."""
        if lhs.prepared is None and lhs.problem is None:
            self.prepare(lhs)
        tree = lhs.prepared.tree if lhs.prepared is not None else None
        if tree is None or tree.kind != "pow" or tree.args[0].kind != "name" or \
                tree.args[1].kind != "num" or tree.args[1].value.denominator != 1 or \
                not 2 <= tree.args[1].value <= 12:
            return False
        name = str(tree.args[0].value)
        if not name.startswith(("\\hat{", "\\tilde{")) or name in self.scope.definitions or \
                name in self.unread_names or name in self.used_names:
            return False  # only an estimate (σ̂², σ̃²): x^2 = 4 is an equation to solve
        if rhs.prepared is None and rhs.problem is None:
            self.prepare(rhs)
        self.read(rhs, self.names())
        if rhs.raw is None:
            self.report_unread([rhs])
        elif sp.Symbol(name) in rhs.raw.free_symbols:
            return False
        self.unread_names[name] = lhs.line
        self.unread_reasons[name] = (f"{display_name(name)} is defined only through its power "
                                     f"(line {lhs.line}), not as a value")
        return True
