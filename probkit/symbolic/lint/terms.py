r"""The LaTeX layer in front of SymPy's parser: tokens, statements, and parse-ready terms.

SymPy's ``parse_latex`` reads ordinary expressions well but misreads, without
any error, much of what people write in posts: it drops a prime after a
parenthesis (``f(x)'``, ``(\frac{1}{1+e^{-ax}})'``), reads ``f{\left(x
\right)}`` as f·x and ``\sigma^2(z)`` as σ²·z, cannot differentiate with
respect to a subscripted variable (``\frac{\partial L}{\partial w_1}`` becomes
a product of symbols named ``partial``), and reads ``x \approx y`` as a product
with a symbol ``approx``. This module rewrites each term into a form the parser
reads faithfully, and refuses (:class:`Unreadable`) what it cannot rewrite:

* derivative operators (``\frac{d}{dx}``, ``\frac{dL}{da}``,
  ``\frac{\partial L}{\partial w_1}``, ``\frac{d^2}{dx^2}``) and primes
  (``f'(x)``, ``f(x)'``, ``\tanh'(x)``, ``(…)'``, ``a'``) become placeholder
  calls ``\pkd…(…)``, ``\pkp…(…)`` and symbols ``\pkq…`` that the parser reads
  as plain function applications; :mod:`probkit.symbolic.lint.reader` turns
  them back into derivatives;
* ``\left``/``\right``, sizes, spacing, ``\dfrac``, ``\mathrm{e}``,
  ``\operatorname{tanh}``, typographic primes, the Unicode minus and Greek
  letters are normalized;
* powers of user functions (``f^2(x)``, ``\sigma^2(z)``) become ``(f(x))^{2}``.

Only the standard library is used.

>>> prepare_term(r"f'(x)", functions={"f"}).text
'\\pkpa(x)'
>>> prepare_term(r"\left(\frac{1}{1+e^{-ax}}\right)'").text
'\\pkda(\\frac{1}{1+e^{-ax}})'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from probkit.symbolic.lint.latex import (
    ACCENTS,
    CLOSE,
    DROP,
    DROP_WITH_ARGUMENT,
    FRACTIONS,
    FUNCTION_COMMANDS,
    GREEK,
    KEEP_ARGUMENT,
    OPEN,
    OPERATOR_NAMES,
    REFUSED,
    RELATIONS,
    TEXT_COMMANDS,
    Token,
    Unreadable,
    argument,
    group_end,
    group_start,
    join,
    tokenize,
)


@dataclass(frozen=True)
class Placeholder:
    """What a placeholder stands for.

    ``kind`` is ``"derivative"`` (of its argument with respect to ``variable``;
    ``variable`` None means "the variable primes differentiate by"), ``"prime"``
    (the function ``name`` differentiated ``order`` times, applied to the
    arguments) or ``"quantity-prime"`` (the quantity ``name`` differentiated).
    """

    kind: str
    name: str | None
    variable: str | None
    order: int = 1


@dataclass(frozen=True)
class PreparedTerm:
    """A term rewritten for SymPy's parser, and what its placeholders mean."""

    text: str
    placeholders: dict[str, Placeholder] = field(default_factory=dict)


def _letters(index: int) -> str:
    """0 -> 'a', 25 -> 'z', 26 -> 'ba', ... (placeholders must be letters only)."""
    out = ""
    while True:
        out = chr(ord("a") + index % 26) + out
        index //= 26
        if index == 0:
            return out


def is_name_token(token: Token) -> bool:
    t = token.text
    return (len(t) == 1 and t.isascii() and t.isalpha()) or t[1:] in GREEK


def _name_before(tokens: Sequence[Token], end: int) -> int | None:
    """Start of the name (a letter or Greek letter, maybe with a subscript) ending at ``end``.

    ``end`` is the index of the name's last token. Returns None if no name ends there.
    """
    i = end
    if i < 0:
        return None
    if tokens[i].text == "}":
        i = group_start(tokens, i) - 1
        if i < 1 or tokens[i].text != "_":
            return None
        i -= 1
    elif i >= 2 and tokens[i - 1].text == "_":
        i -= 2
    if i >= 0 and (is_name_token(tokens[i]) or tokens[i].text[1:] in FUNCTION_COMMANDS
                   or tokens[i].text.startswith("\\pkp")):
        return i
    return None


