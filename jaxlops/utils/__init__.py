"""Checking tools and helpers."""

from jaxlops.utils import backend
from jaxlops.utils.checks import check_operator
from jaxlops.utils.dottest import dottest

__all__ = ["backend", "check_operator", "dottest"]
