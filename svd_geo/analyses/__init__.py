"""Analyses of selected incidents: the one set of parameters, runs, polygons, evaluation, coverage, impact."""
