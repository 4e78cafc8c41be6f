"""resourcepool: organisations of a neighbourhood pool and book each other's assets."""

__version__ = "0.1.0"
