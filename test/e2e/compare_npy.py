#!/usr/bin/python3
"""compare_npy.py GOT.npy REF.npy [--rtol R --atol A]: prints the max abs/rel
error and exits 1 if the arrays differ beyond tolerance."""
import argparse
import sys

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("got")
ap.add_argument("ref")
ap.add_argument("--rtol", type=float, default=1e-3)
ap.add_argument("--atol", type=float, default=1e-4)
a = ap.parse_args()
got, ref = np.load(a.got), np.load(a.ref)
if got.shape != ref.shape:
    sys.exit("shape %s != reference %s" % (got.shape, ref.shape))
err = np.abs(got.astype(np.float64) - ref)
print("max abs error %.3g, max |ref| %.3g, same argmax: %s" % (
    err.max(), np.abs(ref).max(), bool((got.argmax(-1) == ref.argmax(-1)).all())))
sys.exit(0 if np.allclose(got, ref, rtol=a.rtol, atol=a.atol) else 1)
