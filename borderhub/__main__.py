"""Run the borderhub command line: ``python -m borderhub``."""

from borderhub.cli import main

if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
