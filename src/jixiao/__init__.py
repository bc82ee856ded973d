"""jixiao (绩效): read, score, audit and render budget performance self-evaluations."""

__version__ = "0.1.0"
