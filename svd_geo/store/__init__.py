"""The store of incidents, imports and intervention places (GeoPackage behind one Protocol)."""
