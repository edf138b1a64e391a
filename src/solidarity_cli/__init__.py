"""solidarity: check, match and report on a network of universal solidarity."""

__version__ = "0.1.0"
