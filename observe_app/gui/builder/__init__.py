"""The protocol builder: a school's own protocol made and changed in the window."""
