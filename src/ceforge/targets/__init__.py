"""Output targets: each renders the course model to an in-memory list of files.

``base`` holds the interface (``Target``, ``OutputFile``, ``BuildOptions``, ``register``) and
``registry`` the targets a build can use (``available_targets``, ``get_target``).
"""
