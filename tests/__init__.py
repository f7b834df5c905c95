"""The test suite; imported before tests/conftest.py and so before server.config."""

from tests.parallel import isolate_environment

isolate_environment()  # an xdist worker's own instance directory and database (tests/parallel.py)