def _name_text(tokens: Sequence[Token]) -> str:
    """The canonical text of a name: ``w_{1}`` for ``w_1``, ``\\sigma`` for ``\\sigma``."""
    if len(tokens) >= 3 and tokens[1].text == "_":
        sub = tokens[2:]
        inner = join(sub[1:-1]) if sub[0].text == "{" else join(sub)
        return f"{tokens[0].text}_{{{inner}}}"
    return tokens[0].text


class _Rewriter:
    """Rewrites one term's tokens; collects the placeholders it creates."""

    def __init__(self, functions: frozenset[str], quantities: frozenset[str]) -> None:
        self.functions = functions
        self.quantities = quantities
        self.placeholders: dict[str, Placeholder] = {}

    def new(self, prefix: str, placeholder: Placeholder) -> Token:
        name = f"\\pk{prefix}{_letters(len(self.placeholders))}"
        self.placeholders[name] = placeholder
        return Token(name, -1)

    # -- normalization of commands
    def normalize(self, tokens: list[Token]) -> list[Token]:
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            t = token.text
            if t in (r"\left", r"\right") and i + 1 < len(tokens) and tokens[i + 1].text == ".":
                i += 2
                continue
            if t in DROP:
                out.append(Token(" ", token.offset))
                i += 1
                continue
            if t in DROP_WITH_ARGUMENT:
                _, i = argument(tokens, i + 1)
                continue
            if t in REFUSED:
                raise Unreadable(REFUSED[t])
            if t in KEEP_ARGUMENT:  # \boxed{X}, \underbrace{X}_{note}, \textcolor{red}{X}
                start = i + 1
                if t in (r"\textcolor", r"\underset"):
                    _, start = argument(tokens, start)
                inside, i = argument(tokens, start)
                if t in (r"\underbrace", r"\overbrace"):
                    j = i
                    while j < len(tokens) and tokens[j].is_space:
                        j += 1
                    if j < len(tokens) and tokens[j].text in ("_", "^"):
                        _, i = argument(tokens, j + 1)
                out.extend([Token("{", token.offset), *inside, Token("}", token.offset)])
                continue
            if t in (r"\_", r"\*"):  # Markdown escapes written to get past the Markdown parser
                out.append(Token("_" if t == r"\_" else r"\cdot", token.offset))
                i += 1
                continue
            if t in ACCENTS:
                inside, i = argument(tokens, i + 1)
                letters = [x for x in inside if not x.is_space]
                if len(letters) != 1 or not is_name_token(letters[0]):
                    raise Unreadable(f"{t}{{{join(inside)}}}: an accent on more than one letter")
                out.extend([letters[0], Token("_", token.offset), Token("{", token.offset),
                            *tokenize(ACCENTS[t], token.offset), Token("}", token.offset)])
                continue
            if t == "^" and i + 2 < len(tokens) and tokens[i + 1].text == "{" and (
                    tokens[i + 2].text == "[" or (tokens[i + 2].text == "(" and i + 4 < len(tokens)
                                                  and tokens[i + 4].text == ")"
                                                  and tokens[i + 3].text.isalnum())):
                raise Unreadable("a bracketed superscript (an index, as in x^{(i)} or a^{[l]}?)")
            if t in FRACTIONS:
                out.append(Token(r"\frac", token.offset))
            elif t in (r"\ast", "*"):
                out.append(Token(r"\cdot", token.offset))
            elif t in (r"\lbrace", r"\{"):
                out.append(Token("(", token.offset))
            elif t in (r"\rbrace", r"\}"):
                out.append(Token(")", token.offset))
            elif t in TEXT_COMMANDS:
                inside, i = argument(tokens, i + 1)
                word = "".join(x.text for x in inside).strip()
                if len(word) == 1 and word.isalpha():
                    out.append(Token(word, token.offset))
                elif word in OPERATOR_NAMES:
                    out.append(Token(OPERATOR_NAMES[word], token.offset))
                elif word.startswith("\\") and word[1:] in GREEK:
                    out.append(Token(word, token.offset))
                else:
                    raise Unreadable(f"{t}{{{word}}} is not a function or symbol probkit knows")
                continue
            else:
                out.append(token)
            i += 1
        while out and (out[-1].is_space or out[-1].text in (".", ",", ";")):
            out.pop()  # the end of a sentence written inside the maths
        return self.unwrap_braced_arguments(out)

    @staticmethod
    def unwrap_braced_arguments(tokens: list[Token]) -> list[Token]:
        r"""``f{(x)}`` -> ``f(x)``, ``\log{(x)}^{2}`` -> ``\log(x)^{2}``.

        Both are SymPy's own LaTeX (of f(x) and of log(x)²), which its parser
        misreads as f·x and as log(x²).
        """
        out = list(tokens)
        i = 0
        while i < len(out):
            before = out[i - 1] if i > 0 else None
            is_function = before is not None and before.text[1:] in FUNCTION_COMMANDS
            if out[i].text == "{" and before is not None and (
                    is_name_token(before) or is_function):
                end = group_end(out, i)
                inside = [k for k in range(i + 1, end - 1) if not out[k].is_space]
                if inside and out[inside[0]].text == "(" and \
                        group_end(out, inside[0]) - 1 == inside[-1]:
                    out[i:end] = out[inside[0]:inside[-1] + 1]
                    continue
                after = end
                while after < len(out) and out[after].is_space:
                    after += 1
                if is_function and after < len(out) and out[after].text == "^":
                    raise Unreadable(f"{before.text}{{…}}^…: is the power on the argument or "
                                     "on the function? Use parentheses")
            i += 1
        return out

    # -- derivatives written as fractions
    @staticmethod
    def _differential(tokens: list[Token]) -> tuple[int, list[Token]] | None:
        """``d`` / ``\\partial`` with an optional order, then the rest; None otherwise."""
        body = [t for t in tokens if not t.is_space]
        if not body or body[0].text not in ("d", r"\partial"):
            return None
        order, rest = 1, body[1:]
        if rest and rest[0].text == "^":
            exponent, used = argument(rest, 1)
            text = join(exponent)
            if not text.isdigit():
                raise Unreadable(f"derivative of order {text!r}")
            order, rest = int(text), rest[used:]
        return order, rest

    def derivative_fraction(
        self, tokens: list[Token], i: int
    ) -> tuple[Token, list[Token], int] | None:
        r"""At ``\frac`` index ``i``: the placeholder, the operand it needs, and the end."""
        numerator, j = argument(tokens, i + 1)
        denominator, end = argument(tokens, j)
        top = self._differential(numerator)
        bottom = self._differential(denominator)
        if top is None or bottom is None or not bottom[1]:
            return None
        order, rest = bottom
        exponent = 1
        if len(rest) >= 2 and rest[-2].text == "^":
            exponent = int(rest[-1].text) if rest[-1].text.isdigit() else -1
            rest = rest[:-2]
        elif len(rest) >= 4 and rest[-1].text == "}" and "^" in [t.text for t in rest]:
            k = max(idx for idx, t in enumerate(rest) if t.text == "^")
            text = join(rest[k + 2:-1])
            exponent = int(text) if text.isdigit() else -1
            rest = rest[:k]
        start = _name_before(rest, len(rest) - 1) if rest else None
        if start != 0 or not is_name_token(rest[0]):
            raise Unreadable(f"cannot read the variable of the derivative d{join(rest)}")
        if exponent != max(order, top[0]) or order != 1 and order != top[0]:
            raise Unreadable("the orders of the derivative's numerator and denominator differ")
        variable = _name_text(rest)
        placeholder = self.new("d", Placeholder("derivative", None, variable, top[0]))
        return placeholder, top[1], end

    # -- the whole rewrite
    def rewrite(self, tokens: list[Token]) -> list[Token]:
        tokens = self.derivatives(tokens)
        tokens = self.primes(tokens)
        return self.function_powers(tokens)

    def derivatives(self, tokens: list[Token]) -> list[Token]:
        out: list[Token] = []
        i = 0
        while i < len(tokens):
            if tokens[i].text == r"\frac":
                found = self.derivative_fraction(tokens, i)
                if found is not None:
                    placeholder, operand, end = found
                    if not operand:  # an operator: it applies to what follows, up to + or -
                        stop = end
                        while stop < len(tokens) and tokens[stop].is_space:
                            stop += 1
                        depth = 0
                        first = stop
                        while stop < len(tokens):
                            t = tokens[stop].text
                            if t in OPEN:
                                depth += 1
                            elif t in CLOSE:
                                depth -= 1
                            elif depth == 0 and t in "+-" and stop > first:
                                break
                            stop += 1
                        operand, end = list(tokens[first:stop]), stop
                        if not [t for t in operand if not t.is_space]:
                            raise Unreadable("a derivative operator with nothing to differentiate")
                    out.extend([placeholder, Token("(", -1), *self.derivatives(operand),
                                Token(")", -1)])
                    i = end
                    continue
            out.append(tokens[i])
            i += 1
        return out

    def primes(self, tokens: list[Token]) -> list[Token]:
        out = list(tokens)
        i = 0
        while i < len(out):
            if out[i].text != "'":
                i += 1
                continue
            order = 1
            while i + order < len(out) and out[i + order].text == "'":
                order += 1
            before = i - 1
            while before >= 0 and out[before].is_space:
                before -= 1
            after = i + order
            while after < len(out) and out[after].is_space:
                after += 1
            if before < 0:
                raise Unreadable("a prime with nothing before it")
            if out[before].text == ")":
                opening = group_start(out, before)
                start = _name_before(out, opening - 1)
                name = _name_text(out[start:opening]) if start is not None else None
                if name is not None and name not in self.quantities:
                    token = self.new("p", Placeholder("prime", name, None, order))
                    out[start:i + order] = [token, *out[opening:before + 1]]
                else:
                    token = self.new("d", Placeholder("derivative", None, None, order))
                    out[opening:i + order] = [token, *out[opening:before + 1]]
                i = 0
                continue
            start = _name_before(out, before)
            if start is None:
                raise Unreadable(
                    f"cannot tell what the prime after {out[before].text!r} applies to")
            name = _name_text(out[start:before + 1])
            if after < len(out) and out[after].text == "(" and name not in self.quantities:
                token = self.new("p", Placeholder("prime", name, None, order))
                out[start:after] = [token]
            else:
                token = self.new("q", Placeholder("quantity-prime", name, None, order))
                out[start:after] = [token, Token(" ", -1)]
            i = 0
        return out

    def function_powers(self, tokens: list[Token]) -> list[Token]:
        """``f^2(x)`` -> ``(f(x))^{2}`` for user functions (the parser reads f²·x)."""
        out = list(tokens)
        i = 0
        while i < len(out):
            t = out[i].text
            is_function = (t in self.functions or t.startswith(r"\pkp")
                           or (t == r"\sigma" and t not in self.quantities))
            if is_function and i + 1 < len(out) and out[i + 1].text == "^":
                exponent, j = argument(out, i + 2)
                while j < len(out) and out[j].is_space:
                    j += 1
                if j < len(out) and out[j].text == "(":
                    end = group_end(out, j)
                    out[i:end] = [Token("(", -1), out[i], *out[j:end], Token(")", -1),
                                  Token("^", -1), Token("{", -1), *exponent, Token("}", -1)]
            i += 1
        return out


