"""ceforge's own targets, in the order the reference lists them."""

from __future__ import annotations

from ceforge.targets.base import Target
from ceforge.targets.cmi5 import Cmi5Target
from ceforge.targets.scorm12 import Scorm12Target
from ceforge.targets.scorm2004 import Scorm2004Target
from ceforge.targets.tincan import TinCanTarget
from ceforge.targets.web import WebTarget

TARGETS: tuple[type[Target], ...] = (
    WebTarget, Scorm12Target, Scorm2004Target, TinCanTarget, Cmi5Target,
)
