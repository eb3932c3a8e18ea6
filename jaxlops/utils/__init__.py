"""Checking tools and helpers."""

from jaxlops.utils.checks import check_operator
from jaxlops.utils.dottest import dottest

__all__ = ["check_operator", "dottest"]
