"""The one selection, for the command line and the pages: inputs, filters and point coordinates."""
