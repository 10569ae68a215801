"""Writes of the picture app; one module per subject, this package re-exports their public names
(callers use ``from picture import services``). Each module follows the house rules: keyword-only
arguments, one transaction, an audit entry."""

from picture.services.geo import (
    MAX_GEOJSON_BYTES,
    ImportResult,
    ShapesRejected,
    generate_demo_shapes,
    import_area_shapes,
)

__all__ = [
    "MAX_GEOJSON_BYTES",
    "ImportResult",
    "ShapesRejected",
    "generate_demo_shapes",
    "import_area_shapes",
]
