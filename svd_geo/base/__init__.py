"""Base modules every layer may use: settings, errors, vocabulary, schema, coordinates, texts."""
