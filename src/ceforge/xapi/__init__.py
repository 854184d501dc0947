"""xAPI for ceforge: one statement vocabulary, the rules that turn learning into statements,
simulated learners for ``ceforge statements``, and delivery to an LRS.

- ``vocabulary``: the IRIs (verbs, activity types, extensions) and every activity definition of
  a course, as plain xAPI JSON data; the package carries them as they are, so the browser
  adapters and Python share one definition of each activity.
- ``statements``: the ``Recorder``, which turns what a learner does into the exact statements
  (plain xAPI, or cmi5 with a launch context), as ``tincan`` objects; ``docs/xapi.md`` states
  the same rules for the JavaScript adapters.
- ``learner``: learners who follow a path (pass, fail, partial) through a course.
- ``delivery``: sending statements to an LRS with ``tincan.RemoteLRS``, credentials from the
  environment.
- ``credentials``: the build-time guard that keeps LRS credentials out of packages.
"""
