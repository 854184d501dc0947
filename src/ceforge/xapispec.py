"""What xAPI, Tin Can packages and cmi5 fix: the version, manifest names and namespaces, and the
vocabularies of a cmi5 course structure and launch.

The targets write packages from these facts, ``ceforge validate`` checks packages against them,
and the preview's LMS and ``ceforge statements`` launch AUs with them; none spells one of its own
(as ``ceforge.scormspec`` does for SCORM).
"""

from __future__ import annotations

#: The xAPI version ceforge speaks (``X-Experience-API-Version``).
XAPI_VERSION = "1.0.3"

TINCAN_MANIFEST = "tincan.xml"
TINCAN_NAMESPACE = "http://projecttincan.com/tincan.xsd"

CMI5_MANIFEST = "cmi5.xml"
CMI5_NAMESPACE = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
#: An AU's ``moveOn``: what the LMS waits for before it counts the AU satisfied.
MOVE_ON = ("NotApplicable", "Passed", "Completed", "CompletedAndPassed", "CompletedOrPassed")
#: An AU's ``launchMethod``.
LAUNCH_METHODS = ("AnyWindow", "OwnWindow")
#: The ``launchMode`` of ``LMS.LaunchData``: Normal, or Browse and Review (which record nothing
#: but the session).
LAUNCH_MODES = ("Normal", "Browse", "Review")


def one_of(values: tuple[str, ...]) -> str:
    """``A, B or C``: a vocabulary as a message names it."""
    return f"{', '.join(values[:-1])} or {values[-1]}" if len(values) > 1 else values[0]