def prepare_term(
    text: str,
    *,
    functions: Iterable[str] = (),
    quantities: Iterable[str] = (),
) -> PreparedTerm:
    r"""Rewrite one term (no relations inside) for SymPy's LaTeX parser.

    ``functions`` are the LaTeX names of user-defined functions (``f``,
    ``\sigma``, ``L``); ``quantities`` the names defined as quantities, which
    are never functions (so ``a(1-a)'`` differentiates the parenthesis only).

    >>> prepare_term(r"\frac{\partial L}{\partial w_1}").placeholders
    {'\\pkda': Placeholder(kind='derivative', name=None, variable='w_{1}', order=1)}
    >>> prepare_term(r"\sigma^2(z)").text
    '(\\sigma(z))^{2}'
    >>> prepare_term(r"x \ne y")
    Traceback (most recent call last):
    ...
    probkit.symbolic.lint.latex.Unreadable: a relation inside a term: '\\ne'
    """
    if "\\pk" in text:
        raise Unreadable(r"the command prefix \pk is reserved by probkit")
    rewriter = _Rewriter(frozenset(functions), frozenset(quantities))
    tokens = rewriter.normalize(tokenize(text))
    for token in tokens:
        if token.text in RELATIONS and token.text != "=":
            raise Unreadable(f"a relation inside a term: {token.text!r}")
    tokens = rewriter.rewrite(tokens)
    leftover = [t.text for t in tokens if t.text in ("'", "\\\\", "&")]
    if leftover:
        raise Unreadable(f"cannot read {leftover[0]!r} here")
    prepared = join(tokens)
    if not prepared:
        raise Unreadable("an empty term")
    return PreparedTerm(prepared, rewriter.placeholders)


__all__ = ["Placeholder", "PreparedTerm", "prepare_term"]
