"""The probkit command line (installed as ``probkit_cli``).

Thin by design: each command parses its options, calls the library, and
renders the result. Nothing here computes anything the library does not.
"""
