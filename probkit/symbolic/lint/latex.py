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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi pi rho varrho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda "
    "Xi Pi Sigma Upsilon Phi Psi Omega".split()
)
"""Greek letters, as the names of their LaTeX commands."""

FUNCTION_COMMANDS = frozenset(
    "sin cos tan sec csc cot sinh cosh tanh arcsin arccos arctan exp log ln".split()
)
"""Commands SymPy's parser reads as the functions they name."""

_UNICODE = {
    "\u2212": "-", "\u2013": "-", "\u2019": "'", "\u2032": "'", "\u2033": "''", "\u00b7": r"\cdot ",
    "\u22c5": r"\cdot ", "\u00d7": r"\times ", "\u2264": r"\leq ", "\u2265": r"\geq ",
    "\u2260": r"\neq ", "\u2248": r"\approx ", "\u00b2": "^{2}", "\u00b3": "^{3}",
    "\u03c0": r"\pi ", "\u03c3": r"\sigma ", "\u03b1": r"\alpha ", "\u03b2": r"\beta ",
    "\u03b8": r"\theta ", "\u03bb": r"\lambda ", "\u03bc": r"\mu ", "\u03b7": r"\eta ",
    "\u03b5": r"\epsilon ", "\u03b4": r"\delta ", "\u03b3": r"\gamma ", "\u03c6": r"\phi ",
    "\u2202": r"\partial ", "\u00a0": " ", "\u3000": " ",
}
"""Characters people paste into maths, and what they mean in LaTeX."""

RELATIONS = {
    "=": "=", "<": "<", ">": ">", r"\lt": "<", r"\gt": ">", r"\leq": "<=", r"\le": "<=",
    r"\leqslant": "<=", r"\geq": ">=", r"\ge": ">=", r"\geqslant": ">=", r"\neq": "!=",
    r"\ne": "!=", r"\approx": "~", r"\simeq": "~", r"\sim": "~", r"\equiv": "==",
    r"\propto": "~", r"\to": "->", r"\rightarrow": "->", r"\Rightarrow": "->",
    r"\implies": "->", r"\iff": "<->", r"\Leftrightarrow": "<->", r"\mapsto": "->",
    r"\coloneqq": "=", r"\triangleq": "=", r"\doteq": "=", r"\in": "in",
}
"""Relation symbols that end a term, and the relation each one states."""

_DROP = frozenset(
    r"\left \right \bigl \bigr \Bigl \Bigr \biggl \biggr \Biggl \Biggr \big \Big \bigg \Bigg "
    r"\displaystyle \textstyle \scriptstyle \, \; \: \! \quad \qquad \  \nonumber \notag "
    r"\newline \\ \middle \limits \nolimits".split() + ["\\ "]
)
_DROP_WITH_ARGUMENT = frozenset(r"\label \tag \hspace \vspace \phantom \color".split())
_ALIGNMENTS = frozenset("equation equation* align align* aligned alignat alignat* gather gather* "
                        "gathered multline multline* split eqnarray eqnarray*".split())
"""Environments that only align or number a chain of equalities."""
_KEEP_ARGUMENT = frozenset(r"\boxed \underbrace \overbrace \underset \textcolor".split())
"""Commands shown around a part of the expression that stays part of it."""
_FRACTIONS = frozenset(r"\dfrac \tfrac \cfrac".split())
_TEXT_COMMANDS = frozenset(r"\text \textrm \textit \mbox \textnormal \mathrm \mathit "
                           r"\operatorname \rm \mathop".split())
_OPERATOR_NAMES = {
    "exp": r"\exp", "log": r"\log", "ln": r"\ln", "tanh": r"\tanh", "sinh": r"\sinh",
    "cosh": r"\cosh", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan", "sigmoid": r"\sigma",
}
_ACCENTS = {r"\hat": "hat", r"\bar": "bar", r"\tilde": "tilde", r"\dot": "dot",
             r"\check": "check", r"\widehat": "hat", r"\overline": "bar", r"\widetilde": "tilde"}
