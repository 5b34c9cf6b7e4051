"""Worked analysis executed by the documentation build (placeholder until the models land)."""

from __future__ import annotations

import argparse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--extra", required=True)
    parser.parse_args()


if __name__ == "__main__":
    main()
