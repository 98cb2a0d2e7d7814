"""The svd-geo command line, one module per command group."""
