"""The same Monte Carlo blocks on a dask.distributed cluster (the ``dask`` extra).

A LocalCluster with two worker processes runs the blocks through
``client.get_executor()``; the result must be bit-identical to one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from probkit.bayes import diagnostic_problem, urn_problem
from probkit.bayes.montecarlo import monte_carlo
from probkit.bayes.samplers import BLOCK_SIZE

PROBLEMS = {
    "rare": diagnostic_problem("1/1000", "99%", false_positive_rate="5%",
                               results=["positive", "positive"]),
    "urn": urn_problem({"A": {"white": 9, "black": 1}, "B": {"white": 2, "black": 8}},
                       ["black", "white", "black"], replace=False),
}


@pytest.fixture(scope="module")
def distributed() -> Any:
    """dask.distributed, imported by the one test that needs it (about a second of CPU, so
    not when the quick loop, which deselects that test, collects this file)."""
    return pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def client(distributed: Any) -> Iterator[Any]:
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=None)
    with cluster, distributed.Client(cluster) as dask_client:
        yield dask_client


@pytest.mark.parametrize("method", ["rejection", "importance"])
@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_dask_cluster_gives_bit_identical_results(distributed: Any, client: Any, name: str,
                                                  method: str) -> None:
    problem = PROBLEMS[name]
    draws = 6 * BLOCK_SIZE + 999
    here = monte_carlo(problem, draws, method=method, seed=42)
    with distributed.get_task_stream(client) as stream:
        remote = monte_carlo(problem, draws, method=method, seed=42,
                             executor=client.get_executor(), chunk_size=BLOCK_SIZE)
    assert remote.to_dict() == here.to_dict()
    # ...and the blocks really ran as tasks on the cluster's worker processes.
    tasks = [t for t in stream.data if "run_blocks" in str(t["key"])]
    assert len(tasks) == 7
    assert {t["worker"] for t in tasks} <= set(client.scheduler_info()["workers"])
