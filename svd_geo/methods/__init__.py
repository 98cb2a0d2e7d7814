"""Statistical methods, arrays in and arrays out: kernel density, DBSCAN/HDBSCAN, Gi*, trends."""
