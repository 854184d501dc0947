"""ceforge's own targets, in the order the reference lists them: each name with the module and
class that implement it, imported when a build first uses that target (a build for the web
target never imports lxml, which the LMS targets need)."""

from __future__ import annotations

TARGETS: dict[str, tuple[str, str]] = {
    "web": ("ceforge.targets.web", "WebTarget"),
    "scorm12": ("ceforge.targets.scorm12", "Scorm12Target"),
    "scorm2004": ("ceforge.targets.scorm2004", "Scorm2004Target"),
    "tincan": ("ceforge.targets.tincan", "TinCanTarget"),
    "cmi5": ("ceforge.targets.cmi5", "Cmi5Target"),
}
