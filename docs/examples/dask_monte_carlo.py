"""Monte Carlo for the rare disease on a dask cluster (run: python dask_monte_carlo.py [DRAWS]).

dask starts its workers as new processes that import this file: everything that starts the
cluster must sit under ``if __name__ == "__main__":``, or each worker would start a cluster
of its own.
"""

import sys

from distributed import Client, LocalCluster  # or Client("tcp://scheduler:8786")

from probkit.bayes import diagnostic_problem
from probkit.bayes.montecarlo import monte_carlo


def main(draws: int) -> None:
    problem = diagnostic_problem("1/1000", "99%", false_positive_rate="5%",
                                 results=["positive", "positive"])
    with LocalCluster(n_workers=2, threads_per_worker=1) as cluster, Client(cluster) as client:
        result = monte_carlo(problem, draws, seed=7, executor=client.get_executor(),
                             chunk_size=2**22)
    print(result["disease"].estimate, result["disease"].stderr)


if __name__ == "__main__":
    main(int(float(sys.argv[1])) if len(sys.argv) > 1 else 10**9)
