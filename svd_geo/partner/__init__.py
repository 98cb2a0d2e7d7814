"""Partner files: reading, column detection, validation, intervention places, harm tables."""
