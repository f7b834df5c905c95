"""The one error type the labels package raises for bad input."""


class LabelError(ValueError):
    """Bad label input: the message says what is wrong, where, and how to fix it."""