r"""Accents: ``\hat{y}`` is its own variable, spelled ``y_{hat}``."""
_REFUSED = {
    r"\mathbf": "vectors and matrices are not checked (scalars only)",
    r"\boldsymbol": "vectors and matrices are not checked (scalars only)",
    r"\vec": "vectors and matrices are not checked (scalars only)",
    r"\bm": "vectors and matrices are not checked (scalars only)",
    r"\langle": "bra-ket and inner-product notation is not checked",
    r"\rangle": "bra-ket and inner-product notation is not checked",
    r"\sum": "sums are not checked", r"\prod": "products over an index are not checked",
    r"\int": "integrals are not checked", r"\lim": "limits are not checked",
    r"\nabla": "gradients of vectors are not checked",
    r"\mathbb": "sets are not checked",
    r"\cancel": "cancelled terms are not checked", r"\bcancel": "cancelled terms are not checked",
    r"\xcancel": "cancelled terms are not checked", r"\pmod": "modular arithmetic is not checked",
    r"\pm": "\\pm stands for two expressions; write each",
    r"\mp": "\\mp stands for two expressions; write each",
}
"""Commands whose maths is out of scope, and why (the term is reported unparsed)."""
_CONTINUATIONS = frozenset(["+", "-", r"\cdot", r"\times"])
"""Tokens that continue a term from one row to the next."""
_BREAKS = frozenset(r"\quad \qquad \text \textrm \mbox \textnormal , ;".split())
"""Tokens that, outside any brackets, end a statement (a side note or a list follows)."""


class Unreadable(Exception):
    """A term cannot be read faithfully; the message says what was not understood."""


@dataclass(frozen=True)
class Token:
    """One token: a command (``\\frac``), a control symbol (``\\,``), or one character."""

    text: str
    offset: int

    @property
    def is_space(self) -> bool:
        return self.text.isspace()


def tokenize(text: str, offset: int = 0) -> list[Token]:
    r"""Split LaTeX into tokens, normalizing pasted Unicode on the way.

    >>> [t.text for t in tokenize(r"a\cdot b − x’")]
    ['a', '\\cdot', ' ', 'b', ' ', '-', ' ', 'x', "'"]
    """
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            if text[i + 1].isalpha() and text[i + 1].isascii():
                j = i + 2
                while j < n and text[j].isascii() and text[j].isalpha():
                    j += 1
                tokens.append(Token(text[i:j], offset + i))
                i = j
                continue
            if text[i + 1] == "\\":  # a row break: \\ (or \\\\ in Markdown), maybe \\[4pt]
                j = i
                while j < n and text[j] == "\\":
                    j += 1
                match = re.match(r"\s*\[[^\]]*\]", text[j:])
                tokens.append(Token("\\\\", offset + i))
                i = j + (match.end() if match else 0)
                continue
            if text[i + 1] in "\r\n":  # a backslash ending the line: a row break gone stray
                tokens.append(Token("\\\\", offset + i))
                i += 2
                continue
            second = "\\ " if text[i + 1].isspace() else text[i:i + 2]
            tokens.append(Token(second, offset + i))
            i += 2
            continue
        if c in _UNICODE:
            for piece in tokenize(_UNICODE[c]):
                tokens.append(Token(piece.text, offset + i))
        elif c.isspace():
            tokens.append(Token(" ", offset + i))
        else:
            tokens.append(Token(c, offset + i))
        i += 1
    return tokens


def join(tokens: Iterable[Token]) -> str:
    r"""The LaTeX text of ``tokens`` (a space after each command that needs one)."""
    out: list[str] = []
    for token in tokens:
        if out and out[-1][-1:].isalpha() and out[-1].startswith("\\") and token.text[:1].isalpha():
            out.append(" ")
        out.append(token.text)
    text = re.sub(r" +", " ", "".join(out))
    return re.sub(r" ?([(){}\[\]^_]) ?", r"\1", text).strip()


_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {v: k for k, v in _OPEN.items()}


def _group_end(tokens: Sequence[Token], start: int) -> int:
    """Index just past the bracket group opened at ``start`` (brackets of any kind nest)."""
    depth = 0
    for i in range(start, len(tokens)):
        t = tokens[i].text
        if t in _OPEN:
            depth += 1
        elif t in _CLOSE:
            depth -= 1
            if depth == 0:
                return i + 1
    raise Unreadable(f"unbalanced {tokens[start].text!r}")


