"""Finding the maths in a post costs work in proportion to the post: dollar signs that never
close (``$a $b $c`` ...) and long runs of blocks are read once, not once per opening."""

from __future__ import annotations

import random
import subprocess
import sys

from probkit.symbolic.lint.extract import find_maths

ADVERSARIAL = [
    "'$a ' * 10_000",  # each $ opens, and no later $ may close it (a space before each)
    "'$x=x$ ' * 10_000",  # many short blocks: the escape test must not copy the prefix
    "'$' * 20_000",  # $$ ... $$ display blocks, empty
    "'\\\\\\\\' * 5_000 + '$a ' * 10_000",  # backslashes before the dollars
]


def test_dollar_signs_cost_work_in_proportion_to_the_post() -> None:
    """The first took minutes for these 30 kB (work growing as the cube of the length), the
    others' work grew as the square; read once, all take milliseconds. Run in a child process
    so that a regression fails here after 60 s instead of hanging the suite."""
    code = ("from probkit.symbolic.lint.extract import find_maths\n"
            "for text in (" + ", ".join(ADVERSARIAL) + "):\n"
            "    find_maths(text, latex=False)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr


def _blocks(text: str) -> list[tuple[str, int, bool, int, bool]]:
    return [(b.text, b.start, b.display, b.end, b.closed) for b in find_maths(text)]


def test_inline_dollar_rules_hold() -> None:
    """Pandoc's rules: no space inside the delimiters, no digit after the closing one, no blank
    line inside, an escaped dollar is text."""
    assert _blocks("$5 and $10") == []
    assert _blocks("$a $b$") == [("a $b", 1, False, 6, True)]
    assert _blocks("$a$1 $b$") == [("a$1 $b", 1, False, 8, True)]
    assert _blocks("$a\n\nb$ $c$") == [("c", 8, False, 10, True)]
    assert _blocks("\\$a$ $b$") == [("b", 6, False, 8, True)]
    assert _blocks("$a\\$ b$") == [("a\\$ b", 1, False, 7, True)]
    assert _blocks("$a\\\\$ b$") == [("a\\\\", 1, False, 5, True)]
    assert _blocks("$$x \\$$$") == [("x \\$", 2, True, 8, True)]


def test_the_same_blocks_as_a_reading_from_each_opening() -> None:
    """Differential: random posts of dollars, backslashes, spaces, digits and blank lines give
    the blocks of a reference that searches from each opening for its closing dollar."""
    rng = random.Random(20261207)
    for _ in range(3000):
        text = "".join(rng.choice("$$$\\ a1\n") for _ in range(rng.randrange(1, 30)))
        assert _blocks(text) == _reference(text), repr(text)


def _reference(text: str) -> list[tuple[str, int, bool, int, bool]]:
    """Inline and display dollars only, found the slow, obvious way."""
    def escaped(i: int) -> bool:
        run = 0
        while i - run - 1 >= 0 and text[i - run - 1] == "\\":
            run += 1
        return run % 2 == 1

    def closing(start: int, mark: str) -> int:
        i = start
        while True:
            i = text.find(mark, i)
            if i < 0 or not escaped(i):
                return i
            i += 1

    found, i = [], 0
    while i < len(text):
        if text.startswith("\\$", i):
            i += 2
        elif text.startswith("$$", i):
            end = closing(i + 2, "$$")
            if end < 0:
                stop = text.find("\n\n", i + 2)
                stop = len(text) if stop < 0 else stop
                found.append((text[i + 2:stop], i + 2, True, stop, False))
                i = stop
            else:
                found.append((text[i + 2:end], i + 2, True, end + 2, True))
                i = end + 2
        elif text[i] == "$":
            start, end = i + 1, -1
            j = start
            while start < len(text) and not text[start].isspace():
                j = closing(j, "$")
                if j < 0 or "\n\n" in text[start:j]:
                    break
                if text[j - 1].isspace() or (j + 1 < len(text) and text[j + 1].isdigit()):
                    j += 1
                    continue
                end = j
                break
            if end > 0:
                found.append((text[start:end], start, False, end + 1, True))
                i = end + 1
            else:
                i += 1
        else:
            i += 1
    return found
