"""The Chinese catalogue (简体中文), one module per part of the course, each with a ``MESSAGES``
dict ``{English text: Chinese text}``. Terms follow d2l-zh (《动手学深度学习》) and the
course's glossary (``docs/zh/glossary.md``)."""