def _group_start(tokens: Sequence[Token], end: int) -> int:
    """Index of the bracket that opens the group closed at ``end``."""
    depth = 0
    for i in range(end, -1, -1):
        t = tokens[i].text
        if t in _CLOSE:
            depth += 1
        elif t in _OPEN:
            depth -= 1
            if depth == 0:
                return i
    raise Unreadable(f"unbalanced {tokens[end].text!r}")


def _argument(tokens: Sequence[Token], start: int) -> tuple[list[Token], int]:
    """The TeX argument at ``start`` (a brace group's inside, or one token); and the end."""
    i = start
    while i < len(tokens) and tokens[i].is_space:
        i += 1
    if i >= len(tokens):
        raise Unreadable("a command is missing its argument")
    if tokens[i].text == "{":
        end = _group_end(tokens, i)
        return list(tokens[i + 1:end - 1]), end
    return [tokens[i]], i + 1


# ---------------------------------------------------------------- statements


@dataclass(frozen=True)
class Segment:
    """A term between relation symbols, with the offset of its first character."""

    text: str
    offset: int
    source: str = ""

    @property
    def shown(self) -> str:
        """The term as the post writes it (whitespace collapsed), for messages."""
        return " ".join(self.source.split()) if self.source else self.text


@dataclass(frozen=True)
class Statement:
    """Terms joined by relations: ``terms[i] relations[i] terms[i + 1]``."""

    terms: tuple[Segment, ...]
    relations: tuple[str, ...]
    condition: bool = False  # found inside parentheses as a side condition: (a > 0)


def _clean_block(tokens: list[Token]) -> list[Token]:
    """Drop alignment, row breaks, labels and environment markers of a maths block."""
    out: list[Token] = []
    i = 0
    while i < len(tokens):
        t = tokens[i].text
        if t in (r"\begin", r"\end"):
            name, i = _argument(tokens, i + 1)
            environment = join(name)
            if environment not in _ALIGNMENTS:  # cases, matrices, arrays: not a chain
                raise Unreadable(f"the {environment} environment is not checked")
            continue
        if t in _DROP_WITH_ARGUMENT:
            _, i = _argument(tokens, i + 1)
            continue
        if t in (r"\\", r"\newline"):
            out.append(Token(r"\\", tokens[i].offset))
        elif t in ("\\ ", "&", r"\nonumber", r"\notag"):
            out.append(Token(" ", tokens[i].offset))
        elif t in (r"\stackrel", r"\overset"):  # \stackrel{def}{=}: the relation below
            _, j = _argument(tokens, i + 1)
            below, i = _argument(tokens, j)
            out.extend(below)
            continue
        else:
            out.append(tokens[i])
        i += 1
    return out


def _relation_at(tokens: Sequence[Token], i: int) -> tuple[str, int] | None:
    """The relation starting at token ``i`` and the index after it, if there is one."""
    t = tokens[i].text
    if t == ":" and i + 1 < len(tokens) and tokens[i + 1].text == "=":
        return "=", i + 2
    if t in RELATIONS:
        return RELATIONS[t], i + 1
    return None


def _contains_relation(tokens: Sequence[Token]) -> bool:
    depth = 0
    for i, token in enumerate(tokens):
        if token.text in _OPEN:
            depth += 1
        elif token.text in _CLOSE:
            depth -= 1
        elif depth == 0 and _relation_at(tokens, i) is not None:
            return True
    return False


