"""``--workers`` beyond the CPUs available: capped, said on stderr, and the JSON stays clean."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from probkit_cli.app import app

runner = CliRunner()


def test_workers_are_capped_at_the_cpus_available(capsys) -> None:
    from probkit_cli.montecarlo_render import available_cpus, monte_carlo_request

    request = monte_carlo_request("100", None, 1, 10_000)
    assert request is not None and request.workers == available_cpus()
    assert f"--workers 10000 capped at the {available_cpus()} CPUs" in capsys.readouterr().err
    asked = monte_carlo_request("100", None, 1, 1)  # negative control: within the CPUs
    assert asked is not None and asked.workers == 1 and capsys.readouterr().err == ""


def test_workers_cap_keeps_json_clean() -> None:
    result = runner.invoke(app, ["bayes", "--prior", "A=1/2", "--prior", "B=1/2",
                                 "--likelihood", "A=1/2", "--likelihood", "B=1/3", "--mc", "200",
                                 "--seed", "1", "--workers", "4096", "--json"])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["draws"] == 200
    assert "capped at the" in result.stderr and "error" not in result.stderr
