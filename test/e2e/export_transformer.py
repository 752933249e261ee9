#!/usr/bin/python3
"""Exports a small BERT-like encoder (token embedding + 2 nn.TransformerEncoder
layers, d_model 64, 4 heads, seq 16; random weights, seed 0, each layer
re-initialised) to ONNX opset 13, and fixed token ids:
export_transformer.py OUTDIR. Exercises the exporter's Shape/Gather/Concat
shape arithmetic, attention, LayerNorm as primitives and GELU-free FFN."""
import os
import sys

import numpy as np
import torch

# The benchmark's encoder, smaller.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bench"))
from export_models import Encoder  # noqa: E402

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
model = Encoder(layers=2, d=64, heads=4, ffn=128, vocab=1000).eval()
ids = torch.randint(0, 1000, (1, 16))
# torch 1.13 cannot export the fused fast path under no_grad: keep grad on.
torch.onnx.export(model, ids, os.path.join(out, "model.onnx"), input_names=["input"],
                  output_names=["output"], opset_version=13)
np.save(os.path.join(out, "input.npy"), ids.numpy())
