"""Question banks in and out: ``ceforge export`` and ``ceforge import``.

Export writes the questions of a checked course in a format other quiz engines read: Moodle XML
(``moodlexml``), GIFT (``gift``) and a QTI 2.1 content package (``qti``); each question is
mapped so that it scores there as it does in ceforge, and whatever a format cannot hold is
reported per question (``bank.left-out``, ``bank.changed``), never dropped in silence. Import
reads a Moodle XML or GIFT bank (``moodlexml``, ``gift``) into the course model's questions and
writes them as ceforge Markdown (``writer``), which ``ceforge check`` accepts.

``export.py`` and ``importer.py`` are the two pipelines, callable from Python without click.
"""
