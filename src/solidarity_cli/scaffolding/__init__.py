"""Scaffolding: a new network (``init``) and new records (``new``), written ready to pass
``check``, with comments that explain each field in the contributor's language."""
