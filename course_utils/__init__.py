"""Helpers for the course "Fine-tune GPT-2 to classify the sentiment of tweets".

One module per lesson step; each docstring names the notebook that introduces it. The Hugging
Face calls the lesson teaches stay in the notebooks; this package carries the plumbing.
"""

from course_utils.profiles import Profile, banner, get_profile

__all__ = ["Profile", "banner", "get_profile"]
__version__ = "0.1.0"
