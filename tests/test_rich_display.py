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


def test_every_classifier_result_has_a_short_repr_and_an_html_table(tmp_path) -> None:
    """A notebook showed a tuning result as a dataclass with an array of logits, and a data
    set as four screens of pixels; each is now one short line and a table."""
    from probkit import workflows
    from probkit.classifier.data.audit import audit
    from probkit.classifier.data.datasets import make_synthetic

    train = make_synthetic(60, size=4, seed=0, signal=0.3)
    test = make_synthetic(30, size=4, seed=1, signal=0.3)
    trained = workflows.train(train, test=test, features="pixels", solver="lbfgs",
                              max_iter=30, l2=1.0)
    tuned = workflows.tune(train, features=["pixels"], l2=[10.0, 1000.0], max_iter=[100],
                           flip="no", folds=2)
    results = {
        "Dataset": train, "TrainReport": trained, "TuneReport": tuned,
        "SelectionResult": tuned.result,
        "EvaluationReport": workflows.evaluate(trained.classifier, test),
        "PredictionReport": workflows.predict(trained.classifier, data=test),
        "ModelComparison": workflows.compare(trained.classifier, tuned.classifier, test,
                                             n_bootstrap=200),
        "DataAudit": audit(train, test),
    }
    for name, result in results.items():
        text = repr(result)
        assert name in text and len(text) < 1000, (name, len(text))
        assert "<table>" in result._repr_html_(), name
        assert "<memory>" not in text + result._repr_html_(), name
    # negative control: the generated dataclass repr these replace is the dump the issue saw
    from dataclasses import fields

    dump = ", ".join(f"{f.name}={getattr(train, f.name)!r}" for f in fields(train))
    assert len(dump) > 1000 > len(repr(train))


def test_in_memory_models_are_named_by_what_they_are() -> None:
    from probkit import workflows
    from probkit.classifier.data.datasets import make_synthetic

    data = make_synthetic(30, size=4, seed=0)
    report = workflows.train(data, features="pixels", max_iter=5)
    evaluation = workflows.evaluate(report.classifier, data)
    assert evaluation.model_source == "logistic classifier (in memory, 4x4x3 images)"
    assert evaluation.to_dict()["model"] == evaluation.model_source


def test_figures_show_themselves_as_png_without_magic() -> None:
    from matplotlib.figure import Figure

    from probkit.classifier.evaluation.plots import plot_learning_curve

    figure = plot_learning_curve([0.7, 0.5, 0.4])
    assert isinstance(figure, Figure)
    assert figure._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not hasattr(Figure(), "_repr_png_")  # the bare Figure a notebook showed as text
