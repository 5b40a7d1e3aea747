"""The course's tests: a package, so that `tests.<module>` is always this folder (IPython 7, Colab's, puts
its own `tests` package on `sys.path`, which would win over a folder without this file)."""
