"""Checks for the exercises of notebook 04 (the model); see :mod:`course_utils.exercises`.

The checks read the models they are given (shapes, names, ``requires_grad``); the left-padding
check runs the model on the notebook's three short tweets and on the shortest alone, a few
milliseconds on the pocket model and well under a second with ``gpt2`` on a CPU.
"""

from __future__ import annotations

import numpy as np

from course_utils.exercises import Exercise, Outcome, attempted, check, is_yes_no
from course_utils.model import read_positions
from course_utils.schema import LABELS

BINARY_LABELS = 2  # exercise 1's num_labels
SCORE_TOLERANCE = 1e-4  # the notebook's torch.allclose(..., atol=1e-4)


def _is_classifier(model) -> bool:
    return hasattr(model, "score") and hasattr(model, "named_parameters") and hasattr(model, "config")


def _head_names(model) -> set[str]:
    """The names of the classification head's weights, as ``output_loading_info`` reports them."""
    return {f"score.{name}" for name, _ in model.score.named_parameters()}


def _names(answer) -> set[str]:
    return {answer} if isinstance(answer, str) else set(map(str, answer))


@check("04", 1)
def exercise_1(exercise: Exercise, binary, head_shape, new_weights) -> Outcome:
    """The model with ``num_labels=2``: its head's shape and which weights are new."""
    if not attempted(binary, head_shape, new_weights):
        return exercise.not_attempted("`binary` (the model), `head_shape` (a pair of numbers) and "
                                      "`new_weights` (a list of weight names)")
    if isinstance(binary, tuple) and binary and _is_classifier(binary[0]):
        return exercise.hint("pair", "`binary` is a pair: with output_loading_info=True, from_pretrained "
                             "returns the model and the loading info. Unpack them into two names.")
    if not _is_classifier(binary):
        return exercise.hint("not_a_model", f"`binary` is not a model (its type is {type(binary).__name__}): "
                             "give the model that GPT2ForSequenceClassification.from_pretrained returns.")
    if binary.config.num_labels != BINARY_LABELS:
        return exercise.hint("num_labels", f"`binary` has {binary.config.num_labels} labels: load it with "
                             "num_labels=2.")
    truth = tuple(binary.score.weight.shape)
    shape = tuple(int(size) for size in np.atleast_1d(head_shape))
    if shape != truth:
        if shape == truth[::-1]:
            return exercise.hint("transposed", f"{shape} is the wrong way round: a PyTorch Linear layer stores "
                                 "its weight as (outputs, inputs). Read binary.score.weight.shape.")
        if shape == (len(LABELS), truth[1]):
            return exercise.hint("three_labels", f"{shape} is the head of the notebook's 3-label model; read "
                                 "the shape of `binary`'s head.")
        if shape == (truth[0] * truth[1],):
            return exercise.hint("count_not_shape", f"{shape[0]} is the number of weights; give the shape, "
                                 "(rows, columns).")
        return exercise.hint("wrong_shape", f"{shape} is not the shape of `binary`'s head: read "
                             "binary.score.weight.shape.")
    names, new = _names(new_weights), _head_names(binary)
    if names != new:
        if not names:
            return exercise.hint("none_new", "`new_weights` is empty, but a language model's checkpoint has no "
                                 "classification head: load with output_loading_info=True and read its "
                                 "missing_keys.")
        if names == {"score"}:
            return exercise.hint("module_name", "`score` is the layer; name its weights as the loading info "
                                 "does (the layer's name, a dot, the tensor's name).")
        unknown = sorted(names - set(binary.state_dict()))
        if unknown:
            return exercise.hint("not_a_weight", f"{unknown[0]!r} is not a weight of `binary`: take the names "
                                 "from the loading info's missing_keys.")
        pretrained = sorted(names - new)
        return exercise.hint("pretrained_listed", f"{pretrained[0]!r} is not new: the checkpoint holds it. "
                             "Only the weights listed in missing_keys start from random numbers.")
    rows, columns = truth
    return exercise.correct(f"the head is {rows} x {columns}: one row of {columns} weights (the hidden size) "
                            f"per label, and {', '.join(sorted(new))} is still the only new weight. The "
                            "number of labels changes the head, never the pre-trained network.")


