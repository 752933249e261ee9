"""Checks for node tests whose outputs are random (Bernoulli, RandomUniform*,
RandomNormal*, Dropout in training mode): the reference values come from one
particular generator, so outputs are checked by their properties and by
statistics instead (shape and dtype are compared exactly by the caller)."""
import numpy as np

RANDOM_OPS = {"Bernoulli", "RandomUniform", "RandomNormal", "RandomUniformLike", "RandomNormalLike"}


def is_random(model):
    """Whether the model's outputs depend on a random generator."""
    for n in model.graph.node:
        if n.op_type in RANDOM_OPS:
            return True
        if n.op_type == "Dropout" and len(n.input) > 2 and n.input[2]:
            return True
    return False


def _binomial_ok(hits, p):
    """|hits - E| within 4 standard deviations (+1 for tiny samples)."""
    p = np.asarray(p, dtype=np.float64).ravel()
    mean, sd = p.sum(), np.sqrt((p * (1 - p)).sum())
    return abs(hits - mean) <= 4 * sd + 1


def check(model, inputs, outputs):
    """Returns "" if `outputs` (list of arrays, model output order) are
    plausible draws for `inputs`, else the reason."""
    ops = {n.op_type for n in model.graph.node}
    if "Dropout" in ops:
        x, ratio, training = inputs[0], float(np.ravel(inputs[1])[0]), bool(np.ravel(inputs[2])[0])
        y = outputs[0]
        if not training or ratio == 0:
            if not np.allclose(y, x, rtol=1e-6, atol=0):
                return "dropout: output differs from input without dropping"
            kept = np.ones(x.shape, dtype=bool)
        else:
            scaled = x / (1 - ratio)
            kept = np.isclose(y, scaled, rtol=1e-5, atol=0) & (x != 0)
            dropped = y == 0
            if not np.all(kept | dropped):
                return "dropout: an element is neither 0 nor x / (1 - ratio)"
            if not _binomial_ok(kept.sum(), np.full(x.size, 1 - ratio)):
                return "dropout: kept %d of %d with ratio %g" % (kept.sum(), x.size, ratio)
        nz = x != 0
        if len(outputs) > 1 and not np.array_equal(outputs[1][nz], kept[nz]):
            return "dropout: mask does not match the kept elements"
        return ""
    if ops & {"Bernoulli", "RandomUniformLike"} and len(inputs) == 1:
        p, y = inputs[0], outputs[0].astype(np.float64)
        if not np.all((y == 0) | (y == 1)):
            return "bernoulli: values other than 0 and 1"
        if np.any(y[p == 0] != 0) or np.any(y[p == 1] != 1):
            return "bernoulli: a certain outcome differs"
        if not _binomial_ok(y.sum(), p):
            return "bernoulli: %d ones for expected %.1f" % (y.sum(), p.sum())
        return ""
    return "runner: random outputs without a statistical check"
