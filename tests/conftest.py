"""Shared test configuration: the Hypothesis settings profiles.

"ci" runs more examples and is loaded when the ``CI`` environment variable is set; "dev" keeps
the local run quick. ``pytest --hypothesis-profile=NAME`` overrides the choice.
"""

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=300, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
# Ten times the dev profile (issue 10: property tests must pass at 10x their example counts):
# pytest --hypothesis-profile=x10. Tests with their own count scale it from the default.
settings.register_profile("x10", max_examples=600, deadline=None)
settings.load_profile("ci" if "CI" in os.environ else "dev")
