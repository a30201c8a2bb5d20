"""The one table from library parameter names to command-line option names.

The library raises :class:`~probkit.errors.InputError` naming the parameter a
bad value was given to (``exc.parameter``); the command line does not check
those values again, it only rewords the message with the option the user typed.
Standard library only.

>>> import re

import re

from probkit.errors import InputError
>>> option_message(InputError("rule: 'best' is not one of min-log-loss, one-se",
...                           parameter="rule"))
"--rule: 'best' is not one of min-log-loss, one-se"
>>> option_message(InputError("LogisticRegression: max_iter=-5 is invalid", parameter="max_iter"))
'--iterations: LogisticRegression: max_iter=-5 is invalid'
>>> option_message(InputError("no parameter here"))
'no parameter here'
"""

from __future__ import annotations

import re

from probkit.errors import InputError

#: library parameter -> command-line option
OPTIONS: dict[str, str] = {
    "activation": "--activation",
    "arithmetic": "--float",
    "assume": "--assume",
    "base_rate": "--base-rate",
    "calibrate": "--calibrate",
    "chain": "--chain",
    "cost": "--cost",
    "credible": "--credible",
    "data": "--data",
    "definitions": "--chain",
    "draws": "--mc",
    "ensemble": "--ensemble",
    "events": "--event",
    "expression": "--expr",
    "family": "--family",
    "features": "--features",
    "file": "--file",
    "fit": "--fit",
    "flip": "--flip",
    "fmt": "--format",
    "folds": "--folds",
    "formula": "--likelihood",
    "gradients": "--gradients",
    "grid": "--grid",
    "hidden": "--hidden",
    "k": "--folds",
    "l2": "--l2",
    "learning_rate": "--learning-rate",
    "likelihood": "--likelihood",
    "likelihoods": "--likelihood",
    "markdown_flavor": "--markdown-flavor",
    "results": "--result",
    "max_iter": "--iterations",
    "memory_limit": "--memory-limit",
    "model": "--model",
    "models": "--model",
    "n_bootstrap": "--bootstrap",
    "normalize": "--normalize",
    "out": "--out",
    "plot": "--plot",
    "predict": "--predict",
    "preprocessing": "--preprocessing",
    "prior": "--prior",
    "priors": "--prior",
    "random_state": "--seed",
    "repeats": "--repeats",
    "rule": "--rule",
    "seed": "--seed",
    "seeds": "--seeds",
    "shape": "--shape",
    "shapes": "--shape",
    "solver": "--solver",
    "split": "--split",
    "test": "--test",
    "text": "--file",
    "time_limit": "--time-limit",
    "tol": "--tol",
    "train": "--train",
    "values": "--values",
    "wrt": "--wrt",
}

#: advice a library message gives in its own terms -> the same advice as options
ADVICE: dict[str, str] = {
    'arithmetic="float"': "--float",
    'method="importance"': "--method importance",
    "solver='lbfgs'": "--solver lbfgs",
    "standardize the features": "standardize the features (--preprocessing standardize)",
}

#: library settings a message states as ``name=value`` (``reached max_iter=2000``): shown
#: as the option with its value (``--iterations 2000``)
SETTINGS = ("max_iter", "learning_rate", "l2", "solver", "tol")
_SETTING = re.compile(r"\b(" + "|".join(SETTINGS) + r")=('?)([^\s,;)']+)\2")


def option_text(text: str) -> str:
    """Library advice reworded with options (``arithmetic="float"`` -> ``--float``).

    >>> option_text('too few accepted draws: use method="importance" or more draws')
    'too few accepted draws: use --method importance or more draws'
    >>> option_text("`prior` cannot be combined with `file`")
    '--prior cannot be combined with --file'
    """
    for library, option in ADVICE.items():
        text = text.replace(library, option)
    return _QUOTED.sub(lambda m: OPTIONS.get(m.group(1), m.group(1)), text)


_QUOTED = re.compile(r"`([a-z_][a-z0-9_]*)`")
"""A parameter name quoted in a library message (```prior` cannot be combined with
`file```): the CLI shows the option instead."""


def warning_text(text: str) -> str:
    """A library warning worded with options: advice as in :func:`option_text`, and the
    settings it states (``max_iter=2000``) as the options that set them.

    >>> warning_text("reached max_iter=2000 after 2000 steps; use solver='lbfgs', or raise "
    ...              "`max_iter` or `learning_rate`")
    'reached --iterations 2000 after 2000 steps; use --solver lbfgs, or raise --iterations or \
--learning-rate'
    """
    text = option_text(text)
    return _SETTING.sub(lambda m: f"{OPTIONS[m.group(1)]} {m.group(3)}", text)


def option_message(exc: InputError) -> str:
    """The error's message, worded with the option name of the parameter it is about.

    A message that starts with the parameter's name (``rule: ...``, ``base rate:
    ...``) gets the option in its place; advice to pass a library flag
    (``normalize=True``) names the option instead; any other message gets the
    option in front.

    >>> option_message(InputError("priors sum to 4, not 1 (pass normalize=True to use them "
    ...                           "as weights)", parameter="normalize"))
    'priors sum to 4, not 1 (pass --normalize to use them as weights)'
    """
    message = option_text(str(exc))
    option = OPTIONS.get(exc.parameter or "")
    if option is None or message.startswith(option) or _QUOTED.search(str(exc)):
        return message
    flag = f"{exc.parameter}=True"  # a library flag's advice, e.g. "pass normalize=True"
    if flag in message:
        return message.replace(flag, option)
    assert exc.parameter is not None
    for name in (exc.parameter, exc.parameter.replace("_", " ")):
        if message.startswith(name) and message[len(name):len(name) + 1] in (":", " ", "="):
            return option + message[len(name):]
    return f"{option}: {message}"


__all__ = ["ADVICE", "OPTIONS", "SETTINGS", "option_message", "option_text", "warning_text"]
