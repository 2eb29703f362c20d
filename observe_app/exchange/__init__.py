"""Observation packages: one `.observe` file carries cycles between two laptops and merges.

`package` writes and reads the file (every byte hostile until checked), `state` reads and
writes the rows with their change stamps, `merge` decides field by field which edit wins,
`service` is what the window and the command line call. No Qt here.
"""
