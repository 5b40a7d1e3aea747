"""``python -m course_utils``: the command line (:mod:`course_utils.cli`)."""

import sys

if __name__ == "__main__":
    try:
        from course_utils.cli import main

        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C while the command line itself starts
        print("interrupted.", file=sys.stderr)
        sys.exit(130)
