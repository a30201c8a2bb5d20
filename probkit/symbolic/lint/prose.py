r"""What the prose around a piece of maths says about it (English and Japanese).

Two readings depend on the words next to the maths, not on the maths itself:

* an **evaluation point**: "at $x = 0$", "when $x=1$", "$x = 0$ のとき" says where
  a nearby claim is evaluated; it is not a definition of x for the rest of the post;
* a **solving cue**: "$\frac{dE}{dw} = 0$ とおくと", "setting … to zero", "solving
  gives", "よって" says that the equation before it is being solved, so the next
  equation must have the same solutions (a solving chain), not be identical.

Only the standard library is used.

>>> is_evaluation_point("The slope at ", " is a/4.")
True
>>> is_evaluation_point("Let ", " be fixed.")
False
>>> is_evaluation_point("よって ", " のとき f'(x) = 1/4")
True
>>> is_evaluation_point("更新式は ", " です。")
False
>>> solving_between(" とおくと、", max_chars=160)
True
"""

from __future__ import annotations

import bisect
import re

_POINT_BEFORE = re.compile(
    r"(?:\b(?:at|when|whenever|if|evaluated\s+at|evaluating\s+at|plugging\s+in|"
    r"substituting)\s*\(?\s*|\(\s*at\s+)$", re.IGNORECASE)
"""English words just before an evaluation point: "at $x = 0$", "when $x=1$"."""

_POINT_AFTER = re.compile(
    r"^\s*(?:のとき|の時|のときに|とき|では|において|における|ならば|なら|で(?![すしき]))")
"""Japanese particles just after an evaluation point: "$x = 0$ のとき", "$x=1$ で" (not the
copula "です", "でしょう", nor "できる": "更新式は $w_{t+1} = …$ です" defines w_{t+1})."""

_SOLVING_BEFORE = re.compile(
    r"\b(?:set|setting|solve|solving|equate|equating)\b[^.!?。$]*$", re.IGNORECASE)
"""English words before an equation being solved in the same sentence: "Setting …, $E = 0$"."""

_SET_UP = re.compile(
    r"^[\s、,:]*(?:を?(?:\s*0\s*)?(?:とおく|と置く|とおいて|と置いて|とすると|を解く|を満たす)|"
    r"(?:is\s+)?(?:set\s+to\s+zero|to\s+zero|solv\w*|must\s+hold|holds?\s+when))",
    re.IGNORECASE)
"""Words right after an equation saying it is set up to be solved: "とおく", "set to zero"."""

_SOLVING = re.compile(
    r"とおく|と置く|とおいて|と置いて|とすると|を解く|解くと|解いて|よって|したがって|従って|"
    r"ゆえに|すなわち|つまり|整理|変形|より|∴|"
    r"\b(?:to\s+zero|solv\w*|gives?|giving|yields?|we\s+get|get|hence|thus|"
    r"therefore|so|i\.e\.|rearrang\w*|which\s+means|that\s+is)\b",
    re.IGNORECASE)
"""Words between two equations saying the second is obtained by solving the first."""

_ZERO = re.compile(
    r"(?:これ|それ|この式|右辺|左辺)?を?\s*\$?\s*0\s*\$?\s*(?:とおく|と置く|とおいて|と置いて|とすると)|"
    r"\b(?:set(?:ting)?|equat(?:e|ing))\s+(?:it|this|that|them|the\s+\w+)?\s*(?:to|with)\s+"
    r"(?:zero|\$?\s*0\s*\$?)", re.IGNORECASE)
"""Words setting the result just written to zero."""

_ALL_ZERO = re.compile(
    r"(?:どちらも|両方|いずれも|それぞれ|すべて|全て)[^。$]*?(?:\$?\s*0\s*\$?)\s*(?:とおく|と置く|とおいて|と置いて|とすると)|"
    r"\b(?:both|each|all)\b[^.!?$]{0,40}?\b(?:vanish\w*|(?:are|is|set|equal)\s+(?:to\s+)?"
    r"(?:zero|\$?\s*0\s*\$?))|"
    r"\b(?:set(?:ting)?|equat(?:e|ing))\s+(?:both|each|all|them)\b[^.!?$]{0,40}?\b(?:to|with)\s+"
    r"(?:zero|\$?\s*0\s*\$?)", re.IGNORECASE)
"""Words setting several results just written to zero at once ("どちらも 0 とおくと",
"both vanish", "setting both to zero")."""

_TAKING_LOGS = re.compile(
    r"対数を(?:と|取)|対数尤度|\b(?:taking\s+(?:the\s+)?logs?|take\s+(?:the\s+)?logs?|"
    r"the\s+log(?:arithm)?\s+(?:turns|of)|log-?likelihood)\b", re.IGNORECASE)
