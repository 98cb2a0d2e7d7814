"""Exceptions raised by svd_geo.

One base class, :class:`SvdGeoError`; each subclass also inherits the builtin
exception it refines, so callers may catch either.  Messages say what went
wrong, where (file, row, column) and how to fix it.
"""

from __future__ import annotations


class SvdGeoError(Exception):
    """Base class of every error svd_geo raises on purpose."""


class DataValidationError(SvdGeoError, ValueError):
    """An input file or value cannot be used as it is."""


class CrsError(SvdGeoError, ValueError):
    """Data is in a coordinate reference system the operation cannot use."""


class ChecksumError(SvdGeoError, ValueError):
    """A downloaded or mirrored file does not match its registered sha256."""


class SourceUnavailableError(SvdGeoError, FileNotFoundError):
    """A registered data source is in no cache, mirror or reachable URL."""


class EmptySelectionError(SvdGeoError, LookupError):
    """A filter or lookup selected nothing."""


class StoreError(SvdGeoError, RuntimeError):
    """The incident store cannot be read or written."""


class PermissionDeniedError(SvdGeoError, PermissionError):
    """The user's role may not do this (see :mod:`svd_geo.base.roles`)."""
