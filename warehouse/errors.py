"""Errors raised while building or publishing the warehouse."""


class WarehouseError(RuntimeError):
    """The new warehouse could not be built or published; the old one is untouched."""
