"""What a pre-trained language model does: next-token probabilities and few-shot prompting.

Introduced in notebook 01. :func:`next_token_table` lists the model's most likely next tokens for
a prompt; :func:`few_shot_accuracy` is the prompting baseline that fine-tuning must beat: k
labelled tweets in the prompt, then the model picks the label word with the highest
log-probability for each test tweet.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from course_utils.schema import LABELS as LABEL_WORDS


def next_token_table(model, tokenizer, prompt: str, k: int = 10) -> pd.DataFrame:
    """The ``k`` most likely next tokens after ``prompt`` with their probabilities."""
    import torch

    inputs = tokenizer(prompt, return_tensors="pt").to(model.device)
    with torch.no_grad():
        logits = model(**inputs).logits[0, -1]
    probs = torch.softmax(logits.float(), dim=-1)
    top = torch.topk(probs, k)
    return pd.DataFrame({
        "token": [tokenizer.decode([int(i)]) for i in top.indices],
        "probability": top.values.cpu().numpy(),
    })


def plot_next_tokens(table: pd.DataFrame, prompt: str):
    """Horizontal bar chart of a :func:`next_token_table`, most likely on top; returns the Figure (not shown)."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 0.3 * len(table) + 1.2))
    labels = [repr(token) for token in table["token"]]
    ax.barh(labels[::-1], table["probability"][::-1], color="#4c72b0")
    ax.set_xlabel("probability of being the next token")
    ax.set_title(f"After {prompt!r}", fontsize=10)
    fig.tight_layout()
    plt.close(fig)  # displayed once, by the notebook, when returned
    return fig


def few_shot_prompt(examples: Sequence[tuple[str, str]], text: str) -> str:
    """A prompt with labelled examples, then ``text`` waiting for its label."""
    shots = "".join(f"Tweet: {t}\nSentiment: {label}\n\n" for t, label in examples)
    return f"{shots}Tweet: {text}\nSentiment:"


def label_log_probs(model, tokenizer, prompt: str, label_words: Sequence[str] = LABEL_WORDS) -> np.ndarray:
    """Total log-probability of each label word (with its leading space) as the prompt's continuation.

    Runs on the model's device. One forward pass over the prompt scores the first token of every
    word (with GPT-2's tokenizer " negative", " neutral" and " positive" are one token each); a
    word of several tokens needs one more pass over the prompt and that word.
    """
    import torch

    prompt_ids = tokenizer(prompt)["input_ids"]

    def log_probs(ids: list[int], keep: int):  # log-softmax at the last ``keep`` positions
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([ids], device=model.device), logits_to_keep=keep).logits[0]
        return torch.log_softmax(logits.float(), dim=-1)

    first = log_probs(prompt_ids, 1)[-1]
    scores = []
    for word in label_words:
        word_ids = tokenizer(" " + word)["input_ids"]
        rest = log_probs(prompt_ids + word_ids[:-1], len(word_ids) - 1) if len(word_ids) > 1 else []
        scores.append(first[word_ids[0]].item() + sum(rest[i, t].item() for i, t in enumerate(word_ids[1:])))
    return np.array(scores)


def pick_shots(train, k: int, seed: int = 0,
               label_words: Sequence[str] = LABEL_WORDS) -> list[tuple[str, str]]:
    """``k`` labelled examples from ``train``, cycling through the classes so each appears.

    Each example's label is written as ``label_words[label]`` (default: the class names).
    """
    if len(label_words) != len(LABEL_WORDS):
        raise ValueError(f"label_words needs one word per class {LABEL_WORDS}; got {list(label_words)}.")
    rng = np.random.default_rng(seed)
    labels = np.array(train["label"][:])
    texts = train["text"][:]
    shots = []
    for i in range(k):
        label = i % len(LABEL_WORDS)
        index = int(rng.choice(np.flatnonzero(labels == label)))
        shots.append((texts[index], label_words[label]))
    order = rng.permutation(len(shots))
    return [shots[i] for i in order]


def few_shot_accuracy(model, tokenizer, train, test, k: int = 6, n: int = 200, seed: int = 0,
                      label_words: Sequence[str] = LABEL_WORDS) -> dict:
    """Accuracy of k-shot prompting on the first ``n`` rows of ``test``.

    ``label_words`` are the words standing for negative, neutral and positive, in the examples
    and as the three candidate answers. Returns accuracy, the predictions, and how often each
    label word was chosen (a model that always picks one word scores that class's share, the
    majority baseline at best).
    """
    shots = pick_shots(train, k, seed, label_words)
    rows = test.select(range(min(n, len(test))))
    predictions = [int(np.argmax(label_log_probs(model, tokenizer, few_shot_prompt(shots, text),
                                                 label_words)))
                   for text in rows["text"][:]]
    references = rows["label"][:]
    counts = np.bincount(predictions, minlength=len(LABEL_WORDS))
    return {
        "accuracy": float(np.mean(np.array(predictions) == np.array(references))),
        "predictions": predictions,
        "chosen": dict(zip(label_words, counts.tolist(), strict=True)),
        "shots": shots,
    }
