"""Results display themselves in notebooks with the same cells as the CLI's tables."""

from __future__ import annotations

from typer.testing import CliRunner

from probkit.bayes import posterior, urn_posterior, urn_problem
from probkit.bayes.display import monte_carlo_columns, posterior_table, trace_table
from probkit_cli.app import app

runner = CliRunner()
URNS = {"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}}


def _cells(html: str) -> list[str]:
    import re

    return re.findall(r"<td[^>]*>(.*?)</td>", html)


def test_posterior_html_has_the_cli_table() -> None:
    result = urn_posterior(URNS, ["black", "black"])
    html = result._repr_html_()
    cli = runner.invoke(app, ["urn", "--urn", "A=white:9,black:1", "--urn", "B=white:2,black:8",
                              "--draw", "black", "--draw", "black"])
    assert cli.exit_code == 0
    from probkit_cli.common import table

    headers, rows, right = posterior_table(result)
    assert table(headers, rows, right=right) in cli.stdout  # the very table the CLI prints
    t_headers, t_rows, t_right = trace_table(result)
    assert table(t_headers, t_rows, right=t_right) in cli.stdout
    cells = _cells(html)
    for row in rows + t_rows:
        for cell in row:
            assert cell in cells
    assert "evidence P(E) = 13/40 ≈ 0.325" in html and "Bayes factor A:B = 1/64" in html
    # negative control: another posterior shows other numbers
    other = posterior({"A": "1/2", "B": "1/2"}, {"A": "1/10", "B": "8/10"})._repr_html_()
    assert "64/65" not in other and "8/9" in other


def test_monte_carlo_html_has_the_cli_columns() -> None:
    from probkit.bayes.montecarlo import monte_carlo
    from probkit_cli import montecarlo_render

    exact = urn_posterior(URNS, ["black"])
    result = monte_carlo(urn_problem(URNS, ["black"]), 20_000, seed=1, exact=exact)
    headers, rows = monte_carlo_columns(result)
    cli_headers: list[str] = []
    cli_rows: list[list[str]] = [[], []]
    montecarlo_render.add_to_table(cli_headers, cli_rows, [], result)
    assert (headers, rows) == (cli_headers, cli_rows)
    html = result._repr_html_()
    assert all(cell in _cells(html) for row in rows for cell in row)
    assert "rejection sampling, 20,000 draws" in html