def split_statements(text: str, offset: int = 0) -> list[Statement]:
    r"""Split the body of a maths block into statements of terms and relations.

    Row breaks (``\\``, ``\newline``, a stray ``\ ``) and ``&`` are spaces; a
    relation outside brackets ends a term; ``\quad``, ``\text``, ``,`` and
    ``;`` outside brackets end a statement; a parenthesised group holding a
    relation, such as ``(a > 0)``, is a separate side-condition statement.

    >>> [[s.text for s in st.terms] for st in split_statements(r"f(x) &= x \\ &= y \quad (a>0)")]
    [['f(x)', 'x', 'y'], ['a', '0']]
    """
    tokens = _clean_block(tokenize(text, offset))
    statements: list[Statement] = []
    terms: list[Segment] = []
    relations: list[str] = []
    current: list[Token] = []

    def end_term() -> None:
        body = [t for t in current if not t.is_space]
        start = body[0].offset if body else (current[0].offset if current else offset)
        source = ""
        if body:
            last = body[-1]
            at = last.offset - offset
            width = len(last.text) if text[at:at + len(last.text)] == last.text else 1
            source = text[start - offset:at + width]
        terms.append(Segment(join(current), start, source))
        current.clear()

    def end_statement() -> None:
        end_term()
        kept = [s for s in terms if s.text]
        if len(kept) == len(terms) and relations:
            statements.append(Statement(tuple(terms), tuple(relations)))
        elif len(kept) == 1 and not relations:
            statements.append(Statement((kept[0],), ()))
        elif relations:  # a dangling relation: "= x" with nothing before it, or "x ="
            statements.append(Statement(tuple(terms), tuple(relations)))
        terms.clear()
        relations.clear()

    i, depth = 0, 0
    while i < len(tokens):
        t = tokens[i].text
        if t == "(" and depth == 0:
            end = _group_end(tokens, i)
            inside = tokens[i + 1:end - 1]
            if _contains_relation(inside):
                for nested in _statements_in_group(inside):
                    statements.append(Statement(nested.terms, nested.relations, condition=True))
                i = end
                continue
        if t in _OPEN:
            depth += 1
        elif t in _CLOSE:
            depth -= 1
            if depth < 0:
                raise Unreadable(f"unbalanced {t!r}")
        if depth == 0:
            relation = _relation_at(tokens, i)
            if relation is not None:
                end_term()
                relations.append(relation[0])
                i = relation[1]
                continue
            if t == r"\\":  # a new row: a new statement unless it goes on with = or +
                following = next((x for x in tokens[i + 1:] if not x.is_space), None)
                goes_on = following is not None and (
                    following.text in _CONTINUATIONS
                    or _relation_at(tokens, tokens.index(following, i + 1)) is not None
                    or following.text in (r"\quad", r"\qquad"))
                previous = next((x for x in reversed(current) if not x.is_space), None)
                if not goes_on and not (previous is not None and previous.text in
                                        _CONTINUATIONS) and (current or terms):
                    end_statement()
                i += 1
                continue
            if t in (r"\quad", r"\qquad"):  # spacing before "+ c" or "= d"; else a side note
                after = next((k for k in range(i + 1, len(tokens)) if not tokens[k].is_space),
                             None)
                if after is not None and (tokens[after].text in _CONTINUATIONS or
                                          _relation_at(tokens, after) is not None):
                    i += 1
                    continue
            if t in _BREAKS:
                end_statement()
                if t in (r"\text", r"\textrm", r"\mbox", r"\textnormal"):
                    _, i = _argument(tokens, i + 1)
                    continue
                i += 1
                continue
        current.append(tokens[i])
        i += 1
    end_statement()
    return statements


def _statements_in_group(tokens: Sequence[Token]) -> list[Statement]:
    """The statements inside a parenthesised side condition such as ``(a > 0)``."""
    if not tokens:
        return []
    first = tokens[0].offset
    text = ""
    for token in tokens:  # the text again, padded so that offsets stay those of the block
        text += " " * max(0, token.offset - first - len(text)) + token.text
    return split_statements(text, first)


# ---------------------------------------------------------------- terms


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


