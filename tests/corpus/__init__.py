"""A corpus of broken and hostile partner files, each with the outcome a user needs.

Every case is a file (written by its builder into a test's folder) and one of two
outcomes: refused, with a message matching ``expect`` that names the file; or
accepted, with ``expect`` matching a stated warning (a note of the import, or the
reason a row was set aside).  Small text files are written out here byte for byte;
workbooks, zips and geometries are built, so nothing binary is committed.
"""
