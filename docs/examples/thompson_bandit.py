"""Thompson sampling on a three-armed bandit (run: python thompson_bandit.py [ROUNDS]).

Each arm pays 1 with a rate the player does not know. The belief about each arm's rate is a
probkit Distribution on a grid of 101 rates, uniform to start (a Beta(1, 1) prior on the
grid). Every round draws one rate from each arm's posterior, plays the arm whose draw is
highest, and updates that arm with what it paid: likelihood p for a win, 1 - p for a loss.
One seeded numpy Generator makes every draw, so a run is reproducible.
"""

import sys

import numpy as np

from probkit import Distribution

TRUE_RATES = (0.25, 0.5, 0.6)
RATES = np.linspace(0, 1, 101)  # the grid of possible rates


def play(rounds, seed, true_rates=TRUE_RATES):
    """Play ``rounds`` rounds; return each arm's pulls, wins and posterior."""
    rng = np.random.default_rng(seed)
    beliefs = [Distribution(RATES, np.ones(len(RATES))) for _ in true_rates]
    pulls, wins = [0] * len(true_rates), [0] * len(true_rates)
    for _ in range(rounds):
        draws = [belief.sample(1, seed=rng)[0] for belief in beliefs]
        arm = int(np.argmax(draws))
        won = bool(rng.random() < true_rates[arm])
        beliefs[arm] = beliefs[arm].update(RATES if won else 1 - RATES)
        pulls[arm] += 1
        wins[arm] += won
    return pulls, wins, beliefs


def main(rounds):
    pulls, wins, beliefs = play(rounds, seed=2024)
    for arm, rate in enumerate(TRUE_RATES):
        low, high = beliefs[arm].credible_interval(0.9)
        print(f"arm {arm}: true rate {rate:.2f}, pulled {pulls[arm]:4d} times, "
              f"won {wins[arm]:4d}, posterior mean {float(beliefs[arm].mean()):.3f}, "
              f"90% interval [{low:.2f}, {high:.2f}]")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