"""Words before a definition saying it is the log of an earlier one ("Taking logs",
「対数をとると」)."""

_BLANK_LINE = re.compile(r"\n[ \t]*\n")

_HEADING = re.compile(
    r"^[ \t]{0,3}#{1,6}[ \t]|\\(?:sub)*section\*?\{|^[^\n]+\n[ \t]*(?:={2,}|-{2,})[ \t]*$",
    re.MULTILINE)
"""A heading (Markdown ``## …`` or underlined, LaTeX ``\\section{…}``): a new topic starts."""


def crosses_heading(prose: str) -> bool:
    r"""Does a heading stand in ``prose`` (between two pieces of maths)?

    Words linking two equations ("so", "よって") never reach across one: "## A concrete
    case … so $n = 16$" starts an example, it does not solve the equation above the heading.

    >>> crosses_heading("\n\n## A concrete case\n\nSuppose 4 of 16 users clicked, so ")
    True
    >>> crosses_heading(" so that ")
    False
    """
    return bool(_HEADING.search(prose))


def is_evaluation_point(before: str, after: str) -> bool:
    """Do the words around ``$x = 0$`` (``before`` it and ``after`` it) make it a point?"""
    return bool(_POINT_BEFORE.search(before[-40:]) or _POINT_AFTER.match(after[:12]))


_CASE_BEFORE = re.compile(r"\b(?:for)\s*$", re.IGNORECASE)
"""English words before a case of a piecewise statement: "for $x > 0$ it is 1"."""

_SENTENCE_END = re.compile(r"。|[.!?](?=\s)|^[ \t]{0,3}#{1,6}[ \t]", re.MULTILINE)
"""The end of a sentence: "。", ". ", or a heading (not a blank line: "$x > 0$ のとき、" then
a display equation is one sentence)."""


def is_case(before: str, after: str) -> bool:
    """Do the words around a condition (``$x > 0$``) make it one case of a piecewise sentence
    ("$x > 0$ で $1$", "for $x < 0$ it is 0", "when $x > 0$"), holding for that sentence only?

    >>> is_case("微分は ", " で $1$、")
    True
    >>> is_case("For ", ", the slope is 1.")
    True
    >>> is_case("Assume ", " throughout.")
    False
    """
    return is_evaluation_point(before, after) or bool(_CASE_BEFORE.search(before[-20:]))


def sentence_end(text: str, offset: int) -> int:
    """Where the sentence running at ``offset`` ends (its "。" or ". ", or a heading).

    >>> sentence_end("x で 1、y で 0 です。次", 0)
    15
    """
    found = _SENTENCE_END.search(text, offset)
    return found.end() if found else len(text)


def solving_before(before: str) -> bool:
    """Does the sentence before an equation say it is set up to be solved ("Setting …")?"""
    return bool(_SOLVING_BEFORE.search(before[-120:]))


def set_up_after(after: str) -> bool:
    """Do the words right after an equation say it is set up to be solved ("とおくと")?"""
    return bool(_SET_UP.match(after[:40]))


def set_to_zero(prose: str) -> bool:
    """Do the words after a result set it to zero ("これを $0$ とおくと", "setting it to 0")?"""
    return len(prose.strip()) <= 160 and bool(_ZERO.search(prose))


def all_set_to_zero(prose: str) -> bool:
    """Do the words after several results set all of them to zero ("Both vanish")?

    >>> all_set_to_zero("Both vanish at the optimum, which gives the normal equations")
    True
    >>> all_set_to_zero("どちらも $0$ とおくと、正規方程式")
    True
    >>> all_set_to_zero("Setting it to zero gives")
    False
    """
    return len(prose.strip()) <= 160 and bool(_ALL_ZERO.search(prose))


def solving_between(prose: str, *, max_chars: int) -> bool:
    """Do the words between two equations (at most ``max_chars`` of them) say "solving"?"""
    return len(prose.strip()) <= max_chars and bool(_SOLVING.search(prose))


def taking_logs(before: str) -> bool:
    """Do the words before a definition say it is the log of an earlier one ("Taking logs,")?"""
    return bool(_TAKING_LOGS.search(before[-160:]))


class Paragraphs:
    """The paragraph (text between blank lines) of each offset of a post."""

    def __init__(self, text: str) -> None:
        self._breaks = [m.start() for m in _BLANK_LINE.finditer(text)]

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self._breaks, offset)


__all__ = ["Paragraphs", "all_set_to_zero", "crosses_heading", "is_case", "is_evaluation_point",
           "sentence_end",
           "set_to_zero", "set_up_after", "solving_before", "solving_between", "taking_logs"]
