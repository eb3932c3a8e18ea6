"""Amplitude and post-stack seismic modelling and inversion (PyLops' ``pylops.avo``)."""

from jaxlops.avo import poststack
from jaxlops.avo.poststack import PoststackInversion, PoststackLinearModelling

__all__ = ["PoststackInversion", "PoststackLinearModelling", "poststack"]
