"""What every benchmark script shares: the project root, a `--build` option
naming the build whose `bin/desist` it times, and the script's own options."""
import argparse
from pathlib import Path

root = Path(__file__).resolve().parent.parent
options_dir = root / "scenarios" / "options"


def parse(doc: str, add_options=lambda parser: None):
    """Parses the command line; returns (args, path of the desist binary)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--build", default=str(root / "build"))
    add_options(parser)
    args = parser.parse_args()
    return args, Path(args.build) / "bin" / "desist"
