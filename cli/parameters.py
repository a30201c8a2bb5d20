"""The one table from library parameter names to command-line option names.

The library raises :class:`~probkit.errors.InputError` naming the parameter a
bad value was given to (``exc.parameter``); the command line does not check
those values again, it only rewords the message with the option the user typed.
Standard library only.

>>> from probkit.errors import InputError
>>> option_message(InputError("rule: 'best' is not one of min-log-loss, one-se",
...                           parameter="rule"))
"--rule: 'best' is not one of min-log-loss, one-se"
>>> option_message(InputError("LogisticRegression: max_iter=-5 is invalid", parameter="max_iter"))
'--iterations: LogisticRegression: max_iter=-5 is invalid'
>>> option_message(InputError("no parameter here"))
'no parameter here'
"""

from __future__ import annotations

from probkit.errors import InputError

#: library parameter -> command-line option
OPTIONS: dict[str, str] = {
    "activation": "--activation",
    "assume": "--assume",
    "base_rate": "--base-rate",
    "calibrate": "--calibrate",
    "chain": "--chain",
    "cost": "--cost",
    "data": "--data",
    "definitions": "--chain",
    "expression": "--expr",
    "features": "--features",
    "fit": "--fit",
    "flip": "--flip",
    "fmt": "--format",
    "folds": "--folds",
    "gradients": "--gradients",
    "grid": "--grid",
    "hidden": "--hidden",
    "k": "--folds",
    "l2": "--l2",
    "learning_rate": "--learning-rate",
    "markdown_flavor": "--markdown-flavor",
    "max_iter": "--iterations",
    "memory_limit": "--memory-limit",
    "model": "--model",
    "n_bootstrap": "--bootstrap",
    "models": "--model",
    "normalize": "--normalize",
    "out": "--out",
    "plot": "--plot",
    "preprocessing": "--preprocessing",
    "random_state": "--seed",
    "repeats": "--repeats",
    "rule": "--rule",
    "seed": "--seed",
    "seeds": "--seeds",
    "shape": "--shape",
    "shapes": "--shape",
    "solver": "--solver",
    "test": "--test",
    "time_limit": "--time-limit",
    "tol": "--tol",
    "train": "--train",
    "wrt": "--wrt",
}


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
    message = str(exc)
    option = OPTIONS.get(exc.parameter or "")
    if option is None or message.startswith(option):
        return message
    flag = f"{exc.parameter}=True"  # a library flag's advice, e.g. "pass normalize=True"
    if flag in message:
        return message.replace(flag, option)
    assert exc.parameter is not None
    for name in (exc.parameter, exc.parameter.replace("_", " ")):
        if message.startswith(name) and message[len(name):len(name) + 1] in (":", " ", "="):
            return option + message[len(name):]
    return f"{option}: {message}"


__all__ = ["OPTIONS", "option_message"]
