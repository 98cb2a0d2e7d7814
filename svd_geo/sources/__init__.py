"""Open data the project reads: the registry, boundaries, areas, populations."""
