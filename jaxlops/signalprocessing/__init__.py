"""Signal-processing operators, one per module, with PyLops 2 names and arguments."""

__all__ = []