@check("04", 2)
def exercise_2(exercise: Exercise, head_only, n_trainable, trainable_share) -> Outcome:
    """Everything frozen except the head: how many parameters still train, and their share."""
    if not attempted(head_only, n_trainable, trainable_share):
        return exercise.not_attempted("`head_only` (the model, frozen but for its head), `n_trainable` (a "
                                      "number of parameters) and `trainable_share` (between 0 and 1)")
    if not _is_classifier(head_only):
        return exercise.hint("not_a_model", f"`head_only` is not a model (its type is "
                             f"{type(head_only).__name__}): give the model whose parameters you froze.")
    parameters = dict(head_only.named_parameters())
    head = {name for name in parameters if name.startswith("score.")}
    training = {name for name, parameter in parameters.items() if parameter.requires_grad}
    if training == set(parameters):
        return exercise.hint("nothing_frozen", "every parameter of `head_only` still has requires_grad=True: "
                             "set it to False on every parameter outside the head.")
    if not head <= training:
        return exercise.hint("head_frozen", "the head is frozen too; nothing could learn the three classes. "
                             "Keep requires_grad=True on the parameters whose name starts with `score`.")
    if training != head:
        body = sorted(training - head)
        return exercise.hint("partly_frozen", f"{len(body)} parameter tensors outside the head still train, "
                             f"{body[0]!r} first: freeze every one that is not the head.")
    truth = sum(parameters[name].numel() for name in head)
    total = sum(parameter.numel() for parameter in parameters.values())
    if n_trainable != truth:
        if n_trainable == total:
            return exercise.hint("total", f"{n_trainable:,} counts every parameter; count those with "
                                 "requires_grad=True.")
        if n_trainable == total - truth:
            return exercise.hint("frozen_count", f"{n_trainable:,} counts the frozen parameters; count those "
                                 "that still train.")
        if n_trainable == len(head):
            return exercise.hint("tensors", f"{n_trainable} counts weight tensors; count the numbers in them "
                                 "(p.numel()).")
        return exercise.hint("wrong_count", "that is not the number of parameters with requires_grad=True: add "
                             "up p.numel() over them.")
    share = truth / total
    if not np.isclose(float(trainable_share), share, rtol=1e-2):
        if np.isclose(float(trainable_share), 100 * share, rtol=1e-2):
            return exercise.hint("percent", "that is a percentage; give the share between 0 and 1.")
        if np.isclose(float(trainable_share), 1 - share, rtol=1e-2):
            return exercise.hint("frozen_share", "that is the share of the frozen parameters.")
        return exercise.hint("wrong_share", "that share does not match: divide the trainable parameters by all "
                             "the parameters of the model.")
    hidden, labels = head_only.score.weight.shape[1], head_only.score.weight.shape[0]
    return exercise.correct(f"{truth:,} of {total:,} parameters ({share:.3%}) still train: the head's {labels} x "
                            f"{hidden} weights. Fine-tuning then adapts nothing of the pre-trained network.")


def _real_rows(batch) -> list[list[int]]:
    """The real token ids of each row of a padded batch (where its attention mask is 1)."""
    return [[int(token) for token, keep in zip(ids, mask, strict=True) if keep]
            for ids, mask in zip(batch["input_ids"], batch["attention_mask"], strict=True)]


def _scores(model, tokenizer, tweets: list[str], left) -> dict[str, np.ndarray]:
    """The last tweet's scores alone, in the left-padded batch, and there with ``position_ids`` counted."""
    import torch

    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            alone = model(**tokenizer(tweets[-1:], return_tensors="pt").to(model.device)).logits[0]
            batch = {key: value.to(model.device) for key, value in left.items()}
            shifted = model(**batch).logits[-1]
            position_ids = (batch["attention_mask"].cumsum(-1) - 1).clamp(min=0)
            counted = model(**batch, position_ids=position_ids).logits[-1]
    finally:
        model.train(was_training)
    return {name: scores.float().cpu().numpy() for name, scores in
            (("alone", alone), ("left-padded batch", shifted), ("batch, position_ids counted", counted))}


@check("04", 3)
def exercise_3(exercise: Exercise, left, read_left, same_scores, model, tokenizer, tweets) -> Outcome:
    """Left padding: which position the model reads in each row, and whether the scores change."""
    if not attempted(left, read_left, same_scores):
        return exercise.not_attempted("`left` (the left-padded batch), `read_left` (one position per row) "
                                      "and `same_scores` (True or False)")
    rows = _real_rows(left)
    if rows != [tokenizer(text)["input_ids"] for text in tweets]:
        return exercise.hint("other_tweets", "`left` does not hold the notebook's three tweets, in order: pad "
                             "`tweets` again, with return_tensors=\"pt\".")
    masks = [[int(keep) for keep in mask] for mask in left["attention_mask"]]
    if any(mask[0] == 1 and mask[-1] == 0 for mask in masks):
        return exercise.hint("right_padded", "`left` is padded on the right: set tokenizer.padding_side = "
                             "\"left\" before calling the tokenizer.")
    pad_id = model.config.pad_token_id if model.config.pad_token_id is not None else tokenizer.pad_token_id
    truth = read_positions(left["input_ids"], pad_id)
    answer = [int(position) for position in np.atleast_1d(np.asarray(read_left))]
    if answer != truth:
        if answer == [sum(mask) - 1 for mask in masks]:
            return exercise.hint("right_rule", "those are the positions of the last real token under right "
                                 "padding (real tokens minus one). Apply the model's rule to the left-padded "
                                 "rows: the rightmost token that is not the pad id.")
        if answer == [position + 1 for position in truth]:
            return exercise.hint("one_based", "positions count from 0: the first column is position 0.")
        return exercise.hint("wrong_positions", "those are not the positions the model reads: in each row of "
                             "left[\"input_ids\"], find the rightmost id that is not the pad id.")
    if not is_yes_no(same_scores):
        return exercise.hint("not_bool", "`same_scores` is a yes/no answer: True or False.")
    scores = _scores(model, tokenizer, list(tweets), left)
    same = bool(np.allclose(scores["alone"], scores["left-padded batch"], atol=SCORE_TOLERANCE))
    if bool(same_scores) != same:
        return exercise.hint("scores_disagree", "the model says otherwise: compare the last row of "
                             "model(**left).logits with the scores of tweets[-1] alone (torch.allclose, "
                             "atol=1e-4).")
    worked = "\n".join(f"  {name:>28}: " + ", ".join(f"{value:+.4f}" for value in values)
                       for name, values in scores.items())
    fixed = bool(np.allclose(scores["alone"], scores["batch, position_ids counted"], atol=SCORE_TOLERANCE))
    why = "the scores stay: this model does not shift the positions of a left-padded tweet."
    if not same:
        why = ("the scores move: GPT-2 numbers the positions from the first column, pads included, so the "
               "tweet's tokens get later position embeddings than alone"
               + ("; position_ids counted from the attention mask put them back." if fixed else "."))
    return exercise.correct(f"the model reads positions {truth}, the last column of every row, since left "
                            f"padding puts every tweet's last token there; {why}", worked=worked)