def _is_name_token(token: Token) -> bool:
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
        i = _group_start(tokens, i) - 1
        if i < 1 or tokens[i].text != "_":
            return None
        i -= 1
    elif i >= 2 and tokens[i - 1].text == "_":
        i -= 2
    if i >= 0 and (_is_name_token(tokens[i]) or tokens[i].text[1:] in FUNCTION_COMMANDS
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
            if t in _DROP:
                out.append(Token(" ", token.offset))
                i += 1
                continue
            if t in _DROP_WITH_ARGUMENT:
                _, i = _argument(tokens, i + 1)
                continue
            if t in _REFUSED:
                raise Unreadable(_REFUSED[t])
            if t in _KEEP_ARGUMENT:  # \boxed{X}, \underbrace{X}_{note}, \textcolor{red}{X}
                start = i + 1
                if t in (r"\textcolor", r"\underset"):
                    _, start = _argument(tokens, start)
                inside, i = _argument(tokens, start)
                if t in (r"\underbrace", r"\overbrace"):
                    j = i
                    while j < len(tokens) and tokens[j].is_space:
                        j += 1
                    if j < len(tokens) and tokens[j].text in ("_", "^"):
                        _, i = _argument(tokens, j + 1)
                out.extend([Token("{", token.offset), *inside, Token("}", token.offset)])
                continue
            if t in (r"\_", r"\*"):  # Markdown escapes written to get past the Markdown parser
                out.append(Token("_" if t == r"\_" else r"\cdot", token.offset))
                i += 1
                continue
            if t in _ACCENTS:
                inside, i = _argument(tokens, i + 1)
                letters = [x for x in inside if not x.is_space]
                if len(letters) != 1 or not _is_name_token(letters[0]):
                    raise Unreadable(f"{t}{{{join(inside)}}}: an accent on more than one letter")
                out.extend([letters[0], Token("_", token.offset), Token("{", token.offset),
                            *tokenize(_ACCENTS[t], token.offset), Token("}", token.offset)])
                continue
            if t == "^" and i + 2 < len(tokens) and tokens[i + 1].text == "{" and (
                    tokens[i + 2].text == "[" or (tokens[i + 2].text == "(" and i + 4 < len(tokens)
                                                  and tokens[i + 4].text == ")"
                                                  and tokens[i + 3].text.isalnum())):
                raise Unreadable("a bracketed superscript (an index, as in x^{(i)} or a^{[l]}?)")
            if t in _FRACTIONS:
                out.append(Token(r"\frac", token.offset))
            elif t in (r"\ast", "*"):
                out.append(Token(r"\cdot", token.offset))
            elif t in (r"\lbrace", r"\{"):
                out.append(Token("(", token.offset))
            elif t in (r"\rbrace", r"\}"):
                out.append(Token(")", token.offset))
            elif t in _TEXT_COMMANDS:
                inside, i = _argument(tokens, i + 1)
                word = "".join(x.text for x in inside).strip()
                if len(word) == 1 and word.isalpha():
                    out.append(Token(word, token.offset))
                elif word in _OPERATOR_NAMES:
                    out.append(Token(_OPERATOR_NAMES[word], token.offset))
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
                    _is_name_token(before) or is_function):
                end = _group_end(out, i)
                inside = [k for k in range(i + 1, end - 1) if not out[k].is_space]
                if inside and out[inside[0]].text == "(" and \
                        _group_end(out, inside[0]) - 1 == inside[-1]:
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
            exponent, used = _argument(rest, 1)
            text = join(exponent)
            if not text.isdigit():
                raise Unreadable(f"derivative of order {text!r}")
            order, rest = int(text), rest[used:]
        return order, rest

    def derivative_fraction(
        self, tokens: list[Token], i: int
    ) -> tuple[Token, list[Token], int] | None:
        r"""At ``\frac`` index ``i``: the placeholder, the operand it needs, and the end."""
        numerator, j = _argument(tokens, i + 1)
        denominator, end = _argument(tokens, j)
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
        if start != 0 or not _is_name_token(rest[0]):
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
                            if t in _OPEN:
                                depth += 1
                            elif t in _CLOSE:
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
                opening = _group_start(out, before)
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
                exponent, j = _argument(out, i + 2)
                while j < len(out) and out[j].is_space:
                    j += 1
                if j < len(out) and out[j].text == "(":
                    end = _group_end(out, j)
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


__all__ = ["FUNCTION_COMMANDS", "GREEK", "RELATIONS", "Placeholder", "PreparedTerm",
           "Segment", "Statement", "Token", "Unreadable", "join", "prepare_term",
           "split_statements", "tokenize"]
